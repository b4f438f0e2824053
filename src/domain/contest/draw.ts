import crypto from 'node:crypto';

// Each entry gets its own questions and option order, drawn on the server from a random seed that
// is stored with the entry. The draw is a pure function of the seed and the question bank (not of
// the order rows come from the database), so it can be redone for a dispute or an audit.
//
// Balance (docs/contest.md, "Draw"): every pool (field) gets a fair share of the `count` questions
// and, inside a pool, the difficulties keep their weight in that pool's bank.
// 1. Pool shares: the largest level L such that sum(min(size, L)) <= count; each pool gets
//    min(size, L), and the few questions left (fewer than the pools still not exhausted) go one each
//    to those pools in the seed's order. So shares differ by at most one, except for a pool that
//    has fewer questions than its share (it gives all it has; the others make up the difference).
// 2. Difficulty quotas inside a pool: proportional to the number of questions of each difficulty
//    (largest remainder; ties in the seed's order), so each quota is within one of its exact share.
// 3. Inside a difficulty, questions in the seed's order; the picked questions are then shown in the
//    seed's order (pools and difficulties mixed), each with its options shuffled.
// With one pool and one difficulty this is exactly the uniform draw the contest started with.

export interface BankQuestion {
  id: number;
  optionIds: readonly string[];
  /** Absent: all questions share one pool. */
  poolId?: number;
  /** Absent: all questions share one difficulty. */
  difficulty?: number;
}

export interface DrawnQuestion {
  questionId: number;
  /** Option ids in the order this entry shows them. */
  optionIds: string[];
}

// An item's place in the seed's order is SHA-256(seed ‖ label) in hex: the seed is 256 secret
// random bits, so the order cannot be guessed before the seed is known, and anyone holding the seed
// can recompute it. It was an HMAC until the benchmark showed the ~105 HMAC objects of a draw taking
// 11% of the server's CPU under load; the one-shot hash costs a fifth (bench/README.md, contest).
// crypto.hash arrived in Node 20.12; the fallback gives the same digest.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
const order = (seed: string, label: string) => sha256Hex(seed + label);

const byKey = <T>(items: readonly T[], key: (x: T) => string): T[] =>
  items
    .map((x) => ({ x, k: key(x) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((p) => p.x);

function groupBy<T>(items: readonly T[], key: (x: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Shares of `count` between groups of the given sizes, as even as their sizes allow (rule 1). */
export function evenShares(sizes: ReadonlyMap<number, number>, count: number, tieOrder: (k: number) => string): Map<number, number> {
  const keys = [...sizes.keys()];
  const total = (level: number) => keys.reduce((s, k) => s + Math.min(sizes.get(k)!, level), 0);
  let lo = 0;
  let hi = Math.max(0, ...sizes.values());
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= count) lo = mid;
    else hi = mid - 1;
  }
  const shares = new Map(keys.map((k) => [k, Math.min(sizes.get(k)!, lo)]));
  let left = count - total(lo);
  for (const k of byKey(
    keys.filter((k) => sizes.get(k)! > lo),
    tieOrder,
  )) {
    if (left === 0) break;
    shares.set(k, shares.get(k)! + 1);
    left--;
  }
  return shares;
}

/** Quotas of `count` proportional to the sizes (largest remainder; rule 2). `count` <= the sum of sizes. */
export function proportionalQuotas(
  sizes: ReadonlyMap<number, number>,
  count: number,
  tieOrder: (k: number) => string,
): Map<number, number> {
  const keys = [...sizes.keys()];
  const sum = keys.reduce((s, k) => s + sizes.get(k)!, 0);
  if (sum === 0) return new Map(keys.map((k) => [k, 0]));
  // Integer arithmetic: quota = floor(count*size/sum), remainder (count*size) mod sum.
  const quotas = new Map(keys.map((k) => [k, Math.floor((count * sizes.get(k)!) / sum)]));
  let left = count - [...quotas.values()].reduce((s, q) => s + q, 0);
  const rank = keys
    .map((k) => ({ k, r: (count * sizes.get(k)!) % sum, t: tieOrder(k) }))
    .sort((a, b) => b.r - a.r || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  for (const { k } of rank) {
    if (left === 0) break;
    quotas.set(k, quotas.get(k)! + 1);
    left--;
  }
  return quotas;
}

/** `count` questions balanced by pool and difficulty, in the seed's order, each with its options shuffled. */
export function drawEntry(seed: string, bank: readonly BankQuestion[], count: number): DrawnQuestion[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (count > bank.length) throw new RangeError('not enough questions in the bank');
  const pools = groupBy(bank, (q) => q.poolId ?? 0);
  const poolShares = evenShares(new Map([...pools].map(([k, v]) => [k, v.length])), count, (k) => order(seed, `p:${k}`));
  // A question's key is needed twice (inside its difficulty, then among the picked): one HMAC each.
  const keys = new Map<number, string>();
  const questionKey = (q: BankQuestion) => {
    let k = keys.get(q.id);
    if (k === undefined) keys.set(q.id, (k = order(seed, `q:${q.id}`)));
    return k;
  };
  const picked: BankQuestion[] = [];
  for (const [poolId, questions] of pools) {
    const levels = groupBy(questions, (q) => q.difficulty ?? 0);
    const quotas = proportionalQuotas(new Map([...levels].map(([k, v]) => [k, v.length])), poolShares.get(poolId)!, (k) =>
      order(seed, `d:${poolId}:${k}`),
    );
    for (const [level, qs] of levels) picked.push(...byKey(qs, questionKey).slice(0, quotas.get(level)!));
  }
  return byKey(picked, questionKey).map((q) => ({
    questionId: q.id,
    optionIds: byKey(q.optionIds, (o) => order(seed, `o:${q.id}:${o}`)),
  }));
}
