// Timing for the report benchmark: repeated runs of one operation with their percentiles, and the
// wall time and CPU time (this process's and the PostgreSQL server's) of one step.
import { loadavg } from 'node:os';
import { postgresCpuMs } from './measure.js';
import { msf } from './report.js';

const log = (s: string) => console.log(s);
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export interface Timed {
  what: string;
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  goal: string;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** `warm` untimed runs, then `reps` timed ones, one after the other. */
export async function repeat(what: string, reps: number, op: () => Promise<unknown>, goalMs: number | null, warm = 3): Promise<Timed> {
  for (let i = 0; i < warm; i++) await op();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    await op();
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  const r = { what, n: reps, p50: pct(t, 50), p95: pct(t, 95), min: t[0]!, max: t[t.length - 1]! };
  const goal = goalMs === null ? '' : `< ${goalMs} ms: ${r.p95 < goalMs ? 'PASS' : r.p50 < goalMs ? 'median only' : 'FAIL'}`;
  log(`  ${what}: median ${msf(r.p50)}, p95 ${msf(r.p95)}, min ${msf(r.min)}, max ${msf(r.max)} ${goal}`.trimEnd());
  return { ...r, goal };
}

/** Wall time, this process's CPU and the PostgreSQL server's CPU of `op`. */
export async function cpuTimed<T>(op: () => Promise<T>) {
  const c0 = process.cpuUsage();
  const p0 = postgresCpuMs();
  const t0 = performance.now();
  const value = await op();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, nodeMs: (c.user + c.system) / 1000, pgMs: postgresCpuMs() - p0 };
}
export const cpuText = (r: { nodeMs: number; pgMs: number }) =>
  `CPU: this process ${secs(r.nodeMs)}${Number.isFinite(r.pgMs) ? `, PostgreSQL ${secs(r.pgMs)}` : ''}`;
