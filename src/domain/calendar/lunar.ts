/**
 * Vietnamese lunisolar calendar (âm lịch), backed by date-chinese's CalendarVietnamese (MIT).
 *
 * The library does the astronomy (new moons and solar longitudes for UTC+7, Vietnam's meridian,
 * which is why Tết 1985, 2007 and 2030 differ from China's). Its per-date conversions cost tens of
 * microseconds, its lunar-to-solar direction accepts impossible dates silently, and its month
 * numbering is wrong in 2033 (see suiMonths). So this module asks it only for new moons and solar
 * longitudes, numbers the months itself by the standard rule, once per year, and answers every
 * conversion from that table. The table is checked while it is built (12 or 13 months of 29/30
 * days, at most one leap month, numbered in order), so a library regression fails loudly.
 *
 * Before 1968 the library computes for UTC+8: North Vietnam only switched its calendar to UTC+7
 * in August 1967 (Tết Mậu Thân 1968 fell a day apart in North and South), so dates before then
 * follow the calendar that was actually in use, which matched China's.
 */
import { CalendarVietnamese } from 'date-chinese';
import { CalendarError } from './errors.js';
import { MAX_DAY, MAX_YEAR, MIN_DAY, MIN_YEAR, civilFromDay, dayFromCivil, formatIsoDate, parseSupportedDate } from './days.js';

export interface LunarDate {
  day: number;
  month: number;
  /** Gregorian year in which this lunar year starts (Tết 2026-02-17 starts lunar year 2026). */
  year: number;
  /** True for the intercalary month that repeats `month` (tháng nhuận). */
  leap: boolean;
}

interface LunarMonth {
  month: number;
  leap: boolean;
  /** Day number of day 1. */
  start: number;
  length: 29 | 30;
}

interface LunarYear {
  year: number;
  months: LunarMonth[];
}

// Lunar year 1899 is needed because 1900-01-01..1900-01-30 still belong to it.
const FIRST_LUNAR_YEAR = MIN_YEAR - 1;
const LAST_LUNAR_YEAR = MAX_YEAR;
const JD_UNIX_EPOCH = 2440587.5;

const lib = new CalendarVietnamese();
const years: (LunarYear | undefined)[] = [];
const suis = new Map<number, LunarMonth[]>();

/** Day of the lunar month (1..30) the library gives for a civil day; month starts are trusted. */
function libDay(dn: number): number {
  const [y, m, d] = civilFromDay(dn);
  return lib.fromGregorian(y, m, d).day;
}

function monthStartOf(dn: number): number {
  return dn - (libDay(dn) - 1);
}

function nextMonthStart(start: number): number {
  return libDay(start + 29) === 1 ? start + 29 : start + 30;
}

/** Apparent solar longitude (degrees) at local midnight starting civil day dn. */
function sunLongitude(dn: number): number {
  // Noon UTC lies inside the same local day for UTC+7 and UTC+8; midnight() truncates to it.
  return lib.inMajorSolarTerm(lib.midnight(dn + JD_UNIX_EPOCH + 0.5)).lon;
}

/** First day of lunar month 11 of year y: the month containing the December solstice. */
function month11Start(y: number): number {
  let s = monthStartOf(dayFromCivil(y, 12, 21));
  for (let guard = 0; guard < 4; guard++) {
    const e = nextMonthStart(s);
    if (sunLongitude(s) >= 270) s = monthStartOf(s - 1);
    else if (sunLongitude(e) < 270) s = e;
    else return s;
  }
  throw new Error(`lunar table: cannot locate month 11 of ${y}`);
}

/**
 * The months of one "sui", from month 11 of year y-1 up to (not including) month 11 of year y,
 * labelled by the rule itself rather than by the library: date-chinese mislabels months where a
 * sui has two months without a major solar term (2033 comes out with two leap months), while its
 * new moons and solar longitudes are right. Rule: a sui of 13 months has a leap month, the first
 * one after month 11 that contains no major solar term (trung khí); it repeats the previous number.
 */
function suiMonths(y: number): LunarMonth[] {
  const cached = suis.get(y);
  if (cached) return cached;
  const end = month11Start(y);
  const starts: number[] = [];
  for (let s = month11Start(y - 1); s < end; s = nextMonthStart(s)) starts.push(s);
  if (starts.length !== 12 && starts.length !== 13) {
    throw new Error(`lunar table: sui ${y} has ${starts.length} months`);
  }
  let leapIndex = -1;
  if (starts.length === 13) {
    for (let i = 1; i < 13; i++) {
      const s = starts[i] as number;
      const e = i + 1 < 13 ? (starts[i + 1] as number) : end;
      if (Math.floor(sunLongitude(s) / 30) === Math.floor(sunLongitude(e) / 30)) {
        leapIndex = i;
        break;
      }
    }
    if (leapIndex < 0) throw new Error(`lunar table: sui ${y} has 13 months and no leap month`);
  }
  const months: LunarMonth[] = [];
  let label = 11;
  starts.forEach((start, i) => {
    const next = i + 1 < starts.length ? (starts[i + 1] as number) : end;
    const leap = i === leapIndex;
    if (!leap && i > 0) label = (label % 12) + 1;
    const length = next - start;
    if (length !== 29 && length !== 30) throw new Error(`lunar table: month of ${length} days`);
    months.push({ month: label, leap, start, length });
  });
  suis.set(y, months);
  return months;
}

/** Lunar year y runs from month 1 of sui y to the end of month 12 (or leap 12) in sui y+1. */
function buildYear(y: number): LunarYear {
  const a = suiMonths(y);
  const b = suiMonths(y + 1);
  const isFirst = (m: LunarMonth): boolean => m.month === 1 && !m.leap;
  const months = [...a.slice(a.findIndex(isFirst)), ...b.slice(0, b.findIndex(isFirst))];
  checkYear(y, months);
  return { year: y, months };
}

function checkYear(y: number, months: LunarMonth[]): void {
  const leaps = months.filter((m) => m.leap).length;
  let expected = 1;
  let prevEnd = (months[0] as LunarMonth).start;
  for (const m of months) {
    if (m.month !== (m.leap ? expected - 1 : expected) || m.start !== prevEnd) {
      throw new Error(`lunar table: year ${y} months out of order`);
    }
    if (!m.leap) expected++;
    prevEnd = m.start + m.length;
  }
  if (expected !== 13 || leaps > 1 || months.length !== 12 + leaps) {
    throw new Error(`lunar table: year ${y} has ${months.length} months`);
  }
}

function lunarYear(y: number): LunarYear {
  if (!Number.isInteger(y) || y < FIRST_LUNAR_YEAR || y > LAST_LUNAR_YEAR) {
    throw new CalendarError('year_out_of_range', `lunar year ${String(y)} is not supported`);
  }
  const i = y - FIRST_LUNAR_YEAR;
  let t = years[i];
  if (!t) {
    t = buildYear(y);
    years[i] = t;
  }
  return t;
}

/** Lunar date of a day number within the supported solar range. */
export function lunarOfDay(dn: number): LunarDate {
  let t = lunarYear(civilFromDay(dn)[0]);
  if (dn < (t.months[0] as LunarMonth).start) t = lunarYear(t.year - 1);
  for (let i = t.months.length - 1; i >= 0; i--) {
    const m = t.months[i] as LunarMonth;
    if (dn >= m.start) return { day: dn - m.start + 1, month: m.month, year: t.year, leap: m.leap };
  }
  throw new Error('unreachable: day before its lunar year');
}

/** Day number of a lunar date; throws invalid_lunar_date for a date that does not exist. */
export function dayOfLunar(l: LunarDate): number {
  if (l === null || typeof l !== 'object' || !Number.isInteger(l.day) || !Number.isInteger(l.month) || typeof l.leap !== 'boolean') {
    throw new CalendarError('invalid_lunar_date', 'lunar date needs integer day, month, year and a boolean leap');
  }
  const t = lunarYear(l.year);
  const m = t.months.find((x) => x.month === l.month && x.leap === l.leap);
  if (!m) {
    throw new CalendarError('invalid_lunar_date', `lunar year ${l.year} has no ${l.leap ? 'leap ' : ''}month ${l.month}`);
  }
  if (l.day < 1 || l.day > m.length) {
    throw new CalendarError('invalid_lunar_date', `lunar month ${l.month}/${l.year} has ${m.length} days`);
  }
  const dn = m.start + l.day - 1;
  if (dn < MIN_DAY || dn > MAX_DAY) {
    throw new CalendarError('year_out_of_range', `only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
  }
  return dn;
}

export function solarToLunar(isoDate: string): LunarDate {
  return lunarOfDay(parseSupportedDate(isoDate));
}

export function lunarToSolar(l: LunarDate): string {
  return formatIsoDate(dayOfLunar(l));
}

/** Day number of Tết (lunar 1/1) of the lunar year starting in Gregorian year `year`. */
export function lunarNewYearDay(year: number): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError('year_out_of_range', `only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
  }
  return (lunarYear(year).months[0] as LunarMonth).start;
}

export function lunarNewYear(year: number): string {
  return formatIsoDate(lunarNewYearDay(year));
}

/** Leap month number of a lunar year, or 0 when it has none. */
export function leapMonthOf(year: number): number {
  return lunarYear(year).months.find((m) => m.leap)?.month ?? 0;
}

/** Number of days (29 or 30) of a lunar month; throws invalid_lunar_date if it does not exist. */
export function lunarMonthLength(year: number, month: number, leap = false): number {
  const m = lunarYear(year).months.find((x) => x.month === month && x.leap === leap);
  if (!m) throw new CalendarError('invalid_lunar_date', `lunar year ${year} has no such month`);
  return m.length;
}
