// Answer-timing rules for review flags (docs/contest.md, "Fairness and abuse"). They only raise a
// flag for a person to look at: a quick reader or a lucky guesser trips them too, so nothing is
// ever refused or dropped because of them.

export interface TimingRules {
  /** An answer given sooner than this after the previous one (or the start) is "too fast". */
  minAnswerMs: number;
  /** A submitted entry taking less than this per drawn question is "too short". */
  minSecondsPerQuestion: number;
  /** Gaps between consecutive answers with a standard deviation below this are "regular". */
  regularMaxStddevMs: number;
}

/** Too-fast answers are flagged only from this many on, and when they are at least half of the answers. */
export const FAST_MIN_COUNT = 3;
/** Regularity says little on a handful of answers: from this many answers (4 gaps) on. */
export const REGULAR_MIN_ANSWERS = 5;

export interface TimingInput {
  startedAt: number;
  /** null: not submitted (ran out of time); the entry-length rule then does not apply. */
  submittedAt: number | null;
  /** Number of questions drawn for the entry. */
  questions: number;
  /** Epoch ms of each recorded answer (the last change of each question counts). */
  answeredAt: readonly number[];
}

export type TimingFlag =
  | { kind: 'answers_too_fast'; evidence: { fastAnswers: number; answers: number; fastestGapMs: number; thresholdMs: number } }
  | { kind: 'entry_too_short'; evidence: { timeTakenMs: number; questions: number; thresholdMs: number } }
  | { kind: 'regular_intervals'; evidence: { answers: number; meanGapMs: number; stddevMs: number; thresholdMs: number } };

export function timingAnomalies(e: TimingInput, rules: TimingRules): TimingFlag[] {
  const flags: TimingFlag[] = [];
  const at = [...e.answeredAt].sort((a, b) => a - b);
  // The first gap runs from the start: reading the first question counts as reading time too.
  const gaps = at.map((t, i) => t - (i === 0 ? e.startedAt : at[i - 1]!));
  const fast = gaps.filter((g) => g < rules.minAnswerMs);
  if (fast.length >= FAST_MIN_COUNT && fast.length * 2 >= gaps.length) {
    flags.push({
      kind: 'answers_too_fast',
      evidence: { fastAnswers: fast.length, answers: gaps.length, fastestGapMs: Math.min(...fast), thresholdMs: rules.minAnswerMs },
    });
  }
  if (e.submittedAt !== null && e.questions > 0) {
    const thresholdMs = Math.round(e.questions * rules.minSecondsPerQuestion * 1000);
    const timeTakenMs = e.submittedAt - e.startedAt;
    if (timeTakenMs < thresholdMs) flags.push({ kind: 'entry_too_short', evidence: { timeTakenMs, questions: e.questions, thresholdMs } });
  }
  if (at.length >= REGULAR_MIN_ANSWERS) {
    // Between answers only: the first gap includes loading the page and is irregular for scripts too.
    const between = gaps.slice(1);
    const mean = between.reduce((s, g) => s + g, 0) / between.length;
    const stddev = Math.sqrt(between.reduce((s, g) => s + (g - mean) ** 2, 0) / between.length);
    if (stddev < rules.regularMaxStddevMs) {
      flags.push({
        kind: 'regular_intervals',
        evidence: { answers: at.length, meanGapMs: Math.round(mean), stddevMs: Math.round(stddev), thresholdMs: rules.regularMaxStddevMs },
      });
    }
  }
  return flags;
}
