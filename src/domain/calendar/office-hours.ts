/**
 * A unit's office hours: the sessions of a working day and the receipt cutoff. The calendar
 * decides which days are working days; office hours only say when, within such a day, the desk
 * is open. Compiled once into milliseconds-of-day per weekday for the deadline engine.
 */
import { CalendarError } from './errors.js';
import { MS_PER_MINUTE, parseHhMm } from './days.js';

export type HhMm = string;

export interface Session {
  start: HhMm;
  end: HhMm;
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface OfficeHours {
  /** Sessions of a working day, in order and not overlapping. */
  sessions: Session[];
  /**
   * Sessions for particular weekdays, replacing `sessions` on that weekday (e.g. a desk closing
   * early on Fridays). Saturday and Sunday entries apply to declared working weekends.
   */
  weekdays?: Partial<Record<Weekday, Session[]>>;
  /** A dossier received after this time is treated as received at the next opening. */
  cutoff: HhMm;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  sessions: Object.freeze([Object.freeze({ start: '07:30', end: '11:30' }), Object.freeze({ start: '13:30', end: '17:00' })]) as Session[],
  cutoff: '15:00',
});

/** One day's sessions in ms since local midnight. */
export interface DaySchedule {
  starts: number[];
  ends: number[];
  open: number;
  close: number;
  /** Office ms in the day. */
  total: number;
  /** Receipts after this instant of the day go to the next opening: min(cutoff, close). */
  cutoff: number;
}

export interface CompiledHours {
  /** Indexed by ISO weekday 1..7 (index 0 unused). */
  byWeekday: DaySchedule[];
  /** True when every weekday has the same sessions, which allows whole-day arithmetic. */
  uniform: boolean;
}

function compileSessions(sessions: Session[] | undefined, cutoffMs: number, where: string): DaySchedule {
  if (!Array.isArray(sessions) || sessions.length === 0) {
    throw new CalendarError('invalid_office_hours', `${where}: at least one session is needed`);
  }
  const starts: number[] = [];
  const ends: number[] = [];
  let prevEnd = -1;
  for (const s of sessions) {
    const start = parseTime(s?.start, where) * MS_PER_MINUTE;
    const end = parseTime(s?.end, where) * MS_PER_MINUTE;
    if (end <= start) {
      throw new CalendarError('invalid_office_hours', `${where}: session ${s.start}-${s.end} ends before it starts`);
    }
    if (start < prevEnd) {
      throw new CalendarError('invalid_office_hours', `${where}: sessions must be in order and not overlap`);
    }
    starts.push(start);
    ends.push(end);
    prevEnd = end;
  }
  const open = starts[0] as number;
  const close = ends[ends.length - 1] as number;
  let total = 0;
  for (let i = 0; i < starts.length; i++) total += (ends[i] as number) - (starts[i] as number);
  return { starts, ends, open, close, total, cutoff: Math.min(cutoffMs, close) };
}

function parseTime(s: unknown, where: string): number {
  try {
    return parseHhMm(s as string);
  } catch {
    throw new CalendarError('invalid_office_hours', `${where}: not a HH:MM time: ${String(s)}`);
  }
}

/** Throws CalendarError('invalid_office_hours') unless the office hours are usable. */
export function validateOfficeHours(hours: OfficeHours): void {
  compileOfficeHours(hours);
}

const compiled = new WeakMap<OfficeHours, CompiledHours>();

export function compileOfficeHours(hours: OfficeHours): CompiledHours {
  if (hours === null || typeof hours !== 'object') {
    throw new CalendarError('invalid_office_hours', 'office hours must be an object');
  }
  const cached = compiled.get(hours);
  if (cached) return cached;
  const cutoff = parseTime(hours.cutoff, 'cutoff') * MS_PER_MINUTE;
  const base = compileSessions(hours.sessions, cutoff, 'sessions');
  const byWeekday: DaySchedule[] = [base];
  let uniform = true;
  const overrides = hours.weekdays ?? {};
  for (const key of Object.keys(overrides)) {
    if (!/^[1-7]$/.test(key)) {
      throw new CalendarError('invalid_office_hours', `weekdays: ${key} is not an ISO weekday 1-7`);
    }
  }
  for (let wd = 1 as Weekday; wd <= 7; wd++) {
    const own = overrides[wd];
    byWeekday.push(own === undefined ? base : compileSessions(own, cutoff, `weekdays.${wd}`));
    if (own !== undefined) uniform = false;
  }
  const result = { byWeekday, uniform };
  compiled.set(hours, result);
  return result;
}
