import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/types.js';
import { classify } from '../../domain/calendar/index.js';
import { appointments } from '../../domain/stats/contribution.js';
import { addDays, rangePeriod, PeriodError } from '../../domain/stats/periods.js';
import { AppError } from '../../lib/errors.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { officeHoursByUnit, selectFacts, toFacts } from './stats.facts.js';
import { resolveQuery, type ReportDeps } from './stats.report.js';
import type { DossierListItem, DossierListQuery, Figure, ListClass } from './stats.schema.js';
import { measuringInstant } from './stats.sums.js';

/** Beyond this many candidates a drill-down asks for a narrower filter rather than scanning on. */
export const MAX_CANDIDATES = 50_000;

const ROLES = ['desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin'] as const;
const vnStart = (iso: string) => new Date(`${iso}T00:00:00+07:00`);

/** The candidate rows of a figure, in SQL; the classification that needs the calendar is done after. */
function candidates(figure: Figure | null, F: Date, E: Date, M: Date): RawBuilder<unknown> {
  switch (figure?.split('.')[0] === 'received' && figure !== 'received.carriedOver' ? 'received' : figure) {
    case null:
      return sql`true`;
    case 'received':
      return sql`d.received_at >= ${F} and d.received_at < ${E}`;
    case 'received.carriedOver':
      return sql`d.received_at < ${F} and (d.finished_at is null or d.finished_at >= ${F})`;
    case 'finished':
    case 'finished.early':
    case 'finished.onTime':
    case 'finished.late':
      return sql`d.received_at is not null and d.status in (9, 10) and d.finished_at >= ${F} and d.finished_at < ${E}`;
    case 'stopped':
      return sql`d.received_at is not null and d.status in (3, 8) and d.finished_at >= ${F} and d.finished_at < ${E}`;
    case 'refusedAtReception':
      return sql`d.received_at is null and d.status = 3 and d.finished_at >= ${F} and d.finished_at < ${E}`;
    default:
      // In progress at the measuring instant.
      return sql`d.received_at < ${E} and (d.finished_at is null or d.finished_at >= ${M})`;
  }
}

const WANT: Partial<Record<Figure, ListClass[]>> = {
  'finished.early': ['early'],
  'finished.onTime': ['on_time'],
  'finished.late': ['late'],
  'inProgress.withinDeadline': ['in_progress'],
  'inProgress.overdue': ['overdue'],
};

/**
 * The dossiers behind a figure of the report (or all received in a range), each with its national
 * status and classification under the chosen convention; officials only, within their units.
 */
export async function listDossiers(deps: ReportDeps, actor: Actor, q: DossierListQuery, now = new Date()) {
  const hasPeriod = !!(q.period || q.from || q.to);
  if (q.figure && !hasPeriod) throw new AppError('period_required');
  if (!q.figure && !(q.receivedFrom && q.receivedTo) && !hasPeriod) throw new AppError('period_required');
  const r = await resolveQuery(deps.db, {
    unit: q.unit,
    subtree: q.subtree,
    convention: q.convention,
    procedure: q.procedure,
    field: q.field,
    channel: q.channel,
    ...(hasPeriod ? { period: q.period, from: q.from, to: q.to } : { from: q.receivedFrom, to: q.receivedTo }),
  });
  assertUnitScope(actor, r.unit.path, ROLES);
  let received: { from: string; to: string } | null = null;
  if (q.receivedFrom || q.receivedTo) {
    try {
      received = rangePeriod(q.receivedFrom ?? '', q.receivedTo ?? '');
    } catch (e) {
      if (e instanceof PeriodError) throw new AppError('invalid_date_range');
      throw e;
    }
  }
  const F = vnStart(r.period.from);
  const E = vnStart(addDays(r.period.to, 1));
  const M = measuringInstant(r.period.to, now);
  const figure = q.figure ?? null;
  const where = sql`${r.subtree ? sql`d.unit_id in (select id from unit where path <@ ${r.unit.path}::ltree)` : sql`d.unit_id = ${r.unit.id}`}
    and ${figure ? candidates(figure, F, E, M) : sql`true`}
    and ${received ? sql`d.received_at >= ${vnStart(received.from)} and d.received_at < ${vnStart(addDays(received.to, 1))}` : sql`true`}
    and ${r.procedureIds ? sql`d.procedure_id in (${sql.join([...r.procedureIds, -1])})` : sql`true`}
    and ${r.channel ? sql`d.channel = ${r.channel}` : sql`true`}
    and ${figure === 'received.online' ? sql`d.channel = 2` : figure === 'received.inPerson' ? sql`d.channel = 1` : figure === 'received.post' ? sql`d.channel = 3` : sql`true`}`;
  const { rows } = await selectFacts(deps.db, where, sql`order by d.received_at nulls last, d.id limit ${MAX_CANDIDATES + 1}`);
  if (rows.length > MAX_CANDIDATES) throw new AppError('too_many_dossiers');
  const cal = await deps.calendar();
  const hours = await officeHoursByUnit(deps.db);
  const codes = await lookups(deps.db);
  const conv = r.conv;
  const items: DossierListItem[] = [];
  for (const row of rows) {
    const f = toFacts(row, hours);
    let c: ListClass;
    if (!f.receivedAt) c = f.status === 3 ? 'refused' : 'not_received';
    else if (f.finishedAt && f.finishedAt < M) {
      const a = appointments(f, cal, deps.convention)[conv];
      if (row.status === 9 || row.status === 10) c = a ? classify(f.finishedAt, a, cal) : 'on_time';
      else c = f.withdrawn ? 'withdrawn' : 'stopped';
    } else {
      const a = appointments({ ...f, finishedAt: null }, cal, deps.convention, M)[conv];
      c = a && a < M ? 'overdue' : 'in_progress';
    }
    const want = figure ? WANT[figure] : undefined;
    if (want && !want.includes(c)) continue;
    items.push({
      id: row.id,
      code: row.code ?? '',
      unit: codes.unit.get(row.unit_id) ?? '',
      procedure: codes.procedure.get(row.procedure_id) ?? '',
      channel: row.channel,
      receivedAt: row.received_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      finishedAt: row.finished_at?.toISOString() ?? null,
      returnedAt: row.returned_at?.toISOString() ?? null,
      status: row.status ?? 0,
      classification: c,
    });
  }
  const pageSize = q.pageSize ?? 100;
  const page = q.page ?? 1;
  return {
    unit: r.unit.code,
    period: { from: r.period.from, to: r.period.to },
    figure,
    convention: conv === 's' ? 'pause' : 'restart',
    total: items.length,
    page,
    pageSize,
    items: items.slice((page - 1) * pageSize, page * pageSize),
  };
}

async function lookups(db: Kysely<DB>) {
  const units = await db.selectFrom('unit').select(['id', 'code']).execute();
  const procs = await db.selectFrom('procedure').select(['id', 'code']).execute();
  return {
    unit: new Map(units.map((u) => [u.id, u.code])),
    procedure: new Map(procs.map((p) => [p.id, p.code])),
  };
}
