import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { DB, UnitLevel } from '../../../db/types.js';
import { AppError } from '../../../lib/errors.js';
import { pathLabel } from '../../units/units.service.js';
import type { ScenarioSpec, Selector } from './scenario.schema.js';

export interface SimUnit {
  id: number;
  code: string;
  level: UnitLevel;
  path: string;
}

export interface SimProcedure {
  id: number;
  versionId: number;
  key: string | null;
  level: number;
  amount: number;
  fieldCode: string;
  /** Units offering it. */
  units: Set<number>;
}

const LEVEL_NAME: Record<UnitLevel, { vi: string; en: string; letter: string }> = {
  city: { vi: 'Thành phố', en: 'City', letter: 'T' },
  department: { vi: 'Sở mô phỏng', en: 'Synthetic department', letter: 'S' },
  district: { vi: 'Quận mô phỏng', en: 'Synthetic district', letter: 'D' },
  commune: { vi: 'Xã mô phỏng', en: 'Synthetic commune', letter: 'C' },
};

export async function allUnits(db: Kysely<DB>): Promise<SimUnit[]> {
  return db.selectFrom('unit').select(['id', 'code', 'level', 'path']).where('valid_to', 'is', null).execute();
}

export function select(units: SimUnit[], s: Selector): SimUnit[] {
  if ('code' in s) {
    const u = units.filter((x) => x.code === s.code);
    if (u.length === 0) throw new AppError('unit_not_found', { code: s.code });
    return u;
  }
  if ('under' in s) {
    const root = units.find((x) => x.code === s.under);
    if (!root) throw new AppError('unit_not_found', { code: s.under });
    return units.filter((x) => x.level === s.level && x.path.startsWith(`${root.path}.`));
  }
  return units.filter((x) => x.level === s.level);
}

/** Synthetic units, named as such in both languages so nobody mistakes them for real ones. */
export async function createUnits(db: Kysely<DB>, spec: ScenarioSpec, units: SimUnit[]): Promise<number> {
  let made = 0;
  for (const g of spec.units ?? []) {
    const parents = select(units, g.parent);
    if (parents.length === 0) throw new AppError('unit_not_found', { code: JSON.stringify(g.parent) });
    const rows = [];
    for (let i = 0; i < g.count; i++) {
      const parent = parents[i % parents.length]!;
      const n = String(made + i + 1).padStart(4, '0');
      const code = `SIM${LEVEL_NAME[g.level].letter}.${n}.H26`;
      rows.push({
        code,
        name_vi: `${LEVEL_NAME[g.level].vi} ${n} (dữ liệu giả lập)`,
        name_en: `${LEVEL_NAME[g.level].en} ${n} (simulated data)`,
        level: g.level,
        kind: g.level === 'commune' ? 'commune' : g.level,
        parent_id: parent.id,
        path: `${parent.path}.${pathLabel(code)}`,
        valid_from: spec.period.from,
        valid_to: null,
      });
    }
    for (let i = 0; i < rows.length; i += 500) {
      const got = await db
        .insertInto('unit')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'code', 'level', 'path'])
        .execute();
      units.push(...got);
    }
    made += g.count;
  }
  return made;
}

/** The fields (lĩnh vực) of the national catalogue; real reference data, not simulated. */
export async function ensureFields(db: Kysely<DB>) {
  const file = JSON.parse(await readFile(new URL('../../../../seed/procedures/fields.json', import.meta.url), 'utf8')) as {
    fields: { code: string; name: { vi: string; en: string } }[];
  };
  await db
    .insertInto('field')
    .values(file.fields.map((f, i) => ({ code: f.code, name_vi: f.name.vi, name_en: f.name.en, sort: i })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

const MODE = (level: number) => (level === 4 ? 'full' : level === 3 ? 'partial' : 'none') as 'full' | 'partial' | 'none';

/** Synthetic procedures (codes L.9xxxxx) offered by the selected units at the group's level. */
export async function createProcedures(db: Kysely<DB>, spec: ScenarioSpec, units: SimUnit[]): Promise<SimProcedure[]> {
  const base = await sql<{ n: number }>`select count(*)::int as n from procedure where code like 'L.9%'`.execute(db);
  let seq = base.rows[0]!.n;
  const out: SimProcedure[] = [];
  // One statement per table and group: the city scenario has 1,761 procedures, one by one was seconds.
  for (const g of spec.procedures) {
    const offering = select(units, g.offeredBy);
    if (offering.length === 0) throw new AppError('unit_not_found', { code: JSON.stringify(g.offeredBy) });
    const amount = g.timeLimitDays ?? 5;
    const content = JSON.stringify({
      effectiveFrom: spec.period.from,
      steps: [],
      channels: g.level >= 3 ? ['in_person', 'online', 'post'] : ['in_person', 'post'],
      submitTo: null,
      documents: [],
      timeLimit: { amount, unit: 'working_days' },
      fee: null,
      applicants: null,
      legalBasis: [],
      result: null,
      onlineLevel: g.level,
      onlineMode: MODE(g.level),
      form: [],
    });
    for (let i0 = 0; i0 < g.count; i0 += 1000) {
      const rows = Array.from({ length: Math.min(1000, g.count - i0) }, () => {
        seq++;
        const name = g.name ?? { vi: `Thủ tục mô phỏng ${seq} (dữ liệu giả lập)`, en: `Synthetic procedure ${seq} (simulated data)` };
        return { code: `L.${String(900000 + seq)}`, field_code: g.field, levels: [g.unitLevel], name_vi: name.vi, name_en: name.en };
      });
      // RETURNING order is not promised, so rows are matched back by code.
      const ids = new Map(
        (await db.insertInto('procedure').values(rows).returning(['id', 'code']).execute()).map((r) => [r.code, r.id] as const),
      );
      const procIds = rows.map((r) => ids.get(r.code)!);
      const versions = new Map(
        (
          await db
            .insertInto('procedure_version')
            .values(
              procIds.map((id) => ({
                procedure_id: id,
                version: 1,
                effective_from: '2000-01-01',
                content,
                time_limit_amount: amount,
                time_limit_unit: 'working_days' as const,
                fee_amount: null,
                online_level: g.level,
                online_mode: MODE(g.level),
              })),
            )
            .returning(['id', 'procedure_id'])
            .execute()
        ).map((r) => [r.procedure_id, r.id] as const),
      );
      const offers: { unit_id: number; procedure_id: number; online_level: number; online_mode: 'full' | 'partial' | 'none' }[] = [];
      procIds.forEach((id, k) => {
        const i = i0 + k;
        const by = g.spread ? [offering[i % offering.length]!] : offering;
        for (const u of by) offers.push({ unit_id: u.id, procedure_id: id, online_level: g.level, online_mode: MODE(g.level) });
        out.push({
          id,
          versionId: versions.get(id)!,
          key: g.key ?? null,
          level: g.level,
          amount,
          fieldCode: g.field,
          units: new Set(by.map((u) => u.id)),
        });
      });
      for (let j = 0; j < offers.length; j += 2000)
        await db
          .insertInto('unit_procedure')
          .values(offers.slice(j, j + 2000))
          .execute();
    }
  }
  return out;
}

/** Accounts the dossiers need: synthetic citizens (who cannot log in) and one desk officer. */
export async function createAccounts(db: Kysely<DB>, name: string, citizens: number): Promise<{ desk: number; citizens: number[] }> {
  const desk = await db
    .insertInto('account')
    .values({ kind: 'official', full_name: `Cán bộ một cửa mô phỏng (${name})`, password_hash: '!', disabled_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (let i = 0; i < citizens; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, citizens - i) }, (_, k) => ({
      kind: 'citizen' as const,
      full_name: `Công dân mô phỏng ${i + k + 1}`,
      password_hash: '!',
      disabled_at: new Date(),
    }));
    ids.push(...(await db.insertInto('account').values(rows).returning('id').execute()).map((r) => r.id));
  }
  return { desk: desk.id, citizens: ids };
}
