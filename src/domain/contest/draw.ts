import { createHmac } from 'node:crypto';

// Each entry gets its own questions and option order, drawn on the server from a random seed that
// is stored with the entry. The draw is a pure function of the seed and the question bank (not of
// the order rows come from the database), so it can be redone for a dispute or an audit.

export interface BankQuestion {
  id: number;
  optionIds: readonly string[];
}

export interface DrawnQuestion {
  questionId: number;
  /** Option ids in the order this entry shows them. */
  optionIds: string[];
}

const order = (seed: string, label: string) => createHmac('sha256', seed).update(label).digest('hex');

const byKey = <T>(items: readonly T[], key: (x: T) => string): T[] =>
  items
    .map((x) => ({ x, k: key(x) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((p) => p.x);

/** `count` questions from the bank in the seed's random order, each with its options shuffled. */
export function drawEntry(seed: string, bank: readonly BankQuestion[], count: number): DrawnQuestion[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (count > bank.length) throw new RangeError('not enough questions in the bank');
  const picked = byKey(bank, (q) => order(seed, `q:${q.id}`)).slice(0, count);
  return picked.map((q) => ({ questionId: q.id, optionIds: byKey(q.optionIds, (o) => order(seed, `o:${q.id}:${o}`)) }));
}
