import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarError } from './errors.js';
import { formatVnIso, vnDateTime } from './days.js';
import { WorkingCalendar } from './working-calendar.js';
import { publishedOrProposed } from './publishedYears.js';
import { classify, classifyStep, computeDue, type DeadlineInput, type TimeUnit } from './deadline.js';

// 2026 is the published calendar (Tết Mon 16 - Fri 20/2, swap Fri 2/1 <-> Sat 10/1, Giỗ Tổ Sun
// 26/4 + Mon 27/4 in lieu, 30/4 Thu, 1/5 Fri, 1-2/9); 2025 published (swap Sat 26/4 <-> Fri 2/5);
// 2024 and 2027 are proposals (Tết 2027: Fri 5 - Tue 9/2 + Wed 10, Thu 11/2 in lieu).
const cal = new WorkingCalendar(publishedOrProposed);

const at = vnDateTime;

interface Row {
  name: string;
  received: [string, string];
  amount: number;
  unit: TimeUnit;
  due: string;
  countFrom?: string;
  extra?: Partial<DeadlineInput>;
}

// Every expected value below was worked out by hand from the calendar, as the comments show.
const rows: Row[] = [
  // --- working days -----------------------------------------------------------------------------
  // Fri 13/2 is day 0; Sat 14 - Sun 22 are off (weekend, Tết 16-20, weekend): 1 = Mon 23,
  // 2 = Tue 24, 3 = Wed 25.
  {
    name: 'across Tết 2026',
    received: ['2026-02-13', '10:00'],
    amount: 3,
    unit: 'working_days',
    due: '2026-02-25T17:00:00+07:00',
    countFrom: '2026-02-13T10:00:00+07:00',
  },
  // 15:01 is after the cutoff: counts from the next opening, Mon 23/2 07:30; 1 = Tue 24.
  {
    name: 'Friday 15:01 before Tết',
    received: ['2026-02-13', '15:01'],
    amount: 1,
    unit: 'working_days',
    due: '2026-02-24T17:00:00+07:00',
    countFrom: '2026-02-23T07:30:00+07:00',
  },
  // Fri 6/3/2026 15:01 -> Mon 9/3 07:30; 1 working day -> Tue 10/3 at close.
  {
    name: 'Friday 15:01',
    received: ['2026-03-06', '15:01'],
    amount: 1,
    unit: 'working_days',
    due: '2026-03-10T17:00:00+07:00',
    countFrom: '2026-03-09T07:30:00+07:00',
  },
  // 15:00 itself is not after 15:00: day 0 is Friday, 1 = Mon 9/3.
  { name: 'Friday 15:00 exactly', received: ['2026-03-06', '15:00'], amount: 1, unit: 'working_days', due: '2026-03-09T17:00:00+07:00' },
  // Sunday 8/3 is not a working day: counts from Mon 9/3 07:30; 1 = Tue 10, 2 = Wed 11.
  {
    name: 'received on a Sunday',
    received: ['2026-03-08', '10:00'],
    amount: 2,
    unit: 'working_days',
    due: '2026-03-11T17:00:00+07:00',
    countFrom: '2026-03-09T07:30:00+07:00',
  },
  // Before opening on a working day: that day's opening, so still day 0 = Mon 9/3; 1 = Tue 10.
  {
    name: 'received before opening',
    received: ['2026-03-09', '06:45'],
    amount: 1,
    unit: 'working_days',
    due: '2026-03-10T17:00:00+07:00',
    countFrom: '2026-03-09T07:30:00+07:00',
  },
  // Lunch break before the cutoff counts as that day; counting resumes at 13:30.
  {
    name: 'received at lunch',
    received: ['2026-03-09', '12:15'],
    amount: 1,
    unit: 'working_days',
    due: '2026-03-10T17:00:00+07:00',
    countFrom: '2026-03-09T13:30:00+07:00',
  },
  // Same-day procedure (0): the same day's close, or the next working day's after 15:00.
  { name: 'same-day procedure', received: ['2026-03-09', '14:00'], amount: 0, unit: 'working_days', due: '2026-03-09T17:00:00+07:00' },
  {
    name: 'same-day procedure after 15:00',
    received: ['2026-03-09', '15:30'],
    amount: 0,
    unit: 'working_days',
    due: '2026-03-10T17:00:00+07:00',
  },
  {
    name: 'same-day procedure on Friday 16:00 before Tết',
    received: ['2026-02-13', '16:00'],
    amount: 0,
    unit: 'working_days',
    due: '2026-02-23T17:00:00+07:00',
  },
  // Tết 2027 (proposed): Thu 4/2 is day 0; Fri 5 - Tue 9 Tết, Wed 10 - Thu 11 in lieu;
  // 1 = Fri 12/2, then the weekend, 2 = Mon 15/2.
  {
    name: 'across Tết 2027 (proposed)',
    received: ['2027-02-04', '09:00'],
    amount: 2,
    unit: 'working_days',
    due: '2027-02-15T17:00:00+07:00',
  },
  // Fri 24/4/2026 day 0; Sat 25, Sun 26 (Giỗ Tổ), Mon 27 (in lieu) off; 1 = Tue 28, 2 = Wed 29;
  // Thu 30/4, Fri 1/5 holidays, weekend; 3 = Mon 4/5.
  {
    name: 'Giỗ Tổ and 30/4-1/5 2026',
    received: ['2026-04-24', '10:00'],
    amount: 3,
    unit: 'working_days',
    due: '2026-05-04T17:00:00+07:00',
  },
  // Fri 28/8/2026 day 0; 1 = Mon 31/8; Tue 1/9 and Wed 2/9 off; 2 = Thu 3/9.
  { name: 'National Day 2026', received: ['2026-08-28', '14:00'], amount: 2, unit: 'working_days', due: '2026-09-03T17:00:00+07:00' },
  // Thu 24/4/2025 day 0; 1 = Fri 25, 2 = Sat 26 (worked, swap), 3 = Mon 28, 4 = Tue 29;
  // Wed 30/4, Thu 1/5 holidays, Fri 2/5 swapped off, weekend; 5 = Mon 5/5.
  {
    name: '2025 swap: working Saturday 26/4 counts, Friday 2/5 does not',
    received: ['2025-04-24', '10:00'],
    amount: 5,
    unit: 'working_days',
    due: '2025-05-05T17:00:00+07:00',
  },
  // Fri 25/4/2025 16:00 is after the cutoff: the next opening is the working Saturday 26/4;
  // 1 = Mon 28/4.
  {
    name: '2025: after the cutoff on Friday, counting starts on the working Saturday',
    received: ['2025-04-25', '16:00'],
    amount: 1,
    unit: 'working_days',
    due: '2025-04-28T17:00:00+07:00',
    countFrom: '2025-04-26T07:30:00+07:00',
  },
  // Fri 9/1/2026 15:30 -> Sat 10/1 (worked) 07:30; 1 = Mon 12/1.
  {
    name: '2026: working Saturday 10/1',
    received: ['2026-01-09', '15:30'],
    amount: 1,
    unit: 'working_days',
    due: '2026-01-12T17:00:00+07:00',
    countFrom: '2026-01-10T07:30:00+07:00',
  },
  // Wed 31/12/2025 day 0; Thu 1/1 holiday, Fri 2/1 swapped off, weekend; 1 = Mon 5/1/2026.
  { name: 'across New Year 2026', received: ['2025-12-31', '09:00'], amount: 1, unit: 'working_days', due: '2026-01-05T17:00:00+07:00' },

  // --- hours (sessions 07:30-11:30 = 4 h and 13:30-17:00 = 3.5 h) ---------------------------------
  // 10:00-11:30 = 1.5 h, then 2.5 h from 13:30 -> 16:00.
  {
    name: 'hours across lunch',
    received: ['2026-03-09', '10:00'],
    amount: 4,
    unit: 'hours',
    due: '2026-03-09T16:00:00+07:00',
    countFrom: '2026-03-09T10:00:00+07:00',
  },
  // 14:00-17:00 = 3 h, 1 h next morning from 07:30 -> Tue 08:30.
  { name: 'hours across the evening', received: ['2026-03-09', '14:00'], amount: 4, unit: 'hours', due: '2026-03-10T08:30:00+07:00' },
  // 09:30 + 2 h ends exactly at 11:30, which is the due instant (not 13:30).
  {
    name: 'hours ending at the lunch break',
    received: ['2026-03-09', '09:30'],
    amount: 2,
    unit: 'hours',
    due: '2026-03-09T11:30:00+07:00',
  },
  // Received at lunch: counting starts 13:30, 1 h -> 14:30.
  { name: 'hours received at lunch', received: ['2026-03-09', '12:15'], amount: 1, unit: 'hours', due: '2026-03-09T14:30:00+07:00' },
  // After the cutoff: Fri 15:30 -> Mon 9/3 07:30 + 2 h -> 09:30.
  {
    name: 'hours received after the cutoff',
    received: ['2026-03-06', '15:30'],
    amount: 2,
    unit: 'hours',
    due: '2026-03-09T09:30:00+07:00',
    countFrom: '2026-03-09T07:30:00+07:00',
  },
  // Fri 13/2 14:00: 3 h that day, 5 h left; next working day Mon 23/2: 4 h by 11:30, 1 h -> 14:30.
  { name: 'hours across Tết 2026', received: ['2026-02-13', '14:00'], amount: 8, unit: 'hours', due: '2026-02-23T14:30:00+07:00' },
  // 40 h from Mon 9/3 07:30: five full days = 37.5 h (Mon-Fri), 2.5 h on Mon 16/3 -> 10:00.
  { name: 'forty hours', received: ['2026-03-09', '07:30'], amount: 40, unit: 'hours', due: '2026-03-16T10:00:00+07:00' },
  // 15 h from Mon 9/3 07:30 is exactly two full days: due at Tuesday's close, not Wednesday 07:30.
  {
    name: 'hours ending exactly at a close',
    received: ['2026-03-09', '07:30'],
    amount: 15,
    unit: 'hours',
    due: '2026-03-10T17:00:00+07:00',
  },

  // --- calendar days ------------------------------------------------------------------------------
  // Fri 24/4/2026 + 2 = Sun 26/4 (Giỗ Tổ); Mon 27 is in lieu -> Tue 28/4 (Art. 148).
  { name: 'calendar days landing on Giỗ Tổ', received: ['2026-04-24', '09:00'], amount: 2, unit: 'days', due: '2026-04-28T17:00:00+07:00' },
  // Tue 28/4 + 2 = Thu 30/4 (holiday); Fri 1/5 holiday, weekend -> Mon 4/5.
  { name: 'calendar days landing on 30/4', received: ['2026-04-28', '09:00'], amount: 2, unit: 'days', due: '2026-05-04T17:00:00+07:00' },
  // Mon 9/2/2026 + 10 = Thu 19/2 (mùng 3 Tết) -> Fri 20 Tết, weekend -> Mon 23/2.
  { name: 'calendar days landing in Tết', received: ['2026-02-09', '09:00'], amount: 10, unit: 'days', due: '2026-02-23T17:00:00+07:00' },
  // Fri 6/3 16:00 is after the cutoff: day 0 = Mon 9/3; + 7 = Mon 16/3.
  { name: 'calendar days after the cutoff', received: ['2026-03-06', '16:00'], amount: 7, unit: 'days', due: '2026-03-16T17:00:00+07:00' },

  // --- months -------------------------------------------------------------------------------------
  // Thu 31/7/2025 + 2 months: September has no 31st -> Tue 30/9/2025, a working day.
  {
    name: 'months clamped to the end of September',
    received: ['2025-07-31', '10:00'],
    amount: 2,
    unit: 'months',
    due: '2025-09-30T17:00:00+07:00',
  },
  // Fri 31/1/2025 is a Tết day (published 2025): day 0 is Mon 3/2, + 1 month = Mon 3/3/2025.
  {
    name: 'months from a receipt during Tết 2025',
    received: ['2025-01-31', '10:00'],
    amount: 1,
    unit: 'months',
    due: '2025-03-03T17:00:00+07:00',
    countFrom: '2025-02-03T07:30:00+07:00',
  },
  // Wed 31/1/2024 + 1 month -> Thu 29/2/2024 (leap year).
  { name: 'month clamped to 29 February', received: ['2024-01-31', '10:00'], amount: 1, unit: 'months', due: '2024-02-29T17:00:00+07:00' },
  // Mon 31/8/2026 + 6 months -> 28/2/2027, a Sunday -> Mon 1/3/2027.
  {
    name: 'months clamped, then off a Sunday',
    received: ['2026-08-31', '10:00'],
    amount: 6,
    unit: 'months',
    due: '2027-03-01T17:00:00+07:00',
  },
  // Thu 5/2/2026 + 12 months -> Fri 5/2/2027, Tết eve (proposed); Tết to Tue 9, in lieu Wed 10,
  // Thu 11 -> Fri 12/2/2027.
  { name: 'a year landing on Tết 2027', received: ['2026-02-05', '10:00'], amount: 12, unit: 'months', due: '2027-02-12T17:00:00+07:00' },
];

describe('computeDue: table', () => {
  for (const r of rows) {
    test(r.name, () => {
      const res = computeDue({ receivedAt: at(...r.received), amount: r.amount, unit: r.unit, calendar: cal, ...r.extra });
      assert.equal(formatVnIso(res.dueAt), r.due);
      if (r.countFrom) assert.equal(formatVnIso(res.countFrom), r.countFrom);
    });
  }
});

describe('computeDue: explanation', () => {
  test('skipped lists every day off from the receipt day to the due day, with reasons', () => {
    const res = computeDue({ receivedAt: at('2026-02-13', '15:01'), amount: 1, unit: 'working_days', calendar: cal });
    assert.deepEqual(
      res.skipped.map((s) => `${s.date} ${s.kind}`),
      [
        '2026-02-14 weekend',
        '2026-02-15 weekend',
        '2026-02-16 holiday',
        '2026-02-17 holiday',
        '2026-02-18 holiday',
        '2026-02-19 holiday',
        '2026-02-20 holiday',
        '2026-02-21 weekend',
        '2026-02-22 weekend',
      ],
    );
    assert.deepEqual(res.skipped[2]?.reason, { vi: 'Tết Nguyên đán (29 tháng Chạp)', en: "Lunar New Year (Tết), New Year's Eve" });
    assert.deepEqual(res.skipped[0]?.reason, { vi: 'Thứ Bảy', en: 'Saturday' });
    assert.equal(res.skipped, res.skipped, 'computed once');
  });

  test('a receipt on a non-working day explains that day too', () => {
    const res = computeDue({ receivedAt: at('2026-04-26', '10:00'), amount: 1, unit: 'working_days', calendar: cal });
    // Sun 26/4 (Giỗ Tổ) -> Mon 27 (in lieu) -> counts from Tue 28; due Wed 29/4.
    assert.equal(formatVnIso(res.dueAt), '2026-04-29T17:00:00+07:00');
    assert.deepEqual(
      res.skipped.map((s) => `${s.date} ${s.kind} ${s.reason.vi}`),
      ['2026-04-26 holiday Giỗ Tổ Hùng Vương', '2026-04-27 day_off Nghỉ bù Giỗ Tổ Hùng Vương'],
    );
  });

  test('one second past 15:00 is after the cutoff', () => {
    const res = computeDue({
      receivedAt: new Date(at('2026-03-06', '15:00').getTime() + 1000),
      amount: 1,
      unit: 'working_days',
      calendar: cal,
    });
    assert.equal(formatVnIso(res.countFrom), '2026-03-09T07:30:00+07:00');
  });

  test('pause fields exist only when pauses were given', () => {
    const res = computeDue({ receivedAt: at('2026-03-06', '10:00'), amount: 1, unit: 'working_days', calendar: cal });
    assert.equal('pausedWorkingDays' in res, false);
    assert.equal('provisional' in res, false);
  });

  test('JSON carries the explanation', () => {
    const res = computeDue({ receivedAt: at('2026-03-06', '15:01'), amount: 1, unit: 'working_days', calendar: cal });
    const json = JSON.parse(JSON.stringify(res)) as { skipped: unknown[]; dueAt: string };
    assert.equal(json.skipped.length, 2);
    assert.equal(json.dueAt, '2026-03-10T10:00:00.000Z');
  });
});

describe('computeDue: pauses', () => {
  // Received Mon 9/3/2026 09:00 with 5 working days: 1 Tue 10 .. 4 Fri 13, 5 = Mon 16/3.
  const base = { receivedAt: at('2026-03-09', '09:00'), amount: 5, unit: 'working_days' as const, calendar: cal };

  test('subtract: a pause Wed 10:00 -> Fri 09:00 stops Wed and Thu, so the due moves 2 days', () => {
    const res = computeDue({ ...base, pauses: [{ from: at('2026-03-11', '10:00'), to: at('2026-03-13', '09:00') }] });
    // Mon 16 + 2 working days = Wed 18/3.
    assert.equal(formatVnIso(res.dueAt), '2026-03-18T17:00:00+07:00');
    assert.equal(res.pausedWorkingDays, 2);
    assert.deepEqual(
      res.skipped.map((s) => `${s.date} ${s.kind}`),
      ['2026-03-11 pause', '2026-03-12 pause', '2026-03-14 weekend', '2026-03-15 weekend'],
    );
  });

  test('restart: the same pause restarts the count from Friday 13/3', () => {
    const res = computeDue({
      ...base,
      convention: 'restart',
      pauses: [{ from: at('2026-03-11', '10:00'), to: at('2026-03-13', '09:00') }],
    });
    // Day 0 = Fri 13; 1 Mon 16 .. 5 = Fri 20/3.
    assert.equal(formatVnIso(res.dueAt), '2026-03-20T17:00:00+07:00');
    assert.equal(formatVnIso(res.countFrom), '2026-03-13T09:00:00+07:00');
  });

  test('restart ignores a pause that ended before the receipt', () => {
    const pauses = [{ from: at('2026-03-02', '10:00'), to: at('2026-03-03', '10:00') }];
    assert.equal(formatVnIso(computeDue({ ...base, pauses, convention: 'restart' }).dueAt), '2026-03-16T17:00:00+07:00');
    // subtract: the pause lies before countFrom, so nothing of it is counted either.
    assert.equal(computeDue({ ...base, pauses }).pausedWorkingDays, 0);
  });

  test('a supplement received after 15:00 counts from the next working day', () => {
    const pauses = [{ from: at('2026-03-11', '10:00'), to: at('2026-03-13', '16:00') }];
    // subtract: Wed, Thu, Fri stopped -> Mon 16 + 3 = Thu 19/3.
    assert.equal(formatVnIso(computeDue({ ...base, pauses }).dueAt), '2026-03-19T17:00:00+07:00');
    // restart: day 0 = Mon 16 -> 5 = Mon 23/3.
    assert.equal(formatVnIso(computeDue({ ...base, pauses, convention: 'restart' }).dueAt), '2026-03-23T17:00:00+07:00');
  });

  test('overlapping pauses count once; a pause within one day stops nothing', () => {
    const pauses = [
      { from: at('2026-03-11', '10:00'), to: at('2026-03-13', '09:00') },
      { from: at('2026-03-12', '08:00'), to: at('2026-03-12', '10:00') },
      { from: at('2026-03-16', '08:00'), to: at('2026-03-16', '14:00') },
    ];
    const res = computeDue({ ...base, pauses });
    assert.equal(res.pausedWorkingDays, 2);
    assert.equal(formatVnIso(res.dueAt), '2026-03-18T17:00:00+07:00');
  });

  test('hours: office time inside the pause is added back', () => {
    // 8 h from Mon 9/3 09:00: 2.5 h + 3.5 h on Monday, 2 h on Tuesday -> 09:30. A pause
    // Mon 14:00-16:00 stops 2 office hours -> Tue 11:30.
    const res = computeDue({
      receivedAt: at('2026-03-09', '09:00'),
      amount: 8,
      unit: 'hours',
      calendar: cal,
      pauses: [{ from: at('2026-03-09', '14:00'), to: at('2026-03-09', '16:00') }],
    });
    assert.equal(formatVnIso(res.dueAt), '2026-03-10T11:30:00+07:00');
    assert.equal(res.pausedOfficeMinutes, 120);
  });

  test('calendar days: the end moves by the calendar days stopped', () => {
    // Mon 9/3 + 10 = Thu 19/3; pause Tue 10 -> Thu 12 = 2 days -> Sat 21 -> Mon 23/3.
    const res = computeDue({
      receivedAt: at('2026-03-09', '09:00'),
      amount: 10,
      unit: 'days',
      calendar: cal,
      pauses: [{ from: at('2026-03-10', '09:00'), to: at('2026-03-12', '09:00') }],
    });
    assert.equal(res.pausedCalendarDays, 2);
    assert.equal(formatVnIso(res.dueAt), '2026-03-23T17:00:00+07:00');
  });

  test('an open pause needs `now`, and then gives a provisional due date', () => {
    const pauses = [{ from: at('2026-03-11', '10:00'), to: null }];
    assert.throws(() => computeDue({ ...base, pauses }), isCode('open_pause'));
    const res = computeDue({ ...base, pauses, now: at('2026-03-13', '09:00') });
    assert.equal(res.provisional, true);
    assert.equal(formatVnIso(res.dueAt), '2026-03-18T17:00:00+07:00');
  });

  test('invalid pauses', () => {
    const rev = [{ from: at('2026-03-12', '10:00'), to: at('2026-03-11', '10:00') }];
    assert.throws(() => computeDue({ ...base, pauses: rev }), isCode('invalid_pause'));
    const twoOpen = [
      { from: at('2026-03-11', '10:00'), to: null },
      { from: at('2026-03-12', '10:00'), to: null },
    ];
    assert.throws(() => computeDue({ ...base, pauses: twoOpen, now: at('2026-03-13', '10:00') }), isCode('invalid_pause'));
    assert.throws(() => computeDue({ ...base, pauses: [{ from: new Date(NaN), to: null }], now: new Date() }), isCode('invalid_date'));
    assert.throws(() => computeDue({ ...base, convention: 'sometimes' as 'restart' }), isCode('unknown_convention'));
  });
});

function isCode(code: string) {
  return (e: unknown): boolean => e instanceof CalendarError && e.code === code;
}

describe('computeDue: validation', () => {
  const ok = { receivedAt: at('2026-03-09', '09:00'), calendar: cal };
  test('amounts are integers within ten years of the unit', () => {
    for (const [amount, unit] of [
      [-1, 'working_days'],
      [1.5, 'working_days'],
      [2601, 'working_days'],
      [87601, 'hours'],
      [3654, 'days'],
      [121, 'months'],
      [Number.NaN, 'days'],
    ] as const) {
      assert.throws(() => computeDue({ ...ok, amount, unit }), isCode('amount_out_of_range'), `${amount} ${unit}`);
    }
    for (const [amount, unit] of [
      [2600, 'working_days'],
      [87600, 'hours'],
      [3653, 'days'],
      [120, 'months'],
    ] as const) {
      computeDue({ ...ok, amount, unit });
    }
  });

  test('unknown units, invalid instants, years out of range', () => {
    assert.throws(() => computeDue({ ...ok, amount: 1, unit: 'weeks' as TimeUnit }), isCode('unknown_time_unit'));
    assert.throws(() => computeDue({ ...ok, receivedAt: new Date('nope'), amount: 1, unit: 'days' }), isCode('invalid_date'));
    assert.throws(
      () => computeDue({ ...ok, receivedAt: at('2100-12-01', '09:00'), amount: 3, unit: 'months' }),
      isCode('year_out_of_range'),
    );
    assert.throws(
      () => computeDue({ ...ok, receivedAt: new Date(Date.UTC(1899, 11, 31)), amount: 1, unit: 'days' }),
      isCode('year_out_of_range'),
    );
  });

  test('custom office hours: a desk closing at 16:00 on Fridays', () => {
    const hours = {
      sessions: [
        { start: '07:30', end: '11:30' },
        { start: '13:30', end: '17:00' },
      ],
      cutoff: '15:00',
      weekdays: {
        5: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '16:00' },
        ],
      },
    };
    // 1 working day from Thu 12/3 -> Fri 13/3 at the Friday close, 16:00.
    assert.equal(
      formatVnIso(computeDue({ ...ok, receivedAt: at('2026-03-12', '09:00'), amount: 1, unit: 'working_days', hours }).dueAt),
      '2026-03-13T16:00:00+07:00',
    );
    // 6 h from Thu 14:00: 3 h on Thursday (to 17:00), then Friday 08:00 + 3 h -> 11:00.
    assert.equal(
      formatVnIso(computeDue({ ...ok, receivedAt: at('2026-03-12', '14:00'), amount: 6, unit: 'hours', hours }).dueAt),
      '2026-03-13T11:00:00+07:00',
    );
  });
});

describe('classify', () => {
  const due = at('2026-02-24', '17:00');
  test('early, on time (any time of the due day), late', () => {
    assert.equal(classify(at('2026-02-23', '16:00'), due), 'early');
    assert.equal(classify(at('2026-02-24', '08:00'), due), 'on_time');
    assert.equal(classify(at('2026-02-24', '22:30'), due), 'on_time');
    assert.equal(classify(at('2026-02-25', '07:00'), due), 'late');
  });

  test('with a calendar, finishing on a day off counts on the next working day', () => {
    const dueMonday = at('2026-02-23', '17:00');
    // Sunday 22/2 -> Monday 23/2, the due day.
    assert.equal(classify(at('2026-02-22', '10:00'), dueMonday, cal), 'on_time');
    assert.equal(classify(at('2026-02-22', '10:00'), dueMonday), 'early');
    assert.equal(classify(at('2026-02-20', '10:00'), dueMonday, cal), 'on_time'); // Tết day 4
    assert.equal(classify(at('2026-02-13', '10:00'), dueMonday, cal), 'early');
  });

  test('classifyStep uses the same rules', () => {
    // 1 working day from Mon 9/3 10:00 -> due Tue 10/3 17:00.
    const w = { amount: 1, unit: 'working_days' as const };
    assert.equal(classifyStep(at('2026-03-09', '10:00'), at('2026-03-09', '16:00'), w, cal), 'early');
    assert.equal(classifyStep(at('2026-03-09', '10:00'), at('2026-03-10', '16:59'), w, cal), 'on_time');
    assert.equal(classifyStep(at('2026-03-09', '10:00'), at('2026-03-11', '08:00'), w, cal), 'late');
    // 2 h from 10:00: 1.5 h to 11:30, 0.5 h from 13:30 -> due 14:00; 16:00 is the same day.
    const h = { amount: 2, unit: 'hours' as const };
    assert.equal(classifyStep(at('2026-03-09', '10:00'), at('2026-03-09', '16:00'), h, cal), 'on_time');
    assert.equal(classifyStep(at('2026-03-09', '10:00'), at('2026-03-10', '08:00'), h, cal), 'late');
  });
});

describe('formatVnIso', () => {
  test('writes Vietnam time with its offset, whatever the process time zone', () => {
    assert.equal(formatVnIso(new Date('2026-02-23T10:00:00Z')), '2026-02-23T17:00:00+07:00');
    assert.equal(formatVnIso(new Date('2026-02-23T20:30:15.999Z')), '2026-02-24T03:30:15+07:00');
    assert.throws(() => formatVnIso(new Date(NaN)), isCode('invalid_date'));
  });
});
