// The server under test for the contest benchmark, in its own process so that it has an event loop
// (and a core, when the scheduler agrees) to itself: the application as `npm start` builds it
// (buildApp, logger off, jobs off) on PostgreSQL, and the baseline, a bare Fastify "hello" route,
// on a second port of the same process. startServer() forks it and returns the ports, the pid
// (for its CPU time in /proc) and a way to ask for its memory figures.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

export interface ServerHandle {
  pid: number;
  port: number;
  barePort: number;
  memory(): Promise<{ rss: number; heapUsed: number; maxRss: number }>;
  stop(): Promise<void>;
}

type Msg = { ports?: { port: number; barePort: number }; memory?: { rss: number; heapUsed: number; maxRss: number }; error?: string };

/** `profileDir`: write a V8 CPU profile of the server there when it stops (node --cpu-prof). */
export function startServer(env: Record<string, string>, profileDir?: string): Promise<ServerHandle> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let waiting: ((m: Msg) => void) | null = null;
    child.on('message', (m: Msg) => {
      if (m.error) reject(new Error(m.error));
      else if (m.ports)
        resolve({
          pid: child.pid!,
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

if (process.argv.includes('--child')) {
  const { buildApp } = await import('../../src/app.js');
  const { loadConfig } = await import('../../src/config.js');
  const { openDatabase } = await import('../../src/db/engine.js');
  try {
    const config = loadConfig(process.env);
    const database = await openDatabase(config);
    const app = await buildApp(config, database, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const bare = Fastify();
    bare.get('/hello', async () => ({ hello: 'world' }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const portOf = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
    process.send!({ ports: { port: portOf(app), barePort: portOf(bare) } });
    process.on('message', (m) => {
      if (m === 'memory') {
        const u = process.memoryUsage();
        process.send!({ memory: { rss: u.rss, heapUsed: u.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 } });
      } else if (m === 'stop') {
        void Promise.all([app.close(), bare.close()])
          .then(() => database.close())
          .finally(() => process.exit(0));
      }
    });
  } catch (e) {
    process.send!({ error: String((e as Error).stack ?? e) });
    process.exit(1);
  }
}
