// A question counts as right only when the chosen options are exactly the key: for a multiple-
// choice question, a missing or an extra option makes it wrong (no partial marks).

export function isRight(chosen: readonly string[] | undefined, correct: readonly string[]): boolean {
  if (!chosen || chosen.length !== correct.length) return false;
  const key = new Set(correct);
  return new Set(chosen).size === chosen.length && chosen.every((c) => key.has(c));
}

/** Score = number of questions right; all-correct when every drawn question is right. */
export function scoreEntry(
  questionIds: readonly number[],
  answers: ReadonlyMap<number, readonly string[]>,
  keys: ReadonlyMap<number, readonly string[]>,
): { score: number; allCorrect: boolean } {
  const score = questionIds.filter((q) => isRight(answers.get(q), keys.get(q) ?? [])).length;
  return { score, allCorrect: questionIds.length > 0 && score === questionIds.length };
}
