import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { drawEntry, evenShares, proportionalQuotas, type BankQuestion } from '../../src/domain/contest/draw.js';

// The balanced draw (docs/contest.md, "Draw"): fair shares per pool, proportional quotas per
// difficulty inside a pool, a pure function of the seed and the bank.

/** A bank: for each pool, how many questions of each difficulty. */
const bankArb = fc
  .array(fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6)), { minLength: 1, maxLength: 6 })
  .map((pools) => {
    const bank: BankQuestion[] = [];
    let id = 1;
    pools.forEach((levels, p) =>
      levels.forEach((n, d) => {
        for (let i = 0; i < n; i++, id++)
          bank.push({ id, poolId: 10 + p, difficulty: d + 1, optionIds: ['a', 'b', 'c'].map((o) => `${o}${id}`) });
      }),
    );
    return bank;
  })
  .filter((b) => b.length > 0);

const drawArb = bankArb.chain((bank) =>
  fc.tuple(fc.constant(bank), fc.string({ minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: bank.length })),
);

const countBy = <T>(xs: T[], key: (x: T) => number) => {
  const m = new Map<number, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};

describe('balanced contest draw', () => {
  test('exact count, no duplicates, only bank questions, options a permutation of the question’s', () => {
    fc.assert(
      fc.property(drawArb, ([bank, seed, n]) => {
        const drawn = drawEntry(seed, bank, n);
        assert.equal(drawn.length, n);
        assert.equal(new Set(drawn.map((d) => d.questionId)).size, n);
        for (const d of drawn) {
          const q = bank.find((b) => b.id === d.questionId);
          assert.ok(q);
          assert.deepEqual([...d.optionIds].sort(), [...q.optionIds].sort());
        }
      }),
    );
  });

  test('deterministic: same seed and bank give the same draw, whatever order the bank comes in', () => {
    fc.assert(
      fc.property(drawArb, ([bank, seed, n]) => {
        assert.deepEqual(drawEntry(seed, [...bank].reverse(), n), drawEntry(seed, bank, n));
      }),
    );
  });

  test('pool shares differ by at most one, except for a pool that gave every question it has', () => {
    fc.assert(
      fc.property(drawArb, ([bank, seed, n]) => {
        const size = countBy(bank, (q) => q.poolId!);
        const byId = new Map(bank.map((q) => [q.id, q]));
        const got = countBy(
          drawEntry(seed, bank, n).map((d) => byId.get(d.questionId)!),
          (q) => q.poolId!,
        );
        const share = (p: number) => got.get(p) ?? 0;
        const notExhausted = [...size.keys()].filter((p) => share(p) < size.get(p)!);
        for (const p of size.keys())
          for (const o of notExhausted) assert.ok(share(p) <= share(o) + 1, `pool ${p} ${share(p)} vs ${o} ${share(o)}`);
      }),
    );
  });

  test('inside a pool, each difficulty’s count is within one of its proportional share', () => {
    fc.assert(
      fc.property(drawArb, ([bank, seed, n]) => {
        const byId = new Map(bank.map((q) => [q.id, q]));
        const drawn = drawEntry(seed, bank, n).map((d) => byId.get(d.questionId)!);
        for (const [pool, k] of countBy(drawn, (q) => q.poolId!)) {
          const inPool = bank.filter((q) => q.poolId === pool);
          const got = countBy(
            drawn.filter((q) => q.poolId === pool),
            (q) => q.difficulty!,
          );
          for (const [d, size] of countBy(inPool, (q) => q.difficulty!)) {
            const exact = (k * size) / inPool.length;
            const g = got.get(d) ?? 0;
            assert.ok(g >= Math.floor(exact) && g <= Math.ceil(exact), `pool ${pool} difficulty ${d}: ${g} for ${exact}`);
          }
        }
      }),
    );
  });

  test('a worked example: 3 pools of 10, 2 and 10 questions, 12 drawn → 5, 2, 5', () => {
    const sizes = new Map([
      [1, 10],
      [2, 2],
      [3, 10],
    ]);
    assert.deepEqual(
      [...evenShares(sizes, 12, String).entries()],
      [
        [1, 5],
        [2, 2],
        [3, 5],
      ],
    );
    // 10 questions: 5 easy, 3 medium, 2 hard; 5 drawn → 2.5, 1.5, 1 → 3, 1, 1 or 2, 2, 1 by the seed's tie order.
    const q = proportionalQuotas(
      new Map([
        [1, 5],
        [2, 3],
        [3, 2],
      ]),
      5,
      (k) => (k === 2 ? 'a' : 'b'),
    );
    assert.deepEqual(
      [...q.entries()],
      [
        [1, 2],
        [2, 2],
        [3, 1],
      ],
    );
  });

  test('a bank without pools or difficulties draws as the uniform draw did (one pool, one level)', () => {
    const bank = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, optionIds: ['x', 'y'] }));
    const tagged = bank.map((q) => ({ ...q, poolId: 7, difficulty: 2 }));
    assert.deepEqual(drawEntry('s', tagged, 8), drawEntry('s', bank, 8));
  });

  test('the order is SHA-256(seed ‖ label) in hex, as docs/contest.md tells an auditor to redo it', () => {
    const seed = 'c0ffee'.repeat(10);
    const bank = Array.from({ length: 9 }, (_, i) => ({ id: 40 + i, optionIds: ['a', 'b', 'c', 'd'] }));
    const key = (label: string) =>
      createHash('sha256')
        .update(seed + label)
        .digest('hex');
    const sorted = <T>(xs: T[], k: (x: T) => string) => [...xs].sort((a, b) => (k(a) < k(b) ? -1 : 1));
    const expected = sorted(bank, (q) => key(`q:${q.id}`))
      .slice(0, 4)
      .map((q) => ({ questionId: q.id, optionIds: sorted(q.optionIds, (o) => key(`o:${q.id}:${o}`)) }));
    assert.deepEqual(drawEntry(seed, bank, 4), expected);
  });
});
