import { canonicalJson } from '../../lib/canonical-json.js';
import { sha256 } from '../../lib/crypto.js';

// The contest's order (DESIGN §4.6): score, then how close the prediction (how many entries of
// the round have every answer right) came to the real number, then time taken, then who submitted
// first. The frozen ranking is published with the SHA-256 of its canonical text so anyone holding
// the published rows can recompute the hash and see that nothing was changed afterwards.

export interface RankInput {
  entryId: number;
  score: number;
  /** Whether every drawn question was answered exactly right. */
  allCorrect: boolean;
  /** null: the entry ran out of time before the prediction question (ranked after any prediction). */
  prediction: number | null;
  timeTakenMs: number;
  /** Epoch milliseconds of the submission (or of the deadline for an entry that ran out of time). */
  submittedAt: number;
}

export interface RankedEntry {
  rank: number;
  entryId: number;
  score: number;
  prediction: number | null;
  /** |prediction - actual|, null without a prediction. */
  distance: number | null;
  timeTakenMs: number;
  submittedAt: string;
}

export interface FinalRanking {
  roundId: number;
  /** How many entries of the round had every answer right: the answer to the prediction question. */
  actualAllCorrect: number;
  entries: RankedEntry[];
}

const distanceOf = (prediction: number | null, actual: number) =>
  prediction === null ? Number.POSITIVE_INFINITY : Math.abs(prediction - actual);

/** Negative when `a` ranks before `b`; 0 only when all four criteria are equal (ex aequo). */
export function compareEntries(a: RankInput, b: RankInput, actualAllCorrect: number): number {
  if (a.score !== b.score) return b.score - a.score;
  const da = distanceOf(a.prediction, actualAllCorrect);
  const db = distanceOf(b.prediction, actualAllCorrect);
  if (da !== db) return da < db ? -1 : 1;
  if (a.timeTakenMs !== b.timeTakenMs) return a.timeTakenMs - b.timeTakenMs;
  return a.submittedAt - b.submittedAt;
}

/**
 * The final ranking. Entries equal on every criterion share a rank (the next rank skips, as in
 * sport); within a tie they are listed by entry id so the text, and so the hash, is deterministic.
 */
export function finalRanking(roundId: number, inputs: readonly RankInput[]): FinalRanking {
  const actual = inputs.filter((e) => e.allCorrect).length;
  const sorted = [...inputs].sort((a, b) => compareEntries(a, b, actual) || a.entryId - b.entryId);
  const entries: RankedEntry[] = [];
  sorted.forEach((e, i) => {
    const prev = sorted[i - 1];
    const rank = prev && compareEntries(prev, e, actual) === 0 ? entries[i - 1]!.rank : i + 1;
    entries.push({
      rank,
      entryId: e.entryId,
      score: e.score,
      prediction: e.prediction,
      distance: e.prediction === null ? null : Math.abs(e.prediction - actual),
      timeTakenMs: e.timeTakenMs,
      submittedAt: new Date(e.submittedAt).toISOString(),
    });
  });
  return { roundId, actualAllCorrect: actual, entries };
}

/** Why a version succeeded the one before: an entry disqualified or reinstated after the freeze. */
export interface RankingChange {
  action: 'disqualify' | 'reinstate';
  entryId: number;
  reason: string;
}

/**
 * One frozen version of a round's ranking, exactly as hashed. Version 1 is the ranking at the
 * close; each later version names its predecessor's hash, so the versions form a chain and an old
 * one stays verifiable after it has been succeeded.
 */
export interface RankingVersion extends FinalRanking {
  version: number;
  previousHash: string | null;
  change: RankingChange | null;
  /** Entries of the round left out of this version (disqualified), ascending ids. */
  disqualified: number[];
}

/** The published text: canonical JSON (keys sorted, no spaces) of the whole ranking. */
export function rankingText(r: FinalRanking | RankingVersion): string {
  return canonicalJson(r);
}

/** SHA-256 (hex) of the canonical text; published next to the ranking. */
export function rankingHash(r: FinalRanking | RankingVersion): string {
  return sha256(rankingText(r));
}

/** A version without its entries: what is stored beside the entry rows. */
export type RankingHeader = Omit<RankingVersion, 'entries'>;

const EMPTY_ENTRIES = '"entries":[]';

/**
 * The published text around the entries: `head`, then each entry's canonical JSON joined by ',',
 * then `tail` is exactly rankingText of the whole version. A large ranking is hashed and served
 * from its rows this way without ever building the text in memory. `document` is the version as
 * it was hashed (older versions lack some keys; they stay as they were).
 */
export function rankingFrame(document: object): { head: string; tail: string } {
  const whole = canonicalJson({ ...document, entries: [] });
  // The last occurrence: keys are sorted, and only previousHash, roundId and version (no free
  // text) follow "entries"; a reason quoting the same characters is escaped before it anyway.
  const at = whole.lastIndexOf(EMPTY_ENTRIES) + EMPTY_ENTRIES.length - 1;
  return { head: whole.slice(0, at), tail: whole.slice(at) };
}
