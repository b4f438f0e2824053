import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, cal, isCode } from '../../../test/helpers/deadline.js';
import { formatVnIso } from './days.js';
import { classify, classifyStep, computeDue, type TimeUnit } from './deadline.js';

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
