import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.js';
import { policies } from '../src/modules/auth/policy.js';
import { Browser, DEMO, testApp, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/db.js';

describe(`pages (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('the home page is in Vietnamese by default, with the city name, a skip link and the unit counts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /<html lang="vi">/);
    assert.match(res.body, /Cổng Dịch vụ công Thành phố Hà Nội/);
    assert.match(res.body, /href="#main"/);
    assert.match(res.body, /22 sở, ngành; 30 quận, huyện, thị xã; 25 xã, phường, thị trấn/);
  });

  test('the language switch keeps the current page and is remembered', async () => {
    const b = new Browser(t.app);
    const vi = await b.get('/units');
    const href = /class="lang-switch" href="([^"]+)"/.exec(vi.body)![1]!;
    assert.equal(href, '/units?lang=en');
    const en = await b.get(href);
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /Offices and units/);
    assert.match(en.body, /Vietnamese text is legally binding/);
    const next = await b.get('/');
    assert.match(next.body, /<html lang="en">/, 'the choice sticks without the query');
    assert.match((await b.get('/?lang=vi')).body, /<html lang="vi">/);
  });

  test('Accept-Language picks English for a first visit', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.match(res.body, /<h1>Log in<\/h1>/);
  });

  test('the units page lists the tree with agency codes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/units' });
    assert.match(res.body, /Phường Quang Trung/);
    assert.match(res.body, /000\.13\.42\.H26/);
  });

  test('the account page shows roles to an official, and asks anonymous visitors to log in', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/account' });
    assert.equal(anon.statusCode, 303);
    assert.equal(anon.headers.location, '/login?next=%2Faccount');
    const b = await new Browser(t.app).login(DEMO.deskQuangTrung);
    const page = await b.get('/account');
    assert.match(page.body, /Cán bộ một cửa \(000\.13\.42\.H26\)/);
  });

  test('security headers: a strict CSP without inline scripts, no framing, no sniffing; a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(res.body, /<script/);
  });

  test('health, readiness, metrics and the OpenAPI document', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ok', database: ENGINE });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /motcua_http_request_duration_seconds_bucket\{[^}]*route="\/readyz"/);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    assert.equal(spec.openapi, '3.0.3');
    assert.ok(spec.paths['/api/v1/units']);
    assert.ok(spec.paths['/api/v1/units/{code}']);
    assert.ok(spec.paths['/api/v1/auth/token'].post.requestBody);
    assert.equal(spec.paths['/login'], undefined, 'pages are not API');
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });
});

describe(`the 500 page (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test("an unexpected failure shows an apology in the visitor's language with a request id, never the error", async () => {
    const app = await buildApp(t.app.config, t.database, { logger: false });
    app.get('/fault', { config: { policy: policies.public } }, async () => {
      throw new Error('secret internal detail');
    });
    app.get('/api/v1/fault', { config: { policy: policies.public } }, async () => {
      throw new Error('secret internal detail');
    });
    const vi = await app.inject({ method: 'GET', url: '/fault' });
    assert.equal(vi.statusCode, 500);
    assert.match(vi.body, /Hệ thống đang gặp sự cố/);
    assert.match(vi.body, new RegExp(vi.headers['x-request-id'] as string));
    assert.doesNotMatch(vi.body, /secret internal detail/);
    const en = await app.inject({ method: 'GET', url: '/fault?lang=en' });
    assert.match(en.body, /Something went wrong/);
    const api = await app.inject({ method: 'GET', url: '/api/v1/fault' });
    assert.deepEqual(
      { ...(api.json() as object), requestId: 'x' },
      { type: 'urn:motcua:error:internal', title: 'Đã có lỗi xảy ra.', status: 500, code: 'internal', requestId: 'x' },
    );
    await app.close();
  });
});
