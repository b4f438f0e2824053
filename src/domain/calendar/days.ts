/**
 * Integer day numbers and Vietnam-time conversions.
 *
 * A day number is the count of days since 1970-01-01 (the Unix epoch) of a Vietnamese civil date.
 * All arithmetic on dates is done on these integers: they are cheap to compare, index arrays and
 * add to, which the deadline engine needs for speed. Strings and Date objects exist only at the
 * edges of the public API.
 *
 * Vietnam has used UTC+7 without daylight saving since 1975, so a fixed offset is exact for every
 * date this module accepts for deadlines, and the process time zone is never consulted.
 */
import { CalendarError } from './errors.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const VN_OFFSET_MS = 7 * MS_PER_HOUR;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** Day number of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of dayFromCivil; returns [year, month (1-12), day]. */
export function civilFromDay(dn: number): [number, number, number] {
  const z = dn + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d];
}

export const MIN_DAY = dayFromCivil(MIN_YEAR, 1, 1);
export const MAX_DAY = dayFromCivil(MAX_YEAR, 12, 31);

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_LENGTHS[m - 1] ?? 0);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. Day 0 (1970-01-01) was a Thursday. */
export function isoWeekday(dn: number): number {
  return ((((dn + 3) % 7) + 7) % 7) + 1;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict YYYY-MM-DD string of a real date; range is checked by the caller. */
export function parseIsoDate(s: string): number {
  const m = typeof s === 'string' ? ISO_DATE.exec(s) : null;
  if (!m) throw new CalendarError('invalid_date', `not a YYYY-MM-DD date: ${String(s)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new CalendarError('invalid_date', `no such date: ${s}`);
  }
  return dayFromCivil(y, mo, d);
}

/** Same as parseIsoDate, and the year must be within the supported range. */
export function parseSupportedDate(s: string): number {
  const dn = parseIsoDate(s);
  checkDayInRange(dn);
  return dn;
}

export function checkDayInRange(dn: number): void {
  if (dn < MIN_DAY || dn > MAX_DAY) {
    throw new CalendarError('year_out_of_range', `only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatIsoDate(dn: number): string {
  const [y, m, d] = civilFromDay(dn);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function yearOfDay(dn: number): number {
  return civilFromDay(dn)[0];
}

/** Vietnamese civil day of an instant. */
export function vnDayOf(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / MS_PER_DAY);
}

/** Instant of a Vietnamese civil day plus an offset in ms from its midnight. */
export function vnInstantMs(dn: number, msOfDay: number): number {
  return dn * MS_PER_DAY + msOfDay - VN_OFFSET_MS;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** 'HH:MM' to minutes since midnight; '24:00' is accepted as the end of the day. */
export function parseHhMm(s: string): number {
  if (s === '24:00') return 1440;
  const m = typeof s === 'string' ? HH_MM.exec(s) : null;
  if (!m) throw new CalendarError('invalid_time', `not a HH:MM time: ${String(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The Vietnam-time calendar date (YYYY-MM-DD) of an instant. */
export function toVnDate(d: Date): string {
  return formatIsoDate(vnDayOf(validTime(d)));
}

/** '2026-02-23T17:00:00+07:00': the instant written in Vietnam time (seconds precision). */
export function formatVnIso(d: Date): string {
  const ms = validTime(d);
  const dn = vnDayOf(ms);
  const tod = Math.floor((ms + VN_OFFSET_MS - dn * MS_PER_DAY) / 1000);
  const hh = Math.floor(tod / 3600);
  const mm = Math.floor((tod % 3600) / 60);
  const ss = tod % 60;
  return `${formatIsoDate(dn)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}+07:00`;
}

/** Builds the instant of a Vietnam-time wall clock reading, e.g. vnDateTime('2026-02-13', '15:01'). */
export function vnDateTime(date: string, time: string): Date {
  return new Date(vnInstantMs(parseIsoDate(date), parseHhMm(time) * MS_PER_MINUTE));
}

export function validTime(d: Date): number {
  const ms = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(ms)) throw new CalendarError('invalid_date', 'not a valid Date');
  return ms;
}
