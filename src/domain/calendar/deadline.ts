/**
 * Due dates of dossiers and workflow steps (DESIGN §4.4; Civil Code 2015 Art. 147-148).
 *
 * - The day of receipt is not counted: N working days from a receipt on day D end at the close of
 *   office hours of the N-th working day after D. Amount 0 is a same-day procedure.
 * - A receipt after the cutoff (15:00) or on a non-working day counts as received at the next
 *   opening; see receiptPosition for before-opening and lunch-time receipts.
 * - hours: office time counted from that receipt position within the sessions.
 * - days: D + N calendar days, moved to the next working day if that is not one (Art. 148).
 * - months: the same day of the month N months after D, the month's last day when it has no such
 *   day, then moved to the next working day if needed.
 * - Pauses (supplement requested -> received): 'subtract' (national index, the default) adds the
 *   paused time back, for pauses begun before the deadline had passed; 'restart' (older rule)
 *   counts afresh from the end of the last pause, as if the dossier had been received then.
 */
import { CalendarError } from './errors.js';
import { MS_PER_HOUR, civilFromDay, dayFromCivil, daysInMonth, formatIsoDate, validTime, vnDayOf, vnInstantMs } from './days.js';
import { DEFAULT_OFFICE_HOURS, compileOfficeHours, type CompiledHours, type OfficeHours } from './office-hours.js';
import { advanceOffice, officeBetween, receiptPosition, scheduleOf, type Position } from './office-time.js';
import type { Named } from './year.js';
import type { WorkingCalendar } from './working-calendar.js';

export type TimeUnit = 'working_days' | 'hours' | 'days' | 'months';
export type PauseConvention = 'subtract' | 'restart';

/** Supplement requested (from) -> complete dossier received (to); to = null while still waiting. */
export interface Pause {
  from: Date;
  to: Date | null;
}

export interface DeadlineInput {
  receivedAt: Date;
  amount: number;
  unit: TimeUnit;
  calendar: WorkingCalendar;
  hours?: OfficeHours;
  pauses?: Pause[];
  convention?: PauseConvention;
  /**
   * Only used for an open pause, which is then taken to end at `now`: the result is the due date
   * if the supplement arrived now (marked provisional). Without `now` an open pause is an error,
   * because a stopped clock has no due date.
   */
  now?: Date;
}

export type SkippedKind = 'weekend' | 'holiday' | 'day_off' | 'pause';

export interface SkippedDay {
  date: string;
  kind: SkippedKind;
  reason: Named;
}

export interface DeadlineResult {
  dueAt: Date;
  /** The instant counting started: the receipt, moved to the next opening where the rules say so. */
  countFrom: Date;
  /**
   * Every day from the receipt day to the due day that did not count, with its reason. Computed on
   * first read, because most callers only store dueAt.
   */
  skipped: SkippedDay[];
  /** 'subtract' with a day-based unit: working days inside the pauses. */
  pausedWorkingDays?: number;
  /** 'subtract' with 'days' or 'months': calendar days inside the pauses, by which the end moved. */
  pausedCalendarDays?: number;
  /** 'subtract' with 'hours': office minutes inside the pauses. */
  pausedOfficeMinutes?: number;
  /** True when an open pause was closed at `now`. */
  provisional?: boolean;
}

export type Classification = 'early' | 'on_time' | 'late';

/** Ten years' worth of each unit. */
export const MAX_AMOUNT: Readonly<Record<TimeUnit, number>> = Object.freeze({
  working_days: 2600,
  hours: 87600,
  days: 3653,
  months: 120,
});

export const PAUSE_REASON: Named = Object.freeze({
  vi: 'Tạm dừng tính thời hạn, chờ bổ sung hồ sơ',
  en: 'Clock stopped awaiting a supplement',
});

/** [from, to): day numbers, or instants in ms. */
interface DayRange {
  from: number;
  to: number;
}

export function computeDue(input: DeadlineInput): DeadlineResult {
  const { calendar: cal, amount, unit } = input;
  if (typeof unit !== 'string' || !Object.hasOwn(MAX_AMOUNT, unit)) {
    throw new CalendarError('unknown_time_unit', `unknown time unit: ${String(unit)}`);
  }
  if (!Number.isInteger(amount) || amount < 0 || amount > MAX_AMOUNT[unit]) {
    throw new CalendarError('amount_out_of_range', `amount must be an integer 0..${MAX_AMOUNT[unit]} ${unit}`);
  }
  const convention = input.convention ?? 'subtract';
  if (convention !== 'subtract' && convention !== 'restart') {
    throw new CalendarError('unknown_convention', `unknown pause convention: ${String(convention)}`);
  }
  const hours = compileOfficeHours(input.hours ?? DEFAULT_OFFICE_HOURS);
  let receivedMs = validTime(input.receivedAt);
  const pauses = input.pauses && input.pauses.length > 0 ? closePauses(input.pauses, input.now) : null;

  if (pauses && convention === 'restart') {
    // The complete dossier is the receipt; pauses that ended before the receipt change nothing.
    for (const p of pauses) if (p.to > receivedMs) receivedMs = p.to;
  }
  const start = receiptPosition(cal, hours, receivedMs);
  let pauseDays: DayRange[] = NO_RANGES;
  let pausedWorkingDays: number | undefined;
  let pausedCalendarDays: number | undefined;
  let pausedOfficeMinutes: number | undefined;
  let due: Position;

  const subtract = pauses !== null && convention === 'subtract';

  // 'subtract' runs the clock: each pause, in order, counts only if it began while the clock was
  // still running (on or before the due date as extended by the earlier pauses).
  if (unit === 'hours') {
    const base = amount * MS_PER_HOUR;
    due = advanceOffice(cal, hours, start, base);
    if (subtract) {
      let paused = 0;
      const counted: DayRange[] = [];
      for (const r of mergeMs(pauses, vnInstantMs(start.day, start.tod))) {
        if (r.from > vnInstantMs(due.day, due.tod)) break;
        paused += officeBetween(cal, hours, r.from, r.to);
        counted.push(r);
        due = advanceOffice(cal, hours, start, base + paused);
      }
      pausedOfficeMinutes = Math.round(paused / 60_000);
      pauseDays = dayRanges(cal, hours, counted, start.day);
    }
  } else {
    // Working days count from day 0; calendar days and months give an end day that is then
    // moved to a working day.
    const byWorking = unit === 'working_days';
    const base = byWorking ? start.day : unit === 'days' ? start.day + amount : addMonthsDn(start.day, amount);
    let day = byWorking ? cal.addWorkingDn(base, amount) : cal.firstWorkingOnOrAfterDn(base);
    if (subtract) {
      let pausedWorking = 0;
      let pausedCalendar = 0;
      pauseDays = [];
      for (const r of dayRanges(cal, hours, pauses, start.day)) {
        if (r.from > day) break;
        pausedWorking += cal.countWorkingDn(r.from, r.to);
        pausedCalendar += r.to - r.from;
        pauseDays.push(r);
        day = byWorking ? cal.addWorkingDn(base, amount + pausedWorking) : cal.firstWorkingOnOrAfterDn(base + pausedCalendar);
      }
      pausedWorkingDays = pausedWorking;
      if (!byWorking) pausedCalendarDays = pausedCalendar;
    }
    due = { day, tod: scheduleOf(hours, day).close };
  }
  const result = new Result(
    new Date(vnInstantMs(due.day, due.tod)),
    new Date(vnInstantMs(start.day, start.tod)),
    cal,
    Math.min(vnDayOf(receivedMs), start.day),
    pauseDays,
  );
  if (pausedWorkingDays !== undefined) result.pausedWorkingDays = pausedWorkingDays;
  if (pausedCalendarDays !== undefined) result.pausedCalendarDays = pausedCalendarDays;
  if (pausedOfficeMinutes !== undefined) result.pausedOfficeMinutes = pausedOfficeMinutes;
  if (pauses?.some((p) => p.provisional)) result.provisional = true;
  return result;
}

/**
 * The explanation is built on first read of `skipped`: most callers only store dueAt, and building
 * it costs several times the computation itself. A prototype getter (rather than one per object)
 * keeps results cheap to create; toJSON puts `skipped` into JSON like any other field.
 */
class Result implements DeadlineResult {
  // Declared only: the optional fields exist on a result only when they apply.
  declare pausedWorkingDays?: number;
  declare pausedCalendarDays?: number;
  declare pausedOfficeMinutes?: number;
  declare provisional?: boolean;
  readonly #calendar: WorkingCalendar;
  readonly #firstDay: number;
  readonly #pauses: DayRange[];
  #skipped: SkippedDay[] | undefined;

  constructor(
    public readonly dueAt: Date,
    public readonly countFrom: Date,
    calendar: WorkingCalendar,
    firstDay: number,
    pauses: DayRange[],
  ) {
    this.#calendar = calendar;
    this.#firstDay = firstDay;
    this.#pauses = pauses;
  }

  get skipped(): SkippedDay[] {
    this.#skipped ??= explain(this.#calendar, this.#firstDay, vnDayOf(this.dueAt.getTime()), this.#pauses);
    return this.#skipped;
  }

  toJSON(): Omit<DeadlineResult, 'dueAt' | 'countFrom'> & { dueAt: string; countFrom: string } {
    return { ...this, dueAt: this.dueAt.toISOString(), countFrom: this.countFrom.toISOString(), skipped: this.skipped };
  }
}

const NO_RANGES: DayRange[] = [];

interface ClosedPause {
  from: number;
  to: number;
  provisional: boolean;
}

function closePauses(pauses: Pause[], now: Date | undefined): ClosedPause[] {
  if (!Array.isArray(pauses)) throw new CalendarError('invalid_pause', 'pauses must be a list');
  let open = 0;
  return pauses.map((p) => {
    const from = validTime(p?.from);
    let to: number;
    let provisional = false;
    if (p.to === null || p.to === undefined) {
      if (++open > 1) throw new CalendarError('invalid_pause', 'only one pause can be open');
      if (now === undefined) {
        throw new CalendarError('open_pause', 'the clock is stopped: pass `now` to get a provisional due date');
      }
      to = validTime(now);
      provisional = true;
    } else {
      to = validTime(p.to);
    }
    if (to < from) throw new CalendarError('invalid_pause', 'a pause cannot end before it starts');
    return { from, to, provisional };
  });
}

/** Pause intervals clipped to start at `startMs`, sorted and merged so overlaps count once. */
function mergeMs(pauses: readonly ClosedPause[], startMs: number): DayRange[] {
  const xs = pauses
    .map((p) => ({ from: Math.max(p.from, startMs), to: p.to }))
    .filter((r) => r.to > r.from)
    .sort((a, b) => a.from - b.from);
  return mergeSorted(xs);
}

/**
 * Days the clock stood still: a pause covers the days from its start to the day its end counts
 * from, the same receipt rule applied to both ends (a supplement received after 15:00 counts from
 * the next working day). A pause requested and answered within the same counted day covers none.
 */
function dayRanges(cal: WorkingCalendar, hours: CompiledHours, pauses: readonly DayRange[], firstDay: number): DayRange[] {
  const xs = pauses
    .map((p) => ({
      from: Math.max(receiptPosition(cal, hours, p.from).day, firstDay),
      to: receiptPosition(cal, hours, p.to).day,
    }))
    .filter((r) => r.to > r.from)
    .sort((a, b) => a.from - b.from);
  return mergeSorted(xs);
}

function mergeSorted(xs: DayRange[]): DayRange[] {
  const out: DayRange[] = [];
  for (const r of xs) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export function addMonthsDn(dn: number, n: number): number {
  const [y, m, d] = civilFromDay(dn);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return dayFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

function explain(cal: WorkingCalendar, from: number, to: number, pauses: DayRange[]): SkippedDay[] {
  const out: SkippedDay[] = [];
  let p = 0;
  for (let d = from; d <= to; d++) {
    while (p < pauses.length && (pauses[p] as DayRange).to <= d) p++;
    const r = pauses[p];
    const off = cal.offReasonDn(d);
    if (off) out.push({ date: formatIsoDate(d), kind: off.kind, reason: off.name });
    else if (r && d >= r.from) out.push({ date: formatIsoDate(d), kind: 'pause', reason: PAUSE_REASON });
  }
  return out;
}

/**
 * early: finished on a day before the due day; on_time: on the due day (any time of that
 * Vietnam-time day); late: after it. With a calendar, a finish (or an appointment) on a
 * non-working day counts on the next working day, when the result can first be handed over.
 */
export function classify(finishedAt: Date, dueAt: Date, calendar?: WorkingCalendar): Classification {
  let f = vnDayOf(validTime(finishedAt));
  let d = vnDayOf(validTime(dueAt));
  if (calendar) {
    f = calendar.firstWorkingOnOrAfterDn(f);
    d = calendar.firstWorkingOnOrAfterDn(d);
  }
  return f < d ? 'early' : f === d ? 'on_time' : 'late';
}

export interface Allowance {
  amount: number;
  unit: TimeUnit;
}

/** A workflow step against its allowance, with the same receipt and counting rules as a dossier. */
export function classifyStep(
  startedAt: Date,
  finishedAt: Date,
  allowance: Allowance,
  calendar: WorkingCalendar,
  hours?: OfficeHours,
): Classification {
  const { dueAt } = computeDue({ receivedAt: startedAt, amount: allowance.amount, unit: allowance.unit, calendar, hours });
  return classify(finishedAt, dueAt, calendar);
}
