import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { maritalBody, uploadFile } from '../../../test/helpers/dossiers.js';
import { JobRunner, type JobLog } from '../../jobs/runner.js';
import { registerWebhookJobs } from './webhooks.delivery.js';
import { DOSSIER_KEYS, enqueueStatusChange, EVENT_KEYS, WEBHOOK_QUEUE } from './webhooks.outbox.js';

const silent: JobLog = { info: () => {}, warn: () => {}, error: () => {} };

// What a receiver does (docs/webhooks.md, "Verifying a delivery"): HMAC of "<t>.<raw body>",
// compared in constant time, with t inside a tolerance window against replays.
function verifySignature(header: string | undefined, rawBody: string, secret: string, toleranceSeconds = 300): boolean {
  let t = NaN;
  const signatures: string[] = [];
  for (const part of String(header ?? '').split(',')) {
    const i = part.indexOf('=');
    const [k, v] = [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    if (k === 't') t = Number(v);
    else if (k === 'v1') signatures.push(v);
  }
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return signatures.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP endpoint on 127.0.0.1 that records deliveries and answers as the test says. */
class Receiver {
  server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(got);
      const status = this.answer(
        got,
        this.requests.filter((r) => r.headers['x-motcua-delivery'] === got.headers['x-motcua-delivery']).length,
      );
      if (status === 0) return; // never answers: the sender's timeout must fire
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `receiver says ${status}` : 'ok');
    });
  });
  requests: Received[] = [];
  /** Status for the n-th request (1-based) carrying one delivery id. */
  answer: (r: Received, n: number) => number = () => 200;

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/motcua`;
  }
  of(deliveryId: string) {
    return this.requests.filter((r) => r.headers['x-motcua-delivery'] === deliveryId);
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe(`webhooks (${ENGINE})`, () => {
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

  const api = (method: 'GET' | 'POST', url: string, who: Record<string, string> = admin, payload?: object) =>
    t.app.inject({ method, url, headers: who, ...(payload ? { payload } : {}) });
  const subscribe = async (name = 'Cổng Dịch vụ công quốc gia', url = receiver.url) => {
    const res = await api('POST', '/api/v1/webhooks', admin, { name, url });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; secret: string; url: string; active: boolean };
  };
  const disableAll = () => t.db.updateTable('webhook_subscription').set({ active: false }).execute();
  const webhookJobs = () => t.db.selectFrom('job').selectAll().where('queue', '=', WEBHOOK_QUEUE).orderBy('id').execute();
  // Makes retried jobs due now, as if their backoff had elapsed.
  const makeDue = () =>
    t.db
      .updateTable('job')
      .set({ run_at: sql<Date>`now() - interval '1 second'` })
      .where('queue', '=', WEBHOOK_QUEUE)
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .execute();
  const submitted = async () => {
    const res = await api('POST', '/api/v1/dossiers', citizen, maritalBody(sha));
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; code: string };
  };
  /** A received dossier, its status change announced as appendEvent will once it is wired (issue 6). */
  const receivedAndAnnounced = async () => {
    const d = await submitted();
    const rec = await api('POST', `/api/v1/dossiers/${d.id}/receive`, desk, {});
    assert.equal(rec.json().status, 2, rec.body);
    const eventHash = randomBytes(32).toString('hex');
    await t.db
      .transaction()
      .execute((trx) => enqueueStatusChange(trx, d.id, { eventHash, action: 'receive', from: 1, to: 2, at: new Date() }));
    return { ...d, eventHash };
  };

  test('no active subscription: a status change writes no webhook job', async () => {
    await disableAll();
    const before = (await webhookJobs()).length;
    await submitted();
    const d = await submitted();
    await t.db
      .transaction()
      .execute((trx) => enqueueStatusChange(trx, d.id, { eventHash: 'x'.repeat(64), action: 'receive', from: 1, to: 2, at: new Date() }));
    assert.equal((await webhookJobs()).length, before);
  });

  test('a status change reaches the receiver signed, with the national status and channel and no personal data', async () => {
    await disableAll();
    const sub = await subscribe();
    assert.match(sub.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const d = await receivedAndAnnounced();
    const jobs = (await webhookJobs()).filter((j) => (j.payload as { event: { id: string } }).event.id === d.eventHash);
    assert.equal(jobs.length, 1, 'one job per active subscription');
    assert.equal(jobs[0]!.max_attempts, 30);

    await t.app.jobs.runUntilIdle();
    const [got, ...more] = receiver.of(d.eventHash);
    assert.ok(got, 'delivered');
    assert.equal(more.length, 0);
    assert.ok(verifySignature(got.headers['x-motcua-signature'] as string, got.body, sub.secret), 'the signature verifies');
    assert.ok(!verifySignature(got.headers['x-motcua-signature'] as string, `${got.body} `, sub.secret), 'a changed body does not');
    assert.ok(!verifySignature(got.headers['x-motcua-signature'] as string, got.body, 'whsec_other'), 'another secret does not');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['user-agent'], 'motcua-webhooks/1');
    assert.equal(got.headers['x-motcua-event'], 'dossier.status_changed');

    const body = JSON.parse(got.body);
    assert.deepEqual(Object.keys(body), [...EVENT_KEYS], 'documented key order');
    assert.deepEqual(Object.keys(body.dossier), [...DOSSIER_KEYS]);
    assert.equal(body.id, d.eventHash);
    assert.equal(body.type, 'dossier.status_changed');
    assert.equal(body.version, 1);
    assert.equal(body.action, 'receive');
    assert.match(body.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const row = await t.db
      .selectFrom('dossier')
      .select(['submitted_at', 'received_at', 'due_at'])
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(body.dossier, {
      code: d.code,
      agencyCode: '000.13.42.H26',
      unitName: body.dossier.unitName,
      procedureCode: '1.004873',
      channel: 2,
      status: 2,
      previousStatus: 1,
      statusName: { vi: 'Đã tiếp nhận', en: 'Received' },
      submittedAt: row.submitted_at!.toISOString(),
      receivedAt: row.received_at!.toISOString(),
      dueAt: row.due_at!.toISOString(),
      finishedAt: null,
      returnedAt: null,
    });
    assert.match(body.dossier.unitName, /Quang Trung/);
    for (const personal of ['Nguyễn Văn An', '0912345678', '001090012345', '1990-05-17', 'ngõ 12', 'applicant', 'citizen']) {
      assert.ok(!got.body.includes(personal), `no personal data: ${personal}`);
    }

    const delivery = await t.db.selectFrom('webhook_delivery').selectAll().where('event_id', '=', d.eventHash).executeTakeFirstOrThrow();
    assert.equal(delivery.subscription_id, sub.id);
    assert.equal(delivery.dossier_id, d.id);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.status_code, 200);
    assert.ok(delivery.delivered_at);
  });

  test('a receiver answering 500 gets the same event again after the backoff, recorded delivered once', async () => {
    await disableAll();
    const sub = await subscribe();
    receiver.answer = (_r, n) => (n === 1 ? 500 : 204);
    const d = await receivedAndAnnounced();
    await t.app.jobs.runUntilIdle();
    assert.equal(receiver.of(d.eventHash).length, 1);
    const [job] = (await webhookJobs()).filter((j) => (j.payload as { event: { id: string } }).event.id === d.eventHash);
    assert.ok(job && job.done_at === null && job.failed_at === null && job.run_at > new Date(), 'rescheduled, not given up');
    assert.match(job.last_error!, /HTTP 500: receiver says 500/);
    let delivery = await t.db.selectFrom('webhook_delivery').selectAll().where('event_id', '=', d.eventHash).executeTakeFirstOrThrow();
    assert.deepEqual([delivery.attempts, delivery.status_code, delivery.delivered_at], [1, 500, null]);

    await makeDue();
    await t.app.jobs.runUntilIdle();
    const both = receiver.of(d.eventHash);
    assert.equal(both.length, 2);
    assert.equal(both[1]!.body, both[0]!.body, 'a retry carries the same bytes');
    assert.ok(both.every((r) => verifySignature(r.headers['x-motcua-signature'] as string, r.body, sub.secret)));
    delivery = await t.db.selectFrom('webhook_delivery').selectAll().where('event_id', '=', d.eventHash).executeTakeFirstOrThrow();
    assert.deepEqual([delivery.attempts, delivery.status_code, delivery.last_error], [2, 204, null]);
    assert.ok(delivery.delivered_at);

    // Run again: nothing is due, nothing is sent twice.
    await makeDue();
    await t.app.jobs.runUntilIdle();
    assert.equal(receiver.of(d.eventHash).length, 2);
    const list = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
    assert.equal(list.statusCode, 200, list.body);
    const item = list.json().items.find((i: { eventId: string }) => i.eventId === d.eventHash);
    assert.equal(item.dossierCode, d.code);
    assert.equal(item.attempts, 2);
    assert.equal(item.statusCode, 204);
  });

  test('410 Gone disables the subscription (audited); a disabled subscription gets nothing more', async () => {
    await disableAll();
    const sub = await subscribe();
    receiver.answer = () => 410;
    await receivedAndAnnounced();
    await receivedAndAnnounced();
    await t.app.jobs.runUntilIdle();
    assert.equal(receiver.requests.length, 1, 'the first answer disables the subscription; the pending jobs are dropped');
    const row = await t.db.selectFrom('webhook_subscription').select('active').where('id', '=', sub.id).executeTakeFirstOrThrow();
    assert.equal(row.active, false);
    const jobs = (await webhookJobs()).filter((j) => (j.payload as { subscriptionId: number }).subscriptionId === sub.id);
    assert.ok(jobs.length >= 2);
    assert.equal(jobs.filter((j) => j.failed_at).length, 1, 'the 410 fails its job at once');
    assert.ok(
      jobs.filter((j) => !j.failed_at).every((j) => j.done_at),
      'the others are dropped',
    );
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'actor_role'])
      .where('entity_type', '=', 'webhook_subscription')
      .where('entity_id', '=', String(sub.id))
      .orderBy('id')
      .execute();
    assert.deepEqual(audit, [
      { action: 'webhook.create', actor_role: 'city_admin' },
      { action: 'webhook.disable', actor_role: 'system' },
    ]);
  });

  test('a receiver that never answers fails the attempt at the timeout and is retried', async () => {
    await disableAll();
    await subscribe();
    receiver.answer = () => 0;
    const d = await receivedAndAnnounced();
    // A runner of its own, to shorten the 10 s timeout; the app's runner is not started in tests.
    const runner = new JobRunner(t.db, silent);
    registerWebhookJobs(runner, { db: t.db, log: silent, timeoutMs: 200 });
    await runner.runUntilIdle();
    const delivery = await t.db.selectFrom('webhook_delivery').selectAll().where('event_id', '=', d.eventHash).executeTakeFirstOrThrow();
    assert.equal(delivery.last_error, 'no answer within 0.2 s');
    assert.equal(delivery.delivered_at, null);
    const [job] = (await webhookJobs()).filter((j) => (j.payload as { event: { id: string } }).event.id === d.eventHash);
    assert.ok(job!.done_at === null && job!.failed_at === null, 'will be retried');
  });

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

  // Through the API end to end: the submission's own appendEvent announces the change.
  test('a submission through the API is announced with status 1 and no previous status', async () => {
    await disableAll();
    const sub = await subscribe();
    const d = await submitted();
    await t.app.jobs.runUntilIdle();
    const got = receiver.requests.map((r) => ({ r, body: JSON.parse(r.body) })).find((x) => x.body.dossier.code === d.code);
    assert.ok(got, 'the submission was announced');
    assert.ok(verifySignature(got.r.headers['x-motcua-signature'] as string, got.r.body, sub.secret));
    assert.equal(got.body.action, 'submit');
    assert.equal(got.body.dossier.status, 1);
    assert.equal(got.body.dossier.previousStatus, null);
    assert.equal(got.body.dossier.channel, 2);
    const event = await t.db
      .selectFrom('dossier_event')
      .select('hash')
      .where('dossier_id', '=', d.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    assert.equal(got.body.id, event.hash, 'the event id is the dossier event hash');
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
