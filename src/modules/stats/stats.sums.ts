import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/types.js';
import { vnDayOf } from '../../domain/calendar/days.js';
import type { PauseConvention, WorkingCalendar } from '../../domain/calendar/index.js';
import { appointments, contribution, wantedLevel } from '../../domain/stats/contribution.js';
import { MEASURES, addMeasures, zeroMeasures, type Measures } from '../../domain/stats/measures.js';
import { addDays, dayNumber } from '../../domain/stats/periods.js';
import { PENDING, levelOf, officeHoursByUnit, selectFacts, toFacts } from './stats.facts.js';

/** Before the period (for carried over) and inside it. */
export type Segment = 'b' | 'i';

/** Sums per (unit, channel, segment); `open` holds the live overdue count of open dossiers. */
export interface Sums {
  cells: Map<string, Measures>;
  openOverdue: Map<string, { s: number; r: number }>;
}

export const cellKey = (unit: number, channel: number, seg: Segment) => `${unit}|${channel}|${seg}`;

export interface Scope {
  /** Units whose dossiers count; null = every unit (the city with its subtree). */
  unitIds: number[] | null;
  /** ltree path of the root when the scope is a subtree (lets the database do the filtering). */
  subtreePath: string | null;
  procedureIds: number[] | null;
  channel: number | null;
  from: string;
  to: string;
}

const SUMS = sql.raw(MEASURES.map((m) => `sum(${m})::float8 as ${m}`).join(', '));
const COLS = sql.raw(MEASURES.join(', '));

function unitFilter(scope: Scope, col = 'unit_id'): RawBuilder<unknown> {
  const c = sql.ref(col);
  if (scope.subtreePath !== null) return sql`${c} in (select id from unit where path <@ ${scope.subtreePath}::ltree)`;
  if (scope.unitIds !== null) return sql`${c} in (${sql.join(scope.unitIds)})`;
  return sql`true`;
}

const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;
const nextMonth = (iso: string) => {
  const [y, m] = iso.split('-').map(Number);
  return m === 12 ? `${y! + 1}-01-01` : `${y}-${String(m! + 1).padStart(2, '0')}-01`;
};

/**
 * The roll-up rows to read: whole months from the month table, the days at the edges from the day
 * table. Without a procedure filter a city-wide half-year reads ~6 months and ~30 days of rows.
 */
function segments(from: string, to: string): { table: 'stat_unit_month' | 'stat_unit_day'; lo: string | null; hi: string; seg: Segment }[] {
  const end = addDays(to, 1);
  const out: ReturnType<typeof segments> = [];
  const fm = monthStart(from);
  out.push({ table: 'stat_unit_month', lo: null, hi: fm, seg: 'b' });
  if (fm < from) out.push({ table: 'stat_unit_day', lo: fm, hi: from, seg: 'b' });
  const firstFull = from === fm ? from : nextMonth(from);
  const lastFullEnd = monthStart(end);
  if (firstFull < lastFullEnd) {
    if (from < firstFull) out.push({ table: 'stat_unit_day', lo: from, hi: firstFull, seg: 'i' });
    out.push({ table: 'stat_unit_month', lo: firstFull, hi: lastFullEnd, seg: 'i' });
    if (lastFullEnd < end) out.push({ table: 'stat_unit_day', lo: lastFullEnd, hi: end, seg: 'i' });
  } else {
    out.push({ table: 'stat_unit_day', lo: from, hi: end, seg: 'i' });
  }
  return out;
}

function addCell(cells: Map<string, Measures>, key: string, m: Partial<Measures>) {
  let c = cells.get(key);
  if (!c) cells.set(key, (c = zeroMeasures()));
  addMeasures(c, m);
}

export interface SumDeps {
  db: Kysely<DB>;
  calendar: () => Promise<WorkingCalendar>;
  convention: PauseConvention;
}

/** Roll-ups plus the tail not rolled yet, plus open dossiers measured live at `measuredAt`. */
export async function sumFigures(deps: SumDeps, scope: Scope, measuredAt: Date): Promise<Sums> {
  const cells = new Map<string, Measures>();
  const chan = scope.channel === null ? sql`true` : sql`channel = ${scope.channel}`;
  let rolled: { rows: ({ unit_id: number; channel: number; seg: Segment } & Measures)[] };
  if (scope.procedureIds !== null) {
    const procs = scope.procedureIds.length ? sql`procedure_id in (${sql.join(scope.procedureIds)})` : sql`false`;
    rolled = await sql<{ unit_id: number; channel: number; seg: Segment } & Measures>`
      select unit_id, channel, case when day < ${scope.from}::date then 'b' else 'i' end as seg, ${SUMS}
      from stat_dossier_day where day <= ${scope.to}::date and ${procs} and ${unitFilter(scope)} and ${chan}
      group by 1, 2, 3`.execute(deps.db);
  } else {
    const parts = segments(scope.from, scope.to).map((s) => {
      const col = sql.ref(s.table === 'stat_unit_month' ? 'month' : 'day');
      const lo = s.lo === null ? sql`true` : sql`${col} >= ${s.lo}::date`;
      return sql`select unit_id, channel, ${s.seg}::text as seg, ${COLS} from ${sql.table(s.table)}
        where ${lo} and ${col} < ${s.hi}::date and ${unitFilter(scope)} and ${chan}`;
    });
    rolled = await sql<{ unit_id: number; channel: number; seg: Segment } & Measures>`
      select unit_id, channel, seg, ${SUMS} from (${sql.join(parts, sql` union all `)}) x group by 1, 2, 3`.execute(deps.db);
  }
  for (const r of rolled.rows) {
    const m = zeroMeasures();
    for (const k of MEASURES) m[k] = Number(r[k]);
    addCell(cells, cellKey(r.unit_id, r.channel, r.seg), m);
  }

  const cal = await deps.calendar();
  const hours = await officeHoursByUnit(deps.db);
  const procs = scope.procedureIds === null ? sql`true` : sql`d.procedure_id in (${sql.join([...scope.procedureIds, -1])})`;
  const where = sql`${PENDING} and ${unitFilter(scope, 'd.unit_id')} and ${procs} and ${scope.channel === null ? sql`true` : sql`d.channel = ${scope.channel}`}`;
  const F = dayNumber(scope.from);
  const T = dayNumber(scope.to);
  for (const r of (await selectFacts(deps.db, where)).rows) {
    const f = toFacts(r, hours);
    for (const { day, m } of contribution(f, cal, deps.convention, levelOf(r.stat_state), wantedLevel(f))) {
      if (day > T) continue;
      addCell(cells, cellKey(r.unit_id, r.channel, day < F ? 'b' : 'i'), m);
    }
  }
  return { cells, openOverdue: await openOverdue(deps, scope, measuredAt, cal, hours) };
}

/**
 * Open dossiers received by the end of the period and past their appointment at `measuredAt`. The
 * appointment of a dossier that waited (or waits) is worked out again; the others' is stored.
 */
async function openOverdue(
  deps: SumDeps,
  scope: Scope,
  measuredAt: Date,
  cal: WorkingCalendar,
  hours: Awaited<ReturnType<typeof officeHoursByUnit>>,
): Promise<Map<string, { s: number; r: number }>> {
  const endOfPeriod = new Date((dayNumber(scope.to) + 1) * 86_400_000 - 7 * 3_600_000);
  const procs = scope.procedureIds === null ? sql`true` : sql`d.procedure_id in (${sql.join([...scope.procedureIds, -1])})`;
  const chan = scope.channel === null ? sql`true` : sql`d.channel = ${scope.channel}`;
  const base = sql`d.finished_at is null and d.received_at is not null and d.received_at < ${endOfPeriod}
    and ${unitFilter(scope, 'd.unit_id')} and ${procs} and ${chan}`;
  const out = new Map<string, { s: number; r: number }>();
  const plain = await sql<{ unit_id: number; channel: number; n: number }>`
    select d.unit_id, d.channel, count(*)::int as n from dossier d
    where ${base} and jsonb_array_length(d.pauses) = 0 and coalesce(d.original_due_at, d.due_at) < ${measuredAt}
    group by 1, 2`.execute(deps.db);
  for (const r of plain.rows) out.set(`${r.unit_id}|${r.channel}`, { s: r.n, r: r.n });
  const paused = await selectFacts(deps.db, sql`${base} and jsonb_array_length(d.pauses) > 0`);
  for (const r of paused.rows) {
    const a = appointments(toFacts(r, hours), cal, deps.convention, measuredAt);
    const key = `${r.unit_id}|${r.channel}`;
    const c = out.get(key) ?? { s: 0, r: 0 };
    if (a.s && a.s < measuredAt) c.s++;
    if (a.r && a.r < measuredAt) c.r++;
    out.set(key, c);
  }
  return out;
}

/** The end of a period's last day in Vietnam, or `now` when that is earlier. */
export function measuringInstant(to: string, now: Date): Date {
  const end = new Date((dayNumber(to) + 1) * 86_400_000 - 7 * 3_600_000);
  return end < now ? end : now;
}

export const vnToday = (now: Date) => new Date(vnDayOf(now.getTime()) * 86_400_000).toISOString().slice(0, 10);
