import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Auth } from './fixtures.js';
import { ContestRateLimiter } from '../../src/modules/contest/contest.ratelimit.js';

const base = loadConfig({ NODE_ENV: 'test' }).contestFairness;
const fairness = {
  ...base,
  windowSeconds: 600,
  perIp: { register: 8, start: 1000, answer: 1000, submit: 1000, recover: 1000 },
  perPhone: { register: 2, start: 3, answer: 2, submit: 1, recover: 2 },
};

describe(`contest rate limits per IP and per phone (${ENGINE})`, () => {
  let t: TestApp;
  let contestId: number;
  let roundId: number;
  let phoneSeq = 0;

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object, remoteAddress = '10.9.9.9') =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, remoteAddress, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  const register = async (ip: string) => {
    const r = await api(
      'POST',
      `/contests/${contestId}/participants`,
      {},
      { name: 'Trần Văn Bình', phone: `09500000${String(++phoneSeq).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
      ip,
    );
    assert.equal(r.statusCode, 201, r.body);
    return { who: { 'x-contest-token': r.json().token as string } };
  };

  before(async () => {
    t = await testApp({ contestFairness: fairness });
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    const c = await api('POST', '/contests', admin, {
      title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' },
    });
    contestId = c.json().id;
    const p = await api('POST', `/contests/${contestId}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    await buildBank(t, admin, p.json().id, 1);
    const r = await api('POST', `/contests/${contestId}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 1,
      timeLimitSeconds: 600,
    });
    roundId = r.json().id;
    assert.equal((await api('POST', `/rounds/${roundId}/publish`, admin)).statusCode, 200);
  });
  after(async () => t?.close());

  test('registrations over the per-IP limit: 429 contest_rate_limited, localized, with Retry-After; other addresses unaffected', async () => {
    const ip = '10.5.5.5';
    for (let i = 0; i < 8; i++) await register(ip);
    const over = await api(
      'POST',
      `/contests/${contestId}/participants`,
      { 'accept-language': 'en' },
      { name: 'Lê Văn C', phone: '0939999999', unitCode: UNITS.quangTrung },
      ip,
    );
    assert.deepEqual(code(over), [429, 'contest_rate_limited']);
    const wait = Number(over.headers['retry-after']);
    assert.ok(wait > 0 && wait <= 600, `Retry-After ${over.headers['retry-after']}`);
    assert.equal(over.json().title, `Too many requests. Please try again in ${wait} seconds.`);
    const vi = await api(
      'POST',
      `/contests/${contestId}/participants`,
      {},
      { name: 'Lê Văn C', phone: '0939999999', unitCode: UNITS.quangTrung },
      ip,
    );
    assert.match(vi.json().title, /^Có quá nhiều yêu cầu trong một lúc\. Ông\/Bà/);
    // Without TRUST_PROXY a forwarded-for header is the client's say-so, not its address.
    const spoofed = await api(
      'POST',
      `/contests/${contestId}/participants`,
      { 'x-forwarded-for': '10.7.7.7' },
      { name: 'Lê Văn C', phone: '0939999999', unitCode: UNITS.quangTrung },
      ip,
    );
    assert.deepEqual(code(spoofed), [429, 'contest_rate_limited']);
    await register('10.5.5.6');
  });

  test('per phone: a second registration is contest_phone_taken, the next ones 429; starts per participant likewise', async () => {
    const body = { name: 'Phạm Thị D', phone: '0938888888', unitCode: UNITS.quangTrung };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(code(await api('POST', `/contests/${contestId}/participants`, {}, body, `10.6.0.${i + 1}`)));
    assert.deepEqual(statuses, [
      [201, undefined],
      [409, 'contest_phone_taken'],
      [429, 'contest_rate_limited'],
    ]);
    const { who } = await register('10.6.1.1');
    const starts = [];
    for (let i = 0; i < 4; i++) starts.push((await api('POST', `/rounds/${roundId}/start`, who, undefined, `10.6.2.${i + 1}`)).statusCode);
    assert.deepEqual(starts, [201, 200, 200, 429]);
  });

  test('answers and submissions per participant: 429 over the limit, before the request is handled', async () => {
    const { who } = await register('10.8.0.1');
    const e = (await api('POST', `/rounds/${roundId}/start`, who, undefined, '10.8.0.1')).json();
    const q = e.questions[0];
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(code(await api('POST', `/entries/${e.entryId}/answers`, who, { questionId: q.id, chosen: [q.options[i].id] })));
    assert.deepEqual(
      answers.map(([s]) => s),
      [200, 200, 429],
    );
    assert.equal(answers[2]![1], 'contest_rate_limited');
    assert.equal((await api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 1 })).statusCode, 200);
    const again = await api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 1 });
    assert.deepEqual(code(again), [429, 'contest_rate_limited']);
    assert.ok(Number(again.headers['retry-after']) > 0);
  });

  test('a participant with a second token (another device) shares one window; recovery codes count per phone', async () => {
    const { who } = await register('10.10.0.1');
    const phone = `09500000${String(phoneSeq).padStart(2, '0')}`;
    const sent = await api('POST', `/contests/${contestId}/recovery`, {}, { phone }, '10.10.0.2');
    assert.equal(sent.statusCode, 202, sent.body);
    const job = await t.db.selectFrom('job').select('payload').where('queue', '=', 'sms').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const smsCode = /\b(\d{6})\b/.exec((job.payload as { text: string }).text)![1]!;
    const verified = await api(
      'POST',
      `/contests/${contestId}/recovery/verify`,
      {},
      { phone, code: smsCode, device: sent.json().device },
      '10.10.0.2',
    );
    assert.equal(verified.statusCode, 200, verified.body);
    // Both recovery requests used the phone's window (2): a third is refused before any SMS.
    assert.deepEqual(code(await api('POST', `/contests/${contestId}/recovery`, {}, { phone }, '10.10.0.3')), [429, 'contest_rate_limited']);
    // The page says so in place, the form kept, politely.
    const b = new Browser(t.app);
    await b.get('/login'); // any page with a form, for the CSRF token
    const page = await b.postForm(`/contest/${contestId}/recover`, { phone });
    assert.equal(page.statusCode, 429, page.body.slice(0, 300));
    assert.ok(Number(page.headers['retry-after']) > 0);
    assert.match(page.body, /name="phone"/, 'the form stays');
    assert.match(page.body, /Có quá nhiều yêu cầu trong một lúc\. Ông\/Bà vui lòng thử lại sau \d+ giây\./);
    const second = { 'x-contest-token': verified.json().token as string };
    const starts = [];
    for (const [auth, ip] of [
      [who, '10.10.1.1'],
      [second, '10.10.1.2'],
      [who, '10.10.1.3'],
      [second, '10.10.1.4'],
    ] as const)
      starts.push((await api('POST', `/rounds/${roundId}/start`, auth, undefined, ip)).statusCode);
    assert.deepEqual(starts, [201, 200, 200, 429], 'three starts per participant, whichever device');
  });

  test('concurrent requests are counted together and exactly: one participant starting 12 times at once gets 3 through', async () => {
    const { who } = await register('10.11.0.1');
    const r = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api('POST', `/rounds/${roundId}/start`, who, undefined, `10.11.1.${i}`)),
    );
    const statuses = r.map((x) => x.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 201, ...Array(9).fill(429)]);
    const row = await t.db
      .selectFrom('contest_rate_window')
      .select(['hits'])
      .where('scope', '=', 'start:phone')
      .where('window_start', '>', new Date(Date.now() - 600_000))
      .orderBy('hits', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.hits, 12, 'every request counted, refused ones too');
  });

  test('the limiter alone: a batch adds each key once per request, in order, across keys; a spent window starts again', async () => {
    const limiter = new ContestRateLimiter(t.db, 1);
    const scope = `test:${Date.now()}`;
    const hits = (key: string, n: number, limit: number) =>
      Array.from({ length: n }, () =>
        limiter.hit([
          { scope, key, limit },
          { scope: `${scope}:all`, key: 'x', limit: 100 },
        ]),
      );
    const waits = await Promise.all([...hits('a', 5, 3), ...hits('b', 2, 3)]);
    assert.deepEqual(
      waits.map((w) => w > 0),
      [false, false, false, true, true, false, false],
    );
    assert.ok(waits.every((w) => w <= 1));
    const counts = await t.db
      .selectFrom('contest_rate_window')
      .select(['key', 'hits'])
      .where('scope', 'like', `${scope}%`)
      .orderBy('key')
      .execute();
    assert.deepEqual(counts, [
      { key: 'a', hits: 5 },
      { key: 'b', hits: 2 },
      { key: 'x', hits: 7 },
    ]);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(await limiter.hit([{ scope, key: 'a', limit: 3 }]), 0, 'a new window after the old one ended');
    assert.deepEqual(await limiter.hit([]), 0);
  });

  test('windows unused for a day are purged beside the counting', async () => {
    const scope = `old:${Date.now()}`;
    await t.db
      .insertInto('contest_rate_window')
      .values({ scope, key: 'k', window_start: new Date(Date.now() - 25 * 3600_000), hits: 3 })
      .execute();
    assert.equal(await new ContestRateLimiter(t.db, 60).hit([{ scope: `${scope}:new`, key: 'k', limit: 1 }]), 0);
    const left = async () => (await t.db.selectFrom('contest_rate_window').select('key').where('scope', '=', scope).execute()).length;
    for (let i = 0; i < 50 && (await left()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await left(), 0);
  });

  test('limits come from the environment and switch off for load tests', () => {
    const c = loadConfig({
      NODE_ENV: 'test',
      CONTEST_RATE_LIMIT: 'off',
      CONTEST_RATE_IP: '5000',
      CONTEST_RATE_PHONE_ANSWERS: '7',
    }).contestFairness;
    assert.equal(c.rateLimit, false);
    assert.deepEqual(c.perIp, { register: 5000, start: 5000, answer: 6000, submit: 5000, recover: 5000 });
    assert.equal(c.perPhone.answer, 7);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', CONTEST_RATE_LIMIT: 'maybe' }), /CONTEST_RATE_LIMIT/);
  });
});
