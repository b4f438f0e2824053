import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.js';
import type { WorkingCalendar } from '../../../domain/calendar/index.js';
import { formatIsoDate, vnDayOf } from '../../../domain/calendar/days.js';
import { dayNumber } from '../../../domain/stats/periods.js';
import { AppError } from '../../../lib/errors.js';
import { eventHash } from '../../dossiers/dossier.repo.js';
import { officeHoursByUnit } from '../stats.facts.js';
import { Life, rng, type SimDossier } from './scenario.dossiers.js';
import { OUTCOMES, ScenarioSpec, type Outcome } from './scenario.schema.js';
import {
  allUnits,
  createAccounts,
  createProcedures,
  createUnits,
  ensureFields,
  select,
  type SimProcedure,
  type SimUnit,
} from './scenario.setup.js';

export const BUILT_IN = ['ha-dong-2019-h1', 'hanoi-2019'] as const;

/** A built-in scenario by name, or a spec file by path; checked against the schema. */
export async function loadSpec(nameOrPath: string): Promise<ScenarioSpec> {
  const url = (BUILT_IN as readonly string[]).includes(nameOrPath)
    ? new URL(`../../../../seed/scenarios/${nameOrPath}.json`, import.meta.url)
    : nameOrPath;
  const spec: unknown = JSON.parse(await readFile(url, 'utf8'));
  if (!Value.Check(ScenarioSpec, spec)) {
    const first = [...Value.Errors(ScenarioSpec, spec)][0];
    throw new Error(`scenario spec invalid at ${first?.path || '/'}: ${first?.message}`);
  }
  return spec;
}

export interface ScenarioResult {
  units: number;
  procedures: number;
  citizens: number;
  dossiers: number;
  events: number;
}

const CHANNEL = { in_person: 1, online: 2, post: 3 } as const;

interface Job {
  unit: SimUnit;
  procedure: SimProcedure;
  outcome: Outcome;
  channel: 1 | 2 | 3;
}

/** Which dossiers to create: every group's counts spread over its units and their procedures in turn. */
function jobs(spec: ScenarioSpec, units: SimUnit[], procedures: SimProcedure[]): Job[] {
  const out: Job[] = [];
  for (const g of spec.dossiers) {
    const channel = CHANNEL[g.channel];
    const targets = select(units, g.unit);
    const eligible = (u: SimUnit) =>
      procedures.filter((p) => p.units.has(u.id) && (!g.procedure || p.key === g.procedure) && (channel !== 2 || p.level >= 3));
    const perUnit = new Map(targets.map((u) => [u.id, eligible(u)]));
    const usable = targets.filter((u) => perUnit.get(u.id)!.length > 0);
    if (usable.length === 0) throw new AppError('procedure_not_offered', { group: JSON.stringify(g.unit) });
    let i = 0;
    for (const outcome of OUTCOMES) {
      for (let k = 0; k < (g[outcome] ?? 0); k++, i++) {
        const unit = usable[i % usable.length]!;
        const list = perUnit.get(unit.id)!;
        out.push({ unit, procedure: list[Math.floor(i / usable.length) % list.length]!, outcome, channel });
      }
    }
  }
  return out;
}

/**
 * Creates a scenario's units, procedures, citizens and dossiers. Dossiers go in with stat_state 0,
 * like any new dossier: the roll-up job and the report engine count them afterwards.
 */
export async function runScenario(
  db: Kysely<DB>,
  spec: ScenarioSpec,
  cal: WorkingCalendar,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ScenarioResult> {
  const units = await allUnits(db);
  const createdUnits = await createUnits(db, spec, units);
  await ensureFields(db);
  const procedures = await createProcedures(db, spec, units);
  const work = jobs(spec, units, procedures);
  const accounts = await createAccounts(db, spec.name, Math.max(1, Math.ceil(work.length / 20)));
  const hours = await officeHoursByUnit(db);
  const days: number[] = [];
  for (let d = dayNumber(spec.period.from); d <= dayNumber(spec.period.to); d++) if (cal.isWorkingDn(d)) days.push(d);
  const random = rng(spec.seed);
  const life = new Life(cal, days, random);
  // Shuffle so that codes and ids do not follow the outcome groups.
  for (let i = work.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [work[i], work[j]] = [work[j]!, work[i]!];
  }
  const counters = new Map<string, number>();
  let events = 0;
  const BATCH = 1000;
  for (let i = 0; i < work.length; i += BATCH) {
    const slice = work.slice(i, i + BATCH);
    const lives = slice.map((j) => life.play(j.outcome, j.channel, j.procedure.amount, hours.get(j.unit.id)));
    events += await writeBatch(db, slice, lives, accounts, counters, i);
    onProgress(Math.min(i + BATCH, work.length), work.length);
  }
  for (let i = 0, entries = [...counters]; i < entries.length; i += 1000) {
    await db
      .insertInto('dossier_code_counter')
      .values(
        entries.slice(i, i + 1000).map(([k, last]) => {
          const [agency, day] = k.split('|');
          return { agency_code: agency!, day: day!, last };
        }),
      )
      .onConflict((oc) => oc.columns(['agency_code', 'day']).doUpdateSet((eb) => ({ last: eb.ref('excluded.last') })))
      .execute();
  }
  return { units: createdUnits, procedures: procedures.length, citizens: accounts.citizens.length, dossiers: work.length, events };
}

async function writeBatch(
  db: Kysely<DB>,
  jobs: Job[],
  lives: SimDossier[],
  accounts: { desk: number; citizens: number[] },
  counters: Map<string, number>,
  offset: number,
): Promise<number> {
  const rows = jobs.map((j, k) => {
    const l = lives[k]!;
    const day = formatIsoDate(vnDayOf(l.submittedAt.getTime()));
    const ck = `${j.unit.code}|${day}`;
    const seq = (counters.get(ck) ?? 0) + 1;
    counters.set(ck, seq);
    const citizen = accounts.citizens[(offset + k) % accounts.citizens.length]!;
    const n = offset + k + 1;
    const applicant = { name: `Công dân mô phỏng ${n}`, phone: null, citizenId: null };
    return {
      code: `${j.unit.code}-${day.slice(2).replaceAll('-', '')}-${String(seq).padStart(4, '0')}`,
      unit_id: j.unit.id,
      procedure_id: j.procedure.id,
      procedure_version_id: j.procedure.versionId,
      channel: j.channel,
      status: l.status,
      owner_id: j.channel === 2 ? citizen : null,
      created_by: j.channel === 2 ? citizen : accounts.desk,
      assisted: j.channel === 2 ? null : JSON.stringify({ by: 'desk' }),
      applicant: JSON.stringify(applicant),
      applicant_name: applicant.name,
      form_data: '{}',
      submitted_at: l.submittedAt,
      received_at: l.receivedAt,
      due_at: l.dueAt,
      finished_at: l.finishedAt,
      returned_at: l.returnedAt,
      return_method: l.returnedAt ? ('desk' as const) : null,
      outcome: l.outcome,
      created_at: l.submittedAt,
      updated_at: l.returnedAt ?? l.finishedAt ?? l.receivedAt ?? l.submittedAt,
    };
  });
  return db.transaction().execute(async (trx) => {
    const ids = (await trx.insertInto('dossier').values(rows).returning('id').execute()).map((r) => r.id);
    const ev = [];
    for (let k = 0; k < ids.length; k++) {
      let prev: string | null = null;
      for (const e of lives[k]!.events) {
        const actorId = e.role === 'citizen' ? rows[k]!.created_by : accounts.desk;
        const hash = eventHash({
          dossierId: ids[k]!,
          at: e.at,
          actorId,
          action: e.action,
          from: e.from,
          to: e.to,
          note: null,
          data: null,
          prevHash: prev,
        });
        ev.push({
          dossier_id: ids[k]!,
          at: e.at,
          actor_id: actorId,
          actor_role: e.role,
          action: e.action,
          from_status: e.from,
          to_status: e.to,
          note: null,
          data: null,
          prev_hash: prev,
          hash,
        });
        prev = hash;
      }
    }
    for (let i = 0; i < ev.length; i += 2000)
      await trx
        .insertInto('dossier_event')
        .values(ev.slice(i, i + 2000))
        .execute();
    return ev.length;
  });
}
