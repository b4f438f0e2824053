import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
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
  let done = 0;
  // Two batches in flight: while the database writes one, the next is played and hashed here.
  const inFlight: Promise<number>[] = [];
  const settle = async () => {
    const p = inFlight.shift()!;
    events += await p;
  };
  try {
    for (let i = 0; i < work.length; i += BATCH) {
      const slice = work.slice(i, i + BATCH);
      const lives = slice.map((j) => life.play(j.outcome, j.channel, j.procedure.amount, hours.get(j.unit.id)));
      const ids = await reserveIds(db, slice.length);
      const p = writeBatch(db, batchRows(slice, lives, ids, accounts, counters, i)).then((n) => {
        done += slice.length;
        onProgress(done, work.length);
        return n;
      });
      p.catch(() => {}); // awaited below; this only keeps a failure from being reported as unhandled meanwhile
      inFlight.push(p);
      if (inFlight.length >= IN_FLIGHT) await settle();
    }
    while (inFlight.length) await settle();
  } finally {
    await Promise.allSettled(inFlight);
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

/** Dossiers per batch (one transaction of two statements), and batches written at once. */
const BATCH = 2000;
const IN_FLIGHT = 2;

/**
 * Takes `n` dossier ids from the table's identity in order, so the event hashes (which include the
 * dossier id) can be computed before the batch is written, and ids follow the shuffled order.
 */
async function reserveIds(db: Kysely<DB>, n: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('dossier', 'id'))::int8 as id from generate_series(1, ${n})`.execute(db);
  return r.rows.map((x) => x.id);
}

/** Column name → [PostgreSQL element type, values]: one array parameter per column. */
type Columns = Record<string, [string, unknown[]]>;

interface BatchRows {
  dossier: Columns;
  event: Columns;
  events: number;
}

/**
 * eventHash() of an event without note or data, built directly: the same canonical JSON (keys
 * sorted, nulls written out), without the generic walk. Checked against eventHash() once a batch.
 */
function simEventHash(
  dossierId: number,
  at: string,
  actorId: number,
  action: string,
  from: number | null,
  to: number | null,
  prev: string | null,
) {
  const text =
    `{"action":${JSON.stringify(action)},"actorId":${actorId},"at":"${at}","data":null,"dossierId":${dossierId},` +
    `"from":${from},"note":null,"prevHash":${prev === null ? 'null' : `"${prev}"`},"to":${to}}`;
  return createHash('sha256').update(text).digest('hex');
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function batchRows(
  jobs: Job[],
  lives: SimDossier[],
  ids: number[],
  accounts: { desk: number; citizens: number[] },
  counters: Map<string, number>,
  offset: number,
): BatchRows {
  const n = jobs.length;
  const col = <T>(type: string): [string, T[]] => [type, new Array<T>(n)];
  const d = {
    id: col<number>('int8'),
    code: col<string>('text'),
    unit_id: col<number>('int4'),
    procedure_id: col<number>('int4'),
    procedure_version_id: col<number>('int4'),
    channel: col<number>('int2'),
    status: col<number>('int2'),
    owner_id: col<number | null>('int4'),
    created_by: col<number>('int4'),
    assisted: col<string | null>('jsonb'),
    applicant: col<string>('jsonb'),
    applicant_name: col<string>('text'),
    submitted_at: col<string>('timestamptz'),
    received_at: col<string | null>('timestamptz'),
    due_at: col<string | null>('timestamptz'),
    finished_at: col<string | null>('timestamptz'),
    returned_at: col<string | null>('timestamptz'),
    return_method: col<string | null>('text'),
    outcome: col<string | null>('text'),
    created_at: col<string>('timestamptz'),
    updated_at: col<string>('timestamptz'),
  };
  const e = {
    dossier_id: ['int8', [] as number[]],
    at: ['timestamptz', [] as string[]],
    actor_id: ['int4', [] as number[]],
    actor_role: ['text', [] as string[]],
    action: ['text', [] as string[]],
    from_status: ['int2', [] as (number | null)[]],
    to_status: ['int2', [] as (number | null)[]],
    prev_hash: ['text', [] as (string | null)[]],
    hash: ['text', [] as string[]],
  } satisfies Columns;
  for (let k = 0; k < n; k++) {
    const j = jobs[k]!;
    const l = lives[k]!;
    const day = formatIsoDate(vnDayOf(l.submittedAt.getTime()));
    const ck = `${j.unit.code}|${day}`;
    const seq = (counters.get(ck) ?? 0) + 1;
    counters.set(ck, seq);
    const citizen = accounts.citizens[(offset + k) % accounts.citizens.length]!;
    const applicant = { name: `Công dân mô phỏng ${offset + k + 1}`, phone: null, citizenId: null };
    const createdBy = j.channel === 2 ? citizen : accounts.desk;
    const submittedAt = l.submittedAt.toISOString();
    d.id[1][k] = ids[k]!;
    d.code[1][k] = `${j.unit.code}-${day.slice(2).replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
    d.unit_id[1][k] = j.unit.id;
    d.procedure_id[1][k] = j.procedure.id;
    d.procedure_version_id[1][k] = j.procedure.versionId;
    d.channel[1][k] = j.channel;
    d.status[1][k] = l.status;
    d.owner_id[1][k] = j.channel === 2 ? citizen : null;
    d.created_by[1][k] = createdBy;
    d.assisted[1][k] = j.channel === 2 ? null : JSON.stringify({ by: 'desk' });
    d.applicant[1][k] = JSON.stringify(applicant);
    d.applicant_name[1][k] = applicant.name;
    d.submitted_at[1][k] = submittedAt;
    d.received_at[1][k] = iso(l.receivedAt);
    d.due_at[1][k] = iso(l.dueAt);
    d.finished_at[1][k] = iso(l.finishedAt);
    d.returned_at[1][k] = iso(l.returnedAt);
    d.return_method[1][k] = l.returnedAt ? 'desk' : null;
    d.outcome[1][k] = l.outcome;
    d.created_at[1][k] = submittedAt;
    d.updated_at[1][k] = (l.returnedAt ?? l.finishedAt ?? l.receivedAt ?? l.submittedAt).toISOString();
    let prev: string | null = null;
    for (const ev of l.events) {
      const actorId = ev.role === 'citizen' ? createdBy : accounts.desk;
      const at = ev.at.toISOString();
      const hash = simEventHash(ids[k]!, at, actorId, ev.action, ev.from, ev.to, prev);
      e.dossier_id[1].push(ids[k]!);
      e.at[1].push(at);
      e.actor_id[1].push(actorId);
      e.actor_role[1].push(ev.role);
      e.action[1].push(ev.action);
      e.from_status[1].push(ev.from);
      e.to_status[1].push(ev.to);
      e.prev_hash[1].push(prev);
      e.hash[1].push(hash);
      prev = hash;
    }
  }
  const f = e.hash[1].length - 1;
  const check = eventHash({
    dossierId: e.dossier_id[1][f]!,
    at: new Date(e.at[1][f]!),
    actorId: e.actor_id[1][f]!,
    action: e.action[1][f]!,
    from: e.from_status[1][f]!,
    to: e.to_status[1][f]!,
    note: null,
    data: null,
    prevHash: e.prev_hash[1][f]!,
  });
  if (check !== e.hash[1][f]) throw new Error('scenario: the event hash differs from eventHash()');
  return { dossier: d, event: e, events: e.hash[1].length };
}

/** insert into table (columns) select from unnest of one array per column: one statement, few parameters. */
function insertColumns(trx: Kysely<DB>, table: string, cols: Columns, overriding = false) {
  const names = Object.keys(cols);
  return sql`insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))}) ${overriding ? sql`overriding system value` : sql``}
    select * from unnest(${sql.join(names.map((c) => sql`${cols[c]![1]}::${sql.raw(cols[c]![0])}[]`))})`.execute(trx);
}

async function writeBatch(db: Kysely<DB>, rows: BatchRows): Promise<number> {
  await db.transaction().execute(async (trx) => {
    await insertColumns(trx, 'dossier', rows.dossier, true);
    await insertColumns(trx, 'dossier_event', rows.event);
  });
  return rows.events;
}
