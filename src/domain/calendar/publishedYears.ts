/**
 * Calendars for civil servants as the government actually decided them, used in place of the
 * rule-based proposal for those years. Each entry says where it comes from:
 *   [confirmed: ...]   the decision (or the statute where nothing needed deciding), as reported;
 *   [proposed by rule] not decided when this was written; the rule's best guess, to be confirmed
 *                      by an admin once the decision is out.
 * Sources were read in the press (thanhnien.vn, congan.com.vn, pld.net.vn, tracuuquyhoach.com and
 * others quoting the Government Office letters), not in the letters themselves.
 */
import { NAMES, proposeYear, type DayEntry, type Named, type YearCalendar } from './year.js';

const tet = (detail: string, en: string): Named => ({
  vi: `${NAMES.tet.vi} (${detail})`,
  en: `${NAMES.tet.en}, ${en}`,
});
const bu = (of: Named): Named => ({
  vi: `${NAMES.compensation.vi} ${of.vi}`,
  en: `${NAMES.compensation.en} for ${of.en}`,
});
const day = (date: string, name: Named): DayEntry => ({ date, name });

const Y2025: YearCalendar = {
  year: 2025,
  holidays: [
    // [confirmed: statutory date, Wednesday; no swap was decided (medium confidence)]
    day('2025-01-01', NAMES.newYear),
    // [confirmed: VPCP letter 8726/VPCP-KGVX of 26/11/2024: off Sat 25/1 - Sun 2/2/2025, nine days
    //  = the five statutory Tết days on Mon-Fri 27-31/1 (28 tháng Chạp - mùng 3) + two weekends]
    day('2025-01-27', tet('28 tháng Chạp', '28th day of the 12th month')),
    day('2025-01-28', tet('29 tháng Chạp', "New Year's Eve")),
    day('2025-01-29', tet('mùng 1 Tết', 'day 1')),
    day('2025-01-30', tet('mùng 2 Tết', 'day 2')),
    day('2025-01-31', tet('mùng 3 Tết', 'day 3')),
    // [confirmed: lunar 10/3 Ất Tỵ = Monday 7/4/2025; no compensation needed]
    day('2025-04-07', NAMES.hungKings),
    // [confirmed: statutory dates, Wednesday and Thursday]
    day('2025-04-30', NAMES.victory),
    day('2025-05-01', NAMES.labour),
    // [confirmed: press reports of the 2025 decision: off Sat 30/8 - Tue 2/9, i.e. 1/9 is the
    //  adjacent day]
    day('2025-09-01', NAMES.nationalDay2),
    day('2025-09-02', NAMES.nationalDay),
  ],
  daysOff: [
    // [confirmed: swap approved by the Prime Minister (press, April 2025): Friday 2/5 off, worked
    //  on Saturday 26/4, giving five days 30/4 - 4/5]
    day('2025-05-02', NAMES.swap),
  ],
  workingWeekends: [
    // [confirmed: the other half of the 2/5 swap above]
    '2025-04-26',
  ],
};

const Y2026: YearCalendar = {
  year: 2026,
  holidays: [
    // [confirmed: statutory date, Thursday]
    day('2026-01-01', NAMES.newYear),
    // [confirmed: off Sat 14/2 (27 tháng Chạp) - Sun 22/2 (mùng 6), nine days (congan.com.vn);
    //  the five weekdays Mon 16 - Fri 20/2 are the five statutory Tết days, the rest are weekends]
    day('2026-02-16', tet('29 tháng Chạp', "New Year's Eve")),
    day('2026-02-17', tet('mùng 1 Tết', 'day 1')),
    day('2026-02-18', tet('mùng 2 Tết', 'day 2')),
    day('2026-02-19', tet('mùng 3 Tết', 'day 3')),
    day('2026-02-20', tet('mùng 4 Tết', 'day 4')),
    // [confirmed: lunar 10/3 Bính Ngọ = Sunday 26/4/2026 (thanhnien.vn, 23/02/2026)]
    day('2026-04-26', NAMES.hungKings),
    // [confirmed: statutory dates, Thursday and Friday; no swap (thanhnien.vn, 23/02/2026)]
    day('2026-04-30', NAMES.victory),
    day('2026-05-01', NAMES.labour),
    // [proposed by rule: 2/9 is a Wednesday and the adjacent day had not been decided; the Ministry
    //  of Home Affairs' reported proposal of a five-day break ending on 2/9 also implies 1/9, but any
    //  swap of Monday 31/8 that comes with it is unknown and not included]
    day('2026-09-01', NAMES.nationalDay2),
    // [confirmed: statutory date]
    day('2026-09-02', NAMES.nationalDay),
  ],
  daysOff: [
    // [confirmed: VPCP letter 12729/VPCP-KGVX of 25/12/2025: off Thu 1/1 - Sun 4/1/2026, Friday
    //  2/1 swapped with Saturday 10/1]
    day('2026-01-02', NAMES.swap),
    // [confirmed: Labour Code Art. 111(3), Giỗ Tổ on Sunday 26/4 (thanhnien.vn, 23/02/2026)]
    day('2026-04-27', bu(NAMES.hungKings)),
  ],
  workingWeekends: [
    // [confirmed: the other half of the 2/1 swap above]
    '2026-01-10',
  ],
};

export const PUBLISHED_YEARS: readonly YearCalendar[] = [Y2025, Y2026];

/** The published calendar of a year where there is one, otherwise the rule-based proposal. */
export function publishedOrProposed(year: number): YearCalendar {
  return PUBLISHED_YEARS.find((c) => c.year === year) ?? proposeYear(year);
}
