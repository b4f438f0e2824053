import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/types.js';
import { addDays } from '../../domain/stats/periods.js';
import { rate } from './stats.report.js';

export interface LevelCounts {
  total: number;
  level1: number;
  level2: number;
  level3: number;
  level4: number;
  /** Level 3 or 4. */
  online: number;
  full: number;
  partial: number;
  shareOnline: number | null;
  shareLevel3: number | null;
  shareLevel4: number | null;
  shareFull: number | null;
  sharePartial: number | null;
}

export interface Coverage {
  unit: { code: string; name: { vi: string; en: string }; level: string };
  subtree: boolean;
  period: { from: string; to: string };
  procedures: LevelCounts;
  byUnitLevel: { level: string; units: number; unitsUsing: number; procedures: LevelCounts }[];
  unitsUsing: { department: number; district: number; commune: number; total: number };
  onlineShareByField: { field: string; name: { vi: string; en: string }; received: number; online: number; share: number | null }[];
}

type Offer = { lvl: number; full: boolean; partial: boolean };

function counts(offers: Iterable<Offer>, total?: number): LevelCounts {
  const c = { level1: 0, level2: 0, level3: 0, level4: 0, full: 0, partial: 0, n: 0 };
  for (const o of offers) {
    c.n++;
    if (o.lvl >= 1 && o.lvl <= 4) c[`level${o.lvl as 1 | 2 | 3 | 4}`]++;
    if (o.full) c.full++;
    else if (o.partial) c.partial++;
  }
  const all = total ?? c.n;
  const online = c.level3 + c.level4;
  return {
    total: all,
    level1: c.level1,
    level2: c.level2,
    level3: c.level3,
    level4: c.level4,
    online,
    full: c.full,
    partial: c.partial,
    shareOnline: rate(online, all),
    shareLevel3: rate(c.level3, online),
    shareLevel4: rate(c.level4, online),
    shareFull: rate(c.full, all),
    sharePartial: rate(c.partial, all),
  };
}

const merge = (a: Offer | undefined, b: Offer): Offer =>
  a ? { lvl: Math.max(a.lvl, b.lvl), full: a.full || b.full, partial: a.partial || b.partial } : b;

/**
 * Online-service coverage (DESIGN §4.5): procedures at each level in a unit's scope, a procedure
 * offered at several levels counting at the highest; city-wide, every procedure of the catalogue.
 */
export async function coverage(db: Kysely<DB>, unit: UnitRow, subtree: boolean, period: { from: string; to: string }): Promise<Coverage> {
  const scope = subtree ? sql`u.path <@ ${unit.path}::ltree` : sql`u.id = ${unit.id}`;
  const offers = await sql<{ level: string; procedure_id: number; lvl: number; full: boolean; partial: boolean }>`
    select u.level, up.procedure_id, max(coalesce(up.online_level, 0))::int as lvl,
      bool_or(up.online_mode = 'full') as full, bool_or(up.online_mode = 'partial') as partial
    from unit_procedure up join unit u on u.id = up.unit_id
    where ${scope} and u.valid_to is null group by 1, 2`.execute(db);
  const byLevel = new Map<string, Map<number, Offer>>();
  const all = new Map<number, Offer>();
  for (const r of offers.rows) {
    if (!byLevel.has(r.level)) byLevel.set(r.level, new Map());
    const o = { lvl: r.lvl, full: r.full, partial: r.partial };
    byLevel.get(r.level)!.set(r.procedure_id, o);
    all.set(r.procedure_id, merge(all.get(r.procedure_id), o));
  }
  const city = unit.level === 'city' && subtree;
  if (city) {
    // City-wide the catalogue itself counts: a procedure nobody offers yet is still a procedure.
    const versions = await sql<{ procedure_id: number; lvl: number; mode: string | null }>`
      select distinct on (procedure_id) procedure_id, coalesce(online_level, 0)::int as lvl, online_mode as mode
      from procedure_version where effective_from <= current_date order by procedure_id, effective_from desc, version desc`.execute(db);
    for (const v of versions.rows) {
      all.set(v.procedure_id, merge(all.get(v.procedure_id), { lvl: v.lvl, full: v.mode === 'full', partial: v.mode === 'partial' }));
    }
  }
  const units = await sql<{ level: string; n: number; using: number }>`
    select u.level, count(*)::int as n,
      count(*) filter (where exists (select 1 from unit_procedure up where up.unit_id = u.id))::int as using
    from unit u where ${scope} and u.valid_to is null group by 1`.execute(db);
  const using = { department: 0, district: 0, commune: 0, total: 0 };
  for (const r of units.rows) {
    if (r.level in using) using[r.level as 'department' | 'district' | 'commune'] = r.using;
    using.total += r.using;
  }
  const ORDER = ['city', 'department', 'district', 'commune'];
  return {
    unit: { code: unit.code, name: { vi: unit.name_vi, en: unit.name_en }, level: unit.level },
    subtree,
    period,
    procedures: counts(all.values()),
    byUnitLevel: units.rows
      .sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level))
      .map((r) => ({ level: r.level, units: r.n, unitsUsing: r.using, procedures: counts(byLevel.get(r.level)?.values() ?? []) })),
    unitsUsing: using,
    onlineShareByField: await onlineByField(db, scope, period),
  };
}

/** Dossiers received in the period per field, from the roll-ups plus receptions not rolled yet. */
async function onlineByField(db: Kysely<DB>, scope: ReturnType<typeof sql>, period: { from: string; to: string }) {
  const start = new Date(`${period.from}T00:00:00+07:00`);
  const end = new Date(`${addDays(period.to, 1)}T00:00:00+07:00`);
  const rows = await sql<{ field: string; name_vi: string; name_en: string; received: number; online: number }>`
    select f.code as field, f.name_vi, f.name_en, sum(x.received)::int as received, sum(x.online)::int as online from (
      select s.procedure_id, sum(s.received) as received, sum(s.received) filter (where s.channel = 2) as online
      from stat_dossier_day s join unit u on u.id = s.unit_id
      where ${scope} and s.day between ${period.from}::date and ${period.to}::date group by 1
      union all
      select d.procedure_id, count(*), count(*) filter (where d.channel = 2)
      from dossier d join unit u on u.id = d.unit_id
      where d.stat_state = 0 and d.received_at >= ${start} and d.received_at < ${end} and ${scope} group by 1
    ) x join procedure p on p.id = x.procedure_id join field f on f.code = p.field_code
    group by 1, 2, 3 having sum(x.received) > 0 order by 1`.execute(db);
  return rows.rows.map((r) => ({
    field: r.field,
    name: { vi: r.name_vi, en: r.name_en },
    received: r.received,
    online: r.online ?? 0,
    share: rate(r.online ?? 0, r.received),
  }));
}
