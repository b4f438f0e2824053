import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { at, cal } from '../../../test/helpers/deadline.js';
import { formatVnIso } from './days.js';
import { computeDue, type DeadlineInput, type TimeUnit } from './deadline.js';

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
