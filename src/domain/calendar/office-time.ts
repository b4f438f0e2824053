/**
 * Office-time arithmetic on (day number, ms-of-day) positions: where a receipt starts counting,
 * and moving forward by an amount of office time. Shared by the deadline engine and pause
 * accounting; everything here is on integers so the hot path allocates almost nothing.
 */
import { MS_PER_DAY, VN_OFFSET_MS, isoWeekday, vnDayOf } from './days.js';
import type { CompiledHours, DaySchedule } from './office-hours.js';
import type { WorkingCalendar } from './working-calendar.js';

export interface Position {
  day: number;
  /** ms since local midnight */
  tod: number;
}

export function scheduleOf(hours: CompiledHours, dn: number): DaySchedule {
  return hours.byWeekday[isoWeekday(dn)] as DaySchedule;
}

/**
 * Where counting starts for something received at instant `ms` (the "countFrom").
 * - On a working day up to the cutoff (15:00 by default, or closing time if earlier): that day.
 *   Before opening it starts at the opening; during the lunch break at the afternoon session,
 *   since the desk is staffed that day and the cutoff, not the break, is what the rule is about.
 * - After the cutoff, or on a non-working day: the opening of the next working day.
 */
export function receiptPosition(cal: WorkingCalendar, hours: CompiledHours, ms: number): Position {
  const day = vnDayOf(ms);
  const tod = ms + VN_OFFSET_MS - day * MS_PER_DAY;
  if (cal.isWorkingDn(day)) {
    const s = scheduleOf(hours, day);
    if (tod <= s.cutoff) {
      for (let i = 0; i < s.ends.length; i++) {
        if (tod <= (s.ends[i] as number)) return { day, tod: Math.max(tod, s.starts[i] as number) };
      }
    }
  }
  const next = cal.addWorkingDn(day, 1);
  return { day: next, tod: scheduleOf(hours, next).open };
}

/**
 * The position reached after `amount` ms of office time from `from` (which must be a working day).
 * When the amount runs out exactly at the end of a session, that end is the answer: a limit that
 * expires at 11:30 is due at 11:30, not at 13:30.
 */
export function advanceOffice(cal: WorkingCalendar, hours: CompiledHours, from: Position, amount: number): Position {
  if (amount <= 0) return from;
  let day = from.day;
  let t = from.tod;
  let rem = amount;
  for (;;) {
    const s = scheduleOf(hours, day);
    for (let i = 0; i < s.ends.length; i++) {
      const end = s.ends[i] as number;
      if (t >= end) continue;
      const start = Math.max(t, s.starts[i] as number);
      const avail = end - start;
      if (rem <= avail) return { day, tod: start + rem };
      rem -= avail;
      t = end;
    }
    // Skip whole days at once when every day has the same length, leaving 0 < rem <= total.
    let skip = 1;
    if (hours.uniform) {
      const total = (hours.byWeekday[1] as DaySchedule).total;
      skip = Math.ceil(rem / total);
      rem -= (skip - 1) * total;
    }
    day = cal.addWorkingDn(day, skip);
    t = 0;
  }
}

/** Office time of day `dn` that lies within [t1, t2) (ms-of-day); 0 on a non-working day. */
function officeInDay(cal: WorkingCalendar, hours: CompiledHours, dn: number, t1: number, t2: number): number {
  if (t2 <= t1 || !cal.isWorkingDn(dn)) return 0;
  const s = scheduleOf(hours, dn);
  let sum = 0;
  for (let i = 0; i < s.ends.length; i++) {
    const a = Math.max(t1, s.starts[i] as number);
    const b = Math.min(t2, s.ends[i] as number);
    if (b > a) sum += b - a;
  }
  return sum;
}

/** Office time (ms) between two instants. */
export function officeBetween(cal: WorkingCalendar, hours: CompiledHours, a: number, b: number): number {
  if (b <= a) return 0;
  const da = vnDayOf(a);
  const db = vnDayOf(b);
  const ta = a + VN_OFFSET_MS - da * MS_PER_DAY;
  const tb = b + VN_OFFSET_MS - db * MS_PER_DAY;
  if (da === db) return officeInDay(cal, hours, da, ta, tb);
  let sum = officeInDay(cal, hours, da, ta, MS_PER_DAY) + officeInDay(cal, hours, db, 0, tb);
  if (hours.uniform) {
    sum += cal.countWorkingDn(da + 1, db) * (hours.byWeekday[1] as DaySchedule).total;
  } else {
    for (let d = da + 1; d < db; d++) sum += officeInDay(cal, hours, d, 0, MS_PER_DAY);
  }
  return sum;
}
