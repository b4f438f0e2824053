/**
 * Reporting periods for statistics on administrative procedures.
 *
 * Official periods follow the cut-off of Decree 09/2019/ND-CP: a reporting month runs from the 15th
 * of the previous month to the 14th, so reports can be compiled and sent before the month is over.
 * Calendar periods exist because some readers compare against other data sources kept by calendar.
 * All dates are civil dates, so plain UTC arithmetic is exact and no time zone is involved.
 */

export type PeriodKind =
  | 'month'
  | 'quarter'
  | 'half-year'
  | 'nine-months'
  | 'year'
  | 'calendar-month'
  | 'calendar-quarter'
  | 'calendar-half-year'
  | 'calendar-year';

export interface Period {
  name: string;
  kind: PeriodKind | 'range';
  from: string;
  /** Inclusive. */
  to: string;
}

export class PeriodError extends Error {
  constructor(
    readonly code: 'invalid_period' | 'invalid_date' | 'invalid_date_range',
    message: string,
  ) {
    super(message);
    this.name = 'PeriodError';
  }
}

const MS_PER_DAY = 86_400_000;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
// Inclusive day count; ten years plus slack, enough for any multi-year comparison a report needs.
const MAX_RANGE_DAYS = 3660;

// `digits` is how the index is written in a name: 2 for months (zero-padded), 1 for others, 0 for none.
interface Spec {
  months: number;
  official: boolean;
  digits: 0 | 1 | 2;
}

const SPECS: Record<PeriodKind, Spec> = {
  month: { months: 1, official: true, digits: 2 },
  quarter: { months: 3, official: true, digits: 1 },
  'half-year': { months: 6, official: true, digits: 1 },
  'nine-months': { months: 9, official: true, digits: 0 },
  year: { months: 12, official: true, digits: 0 },
  'calendar-month': { months: 1, official: false, digits: 2 },
  'calendar-quarter': { months: 3, official: false, digits: 1 },
  'calendar-half-year': { months: 6, official: false, digits: 1 },
  'calendar-year': { months: 12, official: false, digits: 0 },
};

const OFFICIAL_KINDS = ['month', 'quarter', 'half-year', 'nine-months', 'year'] as const;

function isoOfUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// Only the shape and the calendar are checked here: period bounds such as 1999-12-15 must still convert.
function parseIso(iso: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (isoOfUtc(Date.UTC(y, m - 1, d)) === iso) return { y, m, d };
  }
  throw new PeriodError('invalid_date', `not a valid ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
}

// User-supplied dates are limited to the years the reports support.
function parseInputDate(iso: string): { y: number; m: number; d: number } {
  const date = parseIso(iso);
  if (date.y < MIN_YEAR || date.y > MAX_YEAR) {
    throw new PeriodError('invalid_date', `date ${iso} is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  return date;
}

export function dayNumber(iso: string): number {
  const { y, m, d } = parseIso(iso);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function isoOfDay(n: number): string {
  const iso = Number.isInteger(n) && Math.abs(n) < 1e8 ? isoOfUtc(n * MS_PER_DAY) : '';
  // toISOString writes years outside 0000–9999 as ±YYYYYY, which no caller could parse back.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`day number out of range: ${n}`);
  return iso;
}

export function addDays(iso: string, n: number): string {
  return isoOfDay(dayNumber(iso) + n);
}

/** Builds a named period; `index` counts from 1 within the year (month 6, quarter 2, …; 1 when the kind has no index). */
function build(kind: PeriodKind, year: number, index: number): Period {
  const { months, official, digits } = SPECS[kind];
  const endMonth = index * months; // 1-based month in which the period ends
  const suffix = digits === 0 ? '' : `-${String(index).padStart(digits, '0')}`;
  // Date.UTC normalises month -1 to December of the previous year and day 0 to the last day of the month before.
  const from = official ? Date.UTC(year, endMonth - months - 1, 15) : Date.UTC(year, endMonth - months, 1);
  const to = official ? Date.UTC(year, endMonth - 1, 14) : Date.UTC(year, endMonth, 0);
  return { name: `${kind}-${year}${suffix}`, kind, from: isoOfUtc(from), to: isoOfUtc(to) };
}

function parseName(name: string): { kind: PeriodKind; year: number; index: number } {
  const invalid = () => new PeriodError('invalid_period', `unknown period: ${JSON.stringify(name)}`);
  const match = /^([a-z-]+)-(\d{4})(?:-(\d{1,2}))?$/.exec(name);
  if (!match || !Object.hasOwn(SPECS, match[1]!)) throw invalid();
  const kind = match[1] as PeriodKind;
  const { months, digits } = SPECS[kind];
  const year = Number(match[2]);
  const indexText = match[3];
  if (year < MIN_YEAR || year > MAX_YEAR) throw invalid();
  if (digits === 0) {
    if (indexText !== undefined) throw invalid();
    return { kind, year, index: 1 };
  }
  const index = Number(indexText);
  if (indexText?.length !== digits || index < 1 || index * months > 12) throw invalid();
  return { kind, year, index };
}

export function parsePeriod(name: string): Period {
  const { kind, year, index } = parseName(name);
  return build(kind, year, index);
}

export function rangePeriod(from: string, to: string): Period {
  parseInputDate(from);
  parseInputDate(to);
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) throw new PeriodError('invalid_date_range', `range starts after it ends: ${from} > ${to}`);
  if (days > MAX_RANGE_DAYS) {
    throw new PeriodError('invalid_date_range', `range of ${days} days exceeds the maximum of ${MAX_RANGE_DAYS}`);
  }
  return { name: `${from}..${to}`, kind: 'range', from, to };
}

/**
 * The period of `kind` containing `isoDate`. Nine-month periods leave 15 Sep – 14 Dec uncovered, so a date
 * there has no nine-month period and is rejected rather than answered with a period that does not contain it.
 */
export function periodOf(kind: PeriodKind, isoDate: string): Period {
  if (!Object.hasOwn(SPECS, kind)) throw new PeriodError('invalid_period', `unknown period kind: ${JSON.stringify(kind)}`);
  const { y, m, d } = parseInputDate(isoDate);
  const { months, official } = SPECS[kind];
  // From the 15th on, a date belongs to the next official month (and 15–31 Dec to next year's January).
  const shifted = official && d >= 15 ? m + 1 : m;
  const year = shifted > 12 ? y + 1 : y;
  const month = shifted > 12 ? 1 : shifted;
  if (year > MAX_YEAR) throw new PeriodError('invalid_date', `date ${isoDate} falls in a period after ${MAX_YEAR}`);
  if (kind === 'nine-months' && month > 9) {
    throw new PeriodError('invalid_period', `no nine-month period contains ${isoDate} (they cover 15/12 – 14/09)`);
  }
  return build(kind, year, Math.ceil(month / months));
}

/**
 * Choices for a period select box: for each official kind, the period containing `today` and those before
 * it, most recent first, at most `count` per kind, never before the first supported year. For nine months
 * the current year's period is listed even when `today` is past it (15 Sep – 14 Dec), as it is then the latest.
 */
export function recentPeriods(today: string, count = 6): Period[] {
  const year = periodOf('year', today);
  const yearNumber = Number(year.name.slice('year-'.length));
  const result: Period[] = [];
  for (const kind of OFFICIAL_KINDS) {
    const perYear = Math.floor(12 / SPECS[kind].months);
    let index = kind === 'nine-months' ? 1 : parseName(periodOf(kind, today).name).index;
    for (let y = yearNumber, n = 0; n < count && y >= MIN_YEAR; n++) {
      result.push(build(kind, y, index));
      index -= 1;
      if (index < 1) [y, index] = [y - 1, perYear];
    }
  }
  return result;
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function dmy(iso: string): string {
  const { y, m, d } = parseIso(iso);
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
}

export function periodLabel(p: Period, locale: 'vi' | 'en'): string {
  const span = `${dmy(p.from)} – ${dmy(p.to)}`;
  if (p.kind === 'range') return span;
  const { kind, year, index } = parseName(p.name);
  const vi = locale === 'vi';
  const base = kind.replace(/^calendar-/, '');
  let text: string;
  if (base === 'month') text = vi ? `Tháng ${index}/${year}` : `${EN_MONTHS[index - 1]} ${year}`;
  else if (base === 'quarter') text = vi ? `Quý ${index}/${year}` : `Q${index} ${year}`;
  else if (base === 'half-year' && index === 1) text = vi ? `6 tháng đầu năm ${year}` : `First half of ${year}`;
  else if (base === 'half-year') text = vi ? `6 tháng cuối năm ${year}` : `Second half of ${year}`;
  else if (base === 'nine-months') text = vi ? `9 tháng năm ${year}` : `Nine months of ${year}`;
  else text = vi ? `Năm ${year}` : `Year ${year}`;
  // Official periods show their dates because the 15th–14th cut-off is not what readers expect.
  if (SPECS[kind].official) return `${text} (${span})`;
  if (!vi) return `${text} (calendar)`;
  return `${text} (${base === 'month' ? 'theo tháng dương lịch' : 'theo năm dương lịch'})`;
}
