import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/engine.js';
import { verifyAuditChain } from '../../src/modules/audit/audit.js';
import { verifyAllEvents } from '../../src/modules/dossiers/dossier.repo.js';
import {
  backupPglite,
  backupPostgres,
  manifestPath,
  restorePglite,
  restorePostgres,
  tableCounts,
  type BackupManifest,
} from '../../src/ops/backup.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { act, receivedDossier, tokens } from '../helpers/processing.js';

const run = promisify(execFile);
const PG = process.env.TEST_DATABASE_URL;

/** The URL of another database on the test server. */
function dbUrl(name: string): string {
  const u = new URL(PG!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs a script as an operator does (npm run db:backup / db:restore), with the app's env. */
function cli(script: string, args: string[], env: Record<string, string>) {
  const clean = { ...process.env, DATABASE_URL: '', DATA_DIR: '', ...env };
  return run(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { env: clean }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

describe(`backup and restore (${ENGINE})`, () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let manifest: BackupManifest;
  let original: { tables: Record<string, number>; audit: unknown; dossierEvents: unknown };
  const dropLater: string[] = [];

  before(async () => {
    t = await testApp();
    dir = await mkdtemp(join(tmpdir(), 'motcua-backup-'));
    file = join(dir, ENGINE === 'postgres' ? 'motcua.dump' : 'motcua.tar.gz');
    // A working day of a ward: dossiers submitted online and received, some processed through to
    // the district's decision and returned, one refused at the desk (each step audited).
    const tok = await tokens(t.app);
    for (let i = 0; i < 4; i++) {
      const { id } = await receivedDossier(t, tok);
      if (i % 2 === 1) continue;
      for (const [who, body] of [
        [tok.specialistQuangTrung, { action: 'pass', note: 'Đã xác minh' }],
        [tok.leaderQuangTrung, { action: 'pass', decision: 'approve' }],
        [tok.specialistHaDong, { action: 'pass', decision: 'approve', reason: 'Đủ điều kiện' }],
        [tok.leaderHaDong, { action: 'approve', decision: 'Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn.' }],
      ] as const) {
        const r = await act(t.app, id, who, body, tok.citizen);
        assert.equal(r.statusCode, 200, r.body);
      }
    }
    const { id: residence } = await receivedDossier(t, tok, 'residence');
    const cash = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${residence}/payments/cash`,
      headers: tok.deskQuangTrung,
      payload: { amount: 7000 },
    });
    assert.equal(cash.statusCode, 200, cash.body);
    original = {
      tables: await tableCounts(t.db),
      audit: await verifyAuditChain(t.db),
      dossierEvents: await verifyAllEvents(t.db),
    };
  });

  after(async () => {
    await t?.close();
    for (const name of dropLater) await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    await rm(dir, { recursive: true, force: true });
  });

  test('a backup of the live database records every table in the manifest, the dossiers and audit events included', async () => {
    if (ENGINE === 'postgres') {
      const { n: name } = await t.db.selectNoFrom((eb) => eb.fn<string>('current_database').as('n')).executeTakeFirstOrThrow();
      manifest = await backupPostgres(dbUrl(name), file);
    } else {
      manifest = await backupPglite(t.database, file);
    }
    assert.equal(manifest.engine, ENGINE);
    assert.deepEqual(manifest.tables, original.tables);
    assert.ok(
      manifest.tables.dossier! >= 5 && manifest.tables.dossier_event! >= 15 && manifest.tables.audit_event! >= 15,
      JSON.stringify(manifest.tables),
    );
    assert.deepEqual(JSON.parse(await readFile(manifestPath(file), 'utf8')), manifest);
    console.log(`backup (${ENGINE}): ${manifest.bytes} bytes in ${manifest.durationMs} ms`);
    // The app goes on working while (and after) a backup was taken.
    const res = await t.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 200);
  });

  test('restored into a fresh database: the same row count in every table, the audit chain and every dossier history verify', async () => {
    let restored: Database;
    if (ENGINE === 'postgres') {
      const name = `motcua_restore_${randomBytes(5).toString('hex')}`;
      dropLater.push(name);
      await admin((c) => c.query(`create database ${name}`));
      const r = await restorePostgres(dbUrl(name), file);
      assert.equal(r.verified, true);
      console.log(`restore (${ENGINE}): ${r.durationMs} ms`);
      restored = await openPostgres(dbUrl(name), 2);
    } else {
      const data = join(dir, 'restored');
      const r = await restorePglite(data, file);
      assert.equal(r.verified, true);
      console.log(`restore (${ENGINE}): ${r.durationMs} ms`);
      restored = await openPglite(data);
    }
    try {
      assert.deepEqual(await tableCounts(restored.db), original.tables);
      const audit = await verifyAuditChain(restored.db);
      assert.deepEqual(audit, original.audit);
      assert.equal((audit as { ok: boolean }).ok, true);
      assert.deepEqual(await verifyAllEvents(restored.db), original.dossierEvents);
      const codes = await restored.db.selectFrom('dossier').select('code').orderBy('id').execute();
      const before = await t.db.selectFrom('dossier').select('code').orderBy('id').execute();
      assert.deepEqual(codes, before);
    } finally {
      await restored.close();
    }
  });

  test('the command line refuses a non-empty target without --force, a missing file, a damaged file and the other engine’s backup', async () => {
    const env: Record<string, string> = {};
    if (ENGINE === 'postgres') {
      const name = `motcua_restore_${randomBytes(5).toString('hex')}`;
      dropLater.push(name);
      await admin((c) => c.query(`create database ${name}`));
      env.DATABASE_URL = dbUrl(name);
      await restorePostgres(env.DATABASE_URL, file);
    } else {
      env.DATA_DIR = join(dir, 'restored');
    }
    const damaged = join(dir, `damaged-${file.endsWith('.dump') ? 'x.dump' : 'x.tar.gz'}`);
    const bytes = await readFile(file);
    bytes[bytes.length - 10]! ^= 0xff;
    await writeFile(damaged, bytes);
    await writeFile(manifestPath(damaged), await readFile(manifestPath(file)));
    const other = join(dir, ENGINE === 'postgres' ? 'other.tar.gz' : 'other.dump');
    await writeFile(other, ENGINE === 'postgres' ? Buffer.from([0x1f, 0x8b, 8, 0]) : Buffer.from('PGDMP\x01\x0e\x00'));
    const restore = (f: string, force = false) =>
      ENGINE === 'postgres' ? restorePostgres(env.DATABASE_URL!, f, { force }) : restorePglite(env.DATA_DIR!, f, { force });
    await assert.rejects(restore(join(dir, 'nothing-here.dump')), /Backup file not found/);
    await assert.rejects(restore(damaged, true), /does not match the sha256/);
    await assert.rejects(
      restore(other, true),
      ENGINE === 'postgres' ? /embedded-database \(PGlite\) backup/ : /PostgreSQL backup: restore it with DATABASE_URL/,
    );
    // As an operator runs it: a clear message and exit code 1, then --force replaces the contents
    // (the embedded database that was there is moved aside) and checks them against the manifest.
    const refused = await cli('db-restore', [file], env);
    assert.equal(refused.code, 1);
    assert.match(refused.err, ENGINE === 'postgres' ? /^The target database is not empty .*--force/ : /already holds a database.*--force/);
    const forced = await cli('db-restore', [file, '--force'], env);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /row counts match the manifest/);
    if (ENGINE === 'pglite') assert.match(forced.out, /is kept in .*pgdata\.replaced-/);
  });
});
