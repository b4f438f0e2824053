import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { startServer, waitExit } from './helpers/server.js';

const run = promisify(execFile);

const PG = process.env.TEST_DATABASE_URL;
// The run with TEST_DATABASE_URL tests PostgreSQL: the embedded start is the other run's (CI runs both).
const EMBEDDED_SKIP = PG ? 'embedded database: covered by the run without TEST_DATABASE_URL' : false;

describe('starting the server (embedded database)', { skip: EMBEDDED_SKIP }, () => {
  test('first start creates the data directory with demo data; a restart keeps everything; a second process is refused', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'motcua-start-')), 'data');
    try {
      const first = await startServer({ DATA_DIR: dir });
      const units = await (await fetch(`${first.url}/api/v1/units?level=district`)).json();
      assert.equal(units.units.length, 30);
      const reg = await fetch(`${first.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'citizen', fullName: 'Người Bền Bỉ', phone: '0399888777', password: 'mat-khau-dai-12' }),
      });
      assert.equal(reg.status, 201);
      // The demo contest: a round open now, its questions drafted from the catalogue and approved.
      const contest = await (await fetch(`${first.url}/api/v1/contest/contests/1`)).json();
      assert.equal(contest.rounds.length, 1);
      assert.equal(contest.rounds[0].phase, 'open');

      const second = await startServer({ DATA_DIR: dir }, { waitReady: false });
      const code = await waitExit(second.child);
      assert.equal(code, 1);
      assert.match(second.output(), /in use by another motcua process/);

      assert.equal(await first.stop(), 0, 'SIGTERM shuts down cleanly');
      const again = await startServer({ DATA_DIR: dir });
      const login = await fetch(`${again.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: '0399888777', password: 'mat-khau-dai-12' }),
      });
      assert.equal(login.status, 201, 'the account made before the restart is still there');
      assert.match(again.output(), /"migrations":\[\]/, 'nothing is migrated twice');
      assert.match(again.output(), /"unitsSeeded":0/, 'seeding is idempotent');
      const contests = await (await fetch(`${again.url}/api/v1/contest/contests/2`)).json();
      assert.equal(contests.code, 'contest_not_found', 'the demo contest is made once');
      await again.stop();
    } finally {
      await rm(join(dir, '..'), { recursive: true, force: true });
    }
  });

  test('a bad setting stops the start with a message that names it', async () => {
    const res = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://x' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(res.code, 1);
    assert.match(res.stderr, /PORT="eighty"/);
    assert.match(res.stderr, /DATABASE_URL="mysql:\/\/x"/);
  });

  test('production refuses demo data and a missing cookie secret', async () => {
    const res = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', DEMO_DATA: 'true' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(res.code, 1);
    assert.match(res.stderr, /DEMO_DATA=true is refused when NODE_ENV=production/);
  });
});

describe('migrations on PostgreSQL', { skip: PG ? false : 'TEST_DATABASE_URL not set' }, () => {
  test('two processes migrating the same fresh database at once: one applies, the other waits, nothing fails or runs twice', async () => {
    const name = `motcua_mig_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG!);
    url.pathname = `/${name}`;
    try {
      const env = { ...process.env, DATABASE_URL: url.toString() };
      const [a, b] = await Promise.all([0, 1].map(() => run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { env })));
      const outputs = [a!.stdout, b!.stdout].sort();
      assert.match(outputs[0]!, /^applied: 202611260001_foundation/);
      assert.match(outputs[1]!, /^nothing to apply/);
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const rows = await db.query('select name from kysely_migration');
      await db.end();
      const files = readdirSync('src/db/migrations').filter((f) => /^\d{12}_.+\.ts$/.test(f));
      assert.equal(rows.rowCount, files.length, 'each migration recorded once');
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
