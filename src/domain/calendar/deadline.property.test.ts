import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MS_PER_DAY, MS_PER_MINUTE, VN_OFFSET_MS, toVnDate, vnDayOf, vnInstantMs } from './days.js';
import { WorkingCalendar } from './working-calendar.js';
import { publishedOrProposed } from './publishedYears.js';
import { computeDue, type DeadlineInput, type TimeUnit } from './deadline.js';
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from './office-hours.js';

const cal = new WorkingCalendar(publishedOrProposed);
const RUNS = 1000;

const FROM = Date.UTC(2020, 0, 1) - VN_OFFSET_MS;
const TO = Date.UTC(2031, 0, 1) - VN_OFFSET_MS;

// Receipts anywhere in 2020-2030, at whole minutes or at any millisecond.
const receipt = fc.oneof(
  fc.integer({ min: FROM / MS_PER_MINUTE, max: TO / MS_PER_MINUTE }).map((m) => m * MS_PER_MINUTE),
  fc.integer({ min: FROM, max: TO }),
);

// Amounts kept to realistic sizes so the property explores boundaries rather than far futures.
const unitAmount: fc.Arbitrary<{ unit: TimeUnit; amount: number }> = fc.oneof(
  fc.record({ unit: fc.constant<TimeUnit>('working_days'), amount: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ unit: fc.constant<TimeUnit>('hours'), amount: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ unit: fc.constant<TimeUnit>('days'), amount: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ unit: fc.constant<TimeUnit>('months'), amount: fc.integer({ min: 0, max: 36 }) }),
);

const FRIDAY_SHORT: OfficeHours = {
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
const hoursArb = fc.constantFrom(DEFAULT_OFFICE_HOURS, FRIDAY_SHORT);

function due(ms: number, u: { unit: TimeUnit; amount: number }, extra: Partial<DeadlineInput> = {}): number {
  return computeDue({ receivedAt: new Date(ms), ...u, calendar: cal, ...extra }).dueAt.getTime();
}

function insideOfficeHours(ms: number, hours: OfficeHours): boolean {
  const dn = vnDayOf(ms);
  const minute = (ms - vnInstantMs(dn, 0)) / MS_PER_MINUTE;
  const weekday = ((((dn + 3) % 7) + 7) % 7) + 1;
  const sessions = hours.weekdays?.[weekday as 5] ?? hours.sessions;
  const toMin = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return sessions.some((s) => minute >= toMin(s.start) && minute <= toMin(s.end));
}

describe('deadline properties', () => {
  test('the due instant is inside office hours on a working day', () => {
    fc.assert(
      fc.property(receipt, unitAmount, hoursArb, (ms, u, hours) => {
        const d = due(ms, u, { hours });
        assert.ok(cal.isWorkingDay(toVnDate(new Date(d))), `${new Date(d).toISOString()} is a working day`);
        assert.ok(insideOfficeHours(d, hours), `${new Date(d).toISOString()} is within office hours`);
        assert.ok(d >= ms, 'never due before the receipt');
      }),
      { numRuns: RUNS },
    );
  });

  test('one more unit never gives an earlier due date', () => {
    fc.assert(
      fc.property(receipt, unitAmount, hoursArb, (ms, u, hours) => {
        assert.ok(due(ms, { ...u, amount: u.amount + 1 }, { hours }) >= due(ms, u, { hours }));
      }),
      { numRuns: RUNS },
    );
  });

  test('a later receipt never gives an earlier due date', () => {
    const later = fc.oneof(fc.integer({ min: 0, max: 6 * 3_600_000 }), fc.integer({ min: 0, max: 40 * MS_PER_DAY }));
    fc.assert(
      fc.property(receipt, later, unitAmount, hoursArb, (ms, delta, u, hours) => {
        assert.ok(due(ms + delta, u, { hours }) >= due(ms, u, { hours }));
      }),
      { numRuns: RUNS },
    );
  });

  test("'subtract': a pause of k working days moves the due date by exactly k working days", () => {
    fc.assert(
      fc.property(
        receipt,
        fc.integer({ min: 0, max: 60 }).chain((amount) => fc.tuple(fc.constant(amount), fc.integer({ min: 0, max: amount }))),
        fc.integer({ min: 0, max: 20 }),
        (ms, [amount, startOffset], k) => {
          const u = { unit: 'working_days' as const, amount };
          const base = computeDue({ receivedAt: new Date(ms), ...u, calendar: cal });
          const day0 = vnDayOf(base.countFrom.getTime());
          // From the opening of a working day between day 0 and the due day (while the clock
          // runs) to the opening of the working day k working days later.
          const w = cal.addWorkingDn(day0, startOffset);
          const opening = (dn: number): Date => new Date(vnInstantMs(dn, 7.5 * 3_600_000));
          const pauses = [{ from: opening(w), to: opening(cal.addWorkingDn(w, k)) }];
          const paused = computeDue({ receivedAt: new Date(ms), ...u, calendar: cal, pauses });
          const expectedDay = cal.addWorkingDn(vnDayOf(base.dueAt.getTime()), k);
          assert.equal(vnDayOf(paused.dueAt.getTime()), expectedDay);
          assert.equal(paused.pausedWorkingDays, k);
          assert.equal(paused.skipped.filter((s) => s.kind === 'pause').length, k);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("'subtract': a pause begun after the due day does not move it", () => {
    fc.assert(
      fc.property(receipt, unitAmount, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 20 * MS_PER_DAY }), (ms, u, gap, len) => {
        const base = computeDue({ receivedAt: new Date(ms), ...u, calendar: cal });
        const from = new Date(vnInstantMs(vnDayOf(base.dueAt.getTime()) + gap, 8 * 3_600_000));
        const paused = computeDue({
          receivedAt: new Date(ms),
          ...u,
          calendar: cal,
          pauses: [{ from, to: new Date(from.getTime() + len) }],
        });
        assert.equal(paused.dueAt.getTime(), base.dueAt.getTime());
      }),
      { numRuns: RUNS },
    );
  });

  test("a pause starting at the receipt: 'subtract' and 'restart' agree on working days", () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 30 * MS_PER_DAY }), (ms, amount, len) => {
        const pauses = [{ from: new Date(ms), to: new Date(ms + len) }];
        const input = { receivedAt: new Date(ms), amount, unit: 'working_days' as const, calendar: cal, pauses };
        assert.equal(
          computeDue({ ...input, convention: 'subtract' }).dueAt.getTime(),
          computeDue({ ...input, convention: 'restart' }).dueAt.getTime(),
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('skipped explains exactly the days that did not count', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 0, max: 60 }), (ms, amount) => {
        const r = computeDue({ receivedAt: new Date(ms), amount, unit: 'working_days', calendar: cal });
        const day0 = vnDayOf(r.countFrom.getTime());
        const first = Math.min(vnDayOf(ms), day0);
        const last = vnDayOf(r.dueAt.getTime());
        // Every day from the receipt to the due day is either worked or explained.
        const working = cal.countWorkingDn(first, last + 1);
        assert.equal(r.skipped.length + working, last - first + 1);
        // The worked ones are day 0 and the N counted days, plus the receipt day itself when it
        // was a working day but the receipt came after the cutoff.
        const lateReceiptDay = first < day0 && cal.isWorkingDn(first) ? 1 : 0;
        assert.equal(working, amount + 1 + lateReceiptDay);
      }),
      { numRuns: RUNS },
    );
  });
});
