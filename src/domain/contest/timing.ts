// The server's clock is the only one that counts: an entry starts when the server records it, and
// an answer is accepted until the time limit plus a short grace for the network (a cheap phone on
// a slow connection sends its last answer a moment after the on-screen timer reaches zero).

export const GRACE_MS = 5_000;

/** The instant the participant's time is up (what the on-screen timer counts down to). */
export function deadlineOf(startedAt: Date, timeLimitSeconds: number): Date {
  return new Date(startedAt.getTime() + timeLimitSeconds * 1000);
}

/** The last instant an answer or the submission is accepted. */
export function acceptUntil(startedAt: Date, timeLimitSeconds: number, graceMs = GRACE_MS): Date {
  return new Date(deadlineOf(startedAt, timeLimitSeconds).getTime() + graceMs);
}

export function isLate(now: Date, startedAt: Date, timeLimitSeconds: number, graceMs = GRACE_MS): boolean {
  return now.getTime() > acceptUntil(startedAt, timeLimitSeconds, graceMs).getTime();
}

/**
 * Time taken for the ranking: submission minus start, never more than the limit (an answer in the
 * grace counts as on the bell); an entry never submitted took the whole limit.
 */
export function timeTakenMs(startedAt: Date, submittedAt: Date | null, timeLimitSeconds: number): number {
  const limit = timeLimitSeconds * 1000;
  if (!submittedAt) return limit;
  return Math.max(0, Math.min(limit, submittedAt.getTime() - startedAt.getTime()));
}
