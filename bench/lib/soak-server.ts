// The server under soak: the production entry point (src/main.ts under tsx as `npm start` runs it,
// or the built dist/main.js as `npm run start:prod` does) in its own process, found only through
// what an operator sees from outside: its resident memory from /proc/<pid>/status, its stdout
// (pino JSON logs, counted) and V8's own `--trace-gc` lines, which give the heap left after each
// full (mark-compact) collection without any debug endpoint in the application.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

export interface GcSample {
  /** When the line arrived: performance.now() of the coordinating process, ms. */
  at: number;
  /** Heap after the full collection, MB. */
  heapAfterMb: number;
  /** The heap's committed size after it (what V8 holds from the system), MB. */
  committedMb: number;
  /** V8 isolate (the main thread's, or a worker's such as tsx's loader). */
  isolate: string;
}

export interface SoakServer {
  pid: number;
  port: number;
  /** Resident set size now (0 once the process is gone). */
  rss(): Rss;
  gc: GcSample[];
  /** Every --trace-gc line (scavenges too) by isolate: the main thread's is the one that allocates most. */
  gcLines: Record<string, number>;
  logs: { lines: number; bytes: number; byLevel: Record<string, number>; byMsg: Record<string, number>; errors: string[] };
  stderr: string[];
  stop(): Promise<string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resident memory from /proc/<pid>/status: the whole, and its anonymous (heap, malloc) and file-backed (code) parts, bytes. */
export interface Rss {
  total: number;
  anon: number;
  file: number;
}

function rssOf(pid: number): Rss {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) * 1024;
    return { total: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return { total: 0, anon: 0, file: 0 };
  }
}

// "[123:0x5d…]   81234 ms: Mark-Compact 61.2 (79.6) -> 48.3 (80.1) MB, …" (also "Mark-Compact (reduce)").
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;
const ISOLATE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: /;
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Starts the server with `env` on a free port and waits until /readyz answers 200.
 * `dist`: run dist/main.js (after `npm run build`); otherwise src/main.ts under tsx.
 * `nodeFlags`: extra V8/Node flags (e.g. --heapsnapshot-signal=SIGUSR2).
 */
export async function startSoakServer(env: Record<string, string>, opts: { dist: boolean; nodeFlags?: string[] }): Promise<SoakServer> {
  const port = await freePort();
  const entry = opts.dist ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child: ChildProcess = spawn(process.execPath, ['--trace-gc', ...(opts.nodeFlags ?? []), ...entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const gc: GcSample[] = [];
  const gcLines: Record<string, number> = {};
  const logs = { lines: 0, bytes: 0, byLevel: {} as Record<string, number>, byMsg: {} as Record<string, number>, errors: [] as string[] };
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const iso = ISOLATE.exec(line)?.[1];
    if (iso) gcLines[iso] = (gcLines[iso] ?? 0) + 1;
    const g = GC_LINE.exec(line);
    if (g) {
      gc.push({ at: performance.now(), heapAfterMb: Number(g[2]), committedMb: Number(g[3]), isolate: g[1]! });
      return;
    }
    if (!line.startsWith('{')) return;
    logs.lines++;
    logs.bytes += line.length + 1;
    const level = /"level":(\d+)/.exec(line)?.[1];
    const name = LEVELS[Number(level)] ?? '?';
    logs.byLevel[name] = (logs.byLevel[name] ?? 0) + 1;
    const msg = /"msg":"((?:[^"\\]|\\.){0,80})/.exec(line)?.[1] ?? '?';
    logs.byMsg[msg] = (logs.byMsg[msg] ?? 0) + 1;
    if (Number(level) >= 50 && logs.errors.length < 5) logs.errors.push(line.slice(0, 600));
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (stderr.length < 50) stderr.push(line);
  });
  let exited: number | null | undefined;
  let exitSignal: string | null = null;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitSignal = signal;
      resolve((exited = code));
    }),
  );

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`server exited with ${exited} before it was ready:\n${stderr.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 180 s:\n${stderr.join('\n')}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    pid: child.pid!,
    port,
    rss: () => (exited === undefined ? rssOf(child.pid!) : { total: 0, anon: 0, file: 0 }),
    gc,
    gcLines,
    logs,
    stderr,
    /** SIGTERM, then SIGKILL after the server's own shutdown timeout (30 s) and a margin. */
    stop: async () => {
      const t0 = performance.now();
      if (exited === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const code = await exit;
      clearTimeout(timer);
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      return `${code ?? `none (${exitSignal})`} after ${s} s`;
    },
  };
}
