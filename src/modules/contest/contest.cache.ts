import type { Kysely, Selectable } from 'kysely';
import type { ContestQuestionTable, DB } from '../../db/types.js';

// What every request of a running contest would otherwise read again (bench/README.md, contest):
// the participant behind a token and the question bank of a contest. Only data that does not
// change once written is kept without a check (a participant's id and contest for a token hash).
// The bank can change at any time (a question may be added to a contest whose rounds are
// published), so it is dropped by this process whenever a question is written (invalidateContestBanks)
// and kept at most BANK_TTL_MS, which bounds how stale another process's copy can be.

export const BANK_TTL_MS = 5_000;

/** Bumped by every write to a question in this process; a bank loaded before it is reloaded. */
let bankGeneration = 0;

/**
 * Call after any write that changes a contest's active questions (create, edit, approve, retire,
 * import): the next draw and entry view read the bank again.
 */
export function invalidateContestBanks() {
  bankGeneration++;
}
const MAX_PARTICIPANTS = 100_000;

/** A question of the bank without its key or explanation: those are read only after the close. */
export type BankQuestion = Pick<
  Selectable<ContestQuestionTable>,
  'id' | 'pool_id' | 'kind' | 'difficulty' | 'text_vi' | 'text_en' | 'options'
>;

export interface Bank {
  questions: BankQuestion[];
  byId: Map<number, BankQuestion>;
}

export class ContestCache {
  readonly #participants = new Map<string, { id: number; contest_id: number }>();
  readonly #banks = new Map<number, { at: number; generation: number; bank: Promise<Bank> }>();

  constructor(private readonly db: Kysely<DB>) {}

  /** The participant whose token hashes to `tokenHash`, or undefined (unknown tokens are not remembered). */
  async participant(tokenHash: string) {
    const hit = this.#participants.get(tokenHash);
    if (hit) {
      // Least recently used goes first: re-insert to move it to the end.
      this.#participants.delete(tokenHash);
      this.#participants.set(tokenHash, hit);
      return hit;
    }
    const p = await this.db
      .selectFrom('contest_participant')
      .select(['id', 'contest_id'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!p) return undefined;
    if (this.#participants.size >= MAX_PARTICIPANTS) this.#participants.delete(this.#participants.keys().next().value!);
    this.#participants.set(tokenHash, p);
    return p;
  }

  /** The active questions of the contest's pools, ordered by id; one load shared by concurrent callers. */
  bank(contestId: number, now = Date.now()): Promise<Bank> {
    const hit = this.#banks.get(contestId);
    if (hit && hit.generation === bankGeneration && now - hit.at < BANK_TTL_MS) return hit.bank;
    const bank = this.db
      .selectFrom('contest_question as q')
      .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
      .select(['q.id', 'q.pool_id', 'q.kind', 'q.difficulty', 'q.text_vi', 'q.text_en', 'q.options'])
      .where('p.contest_id', '=', contestId)
      .where('q.status', '=', 'active')
      .orderBy('q.id')
      .execute()
      .then((questions) => ({ questions, byId: new Map(questions.map((q) => [q.id, q])) }));
    this.#banks.set(contestId, { at: now, generation: bankGeneration, bank });
    bank.catch(() => this.#banks.delete(contestId));
    return bank;
  }

  /** Same as invalidateContestBanks(), for callers holding the cache. */
  invalidateBanks() {
    invalidateContestBanks();
  }
}
