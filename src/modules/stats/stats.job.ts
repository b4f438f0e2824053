import { every } from '../../jobs/periodic.js';
import type { App } from '../../web/request-context.js';

/**
 * Rolls final dossier facts into the statistics roll-ups every `everyMs` (with JOBS=on). Several
 * processes may run it: each batch claims its dossiers with SKIP LOCKED and moves their watermark
 * in the same transaction. Reports stay exact meanwhile: they add what is not rolled yet.
 */
export function startStatsRollup(app: App, everyMs = 60_000): () => void {
  return every(app.log, 'statistics roll-up', everyMs, async () => {
    const n = await app.services.stats.rollUp();
    if (n > 0) app.log.info({ dossiers: n }, 'statistics rolled up');
  });
}
