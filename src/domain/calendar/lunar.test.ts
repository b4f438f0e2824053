import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CalendarChinese, CalendarVietnamese } from 'date-chinese';
import { CalendarError } from './errors.js';
import { MAX_DAY, MIN_DAY, civilFromDay, dayFromCivil, formatIsoDate } from './days.js';
import { leapMonthOf, lunarMonthLength, lunarNewYear, lunarToSolar, solarToLunar } from './lunar.js';

/** Chinese (UTC+8) new year, straight from the library, to show the differences are real. */
function chineseNewYear(year: number): string {
  const c = new CalendarChinese();
  const g = c.fromJDE(c.newYear(year)).toGregorian();
  return formatIsoDate(dayFromCivil(g.year, g.month, g.day));
}

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof CalendarError && e.code === code);
}

describe('Tết (lunar new year) golden dates', () => {
  const golden: [number, string, string][] = [
    // [year, Vietnam, China]; 1985, 2007 and 2030 differ because the new moon falls between
    // midnight UTC+7 and midnight UTC+8, or a solar term moves the month 11 boundary.
    [1985, '1985-01-21', '1985-02-20'],
    [2007, '2007-02-17', '2007-02-18'],
    [2023, '2023-01-22', '2023-01-22'],
    [2024, '2024-02-10', '2024-02-10'],
    [2025, '2025-01-29', '2025-01-29'],
    [2026, '2026-02-17', '2026-02-17'],
    [2027, '2027-02-06', '2027-02-06'],
    [2030, '2030-02-02', '2030-02-03'],
  ];
  for (const [year, vn, cn] of golden) {
    test(`${year}: Vietnam ${vn}, China ${cn}`, () => {
      assert.equal(lunarNewYear(year), vn);
      assert.deepEqual(solarToLunar(vn), { day: 1, month: 1, year, leap: false });
      assert.equal(lunarToSolar({ day: 1, month: 1, year, leap: false }), vn);
      assert.equal(chineseNewYear(year), cn);
    });
  }

  test('1968: the North computed for UTC+7 from then on (29 January, China 30 January)', () => {
    assert.equal(lunarNewYear(1968), '1968-01-29');
    assert.equal(chineseNewYear(1968), '1968-01-30');
  });

  test('every Tết 1900-2100 agrees with the library', () => {
    const v = new CalendarVietnamese();
    for (let y = 1900; y <= 2100; y++) {
      const g = v.fromJDE(v.newYear(y)).toGregorian();
      assert.equal(lunarNewYear(y), formatIsoDate(dayFromCivil(g.year, g.month, g.day)), `Tết ${y}`);
    }
  });
});

describe('lunar dates', () => {
  test('Giỗ Tổ Hùng Vương (10/3 lunar): 2025-04-07 and 2026-04-26', () => {
    assert.equal(lunarToSolar({ day: 10, month: 3, year: 2025, leap: false }), '2025-04-07');
    assert.equal(lunarToSolar({ day: 10, month: 3, year: 2026, leap: false }), '2026-04-26');
    assert.deepEqual(solarToLunar('2026-04-26'), { day: 10, month: 3, year: 2026, leap: false });
  });

  test('the day before Tết 2026 is 29 tháng Chạp (month 12 of 2025 has 29 days)', () => {
    assert.deepEqual(solarToLunar('2026-02-16'), { day: 29, month: 12, year: 2025, leap: false });
    assert.equal(lunarMonthLength(2025, 12), 29);
  });

  test('2023 has a leap month 2 starting 2023-03-22 (round trip)', () => {
    assert.equal(leapMonthOf(2023), 2);
    const leap = { day: 1, month: 2, year: 2023, leap: true };
    assert.equal(lunarToSolar(leap), '2023-03-22');
    assert.deepEqual(solarToLunar('2023-03-22'), leap);
    // The ordinary month 2 comes first, a moon earlier.
    assert.equal(lunarToSolar({ ...leap, leap: false }), '2023-02-20');
  });

  test('2025 has a leap month 6 starting 2025-07-25 (round trip)', () => {
    assert.equal(leapMonthOf(2025), 6);
    assert.equal(lunarToSolar({ day: 1, month: 6, year: 2025, leap: true }), '2025-07-25');
    assert.deepEqual(solarToLunar('2025-08-22'), { day: 29, month: 6, year: 2025, leap: true });
    assert.equal(leapMonthOf(2026), 0);
  });

  test('2033: leap month 11 from 2033-12-22, where the library itself reports two leap months', () => {
    // Month 11 must contain the December solstice (21/12/2033), so it starts 22/11; the next
    // month has no major solar term and the sui to month 11 of 2034 has 13 months: leap 11.
    assert.equal(leapMonthOf(2033), 11);
    assert.deepEqual(solarToLunar('2033-11-22'), { day: 1, month: 11, year: 2033, leap: false });
    assert.deepEqual(solarToLunar('2033-12-22'), { day: 1, month: 11, year: 2033, leap: true });
    assert.deepEqual(solarToLunar('2034-01-20'), { day: 1, month: 12, year: 2033, leap: false });
    const v = new CalendarVietnamese();
    assert.equal(v.fromGregorian(2033, 9, 23).leap, true, 'library: 8 leap');
    assert.equal(v.fromGregorian(2033, 12, 22).leap, true, 'library: 11 leap as well');
  });

  test('agrees with the library on every day 1900-2100 except its 2033 and 2052 mislabels', () => {
    const v = new CalendarVietnamese();
    const differing = new Set<string>();
    for (let dn = MIN_DAY; dn <= MAX_DAY; dn++) {
      const [y, m, d] = civilFromDay(dn);
      v.fromGregorian(y, m, d);
      const ours = solarToLunar(formatIsoDate(dn));
      assert.equal(ours.day, v.day);
      assert.equal(ours.year, v.yearFromEpochCycle());
      if (ours.month !== v.month || ours.leap !== Boolean(v.leap)) {
        differing.add(`${ours.year}/${ours.month}${ours.leap ? 'L' : ''}`);
      }
    }
    // 2052: the library marks month 12 leap although the year already has leap month 8.
    assert.deepEqual([...differing].sort(), ['2033/10', '2033/11', '2033/9', '2052/12']);
  });
});

describe('invalid input', () => {
  test('a leap flag on a month that is not leap that year', () => {
    rejects(() => lunarToSolar({ day: 1, month: 3, year: 2026, leap: true }), 'invalid_lunar_date');
    rejects(() => lunarToSolar({ day: 1, month: 2, year: 2025, leap: true }), 'invalid_lunar_date');
  });

  test('day 30 of a 29-day month, day 0, month 13, non-integers', () => {
    rejects(() => lunarToSolar({ day: 30, month: 12, year: 2025, leap: false }), 'invalid_lunar_date');
    rejects(() => lunarToSolar({ day: 0, month: 1, year: 2025, leap: false }), 'invalid_lunar_date');
    rejects(() => lunarToSolar({ day: 1, month: 13, year: 2025, leap: false }), 'invalid_lunar_date');
    rejects(() => lunarToSolar({ day: 1.5, month: 1, year: 2025, leap: false }), 'invalid_lunar_date');
  });

  test('years outside 1900-2100', () => {
    rejects(() => lunarNewYear(1899), 'year_out_of_range');
    rejects(() => lunarNewYear(2101), 'year_out_of_range');
    rejects(() => solarToLunar('1899-12-31'), 'year_out_of_range');
    rejects(() => solarToLunar('2101-01-01'), 'year_out_of_range');
    // Lunar 1/1/1899 is 1899-02-10, before the supported solar range.
    rejects(() => lunarToSolar({ day: 1, month: 1, year: 1899, leap: false }), 'year_out_of_range');
  });

  test('malformed solar dates', () => {
    rejects(() => solarToLunar('2026-02-30'), 'invalid_date');
    rejects(() => solarToLunar('2026-2-3'), 'invalid_date');
    rejects(() => solarToLunar('2025-02-29'), 'invalid_date');
  });

  test('the first and last supported days convert', () => {
    assert.deepEqual(solarToLunar('1900-01-01'), { day: 1, month: 12, year: 1899, leap: false });
    assert.equal(lunarToSolar(solarToLunar('2100-12-31')), '2100-12-31');
  });
});

describe('round trips', () => {
  test('property: solar -> lunar -> solar is the identity (1900-01-31..2100-12-31)', () => {
    const first = dayFromCivil(1900, 1, 31);
    fc.assert(
      fc.property(fc.integer({ min: first, max: MAX_DAY }), (dn) => {
        const iso = formatIsoDate(dn);
        assert.equal(lunarToSolar(solarToLunar(iso)), iso);
      }),
      { numRuns: 3000 },
    );
  });

  test('property: lunar -> solar -> lunar is the identity for existing lunar dates', () => {
    const arb = fc
      .record({ year: fc.integer({ min: 1900, max: 2099 }), month: fc.integer({ min: 1, max: 12 }), leap: fc.boolean() })
      .filter((m) => !m.leap || leapMonthOf(m.year) === m.month)
      .chain((m) => fc.integer({ min: 1, max: lunarMonthLength(m.year, m.month, m.leap) }).map((day) => ({ ...m, day })));
    fc.assert(
      fc.property(arb, (l) => {
        assert.deepEqual(solarToLunar(lunarToSolar(l)), l);
      }),
      { numRuns: 2000 },
    );
  });

  test('exhaustive: every day 1900-01-01..2100-12-31 round-trips and lunar days run on by one', () => {
    let prev = solarToLunar(formatIsoDate(MIN_DAY));
    for (let dn = MIN_DAY; dn <= MAX_DAY; dn++) {
      const iso = formatIsoDate(dn);
      const l = solarToLunar(iso);
      assert.equal(lunarToSolar(l), iso);
      if (dn > MIN_DAY && l.day !== prev.day + 1) {
        assert.equal(l.day, 1, iso);
        assert.ok(prev.day === 29 || prev.day === 30, iso);
      }
      prev = l;
    }
  });
});
