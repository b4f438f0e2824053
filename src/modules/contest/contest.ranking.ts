import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import {
  finalRanking,
  rankingHash,
  type RankedEntry,
  type RankingChange,
  type RankingVersion,
  type RankInput,
} from '../../domain/contest/ranking.js';
import { scoreEntry } from '../../domain/contest/scoring.js';
import { deadlineOf, timeTakenMs } from '../../domain/contest/timing.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, SYSTEM_CONTEXT, type AuditContext } from '../audit/audit.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface RankingHistoryItem {
  version: number;
  hash: string;
  previousHash: string | null;
  change: RankingChange | null;
  rankedAt: string;
}

/** The latest version with its hash, and the list of every version (oldest first). */
export type PublishedRanking = RankingVersion & { hash: string; rankedAt: string; history: RankingHistoryItem[] };

/** The key of every question of a contest, with what the participant sees after the close. */
export async function contestKeys(db: Db, contestId: number) {
  const rows = await db
    .selectFrom('contest_question as q')
    .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
    .select(['q.id', 'q.correct', 'q.explanation_vi', 'q.explanation_en', 'q.procedure_code'])
    .where('p.contest_id', '=', contestId)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

interface VersionRow {
  version: number;
  document: unknown;
  hash: string;
  previous_hash: string | null;
  created_at: Date;
}

// Rankings frozen before versions existed hash {roundId, actualAllCorrect, entries} only; their
// missing fields are filled from the row so every version reads the same way.
const asVersion = (r: VersionRow): RankingVersion => {
  const doc = r.document as Partial<RankingVersion> & Pick<RankingVersion, 'roundId' | 'actualAllCorrect' | 'entries'>;
  return { ...doc, version: r.version, previousHash: r.previous_hash, change: doc.change ?? null, disqualified: doc.disqualified ?? [] };
};

/**
 * The frozen ranking of a round and its successors. Version 1 is computed once, at the first
 * request after the close. A disqualification or reinstatement after that adds a new version in
 * the same transaction: never an edit, so every published hash stays checkable.
 */
export class ContestRanking {
  constructor(
    private readonly db: Kysely<DB>,
    /** Runs inside the freeze transaction (the flag scan of the round). */
    private readonly onFreeze: (trx: Transaction<DB>, roundId: number, now: Date) => Promise<unknown> = async () => undefined,
  ) {}

  private versions(db: Db, roundId: number) {
    return db
      .selectFrom('contest_ranking')
      .select(['version', 'document', 'hash', 'previous_hash', 'created_at'])
      .where('round_id', '=', roundId)
      .orderBy('version')
      .execute();
  }

  /** The latest version (or the one asked for) and the history; null before the freeze. */
  async published(roundId: number, version?: number): Promise<PublishedRanking | null> {
    // The history without the documents: a large round's versions are megabytes each.
    const rows = await this.db
      .selectFrom('contest_ranking')
      .select(['version', 'hash', 'previous_hash', 'created_at', sql<RankingChange | null>`document -> 'change'`.as('change')])
      .where('round_id', '=', roundId)
      .orderBy('version')
      .execute();
    if (rows.length === 0) return null;
    const pick = version === undefined ? rows.at(-1)! : rows.find((r) => r.version === version);
    if (!pick) throw new AppError('contest_ranking_version_not_found');
    const row = await this.db
      .selectFrom('contest_ranking')
      .select(['version', 'document', 'hash', 'previous_hash', 'created_at'])
      .where('round_id', '=', roundId)
      .where('version', '=', pick.version)
      .executeTakeFirstOrThrow();
    const history = rows.map((r) => ({
      version: r.version,
      hash: r.hash,
      previousHash: r.previous_hash,
      change: r.change ?? null,
      rankedAt: r.created_at.toISOString(),
    }));
    return { ...asVersion(row), hash: row.hash, rankedAt: row.created_at.toISOString(), history };
  }

  /** Freezes version 1 unless another request (or instance) already did. */
  async freeze(round: { id: number; contest_id: number }, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('contest_round')
        .select(['time_limit_seconds'])
        .where('id', '=', round.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const exists = await trx.selectFrom('contest_ranking').select('version').where('round_id', '=', round.id).executeTakeFirst();
      if (exists) return;
      await this.onFreeze(trx, round.id, now);
      const { inputs, disqualified } = await this.rankInputs(trx, round.id, round.contest_id, r.time_limit_seconds, new Map());
      const doc: RankingVersion = { ...finalRanking(round.id, inputs), version: 1, previousHash: null, change: null, disqualified };
      const hash = await this.store(trx, doc, null, now);
      await recordAudit(trx, SYSTEM_CONTEXT, {
        action: 'contest.round.rank',
        entityType: 'contest_round',
        entityId: round.id,
        after: { version: 1, hash, entries: doc.entries.length, actualAllCorrect: doc.actualAllCorrect },
      });
    });
  }

  /**
   * After a disqualification or reinstatement (already written in `trx`): the next version, if
   * the round has been frozen; null if not (version 1 will simply leave the entry out).
   * Entries already published keep their published figures: a successor never rescores them.
   */
  async successor(
    trx: Transaction<DB>,
    round: { id: number; contest_id: number },
    change: RankingChange,
    ctx: AuditContext,
    now: Date,
  ): Promise<{ version: number; hash: string } | null> {
    const r = await trx
      .selectFrom('contest_round')
      .select(['time_limit_seconds'])
      .where('id', '=', round.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const rows = await this.versions(trx, round.id);
    const last = rows.at(-1);
    if (!last) return null;
    const published = new Map<number, RankedEntry>();
    for (const row of rows) for (const e of asVersion(row).entries) published.set(e.entryId, e);
    const { inputs, disqualified } = await this.rankInputs(trx, round.id, round.contest_id, r.time_limit_seconds, published);
    const doc: RankingVersion = {
      ...finalRanking(round.id, inputs),
      version: last.version + 1,
      previousHash: last.hash,
      change,
      disqualified,
    };
    const hash = await this.store(trx, doc, ctx.actorId, now);
    await recordAudit(trx, ctx, {
      action: 'contest.round.rerank',
      entityType: 'contest_round',
      entityId: round.id,
      after: { version: doc.version, hash, previousHash: last.hash, change, entries: doc.entries.length },
    });
    return { version: doc.version, hash };
  }

  private async store(trx: Transaction<DB>, doc: RankingVersion, by: number | null, now: Date) {
    const hash = rankingHash(doc);
    await trx
      .insertInto('contest_ranking')
      .values({
        round_id: doc.roundId,
        version: doc.version,
        document: JSON.stringify(doc),
        hash,
        previous_hash: doc.previousHash,
        created_by: by,
        created_at: now,
      })
      .execute();
    // The round row mirrors the latest version for readers that only look there.
    await trx
      .updateTable('contest_round')
      .set({ ranking: JSON.stringify(doc), ranking_hash: hash, ranked_at: now })
      .where('id', '=', doc.roundId)
      .execute();
    return hash;
  }

  /** Every entry of the round but the disqualified ones; `published` figures win over the data. */
  private async rankInputs(trx: Transaction<DB>, roundId: number, contestId: number, limit: number, published: Map<number, RankedEntry>) {
    const [entries, answers, keys] = await Promise.all([
      trx
        .selectFrom('contest_entry')
        .select(['id', 'questions', 'started_at', 'submitted_at', 'prediction', 'disqualified_at'])
        .where('round_id', '=', roundId)
        .execute(),
      trx
        .selectFrom('contest_answer as a')
        .innerJoin('contest_entry as e', 'e.id', 'a.entry_id')
        .select(['a.entry_id', 'a.question_id', 'a.chosen'])
        .where('e.round_id', '=', roundId)
        .where('e.disqualified_at', 'is', null)
        .execute(),
      contestKeys(trx, contestId),
    ]);
    const byEntry = new Map<number, Map<number, string[]>>();
    for (const a of answers) {
      const m = byEntry.get(a.entry_id) ?? new Map<number, string[]>();
      m.set(a.question_id, a.chosen);
      byEntry.set(a.entry_id, m);
    }
    const keyOf = new Map([...keys].map(([id, k]) => [id, k.correct]));
    const disqualified = entries
      .filter((e) => e.disqualified_at)
      .map((e) => Number(e.id))
      .sort((a, b) => a - b);
    const inputs = entries
      .filter((e) => !e.disqualified_at)
      .map((e): RankInput => {
        const before = published.get(e.id);
        if (before) {
          return {
            entryId: e.id,
            score: before.score,
            allCorrect: e.questions.length > 0 && before.score === e.questions.length,
            prediction: before.prediction,
            timeTakenMs: before.timeTakenMs,
            submittedAt: Date.parse(before.submittedAt),
          };
        }
        const { score, allCorrect } = scoreEntry(
          e.questions.map((q) => q.questionId),
          byEntry.get(e.id) ?? new Map(),
          keyOf,
        );
        // An entry that ran out of time without submitting closed at its deadline, with no prediction.
        const closedAt = e.submitted_at ?? deadlineOf(e.started_at, limit);
        return {
          entryId: e.id,
          score,
          allCorrect,
          prediction: e.submitted_at ? e.prediction : null,
          timeTakenMs: timeTakenMs(e.started_at, e.submitted_at, limit),
          submittedAt: closedAt.getTime(),
        };
      });
    return { inputs, disqualified };
  }
}
