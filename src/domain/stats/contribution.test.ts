import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { computeDue, WorkingCalendar, publishedOrProposed } from '../calendar/index.js';
import { vnDayOf } from '../calendar/days.js';
import { appointments, contribution, elapsed, type DossierFacts } from './contribution.js';
import { MEASURES, addMeasures, zeroMeasures, type Measures } from './measures.js';

const cal = new WorkingCalendar(publishedOrProposed);
const at = (s: string) => new Date(`${s}+07:00`);
const day = (s: string) => vnDayOf(at(`${s}T12:00:00`).getTime());

/** Received Monday 3 June 2019 09:00, 5 working days: due Monday 10 June 17:00. */
function facts(over: Partial<DossierFacts> = {}): DossierFacts {
  const receivedAt = at('2019-06-03T09:00:00');
  const timeLimit = { amount: 5, unit: 'working_days' as const };
  const pauses = over.pauses ?? [];
  const dueAt = computeDue({ receivedAt, amount: 5, unit: 'working_days', calendar: cal, pauses }).dueAt;
  return {
    receivedAt,
    finishedAt: null,
    status: 4,
    outcome: null,
    withdrawn: false,
    dueAt,
    originalDueAt: null,
    pauses,
    timeLimit,
    electronicResult: false,
    digitised: false,
    withFee: false,
    paidOnline: false,
    ...over,
  };
}

const sum = (deltas: { m: Partial<Measures> }[]) => deltas.reduce((acc, d) => addMeasures(acc, d.m), zeroMeasures());

describe('what a dossier contributes to statistics', () => {
  test('reception alone: one count on the day it was received', () => {
    assert.deepEqual(contribution(facts(), cal, 'subtract', 0, 1), [{ day: day('2019-06-03'), m: { received: 1 } }]);
  });

  test('finished on the appointment day: on time under both conventions, no overdue interval', () => {
    const f = facts({ finishedAt: at('2019-06-10T10:00:00'), status: 10, outcome: 'approved' });
    const m = sum(contribution(f, cal, 'subtract', 0, 2));
    assert.equal(m.fin_on_time_s, 1);
    assert.equal(m.fin_on_time_r, 1);
    assert.equal(m.od_start_s + m.od_end_s, 0);
    assert.equal(m.time_n, 1);
    assert.equal(m.time_sum_s, 5);
  });

  test('late: overdue from the appointment day until the day it ended', () => {
    const f = facts({ finishedAt: at('2019-06-12T10:00:00'), status: 9, outcome: 'rejected' });
    const d = contribution(f, cal, 'subtract', 1, 2);
    const m = sum(d);
    assert.equal(m.fin_late_s, 1);
    assert.equal(m.fin_rejected, 1);
    assert.equal(m.received, 0, 'reception was counted before');
    assert.deepEqual(
      d.filter((x) => x.m.od_start_s || x.m.od_end_s).map((x) => x.day),
      [day('2019-06-10'), day('2019-06-12')],
    );
  });

  test('a wait for a supplement: on time with the pause subtracted, late when the count restarts', () => {
    // Waited Tue 4 June 09:00 to Fri 7 June 09:00 (3 working days); finished Wed 12 June.
    const pauses = [{ from: at('2019-06-04T09:00:00'), to: at('2019-06-07T09:00:00') }];
    const f = facts({ pauses, finishedAt: at('2019-06-13T10:00:00'), status: 10, outcome: 'approved' });
    const a = appointments(f, cal, 'subtract');
    assert.equal(vnDayOf(a.s!.getTime()), day('2019-06-13'));
    assert.equal(vnDayOf(a.r!.getTime()), day('2019-06-14'));
    const m = sum(contribution(f, cal, 'subtract', 0, 2));
    assert.equal(m.fin_on_time_s, 1);
    assert.equal(m.fin_early_r, 1);
    assert.equal(m.time_sum_s, 5, 'eight working days less the three waited');
    assert.equal(m.time_sum_r, 4, 'counted from Friday');
  });

  test('an apology keeps the first appointment for statistics', () => {
    const f = facts({
      finishedAt: at('2019-06-12T10:00:00'),
      status: 10,
      originalDueAt: at('2019-06-10T17:00:00'),
      dueAt: at('2019-06-14T17:00:00'),
    });
    assert.equal(sum(contribution(f, cal, 'subtract', 0, 2)).fin_late_s, 1);
  });

  test('withdrawn, stopped, refused at reception, and no time limit', () => {
    const end = at('2019-06-05T10:00:00');
    assert.equal(sum(contribution(facts({ finishedAt: end, status: 8, withdrawn: true }), cal, 'subtract', 0, 2)).withdrawn, 1);
    assert.equal(sum(contribution(facts({ finishedAt: end, status: 8 }), cal, 'subtract', 0, 2)).stopped, 1);
    const refused = contribution(facts({ receivedAt: null, finishedAt: end, status: 3 }), cal, 'subtract', 0, 2);
    assert.deepEqual(refused, [{ day: day('2019-06-05'), m: { refused_rec: 1 } }]);
    const noLimit = sum(contribution(facts({ timeLimit: null, dueAt: null, finishedAt: end, status: 10 }), cal, 'subtract', 0, 2));
    assert.equal(noLimit.fin_on_time_s, 1);
    assert.equal(noLimit.time_n, 0);
  });

  test('elapsed time in the procedure unit: hours count office time', () => {
    const f = facts({ timeLimit: { amount: 8, unit: 'hours' }, finishedAt: at('2019-06-03T14:00:00'), status: 10 });
    assert.equal(elapsed(f, cal, 's'), 3, '09:00-11:30 and 13:30-14:00');
  });

  test('counting in two steps gives the same as counting at once (the roll-up job relies on it)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom(3, 8, 9, 10),
        fc.boolean(),
        fc.integer({ min: 0, max: 5 }),
        (finishIn, minutes, status, withdrawn, wait) => {
          const pauses = wait
            ? [{ from: at('2019-06-04T09:00:00'), to: new Date(at('2019-06-04T09:00:00').getTime() + wait * 86_400_000) }]
            : [];
          const finishedAt = new Date(at('2019-06-03T09:00:00').getTime() + finishIn * 86_400_000 + minutes * 60_000);
          const f = facts({ pauses, finishedAt, status, withdrawn: status === 8 && withdrawn });
          const once = sum(contribution(f, cal, 'subtract', 0, 2));
          const twice = sum([...contribution(f, cal, 'subtract', 0, 1), ...contribution(f, cal, 'subtract', 1, 2)]);
          for (const k of MEASURES) assert.ok(Math.abs(once[k] - twice[k]) < 1e-9, k);
          // Every received dossier ends exactly once.
          const ended = once.fin_early_s + once.fin_on_time_s + once.fin_late_s + once.withdrawn + once.stopped;
          assert.equal(ended, 1);
          assert.equal(once.od_start_s, once.od_end_s);
        },
      ),
    );
  });
});
