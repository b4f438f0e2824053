import { sql } from 'kysely';
import { contribution, wantedLevel } from '../../domain/stats/contribution.js';
import { dayNumber } from '../../domain/stats/periods.js';
import { PENDING, levelOf, officeHoursByUnit, selectFacts, toFacts } from './stats.facts.js';
import type { ReportDeps, Resolved } from './stats.report.js';
import type { Report } from './stats.schema.js';

type Row = { received: number; finished: number; onTime: number; late: number; n: number; sum: number };

/**
 * One row per procedure with dossiers in the period: received, finished, on time, late and the
 * average processing time in the procedure's own unit (docs/metrics.md, averageTime).
 */
export async function procedureBreakdown(deps: ReportDeps, r: Resolved, limit = 200): Promise<Report['procedures']> {
  const c = r.conv;
  const scopeOf = (col: string) =>
    r.subtree ? sql`${sql.ref(col)} in (select id from unit where path <@ ${r.unit.path}::ltree)` : sql`${sql.ref(col)} = ${r.unit.id}`;
  const scope = scopeOf('unit_id');
  const procs = r.procedureIds ? sql`procedure_id in (${sql.join([...r.procedureIds, -1])})` : sql`true`;
  const chan = r.channel ? sql`channel = ${r.channel}` : sql`true`;
  const rolled = await sql<{ procedure_id: number } & Row>`
    select procedure_id, sum(received)::int as received,
      sum(fin_early_s + fin_on_time_s + fin_late_s)::int as finished,
      sum(${sql.ref(`fin_early_${c}`)} + ${sql.ref(`fin_on_time_${c}`)})::int as "onTime",
      sum(${sql.ref(`fin_late_${c}`)})::int as late, sum(time_n)::int as n, sum(${sql.ref(`time_sum_${c}`)})::float8 as sum
    from stat_dossier_day where day between ${r.period.from}::date and ${r.period.to}::date and ${scope} and ${procs} and ${chan}
    group by 1`.execute(deps.db);
  const rows = new Map<number, Row>(rolled.rows.map(({ procedure_id, ...x }) => [procedure_id, x]));
  const cal = await deps.calendar();
  const hours = await officeHoursByUnit(deps.db);
  const F = dayNumber(r.period.from);
  const T = dayNumber(r.period.to);
  const tail = await selectFacts(
    deps.db,
    sql`${PENDING} and ${scopeOf('d.unit_id')} and ${r.procedureIds ? sql`d.procedure_id in (${sql.join([...r.procedureIds, -1])})` : sql`true`}
      and ${r.channel ? sql`d.channel = ${r.channel}` : sql`true`}`,
  );
  for (const row of tail.rows) {
    const f = toFacts(row, hours);
    for (const { day, m } of contribution(f, cal, deps.convention, levelOf(row.stat_state), wantedLevel(f))) {
      if (day < F || day > T) continue;
      const x = rows.get(row.procedure_id) ?? { received: 0, finished: 0, onTime: 0, late: 0, n: 0, sum: 0 };
      x.received += m.received ?? 0;
      x.finished += (m.fin_early_s ?? 0) + (m.fin_on_time_s ?? 0) + (m.fin_late_s ?? 0);
      x.onTime += (m[`fin_early_${c}`] ?? 0) + (m[`fin_on_time_${c}`] ?? 0);
      x.late += m[`fin_late_${c}`] ?? 0;
      x.n += m.time_n ?? 0;
      x.sum += m[`time_sum_${c}`] ?? 0;
      rows.set(row.procedure_id, x);
    }
  }
  const ids = [...rows.keys()];
  if (ids.length === 0) return [];
  const meta = await sql<{ id: number; code: string; name_vi: string; name_en: string; unit: string | null }>`
    select p.id, p.code, p.name_vi, p.name_en,
      (select v.time_limit_unit from procedure_version v where v.procedure_id = p.id order by v.effective_from desc, v.version desc limit 1) as unit
    from procedure p where p.id in (${sql.join(ids)})`.execute(deps.db);
  return meta.rows
    .map((p) => {
      const x = rows.get(p.id)!;
      return {
        code: p.code,
        name: { vi: p.name_vi, en: p.name_en },
        received: x.received,
        finished: x.finished,
        onTime: x.onTime,
        late: x.late,
        averageTime: x.n > 0 && p.unit ? { value: Math.round((x.sum / x.n) * 100) / 100, unit: p.unit } : null,
      };
    })
    .filter((p) => p.received + p.finished > 0)
    .sort((a, b) => b.received - a.received || a.code.localeCompare(b.code))
    .slice(0, limit);
}
