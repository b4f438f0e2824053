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
      const { inputs, disqualified } = await this.rankInputs(trx, round.id, r.time_limit_seconds, new Map());
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
    const { inputs, disqualified } = await this.rankInputs(trx, round.id, r.time_limit_seconds, published);
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

  /**
   * Every entry of the round but the disqualified ones; `published` figures win over the data.
   * The score is counted in the database (a drawn question is right when the chosen options are
   * exactly the key: the rule of domain/contest/scoring.ts, which a test holds both to), so a round
   * of 600,000 entries sends 600,000 rows to Node rather than its 6 million answers.
   */
  private async rankInputs(trx: Transaction<DB>, roundId: number, limit: number, published: Map<number, RankedEntry>) {
    const { rows: entries } = await sql<{
      id: number;
      started_at: Date;
      submitted_at: Date | null;
      prediction: number | null;
      disqualified: boolean;
      drawn: number;
      score: number;
    }>`
      with drawn as (
        select e.id as entry_id, (d ->> 'questionId')::int as question_id
        from contest_entry e cross join lateral jsonb_array_elements(e.questions) d
        where e.round_id = ${roundId} and e.disqualified_at is null
      ), rights as (
        select drawn.entry_id, count(*)::int as score
        from drawn
        join contest_answer a on a.entry_id = drawn.entry_id and a.question_id = drawn.question_id
        join contest_question q on q.id = drawn.question_id
        where cardinality(a.chosen) = cardinality(q.correct) and a.chosen @> q.correct and a.chosen <@ q.correct
        group by drawn.entry_id
      )
      select e.id::int as id, e.started_at, e.submitted_at, e.prediction, e.disqualified_at is not null as disqualified,
             jsonb_array_length(e.questions)::int as drawn, coalesce(r.score, 0)::int as score
      from contest_entry e left join rights r on r.entry_id = e.id
      where e.round_id = ${roundId}`.execute(trx);
    const disqualified = entries
      .filter((e) => e.disqualified)
      .map((e) => Number(e.id))
      .sort((a, b) => a - b);
    const inputs = entries
      .filter((e) => !e.disqualified)
      .map((e): RankInput => {
        const before = published.get(e.id);
        if (before) {
          return {
            entryId: e.id,
            score: before.score,
            allCorrect: e.drawn > 0 && before.score === e.drawn,
            prediction: before.prediction,
            timeTakenMs: before.timeTakenMs,
            submittedAt: Date.parse(before.submittedAt),
          };
        }
        const startedAt = new Date(e.started_at);
        const submittedAt = e.submitted_at === null ? null : new Date(e.submitted_at);
        // An entry that ran out of time without submitting closed at its deadline, with no prediction.
        const closedAt = submittedAt ?? deadlineOf(startedAt, limit);
        return {
          entryId: e.id,
          score: e.score,
          allCorrect: e.drawn > 0 && e.score === e.drawn,
          prediction: submittedAt ? e.prediction : null,
          timeTakenMs: timeTakenMs(startedAt, submittedAt, limit),
          submittedAt: closedAt.getTime(),
        };
      });
    return { inputs, disqualified };
  }
}
