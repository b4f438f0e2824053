import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ENGINE, testDatabase } from '../../../test/helpers/db.js';
import { TestEsms } from '../../../test/helpers/esms.js';
import { ConfigError, loadConfig } from '../../config.js';
import type { Database } from '../../db/engine.js';
import { JobRunner, PermanentJobError, type JobLog } from '../../jobs/runner.js';
import { notify, registerNotificationJobs, SMS_QUEUE } from './notify.service.js';
import { ESMS_SEND_URL, EsmsSms, type EsmsConfig } from './sms-esms.js';

// The eSMS.vn carrier adapter against a real HTTP server speaking eSMS's protocol (test/helpers/esms.ts).
describe('eSMS.vn carrier adapter', () => {
  const carrier = new TestEsms();
  const errors: object[] = [];
  const log: JobLog = { info: () => {}, warn: () => {}, error: (o) => errors.push(o) };
  let cfg: EsmsConfig;
  const adapter = (over: Partial<EsmsConfig> = {}, timeoutMs?: number) => new EsmsSms({ ...cfg, ...over }, log, timeoutMs);

  before(async () => {
    await carrier.start();
    cfg = { url: carrier.url, apiKey: carrier.apiKey, secretKey: carrier.secretKey, brandname: 'MOTCUA', sandbox: false };
  });
  after(() => carrier.stop());
  beforeEach(() => {
    carrier.received.length = 0;
    carrier.failWith = null;
    errors.length = 0;
  });

  test('sends a customer-care brandname SMS as documented and returns the carrier’s message id', async () => {
    const text = 'Mã khôi phục của Ông/Bà là 123456, chỉ nhập tại dichvucong.hanoi.gov.vn';
    const { id } = await adapter().send('+84912345678', text, 'contest-recovery-1');
    assert.equal(carrier.received.length, 1);
    const { body, smsId } = carrier.received[0]!;
    assert.equal(id, smsId);
    assert.deepEqual(body, {
      ApiKey: 'test-api-key',
      SecretKey: 'test-secret-key',
      Brandname: 'MOTCUA',
      SmsType: '2',
      Phone: '0912345678',
      Content: text,
      IsUnicode: '1',
      Sandbox: '0',
      RequestId: 'contest-recovery-1',
    });
    await adapter().send('+84912345678', 'Ma cua Ong/Ba: 123456', 'ascii-1');
    assert.equal(carrier.received[1]!.body.IsUnicode, '0', 'plain ASCII goes as the cheaper GSM charset');
  });

  test('a repeat of the same message (a retry after a crash) is acknowledged by its RequestId, not delivered twice', async () => {
    const first = await adapter().send('+84987654321', 'Hồ sơ đã được tiếp nhận', 'notification-7');
    const again = await adapter().send('+84987654321', 'Hồ sơ đã được tiếp nhận', 'notification-7');
    assert.equal(carrier.delivered.length, 1);
    assert.equal(carrier.received[1]!.code, '124');
    assert.ok(first.id && again.id);
  });

  test('eSMS test mode (ESMS_SANDBOX) sends Sandbox=1: checked by the carrier, delivered to no one', async () => {
    await adapter({ sandbox: true }).send('+84912345678', 'Thử', 'sandbox-1');
    assert.equal(carrier.received[0]!.body.Sandbox, '1');
    assert.equal(carrier.delivered.length, 0);
  });

  test('a refusal about the number is permanent; one about the account is retried and logged as an error', async () => {
    await assert.rejects(adapter().send('+8412', 'x', 'bad-number'), (e: Error) => e instanceof PermanentJobError && /108/.test(e.message));
    for (const [over, code] of [
      [{ secretKey: 'wrong' }, '101'],
      [{ brandname: 'NOT-MINE' }, '104'],
    ] as const) {
      await assert.rejects(
        adapter(over).send('+84912345678', 'x', `acct-${code}`),
        (e: Error) => !(e instanceof PermanentJobError) && e.message.includes(`code ${code}`),
      );
    }
    assert.equal(errors.length, 2, 'each account refusal is logged at error level for an operator');
  });

  test('an outage, a body that is not JSON, no answer at all and no server are errors the job retries', async () => {
    const retryable = (e: Error) => !(e instanceof PermanentJobError);
    carrier.failWith = { status: 503, body: 'Service Unavailable' };
    await assert.rejects(adapter().send('+84912345678', 'x', 'r1'), (e: Error) => retryable(e) && /HTTP 503/.test(e.message));
    carrier.failWith = { status: 200, body: '<html>maintenance</html>' };
    await assert.rejects(adapter().send('+84912345678', 'x', 'r2'), (e: Error) => retryable(e) && /not JSON/.test(e.message));
    carrier.failWith = 'hang';
    await assert.rejects(adapter({}, 200).send('+84912345678', 'x', 'r3'), (e: Error) => retryable(e) && /unreachable/.test(e.message));
    await assert.rejects(
      adapter({ url: 'http://127.0.0.1:1/MainService.svc/json/SendMultipleMessage_V4_post_json/' }).send('+84912345678', 'x', 'r4'),
      (e: Error) => retryable(e) && /unreachable/.test(e.message),
    );
  });

  test('configuration: SMS_PROVIDER=esms needs the account’s keys and brandname', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'esms', ESMS_API_KEY: 'k' }),
      (e: Error) => e instanceof ConfigError && /ESMS_SECRET_KEY, ESMS_BRANDNAME/.test(e.message),
    );
    const c = loadConfig({
      NODE_ENV: 'test',
      SMS_PROVIDER: 'esms',
      ESMS_API_KEY: 'k',
      ESMS_SECRET_KEY: 's',
      ESMS_BRANDNAME: 'UBND HA NOI',
    });
    assert.deepEqual(c.esms, { url: ESMS_SEND_URL, apiKey: 'k', secretKey: 's', brandname: 'UBND HA NOI', sandbox: false });
    assert.equal(loadConfig({ NODE_ENV: 'test' }).esms, null);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'esms', ESMS_URL: 'ftp://x' }), /ESMS_URL/);
    const key = () => randomBytes(32).toString('base64');
    const prod = {
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      COOKIE_SECRET: 'x'.repeat(32),
      PAYMENT_HASH_SECRET: 'y'.repeat(16),
      PII_KEYS: `a:${key()}`,
      PII_HASH_KEY: key(),
      SMS_PROVIDER: 'esms',
      ESMS_API_KEY: 'k',
      ESMS_SECRET_KEY: 's',
      ESMS_BRANDNAME: 'UBND HA NOI',
    };
    assert.equal(loadConfig(prod).esms?.url, ESMS_SEND_URL);
    assert.throws(() => loadConfig({ ...prod, ESMS_URL: 'http://rest.esms.vn/x' }), /ESMS_URL must be https/);
  });
});

describe(`eSMS.vn through the outbox (${ENGINE})`, () => {
  const carrier = new TestEsms();
  const silent: JobLog = { info: () => {}, warn: () => {}, error: () => {} };
  let database: Database;
  let runner: JobRunner;

  before(async () => {
    database = await testDatabase();
    await carrier.start();
    runner = new JobRunner(database.db, silent);
    const sms = new EsmsSms({
      url: carrier.url,
      apiKey: carrier.apiKey,
      secretKey: carrier.secretKey,
      brandname: 'MOTCUA',
      sandbox: false,
    });
    registerNotificationJobs(runner, { transport: null, from: 'x', sms });
  });
  after(async () => {
    await carrier.stop();
    await database.close();
  });

  const queue = () =>
    database.db.transaction().execute((trx) =>
      notify(
        trx,
        {
          template: 'dossier.received',
          locale: 'vi',
          params: {
            code: '000.13.42.H26-261127-0001',
            procedure: 'Cấp bản sao trích lục khai sinh',
            unit: 'UBND phường Hà Đông',
            dueDate: '05/12/2026',
            link: 'https://dichvucong.example.vn/x',
          },
          accountId: null,
          dossierId: null,
          email: null,
          phone: '0912345678',
        },
        { email: false, sms: true },
      ),
    );
  const job = (id: number) => database.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('a queued SMS reaches the carrier once, with the job’s stable reference as RequestId', async () => {
    const { smsJobId } = await queue();
    await runner.runUntilIdle();
    assert.equal(carrier.delivered.length, 1);
    const sent = carrier.delivered[0]!.body;
    assert.equal(sent.Phone, '0912345678');
    assert.match(String(sent.Content), /000\.13\.42\.H26-261127-0001/);
    assert.equal(typeof sent.RequestId, 'string');
    const done = await job(smsJobId!);
    assert.ok(done.done_at, 'the job is done');
    assert.equal(done.queue, SMS_QUEUE);
  });

  test('while the carrier is down the job keeps its message and the error, to be retried', async () => {
    carrier.failWith = { status: 502, body: 'Bad Gateway' };
    const { smsJobId } = await queue();
    await runner.runUntilIdle();
    carrier.failWith = null;
    const waiting = await job(smsJobId!);
    assert.equal(waiting.done_at, null);
    assert.equal(waiting.failed_at, null, 'not given up: retried after its backoff');
    assert.equal(waiting.attempts, 1);
    assert.match(waiting.last_error ?? '', /HTTP 502/);
  });
});
