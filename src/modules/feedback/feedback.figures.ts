// Timeliness of feedback per unit (DESIGN §4.6; Decision 766 indicators 5.x): what the statistics
// pages, the index and the units' public pages read. Counted from the event log, so a period's
// figures do not change when items move on later.
import { sql, type Kysely } from 'kysely';
import type { DB, FeedbackKind } from '../../db/types.js';
import { PeriodError, rangePeriod } from '../../domain/stats/periods.js';
import { AppError } from '../../lib/errors.js';
import { rate } from '../stats/stats.report.js';

export interface FeedbackCounts {
  /** Submitted to the unit, or transferred to it, in the period. */
  received: number;
  byKind: Record<FeedbackKind, number>;
  /** Answers approved (and so published) in the period, a reopened item's second answer included. */
  answered: number;
  /** ... of which approved by the answer deadline (15 working days, waits for the author excluded). */
  answeredOnTime: number;
  late: number;
  /** Items open now whose answer deadline has passed (not bound to the period; waiting for the author excluded). */
  openOverdue: number;
  rejected: number;
  reopened: number;
  /** Answers the author rated "not satisfied" in the period. */
  notSatisfied: number;
  /** answeredOnTime / answered in percent (2 decimals); null without answers. */
  onTimeRate: number | null;
}

export interface UnitFeedbackFigures extends FeedbackCounts {
  code: string;
  name: { vi: string; en: string };
}

export interface FeedbackFiguresQuery {
  /** ltree path of the unit: the figures cover it and every unit below it. */
  unitPath: string;
  /** First and last day of the period, YYYY-MM-DD in Vietnam time, both included. */
  from: string;
  to: string;
  now?: Date;
}

const VN_MIDNIGHT = (day: string) => new Date(`${day}T00:00:00+07:00`);

const zero = (): FeedbackCounts => ({
  received: 0,
  byKind: { question: 0, regulation: 0, conduct: 0 },
  answered: 0,
  answeredOnTime: 0,
  late: 0,
  openOverdue: 0,
  rejected: 0,
  reopened: 0,
  notSatisfied: 0,
  onTimeRate: null,
});

/**
 * Per unit in the subtree (units without any feedback left out) and the total. Each figure is
 * attributed to the unit that held the item when the event happened.
 */
export async function feedbackFigures(
  db: Kysely<DB>,
  q: FeedbackFiguresQuery,
): Promise<{ units: UnitFeedbackFigures[]; total: FeedbackCounts }> {
  try {
    rangePeriod(q.from, q.to);
  } catch (e) {
    if (e instanceof PeriodError) throw new AppError('invalid_date_range');
    throw e;
  }
  const from = VN_MIDNIGHT(q.from);
  const to = new Date(VN_MIDNIGHT(q.to).getTime() + 86_400_000);
  const now = q.now ?? new Date();
  const events = await sql<{
    unit_id: number;
    received: number;
    question: number;
    regulation: number;
    conduct: number;
    answered: number;
    on_time: number;
    rejected: number;
    reopened: number;
    not_satisfied: number;
  }>`
    select e.unit_id,
      count(*) filter (where e.action in ('submit', 'transfer'))::int as received,
      count(*) filter (where e.action in ('submit', 'transfer') and f.kind = 'question')::int as question,
      count(*) filter (where e.action in ('submit', 'transfer') and f.kind = 'regulation')::int as regulation,
      count(*) filter (where e.action in ('submit', 'transfer') and f.kind = 'conduct')::int as conduct,
      count(*) filter (where e.action = 'approve')::int as answered,
      count(*) filter (where e.action = 'approve' and e.data->>'onTime' = 'true')::int as on_time,
      count(*) filter (where e.action = 'reject')::int as rejected,
      count(*) filter (where e.action = 'reopen')::int as reopened,
      count(*) filter (where e.action = 'rate' and e.note = 'not_satisfied')::int as not_satisfied
    from feedback_event e
      join feedback f on f.id = e.feedback_id
      join unit u on u.id = e.unit_id
    where u.path <@ ${q.unitPath}::ltree and e.at >= ${from} and e.at < ${to}
    group by e.unit_id`.execute(db);
  const overdue = await sql<{ unit_id: number; n: number }>`
    select f.unit_id, count(*)::int as n
    from feedback f join unit u on u.id = f.unit_id
    where u.path <@ ${q.unitPath}::ltree and f.status in ('received', 'answering', 'awaiting_approval') and f.answer_by < ${now}
    group by f.unit_id`.execute(db);
  const byUnit = new Map<number, FeedbackCounts>();
  const get = (id: number) => byUnit.get(id) ?? byUnit.set(id, zero()).get(id)!;
  for (const r of events.rows) {
    const c = get(r.unit_id);
    c.received = r.received;
    c.byKind = { question: r.question, regulation: r.regulation, conduct: r.conduct };
    c.answered = r.answered;
    c.answeredOnTime = r.on_time;
    c.late = r.answered - r.on_time;
    c.rejected = r.rejected;
    c.reopened = r.reopened;
    c.notSatisfied = r.not_satisfied;
  }
  for (const r of overdue.rows) get(r.unit_id).openOverdue = r.n;
  const ids = [...byUnit.keys()];
  const names = ids.length ? await db.selectFrom('unit').select(['id', 'code', 'name_vi', 'name_en']).where('id', 'in', ids).execute() : [];
  const total = zero();
  const units = names
    .map((u) => {
      const c = byUnit.get(u.id)!;
      c.onTimeRate = rate(c.answeredOnTime, c.answered);
      for (const k of ['received', 'answered', 'answeredOnTime', 'late', 'openOverdue', 'rejected', 'reopened', 'notSatisfied'] as const)
        total[k] += c[k];
      for (const k of Object.keys(total.byKind) as FeedbackKind[]) total.byKind[k] += c.byKind[k];
      return { code: u.code, name: { vi: u.name_vi, en: u.name_en }, ...c };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  total.onTimeRate = rate(total.answeredOnTime, total.answered);
  return { units, total };
}
