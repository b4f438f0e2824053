import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import {
  finalRanking,
  rankingFrame,
  rankingHashOf,
  type RankedEntry,
  type RankingChange,
  type RankingHeader,
  type RankingVersion,
  type RankInput,
} from '../../domain/contest/ranking.js';
import { canonicalJson } from '../../lib/canonical-json.js';
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

/** A version's figures (its entries are read by page), with its hash and every version (oldest first). */
export type PublishedRanking = RankingHeader & { hash: string; rankedAt: string; total: number; history: RankingHistoryItem[] };

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
  entry_count: number;
}

// Rankings frozen before versions existed hash {roundId, actualAllCorrect, entries} only; their
// missing fields are filled from the row so every version reads the same way.
const asHeader = (r: VersionRow): RankingHeader => {
  const doc = r.document as Partial<RankingHeader> & Pick<RankingHeader, 'roundId' | 'actualAllCorrect'>;
  return { ...doc, version: r.version, previousHash: r.previous_hash, change: doc.change ?? null, disqualified: doc.disqualified ?? [] };
};

const ENTRY_COLUMNS = ['rank', 'entry_id', 'score', 'prediction', 'distance', 'time_taken_ms', 'submitted_at'] as const;
type EntryRow = Pick<Selectable<DB['contest_ranking_entry']>, (typeof ENTRY_COLUMNS)[number]>;
const asEntry = (r: EntryRow): RankedEntry => ({
  rank: r.rank,
  entryId: r.entry_id,
  score: r.score,
  prediction: r.prediction,
  distance: r.distance,
  timeTakenMs: r.time_taken_ms,
  submittedAt: new Date(r.submitted_at).toISOString(),
});

/** Rows per insert statement and per read of the published text. */
const BATCH = 5000;

/**
 * The frozen ranking of a round and its successors. Version 1 is computed once, at the first
 * request after the close. A disqualification or reinstatement after that adds a new version in
 * the same transaction: never an edit, so every published hash stays checkable. Each version is
 * a row with its figures and hash plus one row per ranked entry, so a round of 600,000 entries is
 * read a page at a time and its published text is streamed, never held whole.
 */
export class ContestRanking {
  constructor(
    private readonly db: Kysely<DB>,
    /** Runs inside the freeze transaction (the flag scan of the round). */
    private readonly onFreeze: (trx: Transaction<DB>, roundId: number, now: Date) => Promise<unknown> = async () => undefined,
  ) {}

  private versions(db: Db, roundId: number): Promise<VersionRow[]> {
    return db
      .selectFrom('contest_ranking')
      .select(['version', 'document', 'hash', 'previous_hash', 'created_at', 'entry_count'])
      .where('round_id', '=', roundId)
      .orderBy('version')
      .execute();
  }

  /** The latest version (or the one asked for) and the history; null before the freeze. */
  async published(roundId: number, version?: number): Promise<PublishedRanking | null> {
    const rows = await this.versions(this.db, roundId);
    if (rows.length === 0) return null;
    const row = version === undefined ? rows.at(-1)! : rows.find((r) => r.version === version);
    if (!row) throw new AppError('contest_ranking_version_not_found');
    const history = rows.map((r) => ({
      version: r.version,
      hash: r.hash,
      previousHash: r.previous_hash,
      change: asHeader(r).change,
      rankedAt: r.created_at.toISOString(),
    }));
    return { ...asHeader(row), hash: row.hash, rankedAt: row.created_at.toISOString(), total: row.entry_count, history };
  }

  /** `limit` entries of a version in ranking order, after the first `offset`. */
  async entries(roundId: number, version: number, offset: number, limit: number): Promise<RankedEntry[]> {
    const rows = await this.db
      .selectFrom('contest_ranking_entry')
      .select(ENTRY_COLUMNS)
      .where('round_id', '=', roundId)
      .where('version', '=', version)
      .where('position', '>', offset)
      .where('position', '<=', offset + limit)
      .orderBy('position')
      .execute();
    return rows.map(asEntry);
  }

  /** One entry's line in a version; null when the version does not rank it (disqualified). */
  async entryOf(roundId: number, version: number, entryId: number): Promise<RankedEntry | null> {
    const row = await this.db
      .selectFrom('contest_ranking_entry')
      .select(ENTRY_COLUMNS)
      .where('round_id', '=', roundId)
      .where('version', '=', version)
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
    return row ? asEntry(row) : null;
  }

  /**
   * The published text of a version, piece by piece: its SHA-256 is the published hash. Reading
   * it in batches is safe: a version and all its rows are committed together and never change.
   */
  async *text(roundId: number, version: number): AsyncGenerator<string> {
    const doc = await this.db
      .selectFrom('contest_ranking')
      .select('document')
      .where('round_id', '=', roundId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!doc) throw new AppError('contest_ranking_version_not_found');
    const { head, tail } = rankingFrame(doc.document as object);
    yield head;
    for (let offset = 0; ; offset += BATCH) {
      const page = await this.entries(roundId, version, offset, BATCH);
      if (page.length) yield (offset ? ',' : '') + page.map((e) => canonicalJson(e)).join(',');
      if (page.length < BATCH) break;
    }
    yield tail;
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
    const last = (await this.versions(trx, round.id)).at(-1);
    if (!last) return null;
    // Each entry's figures as last published (a reinstated entry's come from the version before its removal).
    const figures = await trx
      .selectFrom('contest_ranking_entry')
      .distinctOn('entry_id')
      .select(ENTRY_COLUMNS)
      .where('round_id', '=', round.id)
      .orderBy('entry_id')
      .orderBy('version', 'desc')
      .execute();
    const published = new Map(figures.map((f) => [f.entry_id, asEntry(f)]));
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
    const { entries, ...header } = doc;
    const hash = rankingHashOf(header, entries);
    await trx
      .insertInto('contest_ranking')
      .values({
        round_id: doc.roundId,
        version: doc.version,
        document: JSON.stringify(header),
        hash,
        previous_hash: doc.previousHash,
        created_by: by,
        created_at: now,
        entry_count: entries.length,
      })
      .execute();
    // One statement per batch: the columns travel as arrays, whatever the batch's size.
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      await sql`
        insert into contest_ranking_entry
          (round_id, version, position, rank, entry_id, score, prediction, distance, time_taken_ms, submitted_at)
        select ${doc.roundId}::int, ${doc.version}::int, x.*
        from unnest(${batch.map((_, j) => i + j + 1)}::int[], ${batch.map((e) => e.rank)}::int[], ${batch.map((e) => e.entryId)}::int[],
                    ${batch.map((e) => e.score)}::int[], ${batch.map((e) => e.prediction)}::int[], ${batch.map((e) => e.distance)}::int[],
                    ${batch.map((e) => e.timeTakenMs)}::int[], ${batch.map((e) => e.submittedAt)}::timestamptz[]) as x`.execute(trx);
    }
    // The round row mirrors the latest version's figures for readers that only look there.
    await trx
      .updateTable('contest_round')
      .set({ ranking: JSON.stringify(header), ranking_hash: hash, ranked_at: now })
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
