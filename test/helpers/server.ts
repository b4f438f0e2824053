import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Server {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts the real server (src/main.ts) as a child process, as `npm start` does. */
export async function startServer(
  env: Record<string, string>,
  opts: { waitReady?: boolean; readyTimeoutMs?: number } = {},
): Promise<Server> {
  // A given PORT is kept (a test restarting the server on the same address passes one).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server: Server = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  if (opts.waitReady !== false) {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
      try {
        const r = await fetch(`${server.url}/readyz`);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        // Not left behind: a running child would keep the test process alive after the failure.
        child.kill('SIGKILL');
        throw new Error(`server did not become ready: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return server;
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
