import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CalendarError } from './errors.js';
import { dayFromCivil, formatIsoDate } from './days.js';
import { WorkingCalendar } from './working-calendar.js';
import { publishedOrProposed } from './publishedYears.js';
import type { YearCalendar } from './year.js';
import { DEFAULT_OFFICE_HOURS, validateOfficeHours, type OfficeHours } from './office-hours.js';

const cal = new WorkingCalendar(publishedOrProposed);

function isCode(code: string) {
  return (e: unknown): boolean => e instanceof CalendarError && e.code === code;
}

describe('WorkingCalendar', () => {
  test('Monday-Friday work, weekends do not, with bilingual weekend names', () => {
    assert.equal(cal.isWorkingDay('2026-03-09'), true); // Monday
    assert.equal(cal.offReason('2026-03-09'), null);
    assert.deepEqual(cal.offReason('2026-03-07'), { kind: 'weekend', name: { vi: 'Thứ Bảy', en: 'Saturday' } });
    assert.deepEqual(cal.offReason('2026-03-08'), { kind: 'weekend', name: { vi: 'Chủ nhật', en: 'Sunday' } });
  });

  test('holidays and days off carry their names; a holiday on a weekend is a holiday', () => {
    assert.deepEqual(cal.offReason('2026-09-02'), { kind: 'holiday', name: { vi: 'Quốc khánh', en: 'National Day' } });
    assert.equal(cal.offReason('2026-04-26')?.kind, 'holiday'); // Giỗ Tổ on a Sunday
    assert.equal(cal.offReason('2026-04-27')?.kind, 'day_off');
  });

  test('nextWorkingDay is strictly after, and jumps Tết 2026', () => {
    assert.equal(cal.nextWorkingDay('2026-02-13'), '2026-02-23');
    assert.equal(cal.nextWorkingDay('2026-03-09'), '2026-03-10');
    // Friday 9/1/2026 -> Saturday 10/1, a declared working day.
    assert.equal(cal.nextWorkingDay('2026-01-09'), '2026-01-10');
  });

  test('addWorkingDays: forwards, backwards, zero, across a year end', () => {
    assert.equal(cal.addWorkingDays('2026-02-13', 3), '2026-02-25');
    assert.equal(cal.addWorkingDays('2026-02-25', -3), '2026-02-13');
    assert.equal(cal.addWorkingDays('2026-02-15', 0), '2026-02-15');
    // 31/12/2026 (Thu) + 1: Fri 1/1/2027 is New Year's Day, then a weekend -> Mon 4/1/2027.
    assert.equal(cal.addWorkingDays('2026-12-31', 1), '2027-01-04');
    assert.equal(cal.addWorkingDays('2027-01-04', -1), '2026-12-31');
    // About ten years of working days, crossing eleven year boundaries both ways.
    const far = cal.addWorkingDays('2025-06-02', 2600);
    assert.equal(cal.addWorkingDays(far, -2600), '2025-06-02');
  });

  test('workingDaysBetween is inclusive and skips what is not worked', () => {
    assert.deepEqual(cal.workingDaysBetween('2026-04-24', '2026-05-04'), ['2026-04-24', '2026-04-28', '2026-04-29', '2026-05-04']);
    assert.deepEqual(cal.workingDaysBetween('2026-02-14', '2026-02-22'), []);
    assert.deepEqual(cal.workingDaysBetween('2026-03-10', '2026-03-09'), []);
  });

  test('a calendar built by hand: a swap makes a Saturday work and a Monday free', () => {
    const source = (year: number): YearCalendar => ({
      year,
      holidays: [],
      daysOff: year === 2030 ? [{ date: '2030-03-04', name: { vi: 'Nghỉ hoán đổi', en: 'Swapped day off' } }] : [],
      workingWeekends: year === 2030 ? ['2030-03-09'] : [],
    });
    const c = new WorkingCalendar(source);
    assert.equal(c.isWorkingDay('2030-03-04'), false);
    assert.equal(c.isWorkingDay('2030-03-09'), true);
    // Fri 1/3 + 1 skips Sat 2, Sun 3 and the free Mon 4 -> Tue 5; Fri 8/3 + 1 -> Sat 9/3.
    assert.equal(c.addWorkingDays('2030-03-01', 1), '2030-03-05');
    assert.equal(c.addWorkingDays('2030-03-08', 1), '2030-03-09');
  });

  test('the year source is checked: wrong year, invalid data, out of range', () => {
    const wrong = new WorkingCalendar(() => ({ year: 2000, holidays: [], daysOff: [], workingWeekends: [] }));
    assert.throws(() => wrong.isWorkingDay('2026-01-05'), isCode('year_mismatch'));
    const bad = new WorkingCalendar((year) => ({ year, holidays: [], daysOff: [], workingWeekends: [`${year}-01-05`] }));
    assert.throws(() => bad.isWorkingDay('2026-03-02'), isCode('not_a_weekend'));
    assert.throws(() => cal.isWorkingDay('2101-01-03'), isCode('year_out_of_range'));
    assert.throws(() => cal.addWorkingDays('2100-12-30', 5), isCode('year_out_of_range'));
    assert.throws(() => cal.isWorkingDay('2026-02-29'), isCode('invalid_date'));
    assert.throws(() => cal.addWorkingDays('2026-03-02', 1.5), isCode('amount_out_of_range'));
  });

  test('each year is asked of the source once', () => {
    let calls = 0;
    const c = new WorkingCalendar((y) => {
      calls++;
      return publishedOrProposed(y);
    });
    c.addWorkingDays('2026-01-05', 300);
    c.addWorkingDays('2026-01-05', 300);
    assert.equal(calls, 2);
  });

  test('property: counting and adding working days agree', () => {
    const lo = dayFromCivil(2020, 1, 1);
    const hi = dayFromCivil(2035, 12, 31);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), fc.integer({ min: 1, max: 600 }), (dn, n) => {
        const start = formatIsoDate(dn);
        const end = cal.addWorkingDays(start, n);
        assert.equal(cal.isWorkingDay(end), true);
        // n working days after start: exactly n of them in (start, end].
        const counted = cal.workingDaysBetween(cal.addWorkingDays(start, 1), end);
        assert.equal(counted.length, n);
        assert.equal(cal.countWorkingDn(dn + 1, dayFromCivil(...isoParts(end)) + 1), n);
        if (cal.isWorkingDay(start)) assert.equal(cal.addWorkingDays(end, -n), start);
      }),
      { numRuns: 300 },
    );
  });
});

function isoParts(s: string): [number, number, number] {
  const [y, m, d] = s.split('-').map(Number);
  return [y as number, m as number, d as number];
}

describe('office hours validation', () => {
  const bad = (h: unknown): void => {
    assert.throws(() => validateOfficeHours(h as OfficeHours), isCode('invalid_office_hours'));
  };

  test('the default is valid', () => {
    validateOfficeHours(DEFAULT_OFFICE_HOURS);
    validateOfficeHours({
      sessions: [{ start: '08:00', end: '12:00' }],
      cutoff: '11:00',
      weekdays: { 6: [{ start: '08:00', end: '11:00' }] },
    });
  });

  test('malformed times, empty, reversed or overlapping sessions, bad weekdays', () => {
    bad(null);
    bad({ sessions: [], cutoff: '15:00' });
    bad({ sessions: [{ start: '7:30', end: '11:30' }], cutoff: '15:00' });
    bad({ sessions: [{ start: '07:30', end: '11:30' }], cutoff: '25:00' });
    bad({ sessions: [{ start: '11:30', end: '07:30' }], cutoff: '15:00' });
    bad({
      sessions: [
        { start: '07:30', end: '12:00' },
        { start: '11:30', end: '17:00' },
      ],
      cutoff: '15:00',
    });
    bad({ sessions: [{ start: '07:30', end: '11:30' }], cutoff: '15:00', weekdays: { 8: [{ start: '07:30', end: '11:30' }] } });
    bad({ sessions: [{ start: '07:30', end: '11:30' }], cutoff: '15:00', weekdays: { 5: [] } });
  });
});
