import { sql } from 'kysely';
import { dayNumber } from '../../domain/stats/periods.js';
import { contribution } from '../../domain/stats/contribution.js';
import { MEASURES, type Measures } from '../../domain/stats/measures.js';
import { addToGrid, gridKey, parseKey, type Grid } from './stats.rollup.js';
import type { RollupDeps } from './stats.rollup.js';
import { levelOf, officeHoursByUnit, selectFacts, toFacts } from './stats.facts.js';

export interface Difference {
  table: 'stat_dossier_day' | 'stat_unit_day' | 'stat_unit_month';
  key: string;
  measure: string;
  expected: number;
  actual: number;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/**
 * Recomputes, from the dossiers themselves, what the roll-up tables should hold for what they
 * claim to have rolled (each dossier's stat_state), and lists every difference. The day and month
 * tables must also equal the fine table summed up.
 */
export async function checkRollups(
  deps: RollupDeps,
  onProgress?: (done: number) => void,
): Promise<{ dossiers: number; differences: Difference[] }> {
  const cal = await deps.calendar();
  const hours = await officeHoursByUnit(deps.db);
  const expected: Grid = new Map();
  let last = 0;
  let dossiers = 0;
  for (;;) {
    const { rows } = await selectFacts(deps.db, sql`d.stat_state > 0 and d.id > ${last}`, sql`order by d.id limit 5000`);
    if (rows.length === 0) break;
    for (const r of rows) {
      for (const { day, m } of contribution(toFacts(r, hours), cal, deps.convention, 0, levelOf(r.stat_state))) {
        addToGrid(expected, gridKey(day, r.unit_id, r.procedure_id, r.channel), m);
      }
    }
    last = rows[rows.length - 1]!.id;
    dossiers += rows.length;
    onProgress?.(dossiers);
  }
  const differences: Difference[] = [];
  const cols = sql.raw(MEASURES.join(', '));
  const fine = await sql<{ day: string; unit_id: number; procedure_id: number; channel: number } & Measures>`
    select to_char(day, 'YYYY-MM-DD') as day, unit_id, procedure_id, channel, ${cols} from stat_dossier_day`.execute(deps.db);
  const actual: Grid = new Map();
  const byDay: Grid = new Map();
  const byMonth: Grid = new Map();
  for (const r of fine.rows) {
    const m = Object.fromEntries(MEASURES.map((k) => [k, Number(r[k])])) as Measures;
    addToGrid(actual, gridKey(dayNumber(r.day), r.unit_id, r.procedure_id, r.channel), m);
    addToGrid(byDay, `${r.day}|${r.unit_id}|${r.channel}`, m);
    addToGrid(byMonth, `${r.day.slice(0, 7)}-01|${r.unit_id}|${r.channel}`, m);
  }
  compare('stat_dossier_day', expected, actual, differences);
  for (const [table, grid, col] of [
    ['stat_unit_day', byDay, 'day'],
    ['stat_unit_month', byMonth, 'month'],
  ] as const) {
    const rows = await sql<{ k: string } & Measures>`
      select to_char(${sql.ref(col)}, 'YYYY-MM-DD') || '|' || unit_id || '|' || channel as k, ${cols} from ${sql.table(table)}`.execute(
      deps.db,
    );
    const got: Grid = new Map();
    for (const r of rows.rows) addToGrid(got, r.k, Object.fromEntries(MEASURES.map((k) => [k, Number(r[k])])) as Measures);
    compare(table, grid, got, differences);
  }
  return { dossiers, differences };
}

function compare(table: Difference['table'], expected: Grid, actual: Grid, out: Difference[]) {
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key);
    const a = actual.get(key);
    for (const m of MEASURES) {
      const ev = e?.[m] ?? 0;
      const av = a?.[m] ?? 0;
      if (!close(ev, av))
        out.push({ table, key: table === 'stat_dossier_day' ? readable(key) : key, measure: m, expected: ev, actual: av });
    }
  }
}

function readable(key: string) {
  const [day, unit, procedure, channel] = parseKey(key);
  return `${new Date(day * 86_400_000).toISOString().slice(0, 10)} unit#${unit} procedure#${procedure} channel ${channel}`;
}
