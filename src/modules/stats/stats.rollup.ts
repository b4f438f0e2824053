import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { formatIsoDate } from '../../domain/calendar/days.js';
import type { PauseConvention, WorkingCalendar } from '../../domain/calendar/index.js';
import { contribution, wantedLevel } from '../../domain/stats/contribution.js';
import { MEASURES, addMeasures, zeroMeasures, type Measures } from '../../domain/stats/measures.js';
import { PENDING, levelOf, officeHoursByUnit, selectFacts, toFacts } from './stats.facts.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Counters keyed by (day number, unit, procedure, channel), the grain of stat_dossier_day. */
export type Grid = Map<string, Measures>;

export const gridKey = (day: number, unit: number, procedure: number, channel: number) => `${day}|${unit}|${procedure}|${channel}`;

export function parseKey(k: string): [number, number, number, number] {
  const [a, b, c, d] = k.split('|').map(Number);
  return [a!, b!, c!, d!];
}

export function addToGrid(grid: Grid, key: string, m: Partial<Measures>, sign = 1) {
  let cell = grid.get(key);
  if (!cell) grid.set(key, (cell = zeroMeasures()));
  addMeasures(cell, m, sign);
}

const monthOf = (iso: string) => `${iso.slice(0, 7)}-01`;

const bump = (table: string) =>
  Object.fromEntries(MEASURES.map((m) => [m, sql`${sql.ref(`${table}.${m}`)} + ${sql.ref(`excluded.${m}`)}`]));

/** Adds a grid to the three roll-up tables (by day with procedure, by day, by month). */
export async function applyGrid(trx: Q, grid: Grid): Promise<void> {
  const fine: Record<string, unknown>[] = [];
  const byDay: Grid = new Map();
  const byMonth = new Map<string, Measures>();
  for (const [k, m] of grid) {
    const [dn, unit, procedure, channel] = parseKey(k);
    const day = formatIsoDate(dn);
    fine.push({ day, unit_id: unit, procedure_id: procedure, channel, ...m });
    addToGrid(byDay, `${day}|${unit}|${channel}`, m);
    addToGrid(byMonth, `${monthOf(day)}|${unit}|${channel}`, m);
  }
  const rows = (g: Map<string, Measures>, first: 'day' | 'month') =>
    [...g].map(([k, m]) => {
      const [d, u, c] = k.split('|');
      return { [first]: d!, unit_id: Number(u), channel: Number(c), ...m };
    });
  // Bounded statements: each row carries 26 parameters.
  for (let i = 0; i < fine.length; i += 1000) {
    await trx
      .insertInto('stat_dossier_day')
      .values(fine.slice(i, i + 1000) as never)
      .onConflict((oc) => oc.columns(['unit_id', 'day', 'procedure_id', 'channel']).doUpdateSet(bump('stat_dossier_day') as never))
      .execute();
  }
  const day = rows(byDay, 'day');
  for (let i = 0; i < day.length; i += 1000) {
    await trx
      .insertInto('stat_unit_day')
      .values(day.slice(i, i + 1000) as never)
      .onConflict((oc) => oc.columns(['day', 'unit_id', 'channel']).doUpdateSet(bump('stat_unit_day') as never))
      .execute();
  }
  const month = rows(byMonth, 'month');
  for (let i = 0; i < month.length; i += 1000) {
    await trx
      .insertInto('stat_unit_month')
      .values(month.slice(i, i + 1000) as never)
      .onConflict((oc) => oc.columns(['month', 'unit_id', 'channel']).doUpdateSet(bump('stat_unit_month') as never))
      .execute();
  }
}

export interface RollupDeps {
  db: Kysely<DB>;
  calendar: () => Promise<WorkingCalendar>;
  convention: PauseConvention;
}

/**
 * Rolls the facts that became final since the last run into the roll-up tables, in batches; each
 * batch moves its dossiers' stat_state forward in the same transaction, so a crash loses nothing
 * and counts nothing twice. Returns how many dossiers were rolled.
 */
export async function rollUp(deps: RollupDeps, opts: { batch?: number; max?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 2000;
  const cal = await deps.calendar();
  const hours = await officeHoursByUnit(deps.db);
  let total = 0;
  while (total < (opts.max ?? Infinity)) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const { rows } = await selectFacts(trx, PENDING, sql`order by d.id limit ${batch} for update of d skip locked`);
      if (rows.length === 0) return 0;
      const grid: Grid = new Map();
      for (const r of rows) {
        const f = toFacts(r, hours);
        for (const { day, m } of contribution(f, cal, deps.convention, levelOf(r.stat_state), wantedLevel(f))) {
          addToGrid(grid, gridKey(day, r.unit_id, r.procedure_id, r.channel), m);
        }
      }
      await applyGrid(trx, grid);
      await trx
        .updateTable('dossier')
        .set({ stat_state: sql`case when finished_at is not null then 2 when received_at is not null then 1 else 0 end` })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.length;
    });
    total += n;
    if (n < batch) break;
  }
  return total;
}

/**
 * Empties the roll-ups and counts every dossier again, for when the rules behind past figures
 * changed (a working-day calendar republished, office hours corrected). Reports stay exact during
 * the rebuild: whatever is not rolled yet is added from the dossiers.
 */
export async function rebuild(deps: RollupDeps, onProgress?: (n: number) => void): Promise<number> {
  await deps.db.transaction().execute(async (trx) => {
    await sql`truncate stat_dossier_day, stat_unit_day, stat_unit_month`.execute(trx);
    await sql`update dossier set stat_state = 0 where stat_state <> 0`.execute(trx);
  });
  let total = 0;
  for (;;) {
    const n = await rollUp(deps, { max: 20_000 });
    total += n;
    onProgress?.(total);
    if (n < 20_000) return total;
  }
}
