import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, bearerFor, DEMO, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';
import { pii } from '../../lib/pii.js';

describe(`accounts and sessions (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ loginMaxFailures: 3, loginLockMinutes: 15 });
  });
  after(() => t.close());

  test('a citizen registers with a phone number and a valid citizen ID, and lands on their account page', async () => {
    const b = new Browser(t.app);
    await b.get('/register');
    const res = await b.postForm('/register', {
      kind: 'citizen',
      fullName: 'Lê Thị Hoa',
      phone: '0987 654 321',
      citizenId: '001190054321',
      password: 'mat-khau-dai-12',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const page = await b.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Lê Thị Hoa/);
    assert.match(page.body, /0987654321/);
    // The full ID never appears, only its last digits.
    assert.doesNotMatch(page.body, /001190054321/);
    assert.match(page.body, /•+321/);
  });

  test('registration errors are listed in a summary, the values are kept, and the title starts with "Lỗi:"', async () => {
    const b = new Browser(t.app);
    await b.get('/register');
    const res = await b.postForm('/register', {
      kind: 'citizen',
      fullName: 'Lê <b>Hoa</b>',
      phone: '12345',
      citizenId: '003190054321',
      password: 'short',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Lỗi: /);
    assert.match(res.body, /class="error-summary"/);
    assert.match(res.body, /href="#phone"/);
    assert.match(res.body, /href="#citizenId"/);
    assert.match(res.body, /href="#password"/);
    assert.match(res.body, /value="12345"/);
    assert.match(res.body, /Lê &lt;b>Hoa&lt;\/b>|Lê &lt;b&gt;Hoa&lt;\/b&gt;/);
  });

  test('a business registers with a tax code; the same phone or tax code cannot register twice', async () => {
    const reg = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
    const ok = await reg({
      kind: 'business',
      fullName: 'Công ty Cổ phần Thử nghiệm',
      taxCode: '0101243150',
      email: 'ketoan@thunghiem.vn',
      password: 'mat-khau-dai-12',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const again = await reg({
      kind: 'business',
      fullName: 'Công ty khác',
      taxCode: '0101243150',
      email: 'khac@thunghiem.vn',
      password: 'mat-khau-dai-12',
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'identifier_taken');
    const noTax = await reg({ kind: 'business', fullName: 'Công ty không mã', email: 'x@thunghiem.vn', password: 'mat-khau-dai-12' });
    assert.equal(noTax.statusCode, 400);
    assert.equal(noTax.json().code, 'tax_code_required');
    const badTax = await reg({
      kind: 'business',
      fullName: 'Công ty sai mã',
      taxCode: '0101243151',
      email: 'y@thunghiem.vn',
      password: 'mat-khau-dai-12',
    });
    assert.equal(badTax.json().code, 'invalid_tax_code');
  });

  test('login with a wrong password fails; repeated failures lock the account, even for the right password', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { kind: 'citizen', fullName: 'Người Bị Khóa', phone: '0333444555', password: 'dung-mat-khau-1' },
    });
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: '0333 444 555', password } });
    assert.equal((await attempt('sai-mat-khau-1')).json().code, 'invalid_credentials');
    assert.equal((await attempt('sai-mat-khau-2')).json().code, 'invalid_credentials');
    const third = await attempt('sai-mat-khau-3');
    assert.equal(third.statusCode, 423);
    assert.equal(third.json().code, 'account_locked');
    const right = await attempt('dung-mat-khau-1');
    assert.equal(right.statusCode, 423);
    assert.match(right.json().title, /15 phút/);
    // Unlocking happens when the time passes.
    await t.db
      .updateTable('account')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('phone_hash', '=', pii().hash('phone', '0333444555'))
      .execute();
    assert.equal((await attempt('dung-mat-khau-1')).statusCode, 201);
  });

  test('the login page refuses a post without the CSRF token', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.postForm('/login', { identifier: DEMO.citizen, password: DEMO_PASSWORD }, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /hết hạn/);
    const forged = await b.postForm('/login', { identifier: DEMO.citizen, password: DEMO_PASSWORD }, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
  });

  test('cookie-authenticated API calls that change state need the CSRF token; bearer calls do not', async () => {
    const b = await new Browser(t.app).login(DEMO.citizen);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { username: DEMO.citizen, password: DEMO_PASSWORD, name: 'script' },
    });
    const id = created.json().id;
    const noCsrf = await b.request({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}` });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'csrf_invalid');
    const withCsrf = await b.request({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: { 'x-csrf-token': b.csrf } });
    assert.equal(withCsrf.statusCode, 204);
    const bearer = await bearerFor(t.app, DEMO.citizen);
    const other = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: DEMO.citizen, password: DEMO_PASSWORD } })
    ).json().id;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${other}`, headers: bearer })).statusCode, 204);
  });

  test("tokens are listed and revoked; a revoked or unknown token is refused, and one account cannot revoke another's", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { username: DEMO.business, password: DEMO_PASSWORD, name: 'kế toán' },
    });
    assert.equal(res.statusCode, 201);
    const { token, id, expiresAt } = res.json();
    assert.ok(new Date(expiresAt).getTime() > Date.now());
    const auth = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    assert.equal(me.json().kind, 'business');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: auth });
    assert.ok(list.json().tokens.some((x: { id: number; name: string }) => x.id === id && x.name === 'kế toán'));
    const citizen = await bearerFor(t.app, DEMO.citizen);
    const steal = await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: citizen });
    assert.equal(steal.statusCode, 404);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: auth })).statusCode, 204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().code, 'unauthenticated');
    const garbage = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer not-a-real-token-at-all' } });
    assert.equal(garbage.statusCode, 401);
    const basic = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic YWJjOmRlZg==' } });
    assert.equal(basic.statusCode, 401);
  });

  test('"log out everywhere" ends every session and revokes every token of the account', async () => {
    const phone = b1Phone;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { kind: 'citizen', fullName: 'Ba Thiết Bị', phone, password: 'mat-khau-dai-12' },
    });
    const laptop = await new Browser(t.app).login(phone, 'mat-khau-dai-12');
    const phoneBrowser = await new Browser(t.app).login(phone, 'mat-khau-dai-12');
    const token = await bearerFor(t.app, phone, 'mat-khau-dai-12');
    const out = await laptop.postForm('/account/logout-all', {});
    assert.equal(out.statusCode, 303);
    const stale = await phoneBrowser.get('/account');
    assert.equal(stale.statusCode, 303);
    assert.match(stale.headers.location as string, /^\/login\?next=/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: token })).statusCode, 401);
  });

  test('logout ends the session; the account page then asks to log in', async () => {
    const b = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await b.get('/account')).statusCode, 200);
    assert.equal((await b.postForm('/logout', {})).statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 303);
  });

  test('after login only same-site paths are followed', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.postForm('/login', { identifier: DEMO.citizen, password: DEMO_PASSWORD, next: '//evil.example/steal' });
    assert.equal(res.headers.location, '/account');
  });
});

const b1Phone = '0355666777';

describe(`login rate limit (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ loginRateLimit: 3 });
  });
  after(() => t.close());

  test('more than the allowed attempts per minute from one address get 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: 'nobody@example.vn', password: 'x' } });
      statuses.push(last.statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    assert.equal(last!.json().code, 'rate_limited');
    assert.ok(Number(last!.headers['retry-after']) > 0);
  });
});
