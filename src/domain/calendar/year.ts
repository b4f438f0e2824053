/**
 * Yearly holiday calendars as data, and the rule-based proposal for a year.
 *
 * The Labour Code fixes which holidays exist, but the exact Tết days, the second National Day and
 * the Saturday swaps are decided by the government each year, so a year's calendar is admin data.
 * proposeYear() only drafts it; publishedYears.ts holds the years actually decided.
 */
import { CalendarError } from './errors.js';
import { MAX_YEAR, MIN_YEAR, civilFromDay, dayFromCivil, formatIsoDate, isoWeekday, parseIsoDate } from './days.js';
import { dayOfLunar, lunarNewYearDay, lunarOfDay } from './lunar.js';

export interface Named {
  vi: string;
  en: string;
}

export interface DayEntry {
  /** YYYY-MM-DD */
  date: string;
  name: Named;
}

export interface YearCalendar {
  year: number;
  /** Statutory public holidays (Labour Code 2019 Art. 112), even when they fall on a weekend. */
  holidays: DayEntry[];
  /** Extra days off granted: compensation days in lieu and bridge days of a swap. */
  daysOff: DayEntry[];
  /** Saturdays or Sundays declared working days (the other half of a swap). YYYY-MM-DD. */
  workingWeekends: string[];
}

export const NAMES = {
  newYear: { vi: 'Tết Dương lịch', en: "New Year's Day" },
  tet: { vi: 'Tết Nguyên đán', en: 'Lunar New Year (Tết)' },
  hungKings: { vi: 'Giỗ Tổ Hùng Vương', en: "Hùng Kings' Commemoration Day" },
  victory: { vi: 'Ngày Chiến thắng', en: 'Reunification Day' },
  labour: { vi: 'Ngày Quốc tế Lao động', en: 'International Labour Day' },
  nationalDay: { vi: 'Quốc khánh', en: 'National Day' },
  nationalDay2: { vi: 'Quốc khánh (ngày liền kề)', en: 'National Day (adjacent day)' },
  compensation: { vi: 'Nghỉ bù', en: 'Compensatory day off' },
  swap: { vi: 'Nghỉ hoán đổi ngày làm việc', en: 'Day off swapped with a working weekend' },
} as const satisfies Record<string, Named>;

function compensationName(of: Named): Named {
  return { vi: `${NAMES.compensation.vi} ${of.vi}`, en: `${NAMES.compensation.en} for ${of.en}` };
}

function isWeekendDay(dn: number): boolean {
  return isoWeekday(dn) >= 6;
}

function checkYearNumber(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError('year_out_of_range', `only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
  }
}

/** Name of a Tết day: the eve is the last day of lunar month 12, the others are mùng 1..4. */
function tetDayName(dn: number): Named {
  const l = lunarOfDay(dn);
  if (l.month === 1) {
    return { vi: `${NAMES.tet.vi} (mùng ${l.day} Tết)`, en: `${NAMES.tet.en}, day ${l.day}` };
  }
  return { vi: `${NAMES.tet.vi} (${l.day} tháng Chạp)`, en: `${NAMES.tet.en}, New Year's Eve` };
}

/**
 * The second National Day: 1/9 or 3/9, whichever gives the longer unbroken run of days off around
 * 2/9 once weekends and compensation days are counted. Ties prefer a weekday (a holiday on a
 * weekend only moves to a compensation day) and then 1/9, so the break ends on the day itself.
 * This reproduces the decisions of 2022 (Fri: 1/9), 2023 (Sat: 1/9), 2024 (Mon: 3/9) and
 * 2025 (Tue: 1/9); 2021 (Thu) chose 3/9 as the rule does.
 */
function adjacentNationalDay(year: number): number {
  const sep2 = dayFromCivil(year, 9, 2);
  const score = (other: number): [number, number, number] => {
    const pair = [sep2, other].map((dn) => ({ date: formatIsoDate(dn), name: NAMES.nationalDay }));
    const off = new Set([sep2, other, ...compensationDays(pair).map((e) => parseIsoDate(e.date))]);
    const isOff = (d: number): boolean => off.has(d) || isWeekendDay(d);
    let lo = sep2;
    let hi = sep2;
    while (isOff(lo - 1)) lo--;
    while (isOff(hi + 1)) hi++;
    return [hi - lo + 1, isWeekendDay(other) ? 0 : 1, other < sep2 ? 1 : 0];
  };
  const before = score(sep2 - 1);
  const after = score(sep2 + 1);
  for (let i = 0; i < 3; i++) {
    if (before[i] !== after[i]) return (before[i] as number) > (after[i] as number) ? sep2 - 1 : sep2 + 1;
  }
  return sep2 - 1;
}

/**
 * Compensation days in lieu (Labour Code Art. 111(3)): each holiday on a Saturday or Sunday gives a
 * day off on the next day that is a weekday and not already a holiday or a compensation day.
 * Holidays are taken in date order so consecutive weekend holidays get consecutive days. Two
 * holidays on the same date (Giỗ Tổ on 30/4, as in 1917 and 1947) are treated the same way, so
 * the second one is not lost.
 */
export function compensationDays(holidays: DayEntry[]): DayEntry[] {
  const taken = new Set(holidays.map((h) => parseIsoDate(h.date)));
  const served = new Set<number>();
  const out: DayEntry[] = [];
  const sorted = [...holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const h of sorted) {
    const dn = parseIsoDate(h.date);
    if (!isWeekendDay(dn) && !served.has(dn)) {
      served.add(dn);
      continue;
    }
    let c = dn + 1;
    while (isWeekendDay(c) || taken.has(c)) c++;
    taken.add(c);
    out.push({ date: formatIsoDate(c), name: compensationName(h.name) });
  }
  return out;
}

/** One entry per date; coinciding holidays share it under both names. */
function mergeSameDate(entries: DayEntry[]): DayEntry[] {
  const byDate = new Map<string, DayEntry>();
  for (const e of entries) {
    const prev = byDate.get(e.date);
    byDate.set(e.date, prev ? { date: e.date, name: { vi: `${prev.name.vi}; ${e.name.vi}`, en: `${prev.name.en}; ${e.name.en}` } } : e);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * Drafts a year from the rules. Tết = the last day of the old lunar year (29 or 30 tháng Chạp)
 * plus mùng 1-4: the split the government chose for 2026 (Mon 16 - Fri 20 February). Other years
 * it has chosen other splits (2025: 28 tháng Chạp - mùng 3), so published years override this.
 */
export function proposeYear(year: number): YearCalendar {
  checkYearNumber(year);
  const entry = (dn: number, name: Named): DayEntry => ({ date: formatIsoDate(dn), name });
  const tet = lunarNewYearDay(year);
  const hung = dayOfLunar({ year, month: 3, day: 10, leap: false });
  const sep2 = dayFromCivil(year, 9, 2);
  const adjacent = adjacentNationalDay(year);
  const all: DayEntry[] = [
    entry(dayFromCivil(year, 1, 1), NAMES.newYear),
    ...[-1, 0, 1, 2, 3].map((k) => entry(tet + k, tetDayName(tet + k))),
    entry(hung, NAMES.hungKings),
    entry(dayFromCivil(year, 4, 30), NAMES.victory),
    entry(dayFromCivil(year, 5, 1), NAMES.labour),
    entry(Math.min(sep2, adjacent), adjacent < sep2 ? NAMES.nationalDay2 : NAMES.nationalDay),
    entry(Math.max(sep2, adjacent), adjacent < sep2 ? NAMES.nationalDay : NAMES.nationalDay2),
  ];
  return { year, holidays: mergeSameDate(all), daysOff: compensationDays(all), workingWeekends: [] };
}

/**
 * Rejects a calendar an admin could not have meant: malformed dates, dates of another year,
 * a date listed twice (within or across lists), days off or working days that contradict the
 * weekend. A holiday on a weekend is valid: it is what triggers a compensation day.
 */
export function validateYear(cal: YearCalendar): void {
  checkYearNumber(cal?.year);
  const seen = new Map<string, string>();
  const check = (date: string, list: string): number => {
    const dn = parseIsoDate(date);
    if (civilFromDay(dn)[0] !== cal.year) {
      throw new CalendarError('date_outside_year', `${list} ${date} is not in ${cal.year}`);
    }
    const prev = seen.get(date);
    if (prev) throw new CalendarError('duplicate_date', `${date} is listed in ${prev} and ${list}`);
    seen.set(date, list);
    return dn;
  };
  const checkName = (e: DayEntry): void => {
    if (!e.name || typeof e.name.vi !== 'string' || typeof e.name.en !== 'string' || !e.name.vi || !e.name.en) {
      throw new CalendarError('invalid_date', `${e.date} needs a name in vi and en`);
    }
  };
  if (!Array.isArray(cal.holidays) || !Array.isArray(cal.daysOff) || !Array.isArray(cal.workingWeekends)) {
    throw new CalendarError('invalid_date', 'holidays, daysOff and workingWeekends must be lists');
  }
  for (const h of cal.holidays) {
    check(h.date, 'holidays');
    checkName(h);
  }
  for (const d of cal.daysOff) {
    if (isWeekendDay(check(d.date, 'daysOff'))) {
      throw new CalendarError('day_off_on_weekend', `day off ${d.date} is already a weekend day`);
    }
    checkName(d);
  }
  for (const w of cal.workingWeekends) {
    if (!isWeekendDay(check(w, 'workingWeekends'))) {
      throw new CalendarError('not_a_weekend', `working weekend ${w} is not a Saturday or Sunday`);
    }
  }
}
