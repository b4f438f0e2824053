import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { sha256 } from '../../src/lib/crypto.js';
import { pii } from '../../src/lib/pii.js';
import type { AppError } from '../../src/lib/errors.js';
import { ContestCache } from '../../src/modules/contest/contest.cache.js';
import { ContestRecovery, RECOVERY_RULES, recoveryDeliverable } from '../../src/modules/contest/contest.recovery.js';
import { SMS_QUEUE, type SmsJobPayload } from '../../src/modules/notify/notify.service.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

// Taking part on another device (contest.recovery.ts): a code sent by SMS to the registered phone
// gives the new device a token of its own.
describe(`contest recovery on another device (${ENGINE})`, () => {
  let t: TestApp;
  let contestId: number;
  let roundId: number;
  let phoneSeq = 0;

  const api = (url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  const register = async () => {
    const phone = `09300000${String(++phoneSeq).padStart(2, '0')}`;
    const r = await api(`/contests/${contestId}/participants`, {}, { name: 'Lê Thị Hoa', phone, unitCode: UNITS.quangTrung });
    assert.equal(r.statusCode, 201, r.body);
    return { phone, auth: { 'x-contest-token': r.json().token as string } };
  };
  /** The SMS the outbox holds for this phone, newest first: what the carrier would deliver. */
  const smsTo = async (phone: string) => {
    const jobs = await t.db.selectFrom('job').select(['payload']).where('queue', '=', SMS_QUEUE).orderBy('id', 'desc').execute();
    return jobs.map((j) => j.payload as SmsJobPayload).filter((p) => pii().decrypt(p.to) === phone);
  };
  const sentCode = async (phone: string) => {
    const [last] = await smsTo(phone);
    assert.ok(last, 'no SMS queued');
    return /\b(\d{6})\b/.exec(last.text)![1]!;
  };
  /** Asks for a code by the API; returns the device secret the code is bound to. */
  const send = async (phone: string, device?: string, headers: Auth = {}) => {
    const r = await api(`/contests/${contestId}/recovery`, headers, { phone, ...(device ? { device } : {}) });
    assert.equal(r.statusCode, 202, r.body);
    return r.json().device as string;
  };
  const verify = (phone: string, c: string, device: string) =>
    api(`/contests/${contestId}/recovery/verify`, {}, { phone, code: c, device });
  const wrongCode = (c: string) => String((Number(c) + 1) % 1_000_000).padStart(6, '0');
  const svc = () => t.app.services.contestRecovery;
  const at = (msAgo: number) => new Date(Date.now() - msAgo);

  /** A contest with one open round, in the app of `on`. */
  const openContest = async (on: TestApp) => {
    const admin = await bearerFor(on.app, DEMO.cityAdmin);
    const post = (url: string, payload?: object) =>
      on.app.inject({ method: 'POST', url: `/api/v1/contest${url}`, headers: admin, ...(payload ? { payload } : {}) });
    const id = (await post('/contests', { title: { vi: 'Thi thử khôi phục', en: 'Recovery contest' } })).json().id as number;
    const poolId = (await post(`/contests/${id}/pools`, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } })).json().id;
    await buildBank(on, admin, poolId, 2);
    const round = (
      await post(`/contests/${id}/rounds`, { opensAt: hours(-1), closesAt: hours(2), questionCount: 2, timeLimitSeconds: 600 })
    ).json().id as number;
    assert.equal((await post(`/rounds/${round}/publish`)).statusCode, 200);
    return { id, round };
  };

  before(async () => {
    t = await testApp();
    ({ id: contestId, round: roundId } = await openContest(t));
  });
  after(async () => t?.close());

  test('a code by SMS gives the new device its own token; it continues the same entry and the first device keeps working', async () => {
    const { phone, auth } = await register();
    const first = await api(`/rounds/${roundId}/start`, auth);
    assert.equal(first.statusCode, 201, first.body);
    const entryId = (first.json() as Entry).entryId;

    const sent = await api(
      `/contests/${contestId}/recovery`,
      { 'accept-language': 'vi' },
      { phone: phone.replace(/(\d{4})(\d{3})/, '$1 $2 ') },
    );
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(sent.json().sentTo, `${phone.slice(0, 4)}***${phone.slice(-3)}`);
    const device = sent.json().device as string;
    const [sms] = await smsTo(phone);
    assert.match(sms!.text, /^Mã xác nhận dự thi: \d{6}\. Chỉ nhập trên localhost,/, 'the code first, then where it may be typed');
    assert.notEqual(sms!.to, phone, 'the recipient is stored sealed');
    const c = await sentCode(phone);

    const wrong = await verify(phone, wrongCode(c), device);
    assert.deepEqual(code(wrong), [400, 'contest_recovery_code_invalid']);
    assert.match(wrong.json().title, /4/);

    const ok = await verify(phone, `${c.slice(0, 3)} ${c.slice(3)}`, device);
    assert.equal(ok.statusCode, 200, ok.body);
    const token = ok.json().token as string;
    assert.notEqual(token, auth['x-contest-token']);

    const again = await api(`/rounds/${roundId}/start`, { 'x-contest-token': token });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as Entry).entryId, entryId, 'the new device continues the entry, never a second one');
    const old = await api(`/rounds/${roundId}/start`, auth);
    assert.equal(old.statusCode, 200);
    assert.equal((old.json() as Entry).entryId, entryId);

    // Another process, which has never seen this token, finds it in the database.
    const p = await new ContestCache(t.db).participant(sha256(token));
    assert.equal(p?.id, ok.json().participantId);

    assert.deepEqual(code(await verify(phone, c, device)), [410, 'contest_recovery_code_expired'], 'a code works once');
  });

  test('a code works only on the device that asked: a stranger can neither use it, spend its tries, nor replace it', async () => {
    const { phone } = await register();
    const mine = await send(phone);
    const c = await sentCode(phone);
    // The stranger knows the phone number and even the code, but not the device secret.
    const stranger = 'S'.repeat(32);
    for (let i = 0; i < 6; i++) assert.deepEqual(code(await verify(phone, c, stranger)), [410, 'contest_recovery_code_expired']);
    // A code the stranger asks for (another device) does not replace mine.
    const theirs = await send(phone, undefined, {});
    assert.notEqual(theirs, mine);
    assert.equal((await verify(phone, c, mine)).statusCode, 200, 'my code still works, with all its tries');
  });

  test('the same device gets a new code at most once a minute (Retry-After); the new one replaces the one before', async () => {
    const { phone } = await register();
    const device = await send(phone);
    const c1 = await sentCode(phone);
    const soon = await api(`/contests/${contestId}/recovery`, {}, { phone, device });
    assert.deepEqual(code(soon), [429, 'contest_recovery_wait']);
    assert.ok(Number(soon.headers['retry-after']) > 0 && Number(soon.headers['retry-after']) <= 60);
    assert.equal((await smsTo(phone)).length, 1, 'no second SMS');

    await svc().sendCode(contestId, phone, 'en', { ip: '127.0.0.1', device }, new Date(Date.now() + 61_000));
    const c2 = await sentCode(phone);
    assert.match((await smsTo(phone))[0]!.text, /^Contest confirmation code: \d{6}\./);
    if (c1 !== c2)
      assert.deepEqual(code(await verify(phone, c1, device)), [400, 'contest_recovery_code_invalid'], 'the older code stopped working');
    assert.equal((await verify(phone, c2, device)).statusCode, 200);
  });

  test('five wrong tries end the code, even for the right code after them', async () => {
    const { phone } = await register();
    const device = await send(phone);
    const c = await sentCode(phone);
    for (let left = 4; left >= 1; left--) {
      const r = await verify(phone, wrongCode(c), device);
      assert.deepEqual(code(r), [400, 'contest_recovery_code_invalid']);
      assert.ok(r.json().title.includes(String(left)), r.body);
    }
    assert.deepEqual(code(await verify(phone, wrongCode(c), device)), [410, 'contest_recovery_tries_used']);
    assert.deepEqual(code(await verify(phone, c, device)), [410, 'contest_recovery_tries_used']);
  });

  test('a code older than ten minutes is refused', async () => {
    const { phone } = await register();
    const { device } = await svc().sendCode(contestId, phone, 'vi', { ip: '10.0.0.1' }, at(11 * 60_000));
    assert.deepEqual(code(await verify(phone, await sentCode(phone), device)), [410, 'contest_recovery_code_expired']);
  });

  test('limits: 5 codes a day per participant from one address, 20 from anywhere, and a cap per address per hour', async () => {
    const { phone } = await register();
    const base = 20 * 3_600_000;
    for (let i = 0; i < 5; i++) await svc().sendCode(contestId, phone, 'vi', { ip: '10.0.0.2' }, at(base - i * 120_000));
    await assert.rejects(svc().sendCode(contestId, phone, 'vi', { ip: '10.0.0.2' }), { code: 'contest_recovery_too_many' });
    // From another address the person can still ask...
    await svc().sendCode(contestId, phone, 'vi', { ip: '10.0.0.3' });
    // ... and a day after the first, from the first address too.
    await svc().sendCode(contestId, phone, 'vi', { ip: '10.0.0.2' }, new Date(Date.now() - base + 86_400_000 + 1000));

    const other = await register();
    for (let i = 0; i < 20; i++) await svc().sendCode(contestId, other.phone, 'vi', { ip: `10.1.0.${i}` }, at(i * 1000));
    await assert.rejects(svc().sendCode(contestId, other.phone, 'vi', { ip: '10.2.0.1' }), { code: 'contest_recovery_too_many' });

    const strict = new ContestRecovery(t.db, t.app.services.contestAdmin, true, 'localhost', { ...RECOVERY_RULES, perIpHour: 2 });
    const a = await register();
    const b = await register();
    await strict.sendCode(contestId, a.phone, 'vi', { ip: '10.9.9.9' });
    await strict.sendCode(contestId, b.phone, 'vi', { ip: '10.9.9.9' });
    await assert.rejects(strict.sendCode(contestId, (await register()).phone, 'vi', { ip: '10.9.9.9' }), (e: AppError) => {
      assert.equal(e.code, 'contest_rate_limited');
      assert.ok(Number(e.params.seconds) > 3500, String(e.params.seconds));
      return true;
    });
    // Requests from one address for different participants at once cannot pass the cap together.
    const phones = await Promise.all(Array.from({ length: 6 }, async () => (await register()).phone));
    const results = await Promise.allSettled(phones.map((p) => strict.sendCode(contestId, p, 'vi', { ip: '10.9.9.8' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2, 'two codes an hour from this address');
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'contest_rate_limited');
  });

  test('a site-wide daily budget of codes: many addresses together cannot pass it; the refusal says when it frees', async () => {
    const dayAgo = new Date(Date.now() - 86_400_000);
    const sentToday = (
      await t.db
        .selectFrom('contest_recovery_code')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('created_at', '>', dayAgo)
        .executeTakeFirstOrThrow()
    ).n;
    const budget = Number(sentToday) + 2;
    const capped = new ContestRecovery(t.db, t.app.services.contestAdmin, true, 'localhost', { ...RECOVERY_RULES, perDaySite: budget });
    // Six participants from six addresses at once: only two more codes fit in the day.
    const phones = await Promise.all(Array.from({ length: 6 }, async () => (await register()).phone));
    const results = await Promise.allSettled(phones.map((p, i) => capped.sendCode(contestId, p, 'vi', { ip: `10.7.0.${i}` })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2, 'the budget holds under concurrency');
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'contest_recovery_budget_spent');
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const seconds = Number((refused.reason as AppError).params.seconds);
    assert.ok(seconds > 0 && seconds <= 86_400, String(seconds));

    // Over HTTP: 503 (the site's limit, not the client's doing), when it frees, in the visitor's language.
    const spent = await testApp({ contestFairness: { ...t.app.config.contestFairness, recoverySmsPerDay: 1 } });
    try {
      const { id } = await openContest(spent);
      const ask = async (phone: string) => {
        const reg = await spent.app.inject({
          method: 'POST',
          url: `/api/v1/contest/contests/${id}/participants`,
          payload: { name: 'Lê Thị Hoa', phone, unitCode: UNITS.quangTrung },
        });
        assert.equal(reg.statusCode, 201, reg.body);
        return spent.app.inject({
          method: 'POST',
          url: `/api/v1/contest/contests/${id}/recovery`,
          headers: { 'accept-language': 'vi' },
          payload: { phone },
        });
      };
      assert.equal((await ask('0930009998')).statusCode, 202, 'the one code of the day');
      const r = await ask('0930009999');
      assert.deepEqual(code(r), [503, 'contest_recovery_budget_spent']);
      assert.ok(Number(r.headers['retry-after']) > 86_000, String(r.headers['retry-after']));
      assert.match(r.json().title, /Hôm nay hệ thống đã gửi hết số mã/);
      const b = new Browser(spent.app);
      await b.get(`/contest/${id}/recover`);
      const page = await b.postForm(`/contest/${id}/recover`, { phone: '0930009999' });
      assert.equal(page.statusCode, 503);
      assert.ok(Number(page.headers['retry-after']) > 0);
      assert.match(page.body, /đã gửi hết số mã/);
      assert.match(page.body, /name="phone"/, 'back to the phone number');
      assert.doesNotMatch(page.body, /name="code"/, 'no form for a code that was not sent');
    } finally {
      await spent.close();
    }
  });

  test(
    'a new code asked while the device verifies its last one: both finish (no deadlock on the participant row)',
    { skip: ENGINE === 'pglite' ? 'one connection: no second transaction to hold the lock' : false },
    async () => {
      const { phone } = await register();
      const device = await send(phone);
      const p = await t.db
        .selectFrom('contest_participant')
        .select('id')
        .where('phone_hash', '=', pii().hash('phone', phone))
        .where('contest_id', '=', contestId)
        .executeTakeFirstOrThrow();
      let resend: Promise<unknown> | undefined;
      // What verify does: the device's code row locked, then a token written for the participant.
      await t.db.transaction().execute(async (trx) => {
        await trx.selectFrom('contest_recovery_code').select('id').where('participant_id', '=', p.id).forUpdate().execute();
        // Meanwhile a new code for the same device: it locks the participant, then waits for the code row.
        resend = svc().sendCode(contestId, phone, 'vi', { ip: '10.8.0.1', device }, new Date(Date.now() + 61_000));
        await new Promise((r) => setTimeout(r, 300));
        await trx
          .insertInto('contest_participant_token')
          .values({ token_hash: sha256(`deadlock-${p.id}`), participant_id: p.id })
          .execute();
      });
      await resend;
    },
  );

  test('bad input gets a clear refusal', async () => {
    const { phone } = await register();
    const sendRaw = (body: object, id = contestId) => api(`/contests/${id}/recovery`, {}, body);
    assert.deepEqual(code(await sendRaw({ phone: '12345' })), [400, 'invalid_phone']);
    assert.deepEqual(code(await sendRaw({ phone: '0399999999' })), [404, 'contest_recovery_not_registered']);
    assert.deepEqual(code(await sendRaw({ phone }, 999_999)), [404, 'contest_not_found']);
    assert.equal((await sendRaw({ phone, extra: 1 })).statusCode, 400);
    assert.equal((await sendRaw({})).statusCode, 400);
    const device = 'D'.repeat(32);
    assert.deepEqual(code(await verify(phone, 'abcdef', device)), [400, 'contest_recovery_code_format']);
    assert.deepEqual(code(await verify(phone, '12345', device)), [400, 'contest_recovery_code_format']);
    assert.deepEqual(code(await verify(phone, '123456', device)), [410, 'contest_recovery_code_expired'], 'no code was asked for');
    assert.deepEqual(code(await verify(phone, '123456', 'short')), [410, 'contest_recovery_code_expired']);
    assert.equal((await verify(phone, '123456', 'x'.repeat(65))).statusCode, 400);
    // Verifying tells nothing about whether a phone took part.
    assert.deepEqual(code(await verify('0399999999', '123456', device)), [410, 'contest_recovery_code_expired']);
    // The API takes JSON only, so a form on another site cannot make browsers ask for codes.
    const form = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contestId}/recovery`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `phone=${phone}`,
    });
    assert.deepEqual(code(form), [415, 'unsupported_media_type']);
    const en = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contestId}/recovery`,
      headers: { 'accept-language': 'en' },
      payload: { phone: '0399999999' },
    });
    assert.match(en.json().title, /has not registered/);
  });

  test('without an SMS carrier, recovery is refused as unavailable', async () => {
    const off = await testApp({ smsProvider: 'none' });
    try {
      const r = await off.app.inject({
        method: 'POST',
        url: `/api/v1/contest/contests/${contestId}/recovery`,
        payload: { phone: '0912345678' },
      });
      assert.deepEqual(code(r), [404, 'contest_recovery_unavailable']);
      const page = await off.app.inject({ method: 'GET', url: `/contest/${contestId}/recover` });
      assert.equal(page.statusCode, 404);
      assert.match(page.body, /chưa gửi được tin nhắn/);
      const b = new Browser(off.app);
      await b.get('/login'); // any page with a form, for the CSRF token
      const post = await b.postForm(`/contest/${contestId}/recover`, { phone: '0912345678' });
      assert.equal(post.statusCode, 404, post.body.slice(0, 200));
      assert.doesNotMatch(post.body, /name="code"/, 'no form to type a code into');
    } finally {
      await off.close();
    }
    // A budget of no SMS a day is the same as no carrier.
    const none = await testApp({ contestFairness: { ...t.app.config.contestFairness, recoverySmsPerDay: 0 } });
    try {
      const r = await none.app.inject({
        method: 'POST',
        url: `/api/v1/contest/contests/${contestId}/recovery`,
        payload: { phone: '0912345678' },
      });
      assert.deepEqual(code(r), [404, 'contest_recovery_unavailable']);
    } finally {
      await none.close();
    }
  });

  test('recovery is offered only where a code reaches a phone', () => {
    const esms = { url: 'http://127.0.0.1:1/', apiKey: 'k', secretKey: 's', brandname: 'MOTCUA', sandbox: false };
    assert.equal(recoveryDeliverable({ env: 'development', smsProvider: 'sandbox', esms: null }), true);
    assert.equal(recoveryDeliverable({ env: 'test', smsProvider: 'sandbox', esms: null }), true);
    assert.equal(recoveryDeliverable({ env: 'production', smsProvider: 'sandbox', esms: null }), false, 'the sandbox only logs the code');
    assert.equal(recoveryDeliverable({ env: 'development', smsProvider: 'none', esms: null }), false);
    assert.equal(recoveryDeliverable({ env: 'production', smsProvider: 'esms', esms }), true, 'a carrier delivers');
    assert.equal(
      recoveryDeliverable({ env: 'production', smsProvider: 'esms', esms: { ...esms, sandbox: true } }),
      false,
      'eSMS in its test mode delivers nothing',
    );
  });
});
