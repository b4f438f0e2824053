import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { pii } from '../../src/lib/pii.js';
import { FILE_REFERENCES, parseRetention, purgeExpired, RETENTION_DEFAULTS } from '../../src/modules/privacy/retention.js';
import { maritalBody, PDF, uploadFile } from '../helpers/dossiers.js';
import { loadConfig } from '../../src/config.js';
import { publishedRound } from '../contest/play-helpers.js';
import { askAboutFee } from '../helpers/feedback.js';

const DAY = 86_400_000;

describe('retention settings', () => {
  test('defaults, overrides, and a clear error for an unknown kind', () => {
    assert.deepEqual(parseRetention(undefined), RETENTION_DEFAULTS);
    assert.equal(parseRetention('jobs=7, sessions=30').jobs, 7);
    assert.equal(loadConfig({ NODE_ENV: 'test', RETENTION_DAYS: 'sessions=30' }).retention.sessions, 30);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', RETENTION_DAYS: 'dossiers=1' }), /RETENTION_DAYS: "dossiers=1"/);
  });
});

describe(`retention purge (${ENGINE})`, () => {
  let t: TestApp;
  let feedbackCode: string;
  const PHONE = '0388123456';

  before(async () => {
    t = await testApp();
    await new Browser(t.app).login(DEMO.citizen);
    const { contestId } = await publishedRound(t, await bearerFor(t.app, DEMO.cityAdmin), { questions: 2 });
    const part = { name: 'Lê Văn Cũ', phone: PHONE, citizenId: '001090054321', unitCode: UNITS.quangTrung };
    const c = await t.app.inject({ method: 'POST', url: `/api/v1/contest/contests/${contestId}/participants`, payload: part });
    assert.equal(c.statusCode, 201, c.body);
    const fb = await askAboutFee(t.app, 'Lê Văn Cũ', PHONE);
    assert.equal(fb.statusCode, 201, fb.body);
    feedbackCode = fb.json().code;
    await t.db
      .insertInto('job')
      .values({ queue: 'sms', payload: JSON.stringify({ to: PHONE, sent: 'long ago' }), run_at: new Date(), done_at: new Date() })
      .execute();
  });
  after(async () => t?.close());

  const state = async () => ({
    sessions: Number((await sql<{ n: string }>`select count(*) as n from session`.execute(t.db)).rows[0]!.n),
    jobs: Number((await sql<{ n: string }>`select count(*) as n from job where payload->>'sent' = 'long ago'`.execute(t.db)).rows[0]!.n),
    feedbackPhone: (await t.db.selectFrom('feedback').select('author_phone').where('code', '=', feedbackCode).executeTakeFirstOrThrow())
      .author_phone,
    participant: await t.db
      .selectFrom('contest_participant')
      .select(['name', 'citizen_id'])
      .where('phone_hash', '=', pii().hash('phone', PHONE))
      .executeTakeFirst(),
  });

  test('contest recovery codes are deleted a day after they were sent, newer ones kept', async () => {
    const p = await t.db
      .selectFrom('contest_participant')
      .select('id')
      .where('phone_hash', '=', pii().hash('phone', PHONE))
      .executeTakeFirstOrThrow();
    const sent = (ago: number) => ({
      participant_id: p.id,
      code_hash: `test-${ago}`,
      device_hash: 'test',
      created_at: new Date(Date.now() - ago),
      expires_at: new Date(Date.now() - ago + 600_000),
    });
    await t.db
      .insertInto('contest_recovery_code')
      .values([sent(DAY + 60_000), sent(DAY - 60_000)])
      .execute();
    const report = await purgeExpired(t.db, RETENTION_DEFAULTS);
    assert.equal(report.contestCodes, 1, JSON.stringify(report));
    const left = await t.db.selectFrom('contest_recovery_code').select('code_hash').where('participant_id', '=', p.id).execute();
    assert.deepEqual(
      left.map((r) => r.code_hash),
      [`test-${DAY - 60_000}`],
    );
  });

  test('fresh records are kept; the same records with their clock set back are purged or anonymised', async () => {
    const retention = t.app.config.retention;
    const fresh = await state();
    assert.ok(fresh.sessions >= 1 && fresh.jobs === 1 && fresh.feedbackPhone === PHONE && fresh.participant, JSON.stringify(fresh));
    await purgeExpired(t.db, retention);
    assert.deepEqual(await state(), fresh, 'nothing within its retention is touched');

    // The clock set back: each record just past its retention (and one day more).
    const back = (days: number) => new Date(Date.now() - (days + 1) * DAY);
    await t.db
      .updateTable('session')
      .set({ expires_at: back(retention.sessions) })
      .execute();
    await t.db
      .updateTable('job')
      .set({ done_at: back(retention.jobs) })
      .where(sql`payload->>'sent'`, '=', 'long ago')
      .execute();
    await t.db
      .updateTable('feedback')
      .set({ received_at: back(retention.feedbackContact) })
      .where('code', '=', feedbackCode)
      .execute();
    await t.db
      .updateTable('contest_participant')
      .set({ registered_at: back(retention.contestContact) })
      .where('phone_hash', '=', pii().hash('phone', PHONE))
      .execute();
    const report = await purgeExpired(t.db, retention);
    assert.ok(
      report.sessions >= 1 && report.jobs === 1 && report.feedbackContact === 1 && report.contestContact === 1,
      JSON.stringify(report),
    );
    const now = await state();
    assert.equal(now.sessions, 0);
    assert.equal(now.jobs, 0);
    assert.equal(now.feedbackPhone, null);
    assert.equal(now.participant, undefined, 'the phone no longer finds the participant');
    const p = await t.db
      .selectFrom('contest_participant')
      .select(['name', 'phone', 'citizen_id'])
      .where('name', '=', 'Lê Văn Cũ')
      .executeTakeFirstOrThrow();
    assert.deepEqual([pii().decrypt(p.phone), p.citizen_id], ['', null], 'name and scores stay; contact data goes');
    // The feedback itself stays, answerable and counted.
    assert.equal((await t.app.inject({ url: `/api/v1/feedback?unit=${UNITS.quangTrung}` })).statusCode, 200);
    // A second run finds nothing more.
    assert.deepEqual(
      Object.values(await purgeExpired(t.db, retention)).filter((n) => n > 0),
      [],
    );
  });

  test('uploads never attached are deleted, rows and bytes, after their retention; attached files and fresh uploads stay', async () => {
    const citizen = await bearerFor(t.app, DEMO.citizen);
    const salt = Date.now();
    const bytes = (n: number) => Buffer.concat([PDF, Buffer.from(`% upload ${n} ${salt}\n`)]);
    const abandoned = (await uploadFile(t.app, citizen, bytes(1))).json().sha256 as string;
    const fresh = (await uploadFile(t.app, citizen, bytes(2))).json().sha256 as string;
    const used = (await uploadFile(t.app, citizen, bytes(3))).json().sha256 as string;
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen, payload: maritalBody(used) });
    assert.equal(sub.statusCode, 201, sub.body);
    const old = new Date(Date.now() - (RETENTION_DEFAULTS.unattachedUploads + 1) * DAY);
    await t.db.updateTable('stored_file').set({ created_at: old }).where('sha256', 'in', [abandoned, used]).execute();
    const report = await purgeExpired(t.db, RETENTION_DEFAULTS, new Date(), t.app.services.files);
    assert.equal(report.unattachedUploads, 1, JSON.stringify(report));
    const rows = (await t.db.selectFrom('stored_file').select('sha256').where('sha256', 'in', [abandoned, fresh, used]).execute()).map(
      (r) => r.sha256,
    );
    assert.deepEqual(rows.sort(), [fresh, used].sort());
    await assert.rejects(t.app.services.files.get(abandoned), /not_found/);
    assert.ok((await t.app.services.files.get(used)).length > 0, 'the attached file keeps its bytes');
    // Uploading the same bytes again starts the count again: a re-upload is not purged under the user.
    await t.db.updateTable('stored_file').set({ created_at: old }).where('sha256', '=', fresh).execute();
    assert.equal((await uploadFile(t.app, citizen, bytes(2))).json().sha256, fresh);
    assert.equal((await purgeExpired(t.db, RETENTION_DEFAULTS, new Date(), t.app.services.files)).unattachedUploads, 0);
  });

  test('the purge knows every table that holds a stored file (the foreign keys to stored_file)', async () => {
    const fks = await sql<{ t: string }>`select conrelid::regclass::text as t from pg_constraint
      where contype = 'f' and confrelid = 'stored_file'::regclass order by 1`.execute(t.db);
    assert.deepEqual(
      fks.rows.map((r) => r.t),
      [...FILE_REFERENCES].sort(),
    );
  });
});
