import { connect } from 'node:net';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPglite } from '../../src/db/engine.js';
import { MIGRATION_LOCK_KEY } from '../../src/db/migrate.js';
import { WEBHOOK_QUEUE } from '../../src/modules/webhooks/webhooks.outbox.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE, templateCopy } from '../helpers/db.js';
import { maritalBody, multipart, PDF } from '../helpers/dossiers.js';
import { startServer, waitExit, type Server } from '../helpers/server.js';

const PG = process.env.TEST_DATABASE_URL;
const APP_NAME = `motcua-graceful-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A webhook receiver that holds every delivery until release(): a job in flight for as long as the test wants. */
class HoldingReceiver {
  readonly held: ServerResponse[] = [];
  answered = 0;
  #open = false;
  readonly server: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      if (this.#open) {
        this.answered++;
        res.end('ok');
      } else this.held.push(res);
    });
  });
  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }
  release() {
    this.#open = true;
    for (const res of this.held.splice(0)) {
      this.answered++;
      res.end('ok');
    }
  }
  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

async function token(url: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 201);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function post(url: string, auth: Record<string, string>, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.status < 300, `${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** An upload sent slowly, chunk by chunk: a request in flight while the test signals the server. */
function slowUpload(srv: Server, auth: Record<string, string>, bytes: Buffer) {
  const m = multipart({}, { name: 'ho-so-lon.pdf', type: 'application/pdf', bytes });
  const chunks: Buffer[] = [];
  for (let i = 0; i < m.payload.length; i += 64 * 1024) chunks.push(m.payload.subarray(i, i + 64 * 1024));
  const req = request(`${srv.url}/api/v1/files`, {
    method: 'POST',
    headers: { ...auth, ...m.headers, 'content-length': String(m.payload.length) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
  });
  req.write(chunks.shift()!);
  return {
    response,
    /** Sends the rest, one chunk every `everyMs`. */
    finish: async (everyMs: number) => {
      for (const c of chunks) {
        await sleep(everyMs);
        req.write(c);
      }
      req.end();
    },
  };
}

const connectionRefused = (url: string) =>
  fetch(`${url}/healthz`).then(
    () => false,
    () => true,
  );

describe(`graceful operation (${ENGINE})`, () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  test('while the start-up migrates, the port answers: /healthz 200, /readyz and everything else 503; SIGTERM then stops it', async () => {
    let env: Record<string, string>;
    let lock: pg.Client | null = null;
    if (PG) {
      // An empty database whose migrations wait for the lock held here, as behind another instance.
      const name = `motcua_boot_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`create database ${name}`);
      cleanup.push(async () => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      });
      const u = new URL(PG);
      u.pathname = `/${name}`;
      lock = new pg.Client({ connectionString: u.toString() });
      await lock.connect();
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      cleanup.push(() => lock!.end());
      env = { DATABASE_URL: u.toString() };
    } else {
      // A new data directory: creating the embedded database alone takes seconds.
      const dir = await mkdtemp(join(tmpdir(), 'motcua-boot-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      env = { DATA_DIR: join(dir, 'data') };
    }
    const srv = await startServer({ ...env, DEMO_DATA: 'false' }, { waitReady: false });
    cleanup.push(() => srv.stop());
    await until('the boot listener', async () => (await fetch(`${srv.url}/healthz`)).status === 200, 60_000);
    const ready = await fetch(`${srv.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { status: string }).status, 'starting');
    if (PG) {
      // Then it waits at the migration step for as long as the lock is held elsewhere.
      await until(
        'the migration step',
        async () => {
          const r = await fetch(`${srv.url}/readyz`);
          return r.status === 503 && ((await r.json()) as { phase: string }).phase === 'migrating';
        },
        60_000,
      );
    }
    assert.equal((await fetch(`${srv.url}/api/v1/units`)).status, 503);
    // A browser gets a page that says so and reloads itself, in Vietnamese first.
    const page = await fetch(`${srv.url}/`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 503);
    const html = await page.text();
    assert.match(html, /<meta http-equiv="refresh" content="5">/);
    assert.match(html, /đang khởi động[\s\S]*is starting/);
    const t0 = Date.now();
    srv.child.kill('SIGTERM');
    assert.equal(await waitExit(srv.child), 0);
    console.log(`SIGTERM during start-up: exit after ${Date.now() - t0} ms`);
    if (!PG) assert.ok(!existsSync(join(env.DATA_DIR!, 'motcua.lock')), 'the data directory is unlocked');
  });

  describe('a serving instance', () => {
    let srv: Server;
    let copy: Awaited<ReturnType<typeof templateCopy>>;
    let receiver: HoldingReceiver;
    let citizen: Record<string, string>;
    let desk: Record<string, string>;
    let admin: Record<string, string>;

    before(async () => {
      copy = await templateCopy();
      const env: Record<string, string> = { ...copy.env, DEMO_DATA: 'true', SHUTDOWN_DRAIN_SECONDS: '1' };
      if (env.DATABASE_URL) env.DATABASE_URL += `?application_name=${APP_NAME}`;
      srv = await startServer(env);
      receiver = new HoldingReceiver();
      const hook = await receiver.listen();
      [citizen, desk, admin] = await Promise.all([
        token(srv.url, DEMO.citizen),
        token(srv.url, DEMO.deskQuangTrung),
        token(srv.url, DEMO.cityAdmin),
      ]);
      for (const name of ['Cổng A', 'Cổng B', 'Cổng C']) await post(`${srv.url}/api/v1/webhooks`, admin, { name, url: hook });
    });
    after(async () => {
      await srv?.stop();
      await receiver?.close();
      await copy?.drop();
    });

    test('on PostgreSQL: /readyz is 503 "migrating" while any process holds the migration lock, and recovers', { skip: !PG }, async () => {
      const c = new pg.Client({ connectionString: copy.env.DATABASE_URL });
      await c.connect();
      try {
        await c.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        const r = await fetch(`${srv.url}/readyz`);
        assert.equal(r.status, 503);
        assert.equal(((await r.json()) as { status: string }).status, 'migrating');
        await c.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
      } finally {
        await c.end();
      }
    });

    test(
      'on PostgreSQL: after every connection of the server is terminated, the next requests succeed without a restart',
      { skip: !PG },
      async () => {
        const c = new pg.Client({ connectionString: PG });
        await c.connect();
        try {
          const killed = await c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [APP_NAME]);
          assert.ok(killed.rowCount! >= 1, 'the server had connections to drop');
        } finally {
          await c.end();
        }
        await sleep(100);
        assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
        for (let i = 0; i < 5; i++) assert.equal((await fetch(`${srv.url}/api/v1/units?level=district`)).status, 200);
        assert.equal(srv.child.exitCode, null, 'the process is still running');
      },
    );

    test('SIGTERM: /readyz 503 while draining, the in-flight upload completes, new connections are refused, the job in flight finishes, claimed jobs go back to pending, exit 0', async () => {
      // Deliveries of a submitted and received dossier: the first is held by the receiver (a job
      // in flight), the others of its batch are claimed behind it.
      const m = multipart({}, { name: 'to-khai.pdf', type: 'application/pdf', bytes: PDF });
      const file = await fetch(`${srv.url}/api/v1/files`, { method: 'POST', headers: { ...citizen, ...m.headers }, body: m.payload });
      assert.equal(file.status, 201);
      const sha = ((await file.json()) as { sha256: string }).sha256;
      const dossier = await post(`${srv.url}/api/v1/dossiers`, citizen, maritalBody(sha));
      await post(`${srv.url}/api/v1/dossiers/${dossier.id}/receive`, desk, {});
      await until('a delivery in flight', async () => receiver.held.length > 0);

      const big = Buffer.concat([PDF, randomBytes(1024 * 1024)]);
      const upload = slowUpload(srv, citizen, big);
      // A connection opened ahead and never used (a proxy's pool, a slow client): it must not hold
      // the shutdown until its timeout (it did: exit 1 after SHUTDOWN_TIMEOUT_SECONDS).
      const silent = connect(Number(new URL(srv.url).port), '127.0.0.1');
      const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
      silent.on('error', () => {});
      await sleep(300);
      const t0 = Date.now();
      srv.child.kill('SIGTERM');
      const exited = waitExit(srv.child).then((code) => ({ code, ms: Date.now() - t0 }));
      await sleep(200);
      const draining = await fetch(`${srv.url}/readyz`);
      assert.equal(draining.status, 503, 'a load balancer sees the instance leave');
      assert.equal(((await draining.json()) as { status: string }).status, 'draining');
      assert.equal((await fetch(`${srv.url}/api/v1/units?level=district`)).status, 200, 'requests are still served while draining');
      await upload.finish(150);
      const res = await upload.response;
      assert.equal(res.status, 201, res.body);
      const uploaded = JSON.parse(res.body) as { sha256: string; size: number };
      assert.equal(uploaded.size, big.length);
      await until('the listening socket to close', () => connectionRefused(srv.url), 5000);
      assert.equal(srv.child.exitCode, null, 'the process waits for the job in flight');
      const inFlightAt = Date.now();
      receiver.release();
      const { code, ms } = await exited;
      assert.equal(code, 0, srv.output().slice(-2000));
      await silentClosed;
      console.log(`SIGTERM to exit: ${ms} ms (drain 1 s, upload, then ${Date.now() - inFlightAt} ms after the held job was answered)`);
      assert.match(srv.output(), /claimed jobs released/);

      // What the next instance finds: nothing leased, the delivered job done, the rest pending.
      const rows = await jobRows(copy.env);
      const leased = rows.filter((j) => j.locked_until !== null && !j.done_at && !j.failed_at);
      assert.deepEqual(leased, [], 'no job is left leased');
      const hooks = rows.filter((j) => j.queue === WEBHOOK_QUEUE);
      assert.equal(hooks.filter((j) => j.done_at).length, receiver.answered);
      assert.ok(hooks.filter((j) => !j.done_at).length >= 2, 'deliveries still to make');
      for (const j of hooks.filter((j) => !j.done_at)) assert.equal(j.attempts, 0, 'a released job has not used an attempt');
      assert.ok(await storedFile(copy.env, uploaded.sha256), 'the upload finished during the shutdown was stored');
    });
  });
});

interface JobRow {
  queue: string;
  locked_until: Date | null;
  done_at: Date | null;
  failed_at: Date | null;
  attempts: number;
}

async function withDb<T>(
  env: Record<string, string>,
  fn: (q: (text: string, values?: unknown[]) => Promise<unknown[]>) => Promise<T>,
): Promise<T> {
  if (env.DATABASE_URL) {
    const c = new pg.Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    try {
      return await fn(async (text, values) => (await c.query(text, values)).rows);
    } finally {
      await c.end();
    }
  }
  const database = await openPglite(env.DATA_DIR!);
  try {
    return await fn(async (text, values) => (await database.pglite!.query(text, values)).rows);
  } finally {
    await database.close();
  }
}

const jobRows = (env: Record<string, string>) =>
  withDb(env, (q) => q('select queue, locked_until, done_at, failed_at, attempts from job order by id') as Promise<JobRow[]>);

const storedFile = (env: Record<string, string>, sha: string) =>
  withDb(env, async (q) => (await q('select 1 from stored_file where sha256 = $1', [sha])).length === 1);
