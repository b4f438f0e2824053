import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Browser, bearerFor, DEMO, testApp, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/db.js';

// Fill route parameters with plausible values so the request reaches validation and the handler.
const concrete = (url: string) => url.replace(':code', '000.13.42.H26').replace(':id', '1');

function assertClean(res: LightMyRequestResponse, what: string) {
  assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  assert.doesNotMatch(res.body, /\n\s+at .+\(.+:\d+:\d+\)/, `${what}: stack trace leaked`);
  assert.doesNotMatch(res.body, /node_modules|\/src\//, `${what}: file paths leaked`);
}

describe(`bad input gets a 4xx with a stable code, in the caller's language (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let citizen: Record<string, string>;
  let desk: Record<string, string>;
  let leader: Record<string, string>;
  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    citizen = await bearerFor(t.app, DEMO.citizen);
    desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
  });
  // Someone the route's policy lets in, so the request reaches body validation.
  const callerFor = (r: { policy?: { access: string; roles?: readonly string[] } }) =>
    r.policy?.access === 'citizen'
      ? citizen
      : r.policy?.access !== 'official' || r.policy.roles!.includes('city_admin')
        ? admin
        : r.policy.roles!.includes('desk_officer')
          ? desk
          : leader;
  after(() => t.close());

  const apiWithBody = () => t.app.routeList.filter((r) => r.url.startsWith('/api/v1/') && r.hasBody);

  test('malformed JSON on every API route that takes a body', async () => {
    assert.ok(apiWithBody().length >= 5);
    for (const r of apiWithBody()) {
      const res = await t.app.inject({
        method: r.method as 'POST',
        url: concrete(r.url),
        headers: { ...callerFor(r), 'content-type': 'application/json' },
        payload: '{"a": ',
      });
      assertClean(res, `${r.method} ${r.url}`);
      assert.equal(res.statusCode, 400, `${r.method} ${r.url}`);
      assert.equal(res.json().code, 'malformed_json', `${r.method} ${r.url}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });

  test('wrong types, missing fields and unknown fields on every API route that takes a body', async () => {
    for (const r of apiWithBody()) {
      for (const payload of [[], 'text', 42, { unexpected: true }, { username: 1, password: ['x'], email: {}, kind: null }]) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: concrete(r.url),
          headers: { ...callerFor(r), 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        assertClean(res, `${r.method} ${r.url} ${JSON.stringify(payload)}`);
        assert.equal(res.statusCode, 400, `${r.method} ${r.url} ${JSON.stringify(payload)}: ${res.body}`);
        assert.equal(res.json().code, 'validation_failed');
        assert.ok(Array.isArray(res.json().errors) && res.json().errors.length > 0);
      }
    }
  });

  test('an unknown field is named in the error', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: 'a', password: 'b', isAdmin: true } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().errors, [{ field: 'body.isAdmin', code: 'additionalProperties', message: 'Trường không được chấp nhận.' }]);
  });

  test('oversize bodies get 413 on JSON and form routes', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/json' },
      payload: big,
    });
    assert.equal(api.statusCode, 413);
    assert.equal(api.json().code, 'payload_too_large');
    const b = new Browser(t.app);
    await b.get('/login');
    const form = await b.postForm('/login', { identifier: 'x'.repeat(400 * 1024), password: 'y' });
    assert.equal(form.statusCode, 413);
    assert.match(form.body, /quá lớn/);
  });

  test('unsupported content types get 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'unsupported_media_type');
  });

  test('messages follow Accept-Language and the lang cookie', async () => {
    const vi = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: {} });
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      payload: {},
    });
    assert.equal(vi.json().title, 'Dữ liệu gửi lên không hợp lệ.');
    assert.equal(en.json().title, 'The data sent is not valid.');
    assert.equal(en.json().errors[0].message, 'This field is required.');
    const cookie = await t.app.inject({ method: 'GET', url: '/api/v1/units/000.00.99.H26', headers: { cookie: 'lang=en' } });
    assert.equal(cookie.json().title, 'Unit not found.');
  });

  test('SQL and HTML in text fields are treated as text: refused where the format forbids them, escaped where shown', async () => {
    const payloads = ["' OR '1'='1' --", "'; DROP TABLE account; --", '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
    for (const p of payloads) {
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: p, password: p } });
      assert.equal(login.statusCode, 401, p);
      assert.equal(login.json().code, 'invalid_credentials');
      const reg = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { kind: 'citizen', fullName: p, phone: p, password: 'mat-khau-dai-12' },
      });
      assert.equal(reg.statusCode, 400, p);
      assert.ok(['invalid_name', 'invalid_phone'].includes(reg.json().code));
      const unit = await t.app.inject({ method: 'GET', url: `/api/v1/units?parent=${encodeURIComponent(p)}` });
      assert.equal(unit.statusCode, 400, p);
      const page = await t.app.inject({ method: 'GET', url: `/login?next=${encodeURIComponent(p)}` });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /<script>alert|<img src=x/);
    }
    const accounts = await t.db.selectFrom('account').select('id').execute();
    assert.ok(accounts.length >= 8, 'the account table is still there');
  });

  test('junk in path and query parameters of every route never gives a 5xx', async () => {
    const junk = ['%00', '%E0%A4%A', 'a'.repeat(5000), "1'--", '..%2F..%2Fetc%2Fpasswd', '-1', '99999999999999999999'];
    for (const r of t.app.routeList) {
      if (r.url.includes('*')) continue;
      for (const j of junk) {
        const url = r.url.replace(':code', j).replace(':id', j);
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: `${url}${url.includes('?') ? '&' : '?'}at=${j}&level=${j}`,
          headers: admin,
        });
        assertClean(res, `${r.method} ${url.slice(0, 80)}`);
      }
    }
  });

  test('an unknown address is a 404 page for people and problem+json for API callers', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/khong-co-trang-nay' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Không tìm thấy trang/);
    const pageEn = await t.app.inject({ method: 'GET', url: '/no-such-page?lang=en' });
    assert.match(pageEn.body, /Page not found/);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'route_not_found');
  });
});
