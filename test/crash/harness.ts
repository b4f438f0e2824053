import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server as Server_, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type Database, type Engine } from '../../src/db/engine.js';
import { pgliteCopy, postgresCopy } from '../helpers/db.js';
import { freePort, startServer, type Server } from '../helpers/server.js';

// The moving parts of the crash test (crash.test.ts): a seeded random source, the engine under
// test with its own fresh storage, and the real server as a child process that can be killed.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A small but real PDF (the upload check sniffs the content), unique per call so every upload is a new file. */
export function uniquePdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n% '), Buffer.from(randomBytes(24).toString('hex')), Buffer.from('\n%%EOF\n')]);
}

export interface Target {
  engine: Engine;
  /** Server settings that point at this target's storage (fresh for this run). */
  env: Record<string, string>;
  filesDir: string;
  /** Opens the database in this process (only while no server holds it, for PGlite). */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

/**
 * A new database of its own for the server: a new database on the PostgreSQL server of
 * TEST_DATABASE_URL, or a new PGlite data directory. By default it is a copy of the test suites'
 * migrated and seeded template (test/helpers/db.ts), which saves the initdb, migrations and
 * catalogue of a first install (tens of seconds on a loaded machine); `empty` starts from
 * nothing, as a first install does (CRASH_FROM_EMPTY=1).
 */
export async function freshTarget(engine: Engine, empty = false): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'motcua-crash-'));
  const dataDir = join(dir, 'data');
  const filesDir = join(dataDir, 'files');
  if (engine === 'pglite') {
    if (!empty) await pgliteCopy('full', dataDir);
    return {
      engine,
      // The default lease (300 s) is kept on purpose: jobs a killed process had claimed must be
      // released at boot (main.ts), or the test would time out waiting for their messages.
      env: { DATA_DIR: dataDir },
      filesDir,
      open: () => openPglite(dataDir),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('the PostgreSQL crash run needs TEST_DATABASE_URL');
  const name = `motcua_crash_${randomBytes(5).toString('hex')}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  if (empty) await admin(`create database ${name}`);
  else await postgresCopy(adminUrl, 'full', name);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    engine,
    // Other instances may share a PostgreSQL database, so a dead worker's jobs come back only when
    // their lease runs out: a short lease keeps the test short (production: JOB_LEASE_SECONDS).
    env: { DATABASE_URL: url, DATA_DIR: dataDir, JOB_LEASE_SECONDS: '5' },
    filesDir,
    open: () => openPostgres(url, 2),
    cleanup: async () => {
      await admin(`drop database if exists ${name} with (force)`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The real server (src/main.ts through tsx) on one fixed port, so clients find every incarnation at the same URL. */
export class Incarnations {
  server: Server | null = null;
  /** Every incarnation, for their logs. */
  readonly all: Server[] = [];
  #exited: Promise<unknown> = Promise.resolve();
  boots = 0;
  kills = 0;
  readonly bootMs: number[] = [];
  port = 0;

  constructor(readonly env: Record<string, string>) {}

  /** Sums a number logged by the incarnations, e.g. `removed` of 'unfinished uploads removed'. */
  logged(msg: string, field: string): number {
    let n = 0;
    for (const s of this.all) {
      for (const line of s.output().split('\n')) {
        if (!line.includes(`"msg":"${msg}"`)) continue;
        const v = (JSON.parse(line) as Record<string, unknown>)[field];
        if (typeof v === 'number') n += v;
      }
    }
    return n;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async boot(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const t0 = Date.now();
    // Generous: seven test processes may share two cores (a boot takes a few seconds when idle).
    this.server = await startServer({ ...this.env, PORT: String(this.port) }, { readyTimeoutMs: 180_000 });
    this.all.push(this.server);
    const child = this.server.child;
    // Taken now: after a kill the child has a signalCode but no exitCode, which waitExit() cannot tell from running.
    this.#exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    this.bootMs.push(Date.now() - t0);
    this.boots++;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed, the data-dir lock file stays behind. */
  killNow(): Promise<unknown> {
    const s = this.server;
    if (!s) return Promise.resolve();
    if (!s.child.killed && s.child.exitCode === null) {
      this.kills++;
      s.child.kill('SIGKILL');
    }
    return this.#exited;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await s.stop();
  }
}

export class NetworkError extends Error {
  override name = 'NetworkError';
}

export interface Reply {
  status: number;
  body: unknown;
}

/**
 * One HTTP request. A failure to get a complete response (connection refused or reset: the
 * server died) is a NetworkError: the client cannot know whether the request took effect.
 */
export async function call(url: string, init: RequestInit & { timeoutMs?: number }): Promise<Reply> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 20_000) });
    text = await res.text();
  } catch (e) {
    throw new NetworkError(String((e as Error).cause ?? e));
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A TCP relay between the clients and the server that can swallow one response: when `cut`
 * returns true for a chunk the server sent, that chunk never reaches the client and both sides of
 * the connection are dropped. The test kills the server in `cut`, so a request that committed is
 * left without its answer: the client must retry it.
 */
export class Relay {
  port = 0;
  cut: ((chunk: Buffer) => boolean) | null = null;
  #server: Server_ | null = null;
  readonly #sockets = new Set<Socket>();

  constructor(readonly upstreamPort: () => number) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.upstreamPort(), '127.0.0.1');
      this.#sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (this.cut?.(chunk)) drop();
        else client.write(chunk);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}
