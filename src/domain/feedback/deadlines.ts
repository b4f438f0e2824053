// Deadlines of a feedback item (phản ánh, kiến nghị; DESIGN §4.6), in working days of the unit's
// calendar and office hours, counted by the same engine as dossiers. Pure; no I/O.
import { computeDue, type OfficeHours, type Pause, type WorkingCalendar } from '../calendar/index.js';

/** Working days allowed for each step, from the receipt (reject, ask, answer) or the approval (publish). */
export const FEEDBACK_WORKING_DAYS = Object.freeze({ reject: 2, requestInfo: 5, answer: 15, publish: 2 });

export interface FeedbackClock {
  calendar: WorkingCalendar;
  hours?: OfficeHours;
}

export interface ReceiptDeadlines {
  rejectBy: Date;
  requestInfoBy: Date;
  answerBy: Date;
}

const due = (clock: FeedbackClock, from: Date, amount: number, pauses?: Pause[]) =>
  computeDue({ receivedAt: from, amount, unit: 'working_days', calendar: clock.calendar, hours: clock.hours, pauses }).dueAt;

/** The three deadlines that start when the item is received. */
export function receiptDeadlines(receivedAt: Date, clock: FeedbackClock): ReceiptDeadlines {
  return {
    rejectBy: due(clock, receivedAt, FEEDBACK_WORKING_DAYS.reject),
    requestInfoBy: due(clock, receivedAt, FEEDBACK_WORKING_DAYS.requestInfo),
    answerBy: due(clock, receivedAt, FEEDBACK_WORKING_DAYS.answer),
  };
}

/**
 * The answer deadline counted from `from` (the receipt, or the reopening), with the time spent
 * waiting for the author's further information taken out, as for a dossier awaiting a supplement.
 */
export function answerBy(from: Date, clock: FeedbackClock, waits: Pause[] = []): Date {
  return due(clock, from, FEEDBACK_WORKING_DAYS.answer, waits.length ? waits : undefined);
}

/** The answer must be public within 2 working days of the leader's approval. */
export function publishBy(approvedAt: Date, clock: FeedbackClock): Date {
  return due(clock, approvedAt, FEEDBACK_WORKING_DAYS.publish);
}

/** On time means at or before the deadline instant (a deadline is the end of its working day). */
export function onTime(at: Date, deadline: Date): boolean {
  return at.getTime() <= deadline.getTime();
}
