// The server under test for the contest benchmark, in its own process(es) so that it has event
// loops (and cores, when the scheduler agrees) to itself: the application as `npm start` builds it
// (buildApp, logger off, jobs off) on PostgreSQL, and the baseline, a bare Fastify "hello" route,
// on a second port. With `workers` > 1 the forked process is a node:cluster primary that starts
// that many workers sharing both ports (the primary hands each new connection to the next worker,
// as a load balancer in front of N instances would). startServer() returns the ports, the pids
// that do the work (for their CPU time in /proc) and a way to ask for their memory figures.
import { fork, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

type Memory = { rss: number; heapUsed: number; maxRss: number };

export interface ServerHandle {
  /** The processes serving requests: the one server, or every cluster worker. */
  pids: number[];
  port: number;
  barePort: number;
  /** Summed over the serving processes. */
  memory(): Promise<Memory>;
  /** With a profile directory, one process: starts the V8 CPU profiler; stopProfile() writes the file. */
  startProfile(): Promise<void>;
  /** Writes the profile taken since startProfile() and returns its path. */
  stopProfile(): Promise<string>;
  stop(): Promise<void>;
}

type Msg = {
  ports?: { port: number; barePort: number };
  pids?: number[];
  memory?: Memory;
  profiling?: boolean;
  profile?: string;
  error?: string;
};

/**
 * `profileDir`: the server writes there a V8 CPU profile of the period between startProfile() and
 * stopProfile() only, so that the baselines run before do not blur it (one server process).
 */
export function startServer(env: Record<string, string>, profileDir?: string, workers = 1): Promise<ServerHandle> {
  if (profileDir && workers > 1) throw new Error('--profile needs --servers 1');
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child', String(workers)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let waiting: ((m: Msg) => void) | null = null;
    child.on('message', (m: Msg) => {
      if (m.error) reject(new Error(m.error));
      else if (m.ports)
        resolve({
          pids: m.pids ?? [child.pid!],
          ...m.ports,
          memory: () =>
            new Promise((res) => {
              waiting = (x) => res(x.memory!);
              child.send('memory');
            }),
          startProfile: () =>
            new Promise((res) => {
              waiting = () => res();
              child.send('profile-start');
            }),
          stopProfile: () =>
            new Promise((res) => {
              waiting = (x) => res(x.profile!);
              child.send('profile-stop');
            }),
          stop: () =>
            new Promise((res) => {
              child.once('exit', () => res());
              child.send('stop');
            }),
        });
      else if (m.memory || m.profiling !== undefined || m.profile) waiting?.(m);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const memoryNow = (): Memory => {
  const u = process.memoryUsage();
  return { rss: u.rss, heapUsed: u.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 };
};

/** One serving process: the app and the bare route; answers 'memory' and 'stop' from `parent`. */
async function serve(parent: { send(m: unknown): unknown; on(e: 'message', f: (m: unknown) => void): unknown }) {
  const { buildApp } = await import('../../src/app.js');
  const { loadConfig } = await import('../../src/config.js');
  const { openDatabase } = await import('../../src/db/engine.js');
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  const app = await buildApp(config, database, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const portOf = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
  const profiler = process.env.BENCH_PROFILE_DIR ? new inspector.Session() : null;
  profiler?.connect();
  parent.on('message', (m) => {
    if (m === 'memory') parent.send({ memory: memoryNow() });
    else if (m === 'profile-start' && profiler)
      void profiler
        .post('Profiler.enable')
        .then(() => profiler.post('Profiler.start'))
        .then(() => parent.send({ profiling: true }));
    else if (m === 'profile-stop' && profiler)
      void profiler.post('Profiler.stop').then(({ profile }) => {
        const file = join(process.env.BENCH_PROFILE_DIR!, `entries-${process.pid}.cpuprofile`);
        mkdirSync(process.env.BENCH_PROFILE_DIR!, { recursive: true });
        writeFileSync(file, JSON.stringify(profile));
        parent.send({ profile: file });
      });
    else if (m === 'stop')
      void Promise.all([app.close(), bare.close()])
        .then(() => database.close())
        .finally(() => process.exit(0));
  });
  parent.send({ ports: { port: portOf(app), barePort: portOf(bare) } });
}

/** The cluster primary: starts the workers, relays 'memory' (summed) and 'stop'. */
async function primary(n: number) {
  const ws: Worker[] = [];
  const ports = await new Promise<Msg['ports']>((resolve, reject) => {
    let ready = 0;
    for (let i = 0; i < n; i++) {
      const w = cluster.fork();
      ws.push(w);
      w.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      w.once('message', (m: Msg) => {
        if (m.error) reject(new Error(m.error));
        // Every worker's listen(0) gets the same shared ports from the primary.
        else if (++ready === n) resolve(m.ports);
      });
    }
  });
  process.on('message', async (m) => {
    if (m === 'memory') {
      const all = await Promise.all(
        ws.map(
          (w) =>
            new Promise<Memory>((res) => {
              w.once('message', (x: Msg) => res(x.memory!));
              w.send('memory');
            }),
        ),
      );
      process.send!({
        memory: all.reduce((a, b) => ({ rss: a.rss + b.rss, heapUsed: a.heapUsed + b.heapUsed, maxRss: a.maxRss + b.maxRss })),
      });
    } else if (m === 'stop') {
      for (const w of ws) w.removeAllListeners('exit');
      await Promise.all(ws.map((w) => new Promise((res) => (w.once('exit', res), w.send('stop')))));
      process.exit(0);
    }
  });
  process.send!({ ports, pids: ws.map((w) => w.process.pid!) });
}

const fail = (e: unknown) => {
  process.send!({ error: String((e as Error).stack ?? e) });
  process.exit(1);
};
if (cluster.isWorker) {
  await serve(process as unknown as Parameters<typeof serve>[0]).catch(fail);
} else if (process.argv.includes('--child')) {
  const n = Number(process.argv[process.argv.indexOf('--child') + 1] ?? 1);
  if (n > 1) {
    cluster.setupPrimary({ execArgv: process.execArgv, args: [] });
    await primary(n).catch(fail);
  } else await serve(process as unknown as Parameters<typeof serve>[0]).catch(fail);
}
