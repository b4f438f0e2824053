import { every } from '../../jobs/periodic.js';
import type { App } from '../../web/request-context.js';

/**
 * Freezes the ranking of every round that has closed, every `everyMs` in this process (with
 * JOBS=on), so that the first person asking for a large round's results after its close does not
 * wait the half minute it takes (bench/README.md, contest). A results request still freezes a round
 * the job has not reached; several processes may run the job (the freeze takes the round's row
 * with SKIP LOCKED and rounds already frozen are left alone).
 */
export function startContestFreeze(app: App, everyMs = 60_000): () => void {
  return every(app.log, 'contest freeze', everyMs, async () => {
    const rounds = await app.services.contestEntries.freezeClosedRounds(new Date());
    if (rounds.length) app.log.info({ rounds }, 'contest rankings frozen');
  });
}
