import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { bearerFor, DEMO, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { uploadFile } from '../../../test/helpers/dossiers.js';
import { Receiver, verifySignature, webhookCalls } from '../../../test/helpers/webhooks.js';
import { JobRunner, type JobLog } from '../../jobs/runner.js';
import { registerWebhookJobs } from './webhooks.delivery.js';
import { DOSSIER_KEYS, enqueueStatusChange, EVENT_KEYS } from './webhooks.outbox.js';

const silent: JobLog = { info: () => {}, warn: () => {}, error: () => {} };

describe(`webhooks: deliveries (${ENGINE})`, () => {
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

  const { api, subscribe, disableAll, webhookJobs, makeDue, submitted, receivedAndAnnounced } = webhookCalls(() => ({
    t,
    admin,
    citizen,
    desk,
    sha,
    receiver,
  }));

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
