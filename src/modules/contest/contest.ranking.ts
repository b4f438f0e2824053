import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { createHash } from 'node:crypto';
import { rankingFrame, type RankedEntry, type RankingChange, type RankingHeader } from '../../domain/contest/ranking.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, SYSTEM_CONTEXT, type AuditContext } from '../audit/audit.js';
import { disqualifiedEntries, rankRound } from './contest.ranking-sql.js';

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

/** Rows per read of a version's text (to hash it, or to send it). */
const BATCH = 5000;

/**
 * The frozen ranking of a round and its successors. Version 1 is computed once, after the close
 * (by the freeze job, or by the first request for results if it comes first). A disqualification or reinstatement after that adds a new version in
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
  async entries(roundId: number, version: number, offset: number, limit: number, db: Db = this.db): Promise<RankedEntry[]> {
    const rows = await db
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
    yield* this.pieces(this.db, roundId, version, doc.document as object);
  }

  /** The text of `document` with the version's rows as its entries, a batch of rows per piece. */
  private async *pieces(db: Db, roundId: number, version: number, document: object): AsyncGenerator<string> {
    const { head, tail } = rankingFrame(document);
    yield head;
    for (let offset = 0; ; offset += BATCH) {
      const page = await this.entries(roundId, version, offset, BATCH, db);
      if (page.length) yield (offset ? ',' : '') + page.map((e) => canonicalJson(e)).join(',');
      if (page.length < BATCH) break;
    }
    yield tail;
  }

  /**
   * Freezes version 1 unless another request (or instance) already did. While another instance
   * is freezing (half a minute for 600,000 entries), requests here are refused with
   * contest_results_pending rather than each holding a database connection until it is done: at
   * a round's close everyone asks.
   */
  freeze(round: { id: number; contest_id: number }, now: Date): Promise<void> {
    // Requests in this process wait for its own freeze (they hold no connection meanwhile).
    let running = this.#freezing.get(round.id);
    if (!running) {
      running = this.freezeOnce(round, now).finally(() => this.#freezing.delete(round.id));
      this.#freezing.set(round.id, running);
    }
    return running;
  }

  readonly #freezing = new Map<number, Promise<void>>();

  private async freezeOnce(round: { id: number; contest_id: number }, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('contest_round')
        .select(['time_limit_seconds'])
        .where('id', '=', round.id)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!r) throw new AppError('contest_results_pending');
      const exists = await trx.selectFrom('contest_ranking').select('version').where('round_id', '=', round.id).executeTakeFirst();
      if (exists) return;
      await this.onFreeze(trx, round.id, now);
      const v = await this.storeVersion(trx, round.id, r.time_limit_seconds, { version: 1, previousHash: null, change: null }, null, now);
      await recordAudit(trx, SYSTEM_CONTEXT, {
        action: 'contest.round.rank',
        entityType: 'contest_round',
        entityId: round.id,
        after: { version: 1, hash: v.hash, entries: v.total, actualAllCorrect: v.actualAllCorrect },
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
    const version = last.version + 1;
    const v = await this.storeVersion(trx, round.id, r.time_limit_seconds, { version, previousHash: last.hash, change }, ctx.actorId, now);
    await recordAudit(trx, ctx, {
      action: 'contest.round.rerank',
      entityType: 'contest_round',
      entityId: round.id,
      after: { version, hash: v.hash, previousHash: last.hash, change, entries: v.total },
    });
    return { version, hash: v.hash };
  }

  /**
   * Ranks the round into a new version (rows written by the database, contest.ranking-sql.ts),
   * then hashes the version's text by reading its rows back a batch at a time. The version row is
   * written first (the rows refer to it) and completed once the hash is known, in the same
   * transaction, so no reader ever sees it unfinished.
   */
  private async storeVersion(
    trx: Transaction<DB>,
    roundId: number,
    timeLimitSeconds: number,
    v: Pick<RankingHeader, 'version' | 'previousHash' | 'change'>,
    by: number | null,
    now: Date,
  ) {
    await trx
      .insertInto('contest_ranking')
      .values({
        round_id: roundId,
        version: v.version,
        document: '{}',
        hash: '',
        previous_hash: v.previousHash,
        created_by: by,
        created_at: now,
        entry_count: 0,
      })
      .execute();
    const { actualAllCorrect, total } = await rankRound(trx, roundId, v.version, timeLimitSeconds);
    const header: RankingHeader = { roundId, actualAllCorrect, ...v, disqualified: await disqualifiedEntries(trx, roundId) };
    const hash = createHash('sha256');
    for await (const piece of this.pieces(trx, roundId, v.version, header)) hash.update(piece);
    const hex = hash.digest('hex');
    const document = JSON.stringify(header);
    await trx
      .updateTable('contest_ranking')
      .set({ document, hash: hex, entry_count: total })
      .where('round_id', '=', roundId)
      .where('version', '=', v.version)
      .execute();
    return { hash: hex, actualAllCorrect, total };
  }
}
