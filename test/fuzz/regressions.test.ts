import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerFor, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { askAboutFee } from '../helpers/feedback.js';

// Bugs the route fuzzer (routes.test.ts) found, each pinned by the request that showed it.
describe(`fuzzer findings stay fixed (${ENGINE})`, () => {
  let t: TestApp;
  let leader: Record<string, string>;
  before(async () => {
    t = await testApp();
    leader = await bearerFor(t.app, DEMO.leaderHaDong);
  });
  after(() => t.close());

  test('an over-long path parameter is a localized 404 problem, not Fastify raw JSON echoing the path', async () => {
    const long = 'a'.repeat(120);
    const api = await t.app.inject({ url: `/api/v1/units/${long}`, headers: { 'accept-language': 'en' } });
    assert.equal(api.statusCode, 404, api.body);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(api.json().code, 'not_found');
    assert.doesNotMatch(api.body, /FST_ERR|aaaaaaaaaa/);
    assert.equal(api.headers['x-content-type-options'], 'nosniff', 'security headers are set on these answers too');
    const page = await t.app.inject({ url: `/faq/${long}` });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<html lang="vi"/);
  });

  test('an undecodable path is a 400 with the stable code malformed_url, in the caller’s language', async () => {
    const vi = await t.app.inject({ url: '/api/v1/units/%E0%A4%A' });
    assert.equal(vi.statusCode, 400, vi.body);
    assert.equal(vi.json().code, 'malformed_url');
    assert.equal(vi.json().title, 'Địa chỉ trang không hợp lệ.');
    const en = await t.app.inject({ url: '/api/v1/units/%E0%A4%A', headers: { 'accept-language': 'en' } });
    assert.equal(en.json().title, 'The address is not a valid URL.');
    const page = await t.app.inject({ url: '/units/%zz', headers: { 'accept-language': 'en' } });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /The address is not a valid URL\./);
  });

  test('a page id beyond PostgreSQL integer range is a 404, not a database error', async () => {
    for (const url of ['/faq/2147483648', '/conferences/2147483648', '/dossiers/99999999999999/check']) {
      const res = await t.app.inject({ url, headers: leader });
      assert.ok(res.statusCode === 404 || res.statusCode === 403, `${url}: ${res.statusCode}`);
    }
    assert.equal((await t.app.inject({ url: '/faq/2147483647' })).statusCode, 404, 'the largest integer id is still looked up');
  });

  test('a feedback attachment id that is not a number is a 404', async () => {
    const fb = await askAboutFee(t.app, 'Nguyễn Thị Hoa', '0912345678');
    assert.equal(fb.statusCode, 201, fb.body);
    for (const id of ['..%2f..%2fpackage.json', 'abc', '1.5', '2147483648']) {
      const res = await t.app.inject({ url: `/work/feedback/${fb.json().code}/files/${id}`, headers: leader });
      assert.equal(res.statusCode, 404, `${id}: ${res.statusCode}`);
    }
  });

  test('POST /api/v1/verify with a form-encoded body is a 415, not a 500 (its schema covers JSON only)', async () => {
    for (const payload of ['%%%&&=&a=%ff', 'sha256=abc', '']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      assert.equal(res.statusCode, 415, `${payload}: ${res.body}`);
      assert.equal(res.json().code, 'unsupported_media_type');
    }
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: 'a'.repeat(64) } });
    assert.equal(json.statusCode, 200, json.body);
  });

  test('an inbox offset beyond any bigint is a 400, not a database error', async () => {
    const citizen = await bearerFor(t.app, DEMO.citizen);
    for (const offset of ['1e21', '1e%2B21', '99999999999999999999']) {
      const res = await t.app.inject({ url: `/api/v1/me/notifications?offset=${offset}`, headers: citizen });
      assert.equal(res.statusCode, 400, `${offset}: ${res.body}`);
      assert.equal(res.json().code, 'validation_failed');
    }
    assert.equal((await t.app.inject({ url: '/api/v1/me/notifications?offset=20', headers: citizen })).statusCode, 200);
  });
});
