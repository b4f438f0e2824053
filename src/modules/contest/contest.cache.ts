import type { Kysely, Selectable } from 'kysely';
import type { ContestQuestionTable, DB } from '../../db/types.js';
import type { RoundRow } from './contest.admin.js';

// What every request of a running contest would otherwise read again (bench/README.md, contest):
// the participant behind a token and the question bank of a contest. Only data that does not
// change once written is kept without a check (a participant's id and contest for a token hash:
// tokens are only ever added, never moved to another participant).
// The bank can change at any time (a question may be added to a contest whose rounds are
// published), so it is dropped by this process whenever a question is written (invalidateContestBanks)
// and kept at most BANK_TTL_MS, which bounds how stale another process's copy can be. A round is
// kept as long, with no invalidation: it is used only to draw an entry, and the statement that
// writes the entry re-checks the round in the database (contest.entry-sql.ts, insertEntriesIfOpen).

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
  readonly #rounds = new Map<number, { at: number; round: Promise<RoundRow | undefined> }>();

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
    // The registration's token first; a token given on another device (contest.recovery.ts) next.
    const p =
      (await this.db
        .selectFrom('contest_participant')
        .select(['id', 'contest_id'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst()) ??
      (await this.db
        .selectFrom('contest_participant_token as t')
        .innerJoin('contest_participant as p', 'p.id', 't.participant_id')
        .select(['p.id', 'p.contest_id'])
        .where('t.token_hash', '=', tokenHash)
        .executeTakeFirst());
    if (p) this.rememberParticipant(tokenHash, p);
    return p;
  }

  /** A participant just registered: their first request need not read them back. */
  rememberParticipant(tokenHash: string, p: { id: number; contest_id: number }) {
    if (this.#participants.size >= MAX_PARTICIPANTS) this.#participants.delete(this.#participants.keys().next().value!);
    this.#participants.set(tokenHash, p);
  }

  /** The round as read at most BANK_TTL_MS ago (any state), or undefined if there is none. */
  round(roundId: number, now = Date.now()): Promise<RoundRow | undefined> {
    const hit = this.#rounds.get(roundId);
    if (hit && now - hit.at < BANK_TTL_MS) return hit.round;
    const round = this.db
      .selectFrom('contest_round')
      .select(['id', 'contest_id', 'state', 'opens_at', 'closes_at', 'question_count', 'time_limit_seconds'])
      .where('id', '=', roundId)
      .executeTakeFirst();
    // Rounds are few; an id that does not exist is not remembered, so ids cannot fill the map.
    this.#rounds.set(roundId, { at: now, round });
    round.then(
      (r) => (r ? undefined : this.#rounds.delete(roundId)),
      () => this.#rounds.delete(roundId),
    );
    return round;
  }

  /** The round as the caller has just read it (undefined: it does not exist). */
  putRound(roundId: number, round: RoundRow | undefined, now = Date.now()) {
    if (round) this.#rounds.set(roundId, { at: now, round: Promise.resolve(round) });
    else this.#rounds.delete(roundId);
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
