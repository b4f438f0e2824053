// CPU shares over a benchmark's measured period, read from /proc by timers in the coordinating
// process (which sleeps meanwhile): the server process, every PostgreSQL process, the machine.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { postgresCpuMs } from './measure.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function pidCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

function machineBusy() {
  let busy = 0;
  let all = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    all += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, all };
}

export interface CpuShares {
  /** Share of one core (1 = a whole core). */
  server: number;
  postgres: number;
  /** Share of the whole machine (1 = every core busy). */
  machine: number;
}

/** Snapshots after `warmup` s and `warmup + seconds` s; resolves after the second. */
export function cpuWatch(pids: { server: number | number[] }, warmup: number, seconds: number): Promise<CpuShares> {
  const serverPids = ([] as number[]).concat(pids.server);
  const snap = () => ({
    at: performance.now(),
    server: serverPids.reduce((a, pid) => a + pidCpuMs(pid), 0),
    postgres: postgresCpuMs(),
    machine: machineBusy(),
  });
  return new Promise((resolve) => {
    setTimeout(() => {
      const a = snap();
      setTimeout(() => {
        const b = snap();
        const wall = b.at - a.at;
        resolve({
          server: (b.server - a.server) / wall,
          postgres: (b.postgres - a.postgres) / wall,
          machine: (b.machine.busy - a.machine.busy) / (b.machine.all - a.machine.all),
        });
      }, seconds * 1000);
    }, warmup * 1000);
  });
}
