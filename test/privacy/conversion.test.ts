import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/engine.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { pii } from '../../src/lib/pii.js';
import { normalizeLogin } from '../../src/modules/auth/auth.service.js';
import { findAccountByIdentifier } from '../../src/modules/auth/auth.repo.js';
import { ENGINE } from '../helpers/db.js';

/**
 * An existing deployment holds phone and ID numbers in clear: the encryption migration must
 * convert them. An empty database is migrated to the migration before it, given plaintext rows as
 * the old code wrote them, then migrated to the latest.
 */
describe(`encryption migration converts an existing deployment's plaintext (${ENGINE})`, () => {
  let database: Database;
  let cleanup: () => Promise<void>;

  before(async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      const name = `motcua_conv_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      database = await openPostgres(u.toString(), 2);
      cleanup = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    } else {
      const dir = join(tmpdir(), `motcua-conv-${randomBytes(6).toString('hex')}`);
      database = await openPglite(dir);
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  });
  after(async () => {
    await database?.close();
    await cleanup?.();
  });

  test('accounts, phone login names and contest participants are encrypted and hashed; logins still work', async () => {
    const db = database.db;
    await migrateTo(db, '202612030001_contest_school');
    const accounts = Array.from({ length: 25 }, (_, i) => ({
      phone: `09${String(12345600 + i)}`,
      cccd: `0010900123${String(i).padStart(2, '0')}`,
    }));
    for (const a of accounts) {
      const row = await sql<{ id: number }>`insert into account (kind, full_name, phone, citizen_id, password_hash)
        values ('citizen', 'Người Cũ', ${a.phone}, ${a.cccd}, 'x') returning id`.execute(db);
      await sql`insert into account_identifier (identifier, account_id, kind) values (${a.phone}, ${row.rows[0]!.id}, 'phone')`.execute(db);
    }
    await migrateToLatest(db);
    const rows = await sql<{ phone: string; citizen_id: string; phone_hash: string; citizen_id_hash: string }>`
      select phone, citizen_id, phone_hash, citizen_id_hash from account order by id`.execute(db);
    assert.equal(rows.rows.length, 25);
    rows.rows.forEach((r, i) => {
      assert.match(r.phone, /^v1:dev:/);
      assert.equal(pii().decrypt(r.phone), accounts[i]!.phone);
      assert.equal(pii().decrypt(r.citizen_id), accounts[i]!.cccd);
      assert.equal(r.phone_hash, pii().hash('phone', accounts[i]!.phone));
      assert.equal(r.citizen_id_hash, pii().hash('citizen_id', accounts[i]!.cccd));
    });
    const ids = await sql<{ n: number }>`select count(*)::int as n from account_identifier where identifier like '09%'`.execute(db);
    assert.equal(ids.rows[0]!.n, 0, 'no phone login name left in clear');
    const found = await findAccountByIdentifier(db, normalizeLogin('+84 912 345 607')!);
    assert.equal(found && pii().decrypt(found.phone!), '0912345607');
    // One account per citizen ID still holds, on the hash.
    await assert.rejects(
      sql`insert into account (kind, full_name, citizen_id_hash, password_hash) values ('citizen', 'B', ${pii().hash('citizen_id', accounts[0]!.cccd)}, 'x')`.execute(
        db,
      ),
    );
  });
});
