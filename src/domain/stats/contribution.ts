/**
 * What one dossier contributes to statistics (docs/metrics.md): a few counters, each on one
 * Vietnamese civil day. The roll-up job, the live tail of a report and `npm run stats:check` all
 * call this one function, so the three can never disagree on a definition.
 */
import { classify, computeDue, type Classification, type Pause, type PauseConvention, type TimeUnit } from '../calendar/deadline.js';
import { vnDayOf } from '../calendar/days.js';
import { compileOfficeHours, DEFAULT_OFFICE_HOURS, type OfficeHours } from '../calendar/office-hours.js';
import { officeBetween } from '../calendar/office-time.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Measures } from './measures.js';

export interface DossierFacts {
  receivedAt: Date | null;
  finishedAt: Date | null;
  status: number | null;
  outcome: 'approved' | 'rejected' | null;
  /** Ended by an accepted withdrawal (rather than stopped by the authority). */
  withdrawn: boolean;
  dueAt: Date | null;
  /** The appointment before an apology (form 04); statistics keep it. */
  originalDueAt: Date | null;
  pauses: Pause[];
  timeLimit: { amount: number; unit: TimeUnit } | null;
  hours?: OfficeHours | null;
  electronicResult: boolean;
  digitised: boolean;
  withFee: boolean;
  paidOnline: boolean;
}

/** How far a dossier's facts have been counted: 0 nothing, 1 its reception, 2 its end too. */
export type StatLevel = 0 | 1 | 2;

export interface DayDelta {
  day: number;
  m: Partial<Measures>;
}

export const wantedLevel = (f: Pick<DossierFacts, 'receivedAt' | 'finishedAt'>): StatLevel => (f.finishedAt ? 2 : f.receivedAt ? 1 : 0);

/** The appointments under both conventions; the stored one is what the applicant was told. */
export function appointments(
  f: DossierFacts,
  cal: WorkingCalendar,
  configured: PauseConvention,
  now: Date | null = f.finishedAt,
): { s: Date | null; r: Date | null } {
  if (!f.timeLimit || !f.receivedAt) return { s: null, r: null };
  const stored = f.originalDueAt ?? f.dueAt;
  const open = f.pauses.some((p) => p.to === null);
  const recompute = (convention: PauseConvention) =>
    computeDue({
      receivedAt: f.receivedAt!,
      amount: f.timeLimit!.amount,
      unit: f.timeLimit!.unit,
      calendar: cal,
      hours: f.hours ?? DEFAULT_OFFICE_HOURS,
      pauses: f.pauses,
      convention,
      now: now ?? undefined,
    }).dueAt;
  if (f.pauses.length === 0) return { s: stored, r: stored };
  // An open pause has not moved the stored appointment yet: the clock is stopped until `now`.
  const s = configured === 'subtract' && !open && stored ? stored : recompute('subtract');
  const r = configured === 'restart' && !open && stored ? stored : recompute('restart');
  return { s, r };
}

const CLASS_COLUMN = {
  s: { early: 'fin_early_s', on_time: 'fin_on_time_s', late: 'fin_late_s' },
  r: { early: 'fin_early_r', on_time: 'fin_on_time_r', late: 'fin_late_r' },
} as const;

/**
 * The counters from level `from` (exclusive) up to level `to` (inclusive): reception at level 1,
 * the end at level 2. The job adds contribution(f, state, wanted) and moves the state forward.
 */
export function contribution(
  f: DossierFacts,
  cal: WorkingCalendar,
  configured: PauseConvention,
  from: StatLevel,
  to: StatLevel,
): DayDelta[] {
  const out: DayDelta[] = [];
  const received = f.receivedAt ? vnDayOf(f.receivedAt.getTime()) : null;
  if (from < 1 && to >= 1 && received !== null) out.push({ day: received, m: { received: 1 } });
  if (from >= 2 || to < 2 || !f.finishedAt) return out;
  // A dossier that ends before its counted reception (received after hours, ended at once) ends that day.
  const end = Math.max(vnDayOf(f.finishedAt.getTime()), received ?? -Infinity);
  if (received === null) {
    if (f.status === 3) out.push({ day: end, m: { refused_rec: 1 } });
    return out;
  }
  const m: Partial<Measures> = {};
  const appt = appointments(f, cal, configured);
  const processed = f.status === 9 || f.status === 10;
  if (processed) {
    for (const conv of ['s', 'r'] as const) {
      const a = appt[conv];
      const c: Classification = a ? classify(f.finishedAt, a, cal) : 'on_time';
      m[CLASS_COLUMN[conv][c]] = 1;
    }
    if (f.outcome === 'rejected') m.fin_rejected = 1;
    if (f.electronicResult) m.elec_result = 1;
    if (f.digitised) m.digitised = 1;
    if (f.timeLimit) {
      m.time_n = 1;
      m.time_sum_s = elapsed(f, cal, 's');
      m.time_sum_r = elapsed(f, cal, 'r');
    }
  } else if (f.withdrawn) m.withdrawn = 1;
  else m.stopped = 1;
  if (f.withFee) m.with_fee = 1;
  if (f.paidOnline) m.paid_online = 1;
  out.push({ day: end, m });
  // Overdue from the appointment's day until the end's day, under each convention.
  for (const conv of ['s', 'r'] as const) {
    const a = appt[conv];
    if (!a) continue;
    const due = vnDayOf(a.getTime());
    if (due >= end) continue;
    out.push({ day: due, m: { [conv === 's' ? 'od_start_s' : 'od_start_r']: 1 } });
    out.push({ day: end, m: { [conv === 's' ? 'od_end_s' : 'od_end_r']: 1 } });
  }
  return out;
}

/**
 * Time from reception to the end in the procedure's own unit, waits subtracted ('s') or counted
 * from the end of the last wait ('r'). Working days: working days after the day of reception up to
 * the day of the end, as the deadline counts them.
 */
export function elapsed(f: DossierFacts, cal: WorkingCalendar, conv: 's' | 'r'): number {
  const start0 = f.receivedAt!.getTime();
  const endMs = f.finishedAt!.getTime();
  const closed = f.pauses.map((p) => ({ from: p.from.getTime(), to: Math.min(p.to?.getTime() ?? endMs, endMs) }));
  let start = start0;
  let waits = closed;
  if (conv === 'r') {
    for (const p of closed) if (p.to > start) start = p.to;
    waits = [];
  }
  waits = waits.filter((p) => p.to > p.from && p.from >= start0);
  const unit = f.timeLimit!.unit;
  let value: number;
  if (unit === 'hours') {
    const hours = compileOfficeHours(f.hours ?? DEFAULT_OFFICE_HOURS);
    value = officeBetween(cal, hours, start, endMs) - waits.reduce((s, p) => s + officeBetween(cal, hours, p.from, p.to), 0);
    value /= 3_600_000;
  } else {
    const d = (ms: number) => vnDayOf(ms);
    if (unit === 'working_days') {
      value =
        cal.countWorkingDn(d(start) + 1, d(endMs) + 1) - waits.reduce((s, p) => s + cal.countWorkingDn(d(p.from) + 1, d(p.to) + 1), 0);
    } else {
      value = d(endMs) - d(start) - waits.reduce((s, p) => s + (d(p.to) - d(p.from)), 0);
      if (unit === 'months') value /= 30;
    }
  }
  return Math.max(0, Math.round(value * 100) / 100);
}
