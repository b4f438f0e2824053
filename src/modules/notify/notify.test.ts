import assert from 'node:assert/strict';
import { TestSmtp } from '../../../test/helpers/smtp.js';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, testDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/engine.js';
import { JobRunner, type JobLog } from '../../jobs/runner.js';
import { listInbox, markAllRead, markRead, unreadCount } from './inbox.repo.js';
import { emailTransport, notify, registerNotificationJobs, SandboxSms, toInternationalPhone, type NotifyInput } from './notify.service.js';
import { renderTemplate, TEMPLATES, TemplateError, type TemplateKey } from './templates.js';

const silent: JobLog = { info: () => {}, warn: () => {}, error: () => {} };

const PARAMS = {
  code: '000.13.42.H26-261127-0001',
  procedure: 'Cấp bản sao trích lục khai sinh',
  unit: 'UBND phường Hà Đông',
  dueDate: '05/12/2026',
  reason: 'Bản chụp căn cước công dân bị mờ, Ông/Bà vui lòng chụp lại rõ nét.',
  amount: '8.000 đồng',
  link: 'https://dichvucong.example.vn/ho-so/000.13.42.H26-261127-0001',
  holder: 'Lê Văn Cường',
  lookup: 'https://dichvucong.example.vn/lookup?code=000.13.42.H26-261127-0001',
  comment: 'Phải đi lại ba lần',
  topic: 'Thủ tục hộ tịch và đăng ký kinh doanh',
  when: '08:00 05/12/2026',
  place: 'Hội trường UBND quận Hà Đông',
  minutes: '10',
  contest: 'Tìm hiểu dịch vụ công trực tuyến năm 2026',
  site: 'dichvucong.hanoi.gov.vn',
};

describe(`notifications (${ENGINE})`, () => {
  let database: Database;
  const smtp = new TestSmtp();
  let sms: SandboxSms;
  let runner: JobRunner;
  let citizenId: number;
  let otherId: number;

  before(async () => {
    database = await testDatabase();
    await smtp.start();
    sms = new SandboxSms(silent);
    runner = new JobRunner(database.db, silent);
    registerNotificationJobs(runner, {
      transport: emailTransport(`smtp://127.0.0.1:${smtp.port}`),
      from: 'Một cửa <no-reply@motcua.test>',
      sms,
    });
    const insert = (full_name: string, email: string, phone: string) =>
      database.db
        .insertInto('account')
        .values({ kind: 'citizen', full_name, email, phone, password_hash: 'not-a-real-hash' })
        .returning('id')
        .executeTakeFirstOrThrow();
    citizenId = (await insert('Nguyễn Thị Hoà', 'hoa.nguyen@example.vn', '0912345678')).id;
    otherId = (await insert('Trần Văn Bình', 'binh.tran@example.vn', '0987654321')).id;
  });
  after(async () => {
    await smtp.stop();
    await database.close();
  });

  const input = (over: Partial<NotifyInput> = {}): NotifyInput => ({
    template: 'dossier.received',
    locale: 'vi',
    params: PARAMS,
    accountId: citizenId,
    dossierId: null,
    email: 'hoa.nguyen@example.vn',
    phone: '0912345678',
    ...over,
  });
  const inboxCount = async (accountId: number) =>
    Number(
      (
        await database.db
          .selectFrom('notification')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('templates', () => {
    test('every template exists in both languages with the same placeholders, and Vietnamese keeps its diacritics', () => {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const allowed = new Set(Object.keys(PARAMS));
      for (const [key, t] of Object.entries(TEMPLATES)) {
        assert.ok(Number.isInteger(t.version) && t.version >= 1, key);
        const vi = new Set([t.vi.subject, t.vi.body, t.vi.sms].flatMap(placeholders));
        const en = new Set([t.en.subject, t.en.body, t.en.sms].flatMap(placeholders));
        assert.deepEqual([...vi].sort(), [...en].sort(), `${key}: same placeholders in vi and en`);
        for (const p of vi) assert.ok(allowed.has(p), `${key}: unknown placeholder {${p}}`);
        for (const text of [t.vi.subject, t.vi.body, t.vi.sms]) {
          assert.match(text, /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i, `${key}: diacritics`);
          assert.equal(text, text.normalize('NFC'), `${key}: NFC`);
        }
        for (const text of [t.en.subject, t.en.body, t.en.sms]) assert.doesNotMatch(text, /[ăâđêôơư]/i, `${key}: English text`);
        for (const locale of ['vi', 'en'] as const) {
          // Unicode SMS: 67 characters per part of a long message; at most three parts.
          const r = renderTemplate(key as TemplateKey, locale, PARAMS);
          assert.ok(r.sms.length <= 201, `${key} (${locale}): SMS of ${r.sms.length} characters`);
          assert.doesNotMatch(`${r.subject}${r.body}${r.sms}`, /\{\w+\}/, `${key} (${locale}): unfilled placeholder`);
        }
      }
    });

    test('renders in the requested language, with the version', () => {
      const vi = renderTemplate('dossier.supplement_requested', 'vi', PARAMS);
      assert.equal(vi.version, 1);
      assert.equal(vi.subject, 'Hồ sơ 000.13.42.H26-261127-0001 cần bổ sung giấy tờ');
      assert.ok(vi.body.startsWith('Kính gửi Ông/Bà,'));
      assert.ok(vi.body.includes('Bản chụp căn cước công dân bị mờ'));
      const en = renderTemplate('dossier.supplement_requested', 'en', PARAMS);
      assert.equal(en.subject, 'Application 000.13.42.H26-261127-0001: more documents are needed');
    });

    test('a missing parameter throws instead of sending "{code}"', () => {
      const { reason: _reason, ...withoutReason } = PARAMS;
      assert.throws(() => renderTemplate('dossier.refused', 'vi', withoutReason), TemplateError);
      assert.throws(() => renderTemplate('dossier.refused', 'en', withoutReason), /needs the parameter \{reason\}/);
      assert.throws(() => renderTemplate('dossier.nope' as TemplateKey, 'vi', PARAMS), /unknown message template/);
      // Values are inserted as typed, not expanded again; decomposed diacritics are composed.
      const r = renderTemplate('dossier.refused', 'vi', { ...PARAMS, reason: 'Thiếu {code} và Ho\u0300a' });
      assert.ok(r.body.includes('Thiếu {code} và Hòa'));
    });

    test('a missing parameter makes notify() fail inside the transaction, so nothing is recorded', async () => {
      const before = await inboxCount(citizenId);
      await assert.rejects(
        database.db.transaction().execute((trx) => notify(trx, input({ params: { code: 'X' } }), { email: true, sms: true })),
        TemplateError,
      );
      assert.equal(await inboxCount(citizenId), before);
    });
  });

  test('notify() delivers one e-mail, one SMS and one inbox row, in Vietnamese with diacritics intact', async () => {
    smtp.messages.length = 0;
    const res = await database.db.transaction().execute((trx) => notify(trx, input(), { email: true, sms: true }));
    assert.ok(res.notificationId && res.emailJobId && res.smsJobId);
    assert.equal(await runner.runUntilIdle(), 2);

    assert.equal(smtp.messages.length, 1);
    const { envelopeTo, mail } = smtp.messages[0]!;
    assert.deepEqual(envelopeTo, ['hoa.nguyen@example.vn']);
    assert.equal(mail.subject, 'Hồ sơ 000.13.42.H26-261127-0001 đã được tiếp nhận');
    assert.ok(mail.text!.includes('Hồ sơ của Ông/Bà đã được tiếp nhận và đang được giải quyết.'));
    assert.ok(mail.text!.includes('Ngày hẹn trả kết quả: 05/12/2026'));
    assert.ok(mail.text!.includes('Cấp bản sao trích lục khai sinh'));
    assert.equal(mail.messageId, `<notification-${res.notificationId}@motcua>`);
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(mail.from!.value[0]!.name, 'Một cửa');

    assert.equal(sms.sent.length, 1);
    assert.equal(sms.sent[0]!.to, '+84912345678');
    assert.equal(
      sms.sent[0]!.text,
      'Hồ sơ 000.13.42.H26-261127-0001 đã được tiếp nhận. Ngày hẹn trả kết quả: 05/12/2026. Xem tại: ' + PARAMS.link,
    );

    const inbox = await listInbox(database.db, citizenId, { limit: 10, offset: 0 });
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0]!.id, res.notificationId);
    assert.equal(inbox[0]!.subject, mail.subject);
    assert.equal(inbox[0]!.body, mail.text!.trimEnd());
    assert.equal(inbox[0]!.locale, 'vi');
    assert.equal(inbox[0]!.readAt, null);
    const row = await database.db.selectFrom('notification').selectAll().where('id', '=', res.notificationId).executeTakeFirstOrThrow();
    assert.equal(row.template, 'dossier.received');
    assert.equal(row.template_version, 1);

    const jobs = await database.db.selectFrom('job').selectAll().where('id', 'in', [res.emailJobId, res.smsJobId]).execute();
    assert.ok(jobs.every((j) => j.done_at && j.attempts === 1));
  });

  test('English locale renders English', async () => {
    smtp.messages.length = 0;
    sms.sent.length = 0;
    await database.db
      .transaction()
      .execute((trx) => notify(trx, input({ template: 'dossier.result_ready', locale: 'en' }), { email: true, sms: true }));
    await runner.runUntilIdle();
    const mail = smtp.messages[0]!.mail;
    assert.equal(mail.subject, 'The result of application 000.13.42.H26-261127-0001 is ready');
    assert.ok(mail.text!.startsWith('Dear Sir or Madam,'));
    assert.equal(mail.headers.get('content-language'), 'en');
    assert.equal(sms.sent[0]!.text, `The result of application 000.13.42.H26-261127-0001 is ready. Details: ${PARAMS.link}`);
    const [latest] = await listInbox(database.db, citizenId, { limit: 1, offset: 0 });
    assert.equal(latest!.locale, 'en');
    assert.equal(latest!.subject, mail.subject);
  });

  test('channels: only enabled channels with an address get a job; no account means no inbox row', async () => {
    const noSms = await database.db.transaction().execute((trx) => notify(trx, input(), { email: true, sms: false }));
    assert.equal(noSms.smsJobId, null);
    const noEmail = await database.db.transaction().execute((trx) => notify(trx, input({ email: null }), { email: true, sms: true }));
    assert.equal(noEmail.emailJobId, null);
    assert.ok(noEmail.smsJobId);

    smtp.messages.length = 0;
    const before = await database.db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const guest = await database.db
      .transaction()
      .execute((trx) => notify(trx, input({ accountId: null, email: 'khach@example.vn', phone: null }), { email: true, sms: true }));
    assert.equal(guest.notificationId, null);
    assert.equal(guest.smsJobId, null);
    const after = await database.db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    await runner.runUntilIdle();
    const mail = smtp.messages.find((m) => m.envelopeTo[0] === 'khach@example.vn')!.mail;
    assert.match(mail.messageId!, /^<message-[0-9a-f-]{36}@motcua>$/);
    // The app passes its site's host: two deployments never share a Message-ID.
    await database.db.transaction().execute((trx) =>
      notify(trx, input({ accountId: null, email: 'khach2@example.vn', phone: null }), {
        email: true,
        sms: false,
        messageDomain: 'dichvucong.hanoi.gov.vn',
      }),
    );
    await runner.runUntilIdle();
    const hosted = smtp.messages.find((m) => m.envelopeTo[0] === 'khach2@example.vn')!.mail;
    assert.match(hosted.messageId!, /^<message-[0-9a-f-]{36}@dichvucong\.hanoi\.gov\.vn>$/);
  });

  test('an SMTP failure schedules a retry without duplicating the inbox row; the retry sends the same Message-ID', async () => {
    const port = smtp.port;
    await smtp.stop();
    smtp.messages.length = 0;
    sms.sent.length = 0;
    const inboxBefore = await inboxCount(citizenId);
    const res = await database.db
      .transaction()
      .execute((trx) => notify(trx, input({ template: 'dossier.payment_required' }), { email: true, sms: true }));
    assert.equal(await runner.runUntilIdle(), 2);

    const email = await database.db.selectFrom('job').selectAll().where('id', '=', res.emailJobId).executeTakeFirstOrThrow();
    const { now } = (await sql<{ now: Date }>`select now() as now`.execute(database.db)).rows[0]!;
    assert.equal(email.attempts, 1);
    assert.equal(email.done_at, null);
    assert.equal(email.failed_at, null);
    assert.equal(email.locked_until, null);
    assert.ok(email.last_error, 'last_error set');
    assert.ok(new Date(email.run_at).getTime() > new Date(now).getTime() + 5000, 'retry scheduled in the future');
    const smsJob = await database.db.selectFrom('job').selectAll().where('id', '=', res.smsJobId).executeTakeFirstOrThrow();
    assert.ok(smsJob.done_at, 'the SMS does not wait for the e-mail');
    assert.equal(sms.sent.length, 1);
    assert.equal(await inboxCount(citizenId), inboxBefore + 1);

    // The server is back and the backoff has elapsed.
    await smtp.start(port);
    await database.db
      .updateTable('job')
      .set({ run_at: sql<Date>`now()` })
      .where('id', '=', res.emailJobId)
      .execute();
    assert.equal(await runner.runUntilIdle(), 1);
    assert.equal(smtp.messages.length, 1);
    assert.equal(smtp.messages[0]!.mail.messageId, `<notification-${res.notificationId}@motcua>`);
    assert.equal(smtp.messages[0]!.mail.subject, 'Hồ sơ 000.13.42.H26-261127-0001: mời Ông/Bà nộp phí, lệ phí');
    assert.equal(await inboxCount(citizenId), inboxBefore + 1, 'no inbox duplication');
    assert.equal(sms.sent.length, 1);
    const done = await database.db.selectFrom('job').selectAll().where('id', '=', res.emailJobId).executeTakeFirstOrThrow();
    assert.ok(done.done_at);
    assert.equal(done.attempts, 2);
  });

  test('SMS: +84 for the carrier; an invalid number fails at once; a repeated reference is not sent twice', async () => {
    assert.equal(toInternationalPhone('0912 345 678'), '+84912345678');
    assert.equal(toInternationalPhone('+84 912.345.678'), '+84912345678');
    assert.equal(toInternationalPhone('024 3825 1234'), null);

    const res = await database.db.transaction().execute((trx) => notify(trx, input({ phone: '12345' }), { email: false, sms: true }));
    await runner.runUntilIdle();
    const job = await database.db.selectFrom('job').selectAll().where('id', '=', res.smsJobId).executeTakeFirstOrThrow();
    assert.equal(job.attempts, 1);
    assert.ok(job.failed_at);
    assert.match(job.last_error!, /not a Vietnamese mobile number/);

    const box = new SandboxSms();
    const a = await box.send('+84912345678', 'Xin chào', 'notification-1');
    const b = await box.send('+84912345678', 'Xin chào', 'notification-1');
    assert.equal(a.id, b.id);
    assert.equal(box.sent.length, 1);
    for (let i = 0; i < SandboxSms.MAX_KEPT + 5; i++) await box.send('+84912345678', `Tin ${i}`);
    assert.equal(box.sent.length, SandboxSms.MAX_KEPT);
    assert.equal(box.sent.at(-1)!.text, `Tin ${SandboxSms.MAX_KEPT + 4}`);
  });

  test('inbox: newest first, paged, unread count, and only the owner can mark a row read', async () => {
    const mine = await database.db.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (const template of ['dossier.paid', 'dossier.claimed'] as const) {
        ids.push((await notify(trx, input({ template }), { email: false, sms: false })).notificationId!);
      }
      return ids;
    });
    const theirs = (
      await database.db.transaction().execute((trx) => notify(trx, input({ accountId: otherId }), { email: false, sms: false }))
    ).notificationId!;

    const total = await inboxCount(citizenId);
    const page = await listInbox(database.db, citizenId, { limit: 2, offset: 0 });
    assert.deepEqual(
      page.map((i) => i.id),
      [mine[1], mine[0]],
    );
    assert.equal((await listInbox(database.db, citizenId, { limit: 100, offset: 1 })).length, total - 1);
    assert.equal((await listInbox(database.db, citizenId, { limit: 1000, offset: 0 })).length, Math.min(total, 100));
    assert.ok((await listInbox(database.db, citizenId, { limit: 100, offset: 0 })).every((i) => i.id !== theirs));

    const unread = await unreadCount(database.db, citizenId);
    assert.equal(unread, total);
    assert.equal(await markRead(database.db, citizenId, mine[0]!), true);
    assert.equal(await markRead(database.db, citizenId, mine[0]!), true, 'idempotent');
    assert.equal(await unreadCount(database.db, citizenId), unread - 1);
    assert.equal(await markRead(database.db, citizenId, theirs), false, "another citizen's row");
    assert.equal(await unreadCount(database.db, otherId), 1);
    assert.equal(await markRead(database.db, citizenId, 987654321), false);

    assert.equal(await markAllRead(database.db, citizenId), unread - 1);
    assert.equal(await unreadCount(database.db, citizenId), 0);
    assert.equal(await unreadCount(database.db, otherId), 1);
  });
});
