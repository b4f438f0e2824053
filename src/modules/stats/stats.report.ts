import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/types.js';
import type { PauseConvention, WorkingCalendar } from '../../domain/calendar/index.js';
import { parsePeriod, PeriodError, rangePeriod, type Period } from '../../domain/stats/periods.js';
import { addMeasures, zeroMeasures, type Measures } from '../../domain/stats/measures.js';
import { AppError } from '../../lib/errors.js';
import type { Figures, Report, ReportQuery } from './stats.schema.js';
import { cellKey, measuringInstant, sumFigures, type Scope, type Sums } from './stats.sums.js';

export const rate = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10000) / 100 : null);

/** Figures from summed counters (docs/metrics.md), for one convention. */
export function figuresOf(before: Measures, inside: Measures, openOverdue: number, conv: 's' | 'r', byChannel: number[]): Figures {
  const f = (m: Measures) => ({ early: m[`fin_early_${conv}`], onTime: m[`fin_on_time_${conv}`], late: m[`fin_late_${conv}`] });
  const ended = (m: Measures) => m.fin_early_s + m.fin_on_time_s + m.fin_late_s + m.withdrawn + m.stopped;
  const fin = f(inside);
  const finished = fin.early + fin.onTime + fin.late;
  const carriedOver = before.received - ended(before);
  const total = carriedOver + inside.received - ended(inside);
  const od = (m: Measures) => (conv === 's' ? m.od_start_s - m.od_end_s : m.od_start_r - m.od_end_r);
  const overdue = od(before) + od(inside) + openOverdue;
  return {
    received: {
      total: inside.received,
      inPerson: byChannel[1] ?? 0,
      online: byChannel[2] ?? 0,
      post: byChannel[3] ?? 0,
      carriedOver,
    },
    finished: { total: finished, ...fin, rejected: inside.fin_rejected },
    inProgress: { total, withinDeadline: total - overdue, overdue },
    stopped: inside.withdrawn + inside.stopped,
    stoppedBy: { withdrawn: inside.withdrawn, stopped: inside.stopped },
    refusedAtReception: inside.refused_rec,
    onTimeRate: rate(fin.early + fin.onTime, finished),
    onlineShare: rate(byChannel[2] ?? 0, inside.received),
  };
}

/** Accumulates the cells of a set of units into the figures of the set. */
export class FigureAcc {
  before = zeroMeasures();
  inside = zeroMeasures();
  open = 0;
  channels = [0, 0, 0, 0];
  add(sums: Sums, unitId: number, conv: 's' | 'r') {
    for (const ch of [1, 2, 3]) {
      const b = sums.cells.get(cellKey(unitId, ch, 'b'));
      const i = sums.cells.get(cellKey(unitId, ch, 'i'));
      if (b) addMeasures(this.before, b);
      if (i) {
        addMeasures(this.inside, i);
        this.channels[ch]! += i.received;
      }
      this.open += sums.openOverdue.get(`${unitId}|${ch}`)?.[conv] ?? 0;
    }
  }
  figures(conv: 's' | 'r'): Figures {
    return figuresOf(this.before, this.inside, this.open, conv, this.channels);
  }
}

export interface ReportDeps {
  db: Kysely<DB>;
  calendar: () => Promise<WorkingCalendar>;
  convention: PauseConvention;
}

export interface Resolved {
  unit: UnitRow;
  subtree: boolean;
  period: Period;
  conv: 's' | 'r';
  procedure: { id: number; code: string } | null;
  field: string | null;
  procedureIds: number[] | null;
  channel: 1 | 2 | 3 | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the query of a report: unknown units, procedures, fields and periods are 4xx errors. */
export async function resolveQuery(db: Kysely<DB>, q: ReportQuery): Promise<Resolved> {
  const unit = await db.selectFrom('unit').selectAll().where('code', '=', q.unit).executeTakeFirst();
  if (!unit) throw new AppError('unit_not_found');
  let period: Period;
  try {
    if (q.period) period = parsePeriod(q.period);
    else if (q.from && q.to && ISO.test(q.from) && ISO.test(q.to)) period = rangePeriod(q.from, q.to);
    else if (q.from || q.to) throw new AppError('invalid_date_range');
    else throw new AppError('period_required');
  } catch (e) {
    if (e instanceof PeriodError) throw new AppError(e.code === 'invalid_period' ? 'invalid_period' : 'invalid_date_range');
    throw e;
  }
  let procedure: Resolved['procedure'] = null;
  let procedureIds: number[] | null = null;
  if (q.procedure) {
    const p = await db.selectFrom('procedure').select(['id', 'code']).where('code', '=', q.procedure).executeTakeFirst();
    if (!p) throw new AppError('procedure_not_found');
    procedure = p;
    procedureIds = [p.id];
  }
  if (q.field) {
    const f = await db.selectFrom('field').select('code').where('code', '=', q.field).executeTakeFirst();
    if (!f) throw new AppError('field_not_found');
    const ids = (await db.selectFrom('procedure').select('id').where('field_code', '=', q.field).execute()).map((r) => r.id);
    procedureIds = procedureIds ? procedureIds.filter((id) => ids.includes(id)) : ids;
  }
  return {
    unit,
    subtree: q.subtree !== 'false',
    period,
    conv: q.convention === 'restart' ? 'r' : 's',
    procedure,
    field: q.field ?? null,
    procedureIds,
    channel: q.channel ? (Number(q.channel) as 1 | 2 | 3) : null,
  };
}

export function scopeOf(r: Resolved, childIds: number[] | null): Scope {
  const city = r.unit.level === 'city' && r.unit.parent_id === null;
  return {
    unitIds: r.subtree ? childIds : [r.unit.id],
    subtreePath: r.subtree && !city ? r.unit.path : null,
    procedureIds: r.procedureIds,
    channel: r.channel,
    from: r.period.from,
    to: r.period.to,
  };
}

/** The periodic report (DESIGN §4.5) of a unit, alone or with its subtree, with one row per child unit. */
export async function dossierReport(deps: ReportDeps, r: Resolved, now = new Date()): Promise<Report> {
  const units = r.subtree
    ? (await sql<UnitRow>`select * from unit where path <@ ${r.unit.path}::ltree order by path`.execute(deps.db)).rows
    : [r.unit];
  const measuredAt = measuringInstant(r.period.to, now);
  const sums = await sumFigures(deps, scopeOf(r, null), measuredAt);
  const root = new FigureAcc();
  // Each unit's counts go to the root and to the child of the root it sits under.
  const children = units.filter((u) => u.parent_id === r.unit.id);
  const childAcc = new Map(children.map((c) => [c.id, new FigureAcc()]));
  const depth = r.unit.path.split('.').length;
  const byPath = new Map(children.map((c) => [c.path, c.id]));
  for (const u of units) {
    root.add(sums, u.id, r.conv);
    if (u.id === r.unit.id) continue;
    const childPath = u.path
      .split('.')
      .slice(0, depth + 1)
      .join('.');
    childAcc.get(byPath.get(childPath)!)?.add(sums, u.id, r.conv);
  }
  return {
    unit: { code: r.unit.code, name: { vi: r.unit.name_vi, en: r.unit.name_en }, level: r.unit.level },
    subtree: r.subtree,
    period: { from: r.period.from, to: r.period.to, name: r.period.kind === 'range' ? null : r.period.name },
    convention: r.conv === 's' ? 'pause' : 'restart',
    filters: { procedure: r.procedure?.code ?? null, field: r.field, channel: r.channel },
    measuredAt: measuredAt.toISOString(),
    ...root.figures(r.conv),
    units: children.map((c) => ({
      code: c.code,
      name: { vi: c.name_vi, en: c.name_en },
      level: c.level,
      ...childAcc.get(c.id)!.figures(r.conv),
    })),
    procedures: [],
  };
}
