// The server under test for the contest benchmark, in its own process(es) so that it has event
// loops (and cores, when the scheduler agrees) to itself: the application as `npm start` builds it
// (buildApp, logger off, jobs off) on PostgreSQL, and the baseline, a bare Fastify "hello" route,
// on a second port. With `workers` > 1 the forked process is a node:cluster primary that starts
// that many workers sharing both ports (the primary hands each new connection to the next worker,
// as a load balancer in front of N instances would). startServer() returns the ports, the pids
// that do the work (for their CPU time in /proc) and a way to ask for their memory figures.
import { fork, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
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
  stop(): Promise<void>;
}

type Msg = { ports?: { port: number; barePort: number }; pids?: number[]; memory?: Memory; error?: string };

/** `profileDir`: write a V8 CPU profile of the server there when it stops (node --cpu-prof). */
export function startServer(env: Record<string, string>, profileDir?: string, workers = 1): Promise<ServerHandle> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child', String(workers)], {
      execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      env: { ...process.env, ...env },
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
          stop: () =>
            new Promise((res) => {
              child.once('exit', () => res());
              child.send('stop');
            }),
        });
      else if (m.memory) waiting?.(m);
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
  parent.on('message', (m) => {
    if (m === 'memory') parent.send({ memory: memoryNow() });
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
