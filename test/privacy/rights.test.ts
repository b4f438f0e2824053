import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { maritalBody, uploadFile } from '../helpers/dossiers.js';
import { pii } from '../../src/lib/pii.js';
import { publishedRound } from '../contest/play-helpers.js';
import { askAboutFee } from '../helpers/feedback.js';

describe(`a citizen's copy of their data and its erasure (${ENGINE})`, () => {
  let t: TestApp;
  let auth: Record<string, string>;
  let dossierCode: string;
  let contestId: number;
  const PHONE = '0367123456';
  const CCCD = '001196012345';
  const PASSWORD = 'mat-khau-quyen-1';
  const me = { kind: 'citizen', fullName: 'Đỗ Thị Quyền', phone: PHONE, citizenId: CCCD, password: PASSWORD };

  before(async () => {
    t = await testApp();
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: me })).statusCode, 201);
    auth = await bearerFor(t.app, PHONE, PASSWORD);
    const file = (await uploadFile(t.app, auth)).json().sha256 as string;
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: auth,
      payload: maritalBody(file, { applicant: { name: me.fullName, phone: PHONE } }),
    });
    assert.ok(sub.statusCode < 300, sub.body);
    dossierCode = sub.json().code;
    ({ contestId } = await publishedRound(t, await bearerFor(t.app, DEMO.cityAdmin), { questions: 2 }));
    const part = { name: me.fullName, phone: PHONE, citizenId: CCCD, unitCode: UNITS.quangTrung };
    const c = await t.app.inject({ method: 'POST', url: `/api/v1/contest/contests/${contestId}/participants`, payload: part });
    assert.equal(c.statusCode, 201, c.body);
    const fb = await askAboutFee(t.app, me.fullName, PHONE, auth);
    assert.equal(fb.statusCode, 201, fb.body);
  });
  after(async () => t?.close());

  test('the download holds the profile, dossiers, feedback and contest entries, decrypted; officials have none', async () => {
    const res = await t.app.inject({ url: '/api/v1/me/data', headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="motcua-my-data-/);
    const d = res.json();
    assert.deepEqual([d.account.fullName, d.account.phone, d.account.citizenId], [me.fullName, PHONE, CCCD]);
    assert.deepEqual(d.account.loginNames, ['phone']);
    assert.ok(d.dossiers.some((x: { code: string }) => x.code === dossierCode));
    assert.equal(d.feedback.length, 1);
    assert.deepEqual(
      d.contestParticipations.map((p: { phone: string; citizen_id: string }) => [p.phone, p.citizen_id]),
      [[PHONE, CCCD]],
    );
    assert.ok(d.activity.some((a: { action: string }) => a.action === 'account.register'));
    const official = await t.app.inject({ url: '/api/v1/me/data', headers: await bearerFor(t.app, DEMO.deskQuangTrung) });
    assert.equal(official.statusCode, 403);
    // From the account page, with the session cookie.
    const b = await new Browser(t.app).login(DEMO.citizen);
    const page = await b.get('/account');
    assert.match(page.body, /href="\/account\/data"/);
    const file = await b.get('/account/data');
    assert.equal(file.statusCode, 200);
    assert.equal(file.json().account.phone, '0912345678');
    // A wrong password on the page goes back to the form with the reason; the account stays.
    const wrongPage = await b.postForm('/account/erase', { password: 'sai' });
    assert.equal(wrongPage.statusCode, 303);
    const shown = await b.get(wrongPage.headers.location as string);
    assert.match(shown.body, /role="alert">Tên đăng nhập hoặc mật khẩu không đúng/);
    assert.equal((await b.get('/account')).statusCode, 200, 'still logged in');
  });

  test('erasure: a wrong password changes nothing; then the login and contact data go, the dossier stays', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/me/erase', headers: auth, payload: { password: 'sai' } });
    assert.equal(wrong.json().code, 'invalid_credentials');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/me/erase', headers: auth, payload: { password: PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.loginNames, 1);
    assert.equal(r.feedback, 1);
    assert.equal(r.contestParticipants, 1);
    assert.equal(r.dossiersKept, 1);
    assert.ok(r.apiTokens >= 1);
    // The token is gone with the account's tokens; the phone no longer logs in.
    assert.equal((await t.app.inject({ url: '/api/v1/me/data', headers: auth })).statusCode, 401);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: PHONE, password: PASSWORD } });
    assert.equal(login.json().code, 'invalid_credentials');
    // Nothing left that finds or shows the phone or ID, except the kept dossier.
    const found = await sql<{ n: number }>`select
        (select count(*) from account where phone_hash = ${pii().hash('phone', PHONE)} or citizen_id_hash = ${pii().hash('citizen_id', CCCD)})
      + (select count(*) from contest_participant where phone_hash = ${pii().hash('phone', PHONE)})
      + (select count(*) from feedback where author_phone = ${PHONE}) as n`.execute(t.db);
    assert.equal(Number(found.rows[0]!.n), 0);
    const dossier = await t.db
      .selectFrom('dossier')
      .select(['applicant_phone', 'owner_id'])
      .where('code', '=', dossierCode)
      .executeTakeFirstOrThrow();
    assert.equal(dossier.applicant_phone, PHONE, 'the dossier is a record of the procedure and is kept');
    const audit = await t.db.selectFrom('audit_event').select('after').where('action', '=', 'account.erase').executeTakeFirstOrThrow();
    assert.equal((audit.after as { dossiersKept: number }).dossiersKept, 1);
    // The same phone may register again, as a new person.
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: me })).statusCode, 201);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contestId}/participants`,
      payload: { name: me.fullName, phone: PHONE, unitCode: UNITS.quangTrung },
    });
    assert.equal(again.statusCode, 201, again.body);
  });
});
