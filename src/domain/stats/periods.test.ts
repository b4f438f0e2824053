import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  PeriodError,
  addDays,
  dayNumber,
  isoOfDay,
  parsePeriod,
  periodLabel,
  periodOf,
  rangePeriod,
  recentPeriods,
  type Period,
  type PeriodKind,
} from './periods.js';

const OFFICIAL: PeriodKind[] = ['month', 'quarter', 'half-year', 'nine-months', 'year'];
const CALENDAR: PeriodKind[] = ['calendar-month', 'calendar-quarter', 'calendar-half-year', 'calendar-year'];
const RUNS = 500;

// Any civil date 2001-2099, so every containing period has a year parsePeriod accepts.
const anyDate = fc.integer({ min: dayNumber('2001-01-01'), max: dayNumber('2099-12-31') }).map(isoOfDay);

const span = (p: Period) => [p.from, p.to];
const contains = (p: Period, iso: string) => p.from <= iso && iso <= p.to;
const isCode = (code: PeriodError['code']) => (e: unknown) => e instanceof PeriodError && e.name === 'PeriodError' && e.code === code;

function assertTiles(parts: Period[], whole: Period): void {
  assert.equal(parts[0]!.from, whole.from);
  assert.equal(parts.at(-1)!.to, whole.to);
  for (let i = 1; i < parts.length; i++) assert.equal(parts[i]!.from, addDays(parts[i - 1]!.to, 1), `gap or overlap at ${parts[i]!.name}`);
}

describe('parsePeriod', () => {
  const cases: [string, string, string][] = [
    ['month-2019-06', '2019-05-15', '2019-06-14'],
    ['month-2019-01', '2018-12-15', '2019-01-14'],
    ['month-2019-12', '2019-11-15', '2019-12-14'],
    ['quarter-2019-1', '2018-12-15', '2019-03-14'],
    ['quarter-2019-2', '2019-03-15', '2019-06-14'],
    ['quarter-2019-3', '2019-06-15', '2019-09-14'],
    ['quarter-2019-4', '2019-09-15', '2019-12-14'],
    ['half-year-2019-1', '2018-12-15', '2019-06-14'],
    ['half-year-2019-2', '2019-06-15', '2019-12-14'],
    ['nine-months-2019', '2018-12-15', '2019-09-14'],
    ['year-2019', '2018-12-15', '2019-12-14'],
    ['year-2000', '1999-12-15', '2000-12-14'],
    ['calendar-month-2019-06', '2019-06-01', '2019-06-30'],
    ['calendar-month-2020-02', '2020-02-01', '2020-02-29'],
    ['calendar-month-2019-02', '2019-02-01', '2019-02-28'],
    ['calendar-quarter-2019-2', '2019-04-01', '2019-06-30'],
    ['calendar-quarter-2019-4', '2019-10-01', '2019-12-31'],
    ['calendar-half-year-2019-1', '2019-01-01', '2019-06-30'],
    ['calendar-half-year-2019-2', '2019-07-01', '2019-12-31'],
    ['calendar-year-2019', '2019-01-01', '2019-12-31'],
    ['calendar-year-2100', '2100-01-01', '2100-12-31'],
  ];
  for (const [name, from, to] of cases) {
    test(name, () => {
      const p = parsePeriod(name);
      assert.deepEqual(span(p), [from, to]);
      assert.equal(p.name, name);
      assert.equal(p.kind, name.replace(/-\d{4}(-\d+)?$/, ''));
    });
  }

  test('rejects anything else with invalid_period', () => {
    const bad = [
      '',
      'month-2019-6',
      'month-2019-13',
      'month-2019-00',
      'month-2019',
      'quarter-2019-5',
      'quarter-2019-0',
      'quarter-2019-02',
      'half-year-2019-3',
      'half-year-2019',
      'nine-months-2019-1',
      'calendar-nine-months-2019',
      'year-1999',
      'year-2101',
      'year-19',
      'year-02019',
      'Year-2019',
      ' year-2019',
      'year-2019 ',
      'week-2019-01',
      'constructor-2019',
      '__proto__-2019',
      'month-2019-06..',
    ];
    for (const name of bad) assert.throws(() => parsePeriod(name), isCode('invalid_period'), name);
  });
});

describe('rangePeriod', () => {
  test('accepts a valid range, including a single day and the maximum span', () => {
    assert.deepEqual(rangePeriod('2018-12-15', '2019-06-14'), {
      name: '2018-12-15..2019-06-14',
      kind: 'range',
      from: '2018-12-15',
      to: '2019-06-14',
    });
    assert.equal(rangePeriod('2020-02-29', '2020-02-29').name, '2020-02-29..2020-02-29');
    assert.equal(rangePeriod('2010-01-01', addDays('2010-01-01', 3659)).kind, 'range');
  });

  test('rejects malformed or impossible dates with invalid_date', () => {
    for (const bad of [
      '2019-02-30',
      '2019-2-3',
      '2019-02-29',
      '2019-13-01',
      '2019-00-10',
      '1999-12-31',
      '2101-01-01',
      '',
      '20190101',
      '2019-01-01T00:00',
    ]) {
      assert.throws(() => rangePeriod(bad, '2019-12-31'), isCode('invalid_date'), bad);
      assert.throws(() => rangePeriod('2019-01-01', bad), isCode('invalid_date'), bad);
    }
  });

  test('rejects reversed or too long ranges with invalid_date_range', () => {
    assert.throws(() => rangePeriod('2019-06-15', '2019-06-14'), isCode('invalid_date_range'));
    assert.throws(() => rangePeriod('2010-01-01', addDays('2010-01-01', 3660)), isCode('invalid_date_range'));
  });
});

describe('day helpers', () => {
  test('dayNumber, isoOfDay and addDays agree on UTC days', () => {
    assert.equal(dayNumber('1970-01-01'), 0);
    assert.equal(dayNumber('2000-03-01') - dayNumber('2000-02-28'), 2);
    assert.equal(isoOfDay(dayNumber('2019-06-14')), '2019-06-14');
    assert.equal(addDays('2019-12-31', 1), '2020-01-01');
    assert.equal(addDays('2020-03-01', -1), '2020-02-29');
    assert.throws(() => dayNumber('2019-02-30'), isCode('invalid_date'));
    assert.throws(() => isoOfDay(1.5), RangeError);
  });
});

describe('periodOf', () => {
  test('examples around the 14th/15th cut-off and the year boundary', () => {
    assert.equal(periodOf('month', '2019-06-20').name, 'month-2019-07');
    assert.deepEqual(span(periodOf('month', '2019-06-20')), ['2019-06-15', '2019-07-14']);
    assert.equal(periodOf('month', '2019-06-14').name, 'month-2019-06');
    assert.equal(periodOf('month', '2019-12-15').name, 'month-2020-01');
    assert.equal(periodOf('year', '2019-12-20').name, 'year-2020');
    assert.equal(periodOf('year', '2019-12-14').name, 'year-2019');
    assert.equal(periodOf('quarter', '2019-03-15').name, 'quarter-2019-2');
    assert.equal(periodOf('half-year', '2019-06-15').name, 'half-year-2019-2');
    assert.equal(periodOf('nine-months', '2018-12-15').name, 'nine-months-2019');
    assert.equal(periodOf('calendar-month', '2019-06-20').name, 'calendar-month-2019-06');
    assert.equal(periodOf('calendar-quarter', '2019-12-31').name, 'calendar-quarter-2019-4');
    assert.equal(periodOf('calendar-year', '2019-12-20').name, 'calendar-year-2019');
  });

  test('rejects dates no period contains or cannot name', () => {
    assert.throws(() => periodOf('nine-months', '2019-09-15'), isCode('invalid_period'));
    assert.throws(() => periodOf('nine-months', '2019-12-14'), isCode('invalid_period'));
    assert.throws(() => periodOf('month', '2019-02-30'), isCode('invalid_date'));
    assert.throws(() => periodOf('year', '2100-12-15'), isCode('invalid_date'));
    assert.throws(() => periodOf('week' as PeriodKind, '2019-01-01'), isCode('invalid_period'));
  });

  test('property: every kind contains the date; official months tile the official year', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        for (const kind of [...OFFICIAL, ...CALENDAR]) {
          if (kind === 'nine-months' && periodOf('quarter', d).name.endsWith('-4')) {
            assert.throws(() => periodOf(kind, d), isCode('invalid_period'));
            continue;
          }
          assert.ok(contains(periodOf(kind, d), d), `${kind} ${d}`);
        }
        const year = periodOf('year', d);
        const y = year.name.slice('year-'.length);
        const months = Array.from({ length: 12 }, (_, i) => parsePeriod(`month-${y}-${String(i + 1).padStart(2, '0')}`));
        assertTiles(months, year);
      }),
      { numRuns: RUNS },
    );
  });

  test('property: quarters and halves tile the year, official and calendar', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        for (const prefix of ['', 'calendar-']) {
          const year = periodOf(`${prefix}year` as PeriodKind, d);
          const y = year.name.slice(-4);
          assertTiles(
            [1, 2, 3, 4].map((q) => parsePeriod(`${prefix}quarter-${y}-${q}`)),
            year,
          );
          assertTiles(
            [1, 2].map((h) => parsePeriod(`${prefix}half-year-${y}-${h}`)),
            year,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('property: parsePeriod(periodOf(kind, d).name) round-trips', () => {
    const kinds = [...OFFICIAL, ...CALENDAR].filter((k) => k !== 'nine-months');
    fc.assert(
      fc.property(fc.constantFrom(...kinds), anyDate, (kind, d) => {
        const p = periodOf(kind, d);
        assert.deepEqual(parsePeriod(p.name), p);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('recentPeriods', () => {
  test('lists the current and previous periods per official kind, most recent first', () => {
    const names = recentPeriods('2019-01-20', 3).map((p) => p.name);
    assert.deepEqual(names, [
      ...['month-2019-02', 'month-2019-01', 'month-2018-12'],
      ...['quarter-2019-1', 'quarter-2018-4', 'quarter-2018-3'],
      ...['half-year-2019-1', 'half-year-2018-2', 'half-year-2018-1'],
      ...['nine-months-2019', 'nine-months-2018', 'nine-months-2017'],
      ...['year-2019', 'year-2018', 'year-2017'],
    ]);
    assert.equal(recentPeriods('2019-10-01').length, 30);
    assert.equal(recentPeriods('2019-10-01')[0]!.name, 'month-2019-10');
  });

  test('stops at the first supported year', () => {
    const names = recentPeriods('2000-01-10', 3).map((p) => p.name);
    assert.deepEqual(names, ['month-2000-01', 'quarter-2000-1', 'half-year-2000-1', 'nine-months-2000', 'year-2000']);
  });
});

describe('periodLabel', () => {
  test('vi and en labels', () => {
    const label = (name: string, locale: 'vi' | 'en') => periodLabel(parsePeriod(name), locale);
    assert.equal(label('half-year-2019-1', 'vi'), '6 tháng đầu năm 2019 (15/12/2018 – 14/06/2019)');
    assert.equal(label('half-year-2019-2', 'vi'), '6 tháng cuối năm 2019 (15/06/2019 – 14/12/2019)');
    assert.equal(label('month-2019-06', 'vi'), 'Tháng 6/2019 (15/05/2019 – 14/06/2019)');
    assert.equal(label('quarter-2019-2', 'vi'), 'Quý 2/2019 (15/03/2019 – 14/06/2019)');
    assert.equal(label('nine-months-2019', 'vi'), '9 tháng năm 2019 (15/12/2018 – 14/09/2019)');
    assert.equal(label('year-2019', 'vi'), 'Năm 2019 (15/12/2018 – 14/12/2019)');
    assert.equal(label('calendar-month-2019-06', 'vi'), 'Tháng 6/2019 (theo tháng dương lịch)');
    assert.equal(label('calendar-quarter-2019-2', 'vi'), 'Quý 2/2019 (theo năm dương lịch)');
    assert.equal(label('half-year-2019-1', 'en'), 'First half of 2019 (15/12/2018 – 14/06/2019)');
    assert.equal(label('month-2019-06', 'en'), 'June 2019 (15/05/2019 – 14/06/2019)');
    assert.equal(label('quarter-2019-2', 'en'), 'Q2 2019 (15/03/2019 – 14/06/2019)');
    assert.equal(label('half-year-2019-2', 'en'), 'Second half of 2019 (15/06/2019 – 14/12/2019)');
    assert.equal(label('nine-months-2019', 'en'), 'Nine months of 2019 (15/12/2018 – 14/09/2019)');
    assert.equal(label('year-2019', 'en'), 'Year 2019 (15/12/2018 – 14/12/2019)');
    assert.equal(label('calendar-month-2019-06', 'en'), 'June 2019 (calendar)');
    assert.equal(label('calendar-half-year-2019-2', 'en'), 'Second half of 2019 (calendar)');
    assert.equal(label('calendar-year-2019', 'en'), 'Year 2019 (calendar)');
    const range = rangePeriod('2018-12-15', '2019-06-14');
    assert.equal(periodLabel(range, 'vi'), '15/12/2018 – 14/06/2019');
    assert.equal(periodLabel(range, 'en'), '15/12/2018 – 14/06/2019');
  });
});
