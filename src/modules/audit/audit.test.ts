import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { DEMO, bearerFor, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { openPglite } from '../../db/engine.js';
import { migrateToLatest } from '../../db/migrate.js';
import { seedUnits } from '../../seed/seed.js';
import { recordAudit, verifyAuditChain, SYSTEM_CONTEXT } from './audit.js';

describe(`audit trail (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('a state change writes its audit event in the same transaction, with actor, role, unit, IP and before/after', async () => {
    const admin = await bearerFor(t.app, DEMO.adminHaDong);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units/000.13.42.H26/staff',
      headers: admin,
      remoteAddress: '203.0.113.7',
      payload: { email: 'new.desk@demo.motcua.vn', fullName: 'Ngô Văn Mới', password: 'mat-khau-dai-12', role: 'desk_officer' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const event = await t.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'role.assign')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const adminId = (await t.db.selectFrom('account').select('id').where('email', '=', DEMO.adminHaDong).executeTakeFirstOrThrow()).id;
    assert.equal(event.actor_id, adminId);
    assert.equal(event.actor_role, 'unit_admin');
    assert.equal(event.ip, '203.0.113.7');
    assert.deepEqual(event.after, { accountId: res.json().accountId, role: 'desk_officer', unit: '000.13.42.H26' });
    assert.ok(event.prev_hash);
  });

  test('when the change fails, neither the change nor its audit event is kept', async () => {
    const count = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(t.db)).rows[0]!.n);
    const before = await count();
    await assert.rejects(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, SYSTEM_CONTEXT, { action: 'test.fail', entityType: 'test', entityId: 1 });
        throw new Error('the change failed');
      }),
    );
    assert.equal(await count(), before);
  });

  test('the chain verifies; editing a row directly in the database is detected at that row', async () => {
    const intact = await verifyAuditChain(t.db);
    assert.equal(intact.ok, true);
    const victim = await t.db.selectFrom('audit_event').select('id').where('action', '=', 'role.assign').executeTakeFirstOrThrow();
    await sql`update audit_event set after = jsonb_set(after, '{role}', '"city_admin"') where id = ${victim.id}`.execute(t.db);
    const broken = await verifyAuditChain(t.db);
    assert.deepEqual(broken.ok ? null : { at: broken.brokenAt, reason: broken.reason }, { at: victim.id, reason: 'hash_mismatch' });
  });
});

describe('npm run audit:verify', () => {
  test('names the first broken link after a row is deleted, and exits non-zero', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motcua-audit-'));
    try {
      const database = await openPglite(dir);
      await migrateToLatest(database.db);
      await seedUnits(database.db);
      for (let i = 0; i < 3; i++) {
        await database.db
          .transaction()
          .execute((trx) => recordAudit(trx, SYSTEM_CONTEXT, { action: 'test.step', entityType: 'test', entityId: i }));
      }
      const ids = (await database.db.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id);
      await database.db.deleteFrom('audit_event').where('id', '=', ids[1]!).execute();
      await database.close();
      const run = promisify(execFile);
      const result = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`BROKEN at event #${ids[2]}: it does not link`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
