// Load driver and CPU readings for the benchmarks: workers calling an operation for a warm-up and a
// measured period, latency percentiles, CPU time of this process, of the PostgreSQL server (from
// /proc) and of the whole machine, and a pgbench runner reporting the same figures.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

export interface Run {
  what: string;
  workers: number;
  ops: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** CPU per operation: the client (this Node process, or pgbench), the PostgreSQL server, the whole machine. */
  clientCpuMs: number;
  serverCpuMs: number;
  machineCpuMs: number;
  busy: number;
  /** pgbench's own latency average (it prints no percentiles). */
  avg?: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** [utime + stime, cutime + cstime] in ms from /proc/<pid>/stat, with the process name and parent. */
function procTimes(pid: string) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const f = stat.slice(close + 2).split(' ');
    return {
      name: stat.slice(stat.indexOf('(') + 1, close),
      ppid: f[1]!,
      own: (Number(f[11]) + Number(f[12])) * TICK_MS,
      children: (Number(f[13]) + Number(f[14])) * TICK_MS,
    };
  } catch {
    return null;
  }
}

/** CPU ms of every PostgreSQL process here, including backends that have ended (the postmaster's children time). */
export function postgresCpuMs(): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return NaN;
  }
  const procs = new Map<string, NonNullable<ReturnType<typeof procTimes>>>();
  for (const pid of pids) {
    const t = procTimes(pid);
    if (t?.name === 'postgres') procs.set(pid, t);
  }
  let ms = 0;
  for (const t of procs.values()) ms += t.own + (procs.has(t.ppid) ? 0 : t.children);
  return procs.size ? ms : NaN;
}

function machineTimes() {
  let busy = 0;
  let all = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    all += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, all };
}

function pct(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/** The measured period and the warm-up before it, in seconds. */
export interface Timing {
  seconds: number;
  warmup: number;
}

/**
 * `workers` loops calling `op` for warm-up + seconds; what completes in the last `seconds` counts.
 * The CPU snapshots are taken by the workers themselves (PGlite answers through microtasks only, so
 * a timer would not fire until the run is over). `server`: read the PostgreSQL server's CPU too.
 */
export async function drive(what: string, workers: number, op: () => Promise<unknown>, timing: Timing, server = false): Promise<Run> {
  const lat: number[] = [];
  let errors = 0;
  let firstError: unknown = null;
  const from = performance.now() + timing.warmup * 1000;
  const to = from + timing.seconds * 1000;
  const snap = () => ({ at: performance.now(), node: process.cpuUsage(), server: server ? postgresCpuMs() : NaN, machine: machineTimes() });
  let a: ReturnType<typeof snap> | null = null;
  let b: ReturnType<typeof snap> | null = null;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < to && errors < 1000) {
        const t = performance.now();
        try {
          await op();
        } catch (e) {
          errors++;
          firstError ??= e;
          continue;
        }
        const done = performance.now();
        if (done < from) continue;
        a ??= snap();
        if (done <= to) lat.push(done - t);
        else b ??= snap();
      }
    }),
  );
  b ??= snap();
  if (firstError) console.error(`  ${what}: ${errors} errors, the first:`, firstError);
  if (!a) throw new Error(`${what}: nothing completed`);
  lat.sort((x, y) => x - y);
  const ops = lat.length;
  const first: ReturnType<typeof snap> = a;
  const nodeMs = (b.node.user - first.node.user + b.node.system - first.node.system) / 1000;
  const machine = { busy: b.machine.busy - first.machine.busy, all: b.machine.all - first.machine.all };
  return {
    what,
    workers,
    ops,
    rate: ops / ((b.at - first.at) / 1000),
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    p99: pct(lat, 99),
    max: lat.at(-1) ?? NaN,
    errors,
    clientCpuMs: nodeMs / ops,
    serverCpuMs: (b.server - first.server) / ops,
    machineCpuMs: machine.busy / ops,
    busy: machine.all ? machine.busy / machine.all : NaN,
  };
}

/** Mean ms of `fn` over `n` calls, after up to 200 calls of warm-up. */
export async function timeLoop(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t) / n;
}

const run = promisify(execFile);

/** pgbench running `script` with `clients` connections for `seconds`, read like a `drive` run. */
export async function pgbench(url: string, script: string, clients: number, seconds: number): Promise<Run> {
  const bin = await run('sh', ['-c', 'command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -1']).then((r) => r.stdout.trim());
  const machine0 = machineTimes();
  const server0 = postgresCpuMs();
  const client0 = procTimes('self')!.children;
  const { stdout } = await run(bin, ['-n', '-M', 'prepared', '-f', script, '-c', String(clients), '-j', '2', '-T', String(seconds), url], {
    maxBuffer: 1 << 20,
  });
  const machine1 = machineTimes();
  const server1 = postgresCpuMs();
  const client1 = procTimes('self')!.children;
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
  const avg = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  if (failed > 0) throw new Error(`pgbench: ${failed} failed transactions:\n${stdout}`);
  const ops = tps * seconds;
  return {
    what: 'baseline: pgbench, the 2 inserts in 1 transaction',
    workers: clients,
    ops,
    rate: tps,
    p50: NaN,
    p95: NaN,
    p99: NaN,
    max: NaN,
    errors: 0,
    clientCpuMs: (client1 - client0) / ops,
    serverCpuMs: (server1 - server0) / ops,
    machineCpuMs: (machine1.busy - machine0.busy) / ops,
    busy: (machine1.busy - machine0.busy) / (machine1.all - machine0.all),
    avg,
  };
}
