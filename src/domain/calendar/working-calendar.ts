/**
 * Working days (Mon-Fri, minus holidays and declared days off, plus declared working weekends),
 * answered from per-year arrays built once per year: a kind per day, the cumulative count of
 * working days and the list of working days. Counting N working days is then two array reads per
 * year crossed, whatever N is, which is what keeps the deadline benchmark fast.
 *
 * The string methods are the public API; the *Dn methods work on day numbers (days.ts) for the
 * deadline engine and other hot paths.
 */
import { CalendarError } from './errors.js';
import {
  MAX_YEAR,
  MIN_YEAR,
  checkDayInRange,
  dayFromCivil,
  formatIsoDate,
  isLeapYear,
  isoWeekday,
  parseIsoDate,
  parseSupportedDate,
} from './days.js';
import { validateYear, type Named, type YearCalendar } from './year.js';

export type YearSource = (year: number) => YearCalendar;

export type OffKind = 'weekend' | 'holiday' | 'day_off';

export interface OffReason {
  kind: OffKind;
  name: Named;
}

export const WEEKEND_NAMES: Readonly<Record<6 | 7, Named>> = {
  6: { vi: 'Thứ Bảy', en: 'Saturday' },
  7: { vi: 'Chủ nhật', en: 'Sunday' },
};

const WORKING = 0;
const KIND_CODES: readonly OffKind[] = ['weekend', 'weekend', 'holiday', 'day_off'];

interface YearData {
  calendar: YearCalendar;
  start: number;
  /** Per day of the year: 0 working, 1 weekend, 2 holiday, 3 day off. */
  kind: Uint8Array;
  /** cum[i] = working days among the first i days of the year. */
  cum: Int32Array;
  /** Day-of-year offsets of the working days, in order. */
  work: Int32Array;
  names: Map<number, Named>;
}

export class WorkingCalendar {
  private readonly years: (YearData | undefined)[] = [];

  constructor(private readonly source: YearSource) {}

  /** The validated calendar this instance uses for a year. */
  yearCalendar(year: number): YearCalendar {
    return this.yearData(year).calendar;
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDn(parseSupportedDate(date));
  }

  /** Why a day is not a working day, or null when it is one. */
  offReason(date: string): OffReason | null {
    return this.offReasonDn(parseSupportedDate(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return formatIsoDate(this.addWorkingDn(parseSupportedDate(date), 1));
  }

  /**
   * The n-th working day after `date` (before it when n < 0); `date` itself is never counted, as
   * in Civil Code Art. 147. n = 0 returns `date` unchanged.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new CalendarError('amount_out_of_range', 'n must be an integer');
    return formatIsoDate(this.addWorkingDn(parseSupportedDate(date), n));
  }

  /** Working days from `from` to `to`, both included, in order. */
  workingDaysBetween(from: string, to: string): string[] {
    const a = parseSupportedDate(from);
    const b = parseSupportedDate(to);
    const out: string[] = [];
    for (let d = this.firstWorkingOnOrAfterDn(a); d <= b; d = this.addWorkingDn(d, 1)) {
      out.push(formatIsoDate(d));
    }
    return out;
  }

  // ---- day-number API -------------------------------------------------------------------------

  isWorkingDn(dn: number): boolean {
    const y = this.yearData(yearOf(dn));
    return y.kind[dn - y.start] === WORKING;
  }

  offReasonDn(dn: number): OffReason | null {
    const y = this.yearData(yearOf(dn));
    const k = y.kind[dn - y.start] as number;
    if (k === WORKING) return null;
    const kind = KIND_CODES[k] as OffKind;
    const name = kind === 'weekend' ? WEEKEND_NAMES[isoWeekday(dn) as 6 | 7] : (y.names.get(dn) as Named);
    return { kind, name };
  }

  firstWorkingOnOrAfterDn(dn: number): number {
    return this.isWorkingDn(dn) ? dn : this.addWorkingDn(dn, 1);
  }

  /** See addWorkingDays. Throws year_out_of_range when the answer is past 2100 or before 1900. */
  addWorkingDn(dn: number, n: number): number {
    if (n === 0) return dn;
    let year = yearOf(dn);
    let y = this.yearData(year);
    const i = dn - y.start;
    if (n > 0) {
      // rank: 1-based position among the year's working days of the day we are looking for.
      let rank = (y.cum[i + 1] as number) + n;
      while (rank > y.work.length) {
        rank -= y.work.length;
        y = this.yearData(++year);
      }
      return y.start + (y.work[rank - 1] as number);
    }
    let rank = (y.cum[i] as number) + n + 1;
    while (rank < 1) {
      y = this.yearData(--year);
      rank += y.work.length;
    }
    return y.start + (y.work[rank - 1] as number);
  }

  /** Number of working days d with a <= d < b (0 when b <= a). */
  countWorkingDn(a: number, b: number): number {
    if (b <= a) return 0;
    // b may be the day after 31/12/2100 (an exclusive end), which belongs to no supported year.
    const last = b - 1;
    let year = yearOf(a);
    const lastYear = yearOf(last);
    let y = this.yearData(year);
    if (year === lastYear) return (y.cum[last - y.start + 1] as number) - (y.cum[a - y.start] as number);
    let total = y.work.length - (y.cum[a - y.start] as number);
    while (++year < lastYear) total += this.yearData(year).work.length;
    y = this.yearData(lastYear);
    return total + (y.cum[last - y.start + 1] as number);
  }

  private yearData(year: number): YearData {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new CalendarError('year_out_of_range', `only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
    }
    const idx = year - MIN_YEAR;
    let y = this.years[idx];
    if (!y) {
      y = buildYear(year, this.source(year));
      this.years[idx] = y;
    }
    return y;
  }
}

function buildYear(year: number, cal: YearCalendar): YearData {
  validateYear(cal);
  if (cal.year !== year) {
    throw new CalendarError('year_mismatch', `the source returned ${cal.year} when asked for ${year}`);
  }
  const start = dayFromCivil(year, 1, 1);
  const length = isLeapYear(year) ? 366 : 365;
  const kind = new Uint8Array(length);
  for (let i = 0; i < length; i++) kind[i] = isoWeekday(start + i) >= 6 ? 1 : WORKING;
  const names = new Map<number, Named>();
  for (const h of cal.holidays) {
    const dn = parseIsoDate(h.date);
    kind[dn - start] = 2;
    names.set(dn, h.name);
  }
  for (const d of cal.daysOff) {
    const dn = parseIsoDate(d.date);
    kind[dn - start] = 3;
    names.set(dn, d.name);
  }
  for (const w of cal.workingWeekends) kind[parseIsoDate(w) - start] = WORKING;
  const cum = new Int32Array(length + 1);
  const work: number[] = [];
  for (let i = 0; i < length; i++) {
    const isWorking = kind[i] === WORKING;
    if (isWorking) work.push(i);
    cum[i + 1] = (cum[i] as number) + (isWorking ? 1 : 0);
  }
  return { calendar: cal, start, kind, cum, work: Int32Array.from(work), names };
}

// Years are looked up for every call, so the year of a day number comes from a table.
const YEAR_OF = (() => {
  const first = dayFromCivil(MIN_YEAR, 1, 1);
  const t = new Int16Array(dayFromCivil(MAX_YEAR + 1, 1, 1) - first);
  for (let y = MIN_YEAR, d = 0; y <= MAX_YEAR; y++) {
    const n = isLeapYear(y) ? 366 : 365;
    t.fill(y, d, d + n);
    d += n;
  }
  return { first, t };
})();

function yearOf(dn: number): number {
  checkDayInRange(dn);
  return YEAR_OF.t[dn - YEAR_OF.first] as number;
}
