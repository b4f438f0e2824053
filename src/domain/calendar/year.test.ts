import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarError } from './errors.js';
import { NAMES, proposeYear, validateYear, type YearCalendar } from './year.js';
import { PUBLISHED_YEARS, publishedOrProposed } from './publishedYears.js';
import { WorkingCalendar } from './working-calendar.js';
import { solarToLunar } from './lunar.js';

const dates = (xs: { date: string }[]): string[] => xs.map((x) => x.date);

function rejects(cal: YearCalendar, code: string): void {
  assert.throws(
    () => validateYear(cal),
    (e: unknown) => e instanceof CalendarError && e.code === code,
  );
}

describe('proposeYear', () => {
  test('2027: Tết from the eve (Fri 5/2) to mùng 4 (Tue 9/2), with two compensation days', () => {
    // Tết 2027 is Saturday 6/2 (lunar tests). Eve Fri 5, mùng 1-4 = Sat 6 .. Tue 9. Sat 6 and
    // Sun 7 are weekend holidays, so the next free weekdays Wed 10 and Thu 11 are days off.
    const y = proposeYear(2027);
    const tet = y.holidays.filter((h) => h.name.vi.startsWith(NAMES.tet.vi));
    assert.deepEqual(dates(tet), ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    assert.equal(tet[0]?.name.vi, 'Tết Nguyên đán (29 tháng Chạp)');
    assert.equal(tet[1]?.name.vi, 'Tết Nguyên đán (mùng 1 Tết)');
    // 1/5/2027 is a Saturday (30/4 a Friday): compensation Monday 3/5.
    assert.deepEqual(dates(y.daysOff), ['2027-02-10', '2027-02-11', '2027-05-03']);
    assert.ok(y.daysOff.every((d) => d.name.vi.startsWith('Nghỉ bù')));
    assert.deepEqual(y.workingWeekends, []);
  });

  test('the eve is 30 tháng Chạp when month 12 is long (2024: Fri 9/2)', () => {
    // Tết 2024 = Sat 10/2; month 12 of 2023 has 30 days, so the eve is Fri 9/2 = 30 tháng Chạp.
    const tet = proposeYear(2024).holidays.filter((h) => h.name.vi.startsWith(NAMES.tet.vi));
    assert.equal(tet[0]?.date, '2024-02-09');
    assert.equal(tet[0]?.name.vi, 'Tết Nguyên đán (30 tháng Chạp)');
    assert.deepEqual(solarToLunar('2024-02-09'), { day: 30, month: 12, year: 2023, leap: false });
  });

  test('every statutory holiday, named in both languages', () => {
    const y = proposeYear(2026);
    assert.deepEqual(dates(y.holidays), [
      '2026-01-01',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-26',
      '2026-04-30',
      '2026-05-01',
      '2026-09-01',
      '2026-09-02',
    ]);
    const byDate = new Map(y.holidays.map((h) => [h.date, h.name]));
    assert.deepEqual(byDate.get('2026-01-01'), { vi: 'Tết Dương lịch', en: "New Year's Day" });
    assert.equal(byDate.get('2026-04-26')?.vi, 'Giỗ Tổ Hùng Vương');
    assert.equal(byDate.get('2026-04-30')?.vi, 'Ngày Chiến thắng');
    assert.equal(byDate.get('2026-05-01')?.vi, 'Ngày Quốc tế Lao động');
    assert.equal(byDate.get('2026-09-02')?.vi, 'Quốc khánh');
    // Giỗ Tổ on Sunday 26/4 -> compensation Monday 27/4.
    assert.deepEqual(dates(y.daysOff), ['2026-04-27']);
    assert.equal(y.daysOff[0]?.name.vi, 'Nghỉ bù Giỗ Tổ Hùng Vương');
  });

  describe('second National Day: the adjacent day giving the longer break', () => {
    // [year, weekday of 2/9, expected adjacent day, expected compensation days in September]
    const cases: [number, string, string, string[]][] = [
      [2021, 'Thu', '2021-09-03', []], // Thu+Fri+weekend = 4 days (decided: 3/9)
      [2022, 'Fri', '2022-09-01', []], // Thu-Sun = 4; 3/9 (Sat) would also give 4 but needs a Monday in lieu (decided: 1/9)
      [2023, 'Sat', '2023-09-01', ['2023-09-04']], // Fri-Mon with 2/9's day in lieu (decided: 1/9, off 1-4/9)
      [2024, 'Mon', '2024-09-03', []], // Sat-Tue = 4 (decided: 3/9)
      [2025, 'Tue', '2025-09-01', []], // Sat-Tue = 4 (decided: 1/9)
      [2026, 'Wed', '2026-09-01', []], // 2 either way: tie -> 1/9
      [2029, 'Sun', '2029-09-03', ['2029-09-04']], // Sat-Tue; Mon 3/9 rather than Sat 1/9
    ];
    for (const [year, wd, adjacent, comp] of cases) {
      test(`${year} (2/9 is a ${wd}) -> ${adjacent}`, () => {
        const y = proposeYear(year);
        const nd = y.holidays.filter((h) => h.name.vi.startsWith('Quốc khánh'));
        assert.deepEqual(dates(nd), [adjacent, `${year}-09-02`].sort());
        assert.deepEqual(dates(y.daysOff.filter((d) => d.date.slice(5, 7) === '09')), comp);
      });
    }
  });

  test('2022: 30/4 (Sat) and 1/5 (Sun) give Monday 2/5 and Tuesday 3/5 off', () => {
    const y = proposeYear(2022);
    assert.ok(dates(y.daysOff).includes('2022-05-02'));
    assert.ok(dates(y.daysOff).includes('2022-05-03'));
  });

  test('Giỗ Tổ on 30/4 (1947, a Wednesday): one entry under both names and a day in lieu', () => {
    const y = proposeYear(1947);
    const apr30 = y.holidays.find((h) => h.date === '1947-04-30');
    assert.equal(apr30?.name.vi, 'Giỗ Tổ Hùng Vương; Ngày Chiến thắng');
    // 1/5 (Thu) is a holiday itself, so the lost holiday moves to Friday 2/5.
    assert.ok(dates(y.daysOff).includes('1947-05-02'));
  });

  test('every proposed year 1900-2100 passes validation', () => {
    for (let year = 1900; year <= 2100; year++) validateYear(proposeYear(year));
  });

  test('years outside 1900-2100 are refused', () => {
    assert.throws(
      () => proposeYear(2101),
      (e: unknown) => e instanceof CalendarError && e.code === 'year_out_of_range',
    );
  });
});

describe('validateYear', () => {
  const base = (): YearCalendar => ({ year: 2026, holidays: [], daysOff: [], workingWeekends: [] });
  const n = { vi: 'Ngày nghỉ', en: 'Day off' };

  test('malformed dates', () => {
    rejects({ ...base(), holidays: [{ date: '2026-13-01', name: n }] }, 'invalid_date');
    rejects({ ...base(), workingWeekends: ['10/01/2026'] }, 'invalid_date');
  });

  test('dates of another year', () => {
    rejects({ ...base(), daysOff: [{ date: '2027-01-04', name: n }] }, 'date_outside_year');
  });

  test('duplicates within and across lists', () => {
    rejects(
      {
        ...base(),
        holidays: [
          { date: '2026-01-01', name: n },
          { date: '2026-01-01', name: n },
        ],
      },
      'duplicate_date',
    );
    rejects({ ...base(), holidays: [{ date: '2026-01-02', name: n }], daysOff: [{ date: '2026-01-02', name: n }] }, 'duplicate_date');
  });

  test('a working weekend that is not a Saturday or Sunday', () => {
    rejects({ ...base(), workingWeekends: ['2026-01-09'] }, 'not_a_weekend'); // a Friday
  });

  test('a day off on a weekend grants nothing and is refused', () => {
    rejects({ ...base(), daysOff: [{ date: '2026-01-10', name: n }] }, 'day_off_on_weekend');
  });

  test('a holiday on a weekend is fine (it triggers a compensation day)', () => {
    validateYear({ ...base(), holidays: [{ date: '2026-04-26', name: n }] });
  });

  test('names are required in both languages', () => {
    rejects({ ...base(), holidays: [{ date: '2026-01-01', name: { vi: 'Tết', en: '' } }] }, 'invalid_date');
  });
});

describe('published years', () => {
  test('they pass validation and are used instead of the proposal', () => {
    for (const y of PUBLISHED_YEARS) validateYear(y);
    assert.equal(
      publishedOrProposed(2026),
      PUBLISHED_YEARS.find((y) => y.year === 2026),
    );
    assert.deepEqual(publishedOrProposed(2027), proposeYear(2027));
  });

  test('Tết 2026: nine days off, Sat 14 - Sun 22 February; the five weekdays are the holidays', () => {
    const cal = new WorkingCalendar(publishedOrProposed);
    for (let d = 14; d <= 22; d++) assert.equal(cal.isWorkingDay(`2026-02-${d}`), false, `2026-02-${d}`);
    assert.equal(cal.isWorkingDay('2026-02-13'), true);
    assert.equal(cal.isWorkingDay('2026-02-23'), true);
    assert.equal(cal.offReason('2026-02-17')?.kind, 'holiday');
    assert.equal(cal.offReason('2026-02-14')?.kind, 'weekend');
    // The published names agree with the lunar calendar.
    assert.deepEqual(solarToLunar('2026-02-16'), { day: 29, month: 12, year: 2025, leap: false });
    assert.deepEqual(solarToLunar('2026-02-20'), { day: 4, month: 1, year: 2026, leap: false });
  });

  test('2026 swaps and compensation: Fri 2/1 off, Sat 10/1 worked, Mon 27/4 off', () => {
    const cal = new WorkingCalendar(publishedOrProposed);
    assert.equal(cal.offReason('2026-01-02')?.kind, 'day_off');
    assert.equal(cal.isWorkingDay('2026-01-10'), true);
    assert.equal(cal.offReason('2026-04-27')?.name.vi, 'Nghỉ bù Giỗ Tổ Hùng Vương');
  });

  test('2025: Tết Mon 27 - Fri 31 January; 30/4 swap (Sat 26/4 worked, Fri 2/5 off); 1-2/9', () => {
    const cal = new WorkingCalendar(publishedOrProposed);
    for (let d = 25; d <= 31; d++) assert.equal(cal.isWorkingDay(`2025-01-${d}`), false);
    assert.equal(cal.isWorkingDay('2025-02-01'), false);
    assert.equal(cal.isWorkingDay('2025-02-02'), false);
    assert.equal(cal.isWorkingDay('2025-02-03'), true);
    assert.deepEqual(solarToLunar('2025-01-27'), { day: 28, month: 12, year: 2024, leap: false });
    assert.equal(cal.isWorkingDay('2025-04-26'), true);
    assert.equal(cal.offReason('2025-05-02')?.kind, 'day_off');
    assert.equal(cal.offReason('2025-09-01')?.kind, 'holiday');
  });
});
