import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { timingAnomalies, type TimingInput } from '../../src/domain/contest/anomalies.js';

const RULES = { minAnswerMs: 2000, minSecondsPerQuestion: 3, regularMaxStddevMs: 150 };
/** An entry started at 0 with answers after the given gaps (ms), submitted `submit` ms after the start. */
const entry = (gaps: number[], submit: number | null = null): TimingInput => {
  let t = 0;
  return { startedAt: 0, submittedAt: submit, questions: gaps.length, answeredAt: gaps.map((g) => (t += g)) };
};
const kinds = (e: TimingInput) => timingAnomalies(e, RULES).map((f) => f.kind);

describe('answer-timing rules', () => {
  test('answers too fast: at least 3, and at least half of the answers, under the reading time', () => {
    assert.deepEqual(kinds(entry([5000, 1500, 1500, 1500, 9000])), ['answers_too_fast']);
    assert.deepEqual(kinds(entry([5000, 1500, 1500, 9000, 7000])), [], 'two fast answers are not enough');
    assert.deepEqual(kinds(entry([1500, 1500, 1500, 9000, 7000, 8000, 6100, 5200])), [], 'fewer than half');
    const [f] = timingAnomalies(entry([1999, 1000, 1500, 2500]), RULES);
    assert.deepEqual(f, { kind: 'answers_too_fast', evidence: { fastAnswers: 3, answers: 4, fastestGapMs: 1000, thresholdMs: 2000 } });
  });

  test('entry too short: submitted in less than the minimum per question; not for an entry that ran out of time', () => {
    assert.deepEqual(timingAnomalies(entry([4000, 4000], 5999), RULES), [
      { kind: 'entry_too_short', evidence: { timeTakenMs: 5999, questions: 2, thresholdMs: 6000 } },
    ]);
    assert.deepEqual(kinds(entry([4000, 4000], 6000)), []);
    assert.deepEqual(kinds({ startedAt: 0, submittedAt: null, questions: 10, answeredAt: [] }), []);
  });

  test('regular intervals: from 5 answers, gaps after the first with a standard deviation under the threshold', () => {
    assert.deepEqual(timingAnomalies(entry([20_000, 8000, 8100, 7900, 8000]), RULES), [
      { kind: 'regular_intervals', evidence: { answers: 5, meanGapMs: 8000, stddevMs: 71, thresholdMs: 150 } },
    ]);
    assert.deepEqual(kinds(entry([20_000, 8000, 8000, 8000])), [], 'four answers say too little');
    assert.deepEqual(kinds(entry([20_000, 8000, 12_000, 5000, 9000])), []);
  });

  test('the order answers arrive in does not matter; a rule set to 0 never fires', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (gaps, submit) => {
          const e = entry(gaps, submit);
          const shuffled = { ...e, answeredAt: [...e.answeredAt].reverse() };
          assert.deepEqual(timingAnomalies(shuffled, RULES), timingAnomalies(e, RULES));
          assert.deepEqual(timingAnomalies(e, { minAnswerMs: 0, minSecondsPerQuestion: 0, regularMaxStddevMs: 0 }), []);
        },
      ),
    );
  });
});
