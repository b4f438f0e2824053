import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `task` now and every `everyMs` in this process, never two runs at once; a failure is
 * logged and the next tick tries again. Returns the stop function (for the app's onClose).
 */
export function every(log: FastifyBaseLogger, name: string, everyMs: number, task: () => Promise<void>): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (e) {
      log.error({ err: e }, `${name} failed`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
