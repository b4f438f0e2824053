import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { bearerFor, DEMO, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { uploadFile } from '../../../test/helpers/dossiers.js';
import { Receiver, verifySignature, webhookCalls } from '../../../test/helpers/webhooks.js';

describe(`webhooks: subscriptions (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let citizen: Record<string, string>;
  let desk: Record<string, string>;
  let sha: string;
  const receiver = new Receiver();

  before(async () => {
    t = await testApp();
    await receiver.start();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    citizen = await bearerFor(t.app, DEMO.citizen);
    desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    sha = (await uploadFile(t.app, citizen)).json().sha256;
  });
  after(async () => {
    await receiver.stop();
    await t.close();
  });
  beforeEach(() => {
    receiver.requests = [];
    receiver.answer = () => 200;
  });

  const { api, subscribe, disableAll, receivedAndAnnounced } = webhookCalls(() => ({
    t,
    admin,
    citizen,
    desk,
    sha,
    receiver,
  }));

  test('rotating the secret signs the next delivery with the new one; create, disable and rotate are audited', async () => {
    await disableAll();
    const sub = await subscribe();
    const rotated = await api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`);
    assert.equal(rotated.statusCode, 200, rotated.body);
    const secret = rotated.json().secret as string;
    assert.notEqual(secret, sub.secret);
    const d = await receivedAndAnnounced();
    await t.app.jobs.runUntilIdle();
    const [got] = receiver.of(d.eventHash);
    assert.ok(verifySignature(got!.headers['x-motcua-signature'] as string, got!.body, secret));
    assert.ok(!verifySignature(got!.headers['x-motcua-signature'] as string, got!.body, sub.secret));

    const off = await api('POST', `/api/v1/webhooks/${sub.id}/disable`);
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().active, false);
    assert.equal((await api('POST', `/api/v1/webhooks/${sub.id}/disable`)).statusCode, 200, 'disabling twice is harmless');
    assert.equal((await api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`)).json().code, 'webhook_disabled');
    assert.equal((await api('POST', '/api/v1/webhooks/999999/disable')).json().code, 'webhook_not_found');
    assert.equal((await api('GET', '/api/v1/webhooks/999999/deliveries')).statusCode, 404);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('entity_type', '=', 'webhook_subscription')
      .where('entity_id', '=', String(sub.id))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['webhook.create', 'webhook.rotate_secret', 'webhook.disable'],
    );
    assert.ok(!JSON.stringify(audit).includes('whsec_'), 'no secret in the audit trail');
  });

  test('the list never shows secrets', async () => {
    const sub = await subscribe('Phần mềm một cửa quận Hà Đông');
    const res = await api('GET', '/api/v1/webhooks');
    assert.equal(res.statusCode, 200);
    const mine = res.json().items.find((i: { id: number }) => i.id === sub.id);
    assert.deepEqual(Object.keys(mine).sort(), ['active', 'createdAt', 'createdBy', 'id', 'name', 'url']);
    assert.ok(!res.body.includes('whsec_') && !res.body.includes('secret'));
  });

  test('bad URLs and names are refused with stable codes, in the caller language', async () => {
    const cases: [string, string][] = [
      ['ftp://example.vn/hook', 'webhook_url_invalid'],
      ['not a url at all', 'webhook_url_invalid'],
      ['javascript:alert(1)//', 'webhook_url_invalid'],
      ['https://example.vn/hook#part', 'webhook_url_invalid'],
      ['https://user:pass@example.vn/hook', 'webhook_url_credentials'],
      ['https://token@example.vn/hook', 'webhook_url_credentials'],
    ];
    for (const [url, code] of cases) {
      const res = await api('POST', '/api/v1/webhooks', admin, { name: 'x', url });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().code, code, url);
      assert.deepEqual(
        res.json().errors.map((e: { field: string }) => e.field),
        ['url'],
      );
    }
    const en = await api('POST', '/api/v1/webhooks?lang=en', admin, { name: 'x', url: 'ftp://example.vn' });
    assert.match(en.json().title, /http:\/\/ or https:\/\//);
    for (const payload of [{ name: '   ', url: receiver.url }, { name: 'x' }, { name: 'x', url: receiver.url, secret: 'mine' }]) {
      const res = await api('POST', '/api/v1/webhooks', admin, payload);
      assert.equal(res.json().code, 'validation_failed', JSON.stringify(payload));
    }
  });

  test('only city administrators may manage webhooks', async () => {
    const sub = await subscribe();
    const unitAdmin = await bearerFor(t.app, DEMO.adminHaDong);
    for (const who of [citizen, desk, unitAdmin]) {
      assert.equal((await api('GET', '/api/v1/webhooks', who)).statusCode, 403);
      assert.equal((await api('POST', '/api/v1/webhooks', who, { name: 'x', url: receiver.url })).statusCode, 403);
      assert.equal((await api('POST', `/api/v1/webhooks/${sub.id}/disable`, who)).statusCode, 403);
      assert.equal((await api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, who)).statusCode, 403);
      assert.equal((await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`, who)).statusCode, 403);
    }
    assert.equal((await api('GET', '/api/v1/webhooks', {})).statusCode, 401);
    const row = await t.db.selectFrom('webhook_subscription').select('active').where('id', '=', sub.id).executeTakeFirstOrThrow();
    assert.equal(row.active, true);
  });
});

describe(`webhook URLs when plain http is not allowed (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ webhookAllowHttp: false });
  });
  after(() => t.close());

  test('http is refused, https accepted', async () => {
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    const post = (url: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { name: 'Cổng quốc gia', url } });
    const http = await post('http://dichvucong.example.vn/hooks');
    assert.equal(http.statusCode, 400);
    assert.equal(http.json().code, 'webhook_url_insecure');
    const https = await post('https://dichvucong.example.vn/hooks');
    assert.equal(https.statusCode, 201, https.body);
    assert.equal(https.json().url, 'https://dichvucong.example.vn/hooks');
  });
});
