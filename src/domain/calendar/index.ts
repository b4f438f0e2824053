// Public API of the working-day calendar and deadline engine (pure; no I/O).
export { CalendarError, type CalendarErrorCode } from './errors.js';
export { formatVnIso, toVnDate, vnDateTime, MIN_YEAR, MAX_YEAR } from './days.js';
export { solarToLunar, lunarToSolar, lunarNewYear, leapMonthOf, lunarMonthLength, type LunarDate } from './lunar.js';
export { proposeYear, validateYear, compensationDays, NAMES, type Named, type DayEntry, type YearCalendar } from './year.js';
export { PUBLISHED_YEARS, publishedOrProposed } from './publishedYears.js';
export { WorkingCalendar, WEEKEND_NAMES, type YearSource, type OffKind, type OffReason } from './working-calendar.js';
export { DEFAULT_OFFICE_HOURS, validateOfficeHours, type OfficeHours, type Session, type Weekday, type HhMm } from './office-hours.js';
export {
  computeDue,
  classify,
  classifyStep,
  MAX_AMOUNT,
  PAUSE_REASON,
  type TimeUnit,
  type Pause,
  type PauseConvention,
  type DeadlineInput,
  type DeadlineResult,
  type SkippedDay,
  type SkippedKind,
  type Classification,
  type Allowance,
} from './deadline.js';
