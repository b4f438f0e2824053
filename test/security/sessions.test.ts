import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '../../src/lib/crypto.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { translator } from '../../src/web/i18n/index.js';
import { Browser, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

type Cookie = { name: string; value: string; secure?: boolean; httpOnly?: boolean; sameSite?: string };
const cookiesOf = (res: { cookies: unknown }) => new Map((res.cookies as Cookie[]).map((c) => [c.name, c]));

async function sessionRows(t: TestApp, token: string) {
  return (await t.db.selectFrom('session').select('id').where('id', '=', sha256(token)).execute()).length;
}

describe(`sessions: rotated at login, ended at logout; lockout (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('on a plain-http site without TRUST_PROXY a forged X-Forwarded-Proto brings no HSTS, and no cookie is Secure (an intranet on http keeps working)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(res.headers['strict-transport-security'], undefined);
    assert.notEqual(cookiesOf(res).get('_csrf')!.secure, true);
  });

  test('a session cookie the browser had before login (another account’s, or planted) is never reused: new id, old one ended on the server', async () => {
    const b = await new Browser(t.app).login(DEMO.citizen);
    const first = b.cookies.get('sid')!;
    // An attacker's own valid session planted in the victim's browser is the same case.
    await b.get('/login');
    const res = await b.postForm('/login', { identifier: DEMO.deskQuangTrung, password: DEMO_PASSWORD });
    assert.equal(res.statusCode, 303);
    const second = cookiesOf(res).get('sid')!.value;
    assert.notEqual(second, first);
    assert.equal(await sessionRows(t, first), 0, 'the earlier session is gone from the database');
    assert.equal(await sessionRows(t, second), 1);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `sid=${first}` } });
    assert.equal(old.statusCode, 401);
    const now = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `sid=${second}` } });
    assert.equal(now.json().kind, 'official');
    const ended = await t.db.selectFrom('audit_event').select('action').where('action', '=', 'session.delete').execute();
    assert.ok(ended.length >= 1, 'ending the earlier session is audited');
  });

  test('an unknown session id sent at login is not adopted, and the CSRF secret is replaced', async () => {
    const b = new Browser(t.app);
    b.cookies.set('sid', 'chosen-by-an-attacker-0123456789');
    await b.get('/login');
    const csrfBefore = b.cookies.get('_csrf');
    const tokenBefore = b.csrf;
    const res = await b.postForm('/login', { identifier: DEMO.citizen, password: DEMO_PASSWORD });
    assert.equal(res.statusCode, 303);
    const sid = cookiesOf(res).get('sid')!.value;
    assert.notEqual(sid, 'chosen-by-an-attacker-0123456789');
    assert.ok(!b.cookies.has('_csrf'), 'the pre-login CSRF secret is dropped');
    await b.get('/account');
    assert.notEqual(b.cookies.get('_csrf'), csrfBefore);
    const stale = await b.postForm('/learn/leave', {}, { csrf: tokenBefore });
    assert.equal(stale.statusCode, 403, 'a token from before login no longer works');
  });

  test('logout ends the session on the server: the old cookie, replayed, is anonymous', async () => {
    const b = await new Browser(t.app).login(DEMO.citizen);
    const sid = b.cookies.get('sid')!;
    const out = await b.postForm('/logout', {});
    assert.equal(out.statusCode, 303);
    assert.equal(cookiesOf(out).get('sid')?.value, '');
    assert.equal(await sessionRows(t, sid), 0);
    const replay = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `sid=${sid}` } });
    assert.equal(replay.statusCode, 303);
    assert.match(replay.headers.location as string, /^\/login/);
  });

  test('after LOGIN_MAX_FAILURES wrong passwords the account is locked (audited), even for the right password', async () => {
    const phone = '0366777888';
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { kind: 'citizen', fullName: 'Người Thử Khóa', phone, password: 'dung-mat-khau-9' },
    });
    const id = reg.json().id as number;
    const b = new Browser(t.app);
    await b.get('/login');
    const statuses: number[] = [];
    for (let i = 0; i < t.app.config.loginMaxFailures; i++) {
      statuses.push((await b.postForm('/login', { identifier: phone, password: `sai-${i}-mat-khau` })).statusCode);
    }
    assert.deepEqual(statuses, [...Array(t.app.config.loginMaxFailures - 1).fill(401), 423]);
    const right = await b.postForm('/login', { identifier: phone, password: 'dung-mat-khau-9' });
    assert.equal(right.statusCode, 423);
    assert.match(right.body, new RegExp(`${t.app.config.loginLockMinutes} phút`));
    const lock = await t.db
      .selectFrom('audit_event')
      .select(['action', 'ip'])
      .where('action', '=', 'account.lock')
      .where('entity_id', '=', String(id))
      .execute();
    assert.equal(lock.length, 1);
  });
});

// One app for both: TRUST_PROXY does not change the address rate limits count by (no X-Forwarded-For here).
describe(`rate limits per address; behind a trusted proxy (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ loginRateLimit: 2, trustProxy: true });
  });
  after(() => t.close());

  const ENDPOINTS = [
    { method: 'POST', url: '/login', payload: 'identifier=x&password=y', type: 'application/x-www-form-urlencoded', page: true },
    { method: 'POST', url: '/register', payload: 'fullName=x', type: 'application/x-www-form-urlencoded', page: true },
    { method: 'POST', url: '/api/v1/auth/token', payload: '{"username":"x","password":"y"}', type: 'application/json', page: false },
    { method: 'POST', url: '/api/v1/auth/register', payload: '{}', type: 'application/json', page: false },
    { method: 'GET', url: '/api/v1/lookup?code=000.13.42.H26-261127-0001&check=1234', page: false },
    { method: 'GET', url: '/lookup?code=000.13.42.H26-261127-0001&check=1234', page: true },
  ] as const;

  test('over the limit: 429 with Retry-After and the stable code rate_limited, in the caller’s language; another address is not held back', async () => {
    let n = 0;
    for (const e of ENDPOINTS) {
      const ip = `198.51.100.${++n}`;
      const send = (remoteAddress: string, lang = 'vi') =>
        t.app.inject({
          method: e.method,
          url: e.url,
          remoteAddress,
          headers: { 'accept-language': lang, ...('type' in e ? { 'content-type': e.type } : {}) },
          ...('payload' in e ? { payload: e.payload } : {}),
        });
      for (let i = 0; i < 2; i++) assert.notEqual((await send(ip)).statusCode, 429, `${e.url} attempt ${i + 1}`);
      for (const lang of ['vi', 'en'] as const) {
        const res = await send(ip, lang);
        assert.equal(res.statusCode, 429, e.url);
        assert.ok(Number(res.headers['retry-after']) > 0, `${e.url}: Retry-After`);
        const message = translator(lang)('err.rate_limited');
        if (e.page) assert.ok(res.body.includes(message), `${e.url} (${lang}): ${res.body.slice(0, 200)}`);
        else {
          assert.equal(res.json().code, 'rate_limited', e.url);
          assert.equal(res.json().title, message);
        }
      }
      assert.notEqual((await send('203.0.113.9')).statusCode, 429, `${e.url}: another address`);
    }
  });

  test('behind a trusted proxy, X-Forwarded-Proto https brings HSTS and Secure cookies; plain http brings neither', async () => {
    const viaTls = await t.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(viaTls.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(cookiesOf(viaTls).get('_csrf')!.secure, true);
    const plain = await t.app.inject({ method: 'GET', url: '/login' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
    assert.notEqual(cookiesOf(plain).get('_csrf')!.secure, true);
  });
});

describe(`Secure cookies and HSTS follow HTTPS (${ENGINE})`, () => {
  let https: TestApp;
  before(async () => {
    https = await testApp({ baseUrl: 'https://dichvucong.hanoi.example' });
  });
  after(() => https.close());

  test('with an https BASE_URL the session, CSRF and preference cookies are Secure, HttpOnly where scripts need not read them, SameSite=Lax', async () => {
    const b = new Browser(https.app);
    const page = await b.get('/login?lang=en&easy=1');
    const set = cookiesOf(page);
    for (const name of ['_csrf', 'lang', 'easy']) assert.equal(set.get(name)?.secure, true, name);
    assert.equal(set.get('_csrf')!.httpOnly, true);
    const login = await b.postForm('/login', { identifier: DEMO.citizen, password: DEMO_PASSWORD });
    const sid = cookiesOf(login).get('sid')!;
    assert.equal(sid.secure, true);
    assert.equal(sid.httpOnly, true);
    assert.equal(sid.sameSite, 'Lax');
    await b.get('/account');
    const out = await b.postForm('/logout', {});
    assert.equal(cookiesOf(out).get('sid')!.secure, true, 'even the clearing cookie');
  });

  test('with an https BASE_URL every response carries HSTS for a year with subdomains; framing is refused', async () => {
    for (const url of ['/', '/api/v1/units', '/static/app.css', '/no-such-page']) {
      const res = await https.app.inject({ method: 'GET', url });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
    }
  });

  test('no cookie in the code overrides the one Secure rule (app.ts, parseOptions)', async () => {
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.includes('.test.')) {
          const src = await readFile(p, 'utf8');
          // The whole call, up to the statement's end: a first argument such as name(id) must not end the match.
          for (const m of src.matchAll(/(setCookie|clearCookie)\(([^;]*?)\)\s*;/gs)) if (/\bsecure\b/.test(m[2]!)) offenders.push(p);
        }
      }
    };
    await walk('src');
    assert.deepEqual(offenders, []);
  });
});
