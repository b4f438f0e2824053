import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, cal, isCode } from '../../../test/helpers/deadline.js';
import { formatVnIso } from './days.js';
import { computeDue } from './deadline.js';

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
