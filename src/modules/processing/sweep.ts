import { every } from '../../jobs/periodic.js';
import type { App } from '../../web/request-context.js';
import { sweepDeadlines } from './lateness.js';

/**
 * Runs the deadline sweep every `everyMs` in this process (with JOBS=on). Several processes may
 * run it: each dossier is claimed with SKIP LOCKED and marked, so nobody is warned twice.
 */
export function startDeadlineSweep(app: App, everyMs = 5 * 60_000): () => void {
  return every(app.log, 'deadline sweep', everyMs, async () => {
    const r = await sweepDeadlines(app.services.dossiers.db, app.config.baseUrl);
    if (r.warned || r.escalated) app.log.info({ ...r }, 'deadline sweep');
  });
}
