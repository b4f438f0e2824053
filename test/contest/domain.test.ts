import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { drawEntry } from '../../src/domain/contest/draw.js';
import { compareEntries, finalRanking, rankingFrame, rankingHash, rankingText, type RankInput } from '../../src/domain/contest/ranking.js';
import { canonicalJson } from '../../src/lib/canonical-json.js';
import { isRight, scoreEntry } from '../../src/domain/contest/scoring.js';
import { acceptUntil, deadlineOf, GRACE_MS, isLate, timeTakenMs } from '../../src/domain/contest/timing.js';

const T0 = Date.UTC(2026, 11, 1, 1, 0, 0);
const entry = (over: Partial<RankInput> & { entryId: number }): RankInput => ({
  score: 10,
  allCorrect: false,
  prediction: 100,
  timeTakenMs: 60_000,
  submittedAt: T0,
  ...over,
});

const arbEntry = fc.record({
  entryId: fc.integer({ min: 1, max: 1_000_000 }),
  score: fc.integer({ min: 0, max: 20 }),
  allCorrect: fc.boolean(),
  prediction: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  timeTakenMs: fc.integer({ min: 0, max: 600_000 }),
  submittedAt: fc.integer({ min: T0, max: T0 + 10 * 86_400_000 }),
});
const arbEntries = fc.uniqueArray(arbEntry, { selector: (e) => e.entryId, maxLength: 40 });

describe('contest ranking', () => {
  test('score first, then closeness of the prediction, then time taken, then submission instant', () => {
    const actual = 3;
    const better = (a: RankInput, b: RankInput) => assert.ok(compareEntries(a, b, actual) < 0 && compareEntries(b, a, actual) > 0);
    better(entry({ entryId: 1, score: 11, prediction: 999 }), entry({ entryId: 2, score: 10, prediction: 3 }));
    better(entry({ entryId: 1, prediction: 4, timeTakenMs: 90_000 }), entry({ entryId: 2, prediction: 10, timeTakenMs: 1_000 }));
    // Equally far on either side: the tie goes on to time.
    assert.equal(compareEntries(entry({ entryId: 1, prediction: 1 }), entry({ entryId: 2, prediction: 5 }), actual), 0);
    better(entry({ entryId: 1, prediction: 1, timeTakenMs: 30_000 }), entry({ entryId: 2, prediction: 5 }));
    better(entry({ entryId: 1, submittedAt: T0 + 5 }), entry({ entryId: 2, submittedAt: T0 + 6 }));
    better(entry({ entryId: 1, prediction: 1000 }), entry({ entryId: 2, prediction: null }));
  });

  test('the actual number is the count of all-correct entries, and ties on every criterion share a rank', () => {
    const r = finalRanking(7, [
      entry({ entryId: 5, allCorrect: true, score: 10, prediction: 2 }),
      entry({ entryId: 3, allCorrect: true, score: 10, prediction: 2 }),
      entry({ entryId: 9, score: 8, prediction: 2 }),
    ]);
    assert.equal(r.actualAllCorrect, 2);
    assert.deepEqual(
      r.entries.map((e) => [e.rank, e.entryId, e.distance]),
      [
        [1, 3, 0],
        [1, 5, 0],
        [3, 9, 0],
      ],
    );
  });

  test('property: the ranking is sorted by the comparator, is a permutation, and does not depend on input order', () => {
    fc.assert(
      fc.property(arbEntries, fc.integer(), (list, salt) => {
        const r = finalRanking(1, list);
        const shuffled = [...list].sort((a, b) => ((a.entryId * 7919) ^ salt) - ((b.entryId * 7919) ^ salt));
        assert.equal(rankingHash(finalRanking(1, shuffled)), rankingHash(r));
        assert.deepEqual(
          r.entries.map((e) => e.entryId).sort((a, b) => a - b),
          list.map((e) => e.entryId).sort((a, b) => a - b),
        );
        const byId = new Map(list.map((e) => [e.entryId, e]));
        for (let i = 1; i < r.entries.length; i++) {
          const c = compareEntries(byId.get(r.entries[i - 1]!.entryId)!, byId.get(r.entries[i]!.entryId)!, r.actualAllCorrect);
          assert.ok(c <= 0);
          assert.equal(r.entries[i]!.rank === r.entries[i - 1]!.rank, c === 0);
        }
      }),
    );
  });

  test('the hash is the SHA-256 of the canonical text, and any change to a row changes it', () => {
    const r = finalRanking(4, [entry({ entryId: 1 }), entry({ entryId: 2, score: 3 })]);
    assert.equal(rankingHash(r), createHash('sha256').update(rankingText(r)).digest('hex'));
    assert.ok(rankingText(r).startsWith('{"actualAllCorrect":0,"entries":[{"distance":100,'));
    const tampered = structuredClone(r);
    tampered.entries[1]!.score = 4;
    assert.notEqual(rankingHash(tampered), rankingHash(r));
  });

  test('property: the text built around the stored rows, and its hash, equal those of the whole version', () => {
    const arbChange = fc.option(
      fc.record({ action: fc.constantFrom('disqualify' as const, 'reinstate' as const), entryId: fc.nat(), reason: fc.string() }),
    );
    const tricky = fc.constantFrom('"entries":[]', '],"entries":[', 'a\\"entries\\":[]');
    fc.assert(
      fc.property(arbEntries, arbChange, fc.option(tricky), fc.boolean(), (list, change, reason, legacy) => {
        const ranked = finalRanking(3, list);
        const full = legacy
          ? ranked // frozen before versions existed: only roundId, actualAllCorrect and entries were hashed
          : {
              ...ranked,
              version: 2,
              previousHash: 'ab'.repeat(32),
              change: change && reason ? { ...change, reason } : change,
              disqualified: [4, 8],
            };
        const { entries, ...header } = full;
        const { head, tail } = rankingFrame(header);
        assert.equal(head + entries.map((e) => canonicalJson(e)).join(',') + tail, rankingText(full));
      }),
    );
  });
});

describe('contest timing', () => {
  const start = new Date(T0);
  test('answers are accepted until the limit plus the grace, not a millisecond later', () => {
    assert.equal(deadlineOf(start, 600).getTime(), T0 + 600_000);
    assert.equal(acceptUntil(start, 600).getTime(), T0 + 600_000 + GRACE_MS);
    assert.equal(isLate(new Date(T0 + 600_000 + GRACE_MS), start, 600), false);
    assert.equal(isLate(new Date(T0 + 600_000 + GRACE_MS + 1), start, 600), true);
  });
  test('time taken is capped at the limit; an entry never submitted took the whole limit', () => {
    assert.equal(timeTakenMs(start, new Date(T0 + 42_000), 600), 42_000);
    assert.equal(timeTakenMs(start, new Date(T0 + 603_000), 600), 600_000);
    assert.equal(timeTakenMs(start, null, 600), 600_000);
  });
});

describe('contest draw', () => {
  const bank = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, optionIds: ['k1', 'k2', 'k3', 'k4'] }));
  test('property: reproducible from the seed, whatever order the bank comes in; distinct questions; options permuted', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 30 }), (seed, n) => {
        const a = drawEntry(seed, bank, n);
        assert.deepEqual(drawEntry(seed, [...bank].reverse(), n), a);
        assert.equal(new Set(a.map((q) => q.questionId)).size, n);
        for (const q of a) assert.deepEqual([...q.optionIds].sort(), ['k1', 'k2', 'k3', 'k4']);
      }),
    );
  });
  test('different seeds give different draws and orders (the shuffle is not the identity)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(JSON.stringify(drawEntry(`seed-${i}`, bank, 5)));
    assert.ok(seen.size > 45);
    const firsts = new Set(Array.from({ length: 50 }, (_, i) => drawEntry(`s${i}`, bank, 1)[0]!.optionIds[0]));
    assert.equal(firsts.size, 4);
  });
  test('asking for more questions than the bank holds is an error', () => {
    assert.throws(() => drawEntry('x', bank, 31), RangeError);
  });
});

describe('contest scoring', () => {
  test('a question is right only when the choice is exactly the key (no partial marks for multiple choice)', () => {
    assert.equal(isRight(['a'], ['a']), true);
    assert.equal(isRight(['c', 'a'], ['a', 'c']), true);
    assert.equal(isRight(['a'], ['a', 'c']), false);
    assert.equal(isRight(['a', 'b', 'c'], ['a', 'c']), false);
    assert.equal(isRight(['a', 'a'], ['a', 'c']), false);
    assert.equal(isRight(undefined, ['a']), false);
  });
  test('score counts right questions; all-correct needs every drawn question right', () => {
    const keys = new Map([
      [1, ['x']],
      [2, ['y', 'z']],
    ]);
    assert.deepEqual(
      scoreEntry(
        [1, 2],
        new Map([
          [1, ['x']],
          [2, ['z', 'y']],
        ]),
        keys,
      ),
      { score: 2, allCorrect: true },
    );
    assert.deepEqual(scoreEntry([1, 2], new Map([[1, ['x']]]), keys), { score: 1, allCorrect: false });
    assert.deepEqual(scoreEntry([], new Map(), keys), { score: 0, allCorrect: false });
  });
});
