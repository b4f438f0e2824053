// Shared by the deadline tests (src/domain/calendar/deadline.test.ts, deadline.table.test.ts and
// deadline.pauses.test.ts): their calendar, the instants they use and the check of a CalendarError's code.
import { CalendarError } from '../../src/domain/calendar/errors.js';
import { vnDateTime } from '../../src/domain/calendar/days.js';
import { WorkingCalendar } from '../../src/domain/calendar/working-calendar.js';
import { publishedOrProposed } from '../../src/domain/calendar/publishedYears.js';

// 2026 is the published calendar (Tết Mon 16 - Fri 20/2, swap Fri 2/1 <-> Sat 10/1, Giỗ Tổ Sun
// 26/4 + Mon 27/4 in lieu, 30/4 Thu, 1/5 Fri, 1-2/9); 2025 published (swap Sat 26/4 <-> Fri 2/5);
// 2024 and 2027 are proposals (Tết 2027: Fri 5 - Tue 9/2 + Wed 10, Thu 11/2 in lieu).
export const cal = new WorkingCalendar(publishedOrProposed);

export const at = vnDateTime;

export function isCode(code: string) {
  return (e: unknown): boolean => e instanceof CalendarError && e.code === code;
}
