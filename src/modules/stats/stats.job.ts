import type { App } from '../../web/request-context.js';

/**
 * Rolls final dossier facts into the statistics roll-ups every `everyMs` (with JOBS=on). Several
 * processes may run it: each batch claims its dossiers with SKIP LOCKED and moves their watermark
 * in the same transaction. Reports stay exact meanwhile: they add what is not rolled yet.
 */
export function startStatsRollup(app: App, everyMs = 60_000): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const n = await app.services.stats.rollUp();
      if (n > 0) app.log.info({ dossiers: n }, 'statistics rolled up');
    } catch (e) {
      app.log.error({ err: e }, 'statistics roll-up failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
