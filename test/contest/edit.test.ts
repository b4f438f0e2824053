import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearerFor, Browser, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { hours, type Auth } from './fixtures.js';
import { publishedRound } from './play-helpers.js';

// Corrections by the city admin: names at any time, a round only while it is a draft; each audited.

describe(`contest corrections: rename, change or delete a draft round, add a question by form (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let published: Awaited<ReturnType<typeof publishedRound>>;
  let poolId: number;

  const api = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Auth = admin) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  const audit = async (action: string) =>
    (await t.db.selectFrom('audit_event').select(['entity_id', 'before']).where('action', '=', action).orderBy('id', 'desc').execute()).map(
      (a) => ({ entity_id: a.entity_id, before: a.before as Record<string, unknown> }),
    );
  const draftRound = async () => {
    const r = await api('POST', `/contests/${published.contestId}/rounds`, {
      opensAt: hours(24),
      closesAt: hours(48),
      questionCount: 2,
      timeLimitSeconds: 300,
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as number;
  };

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    published = await publishedRound(t, admin);
    poolId = (await t.db.selectFrom('contest_pool').select('id').where('contest_id', '=', published.contestId).executeTakeFirstOrThrow())
      .id;
  });
  after(async () => t?.close());

  test('API: a contest and a pool are renamed, audited with the old names', async () => {
    const r = await api('PATCH', `/contests/${published.contestId}`, { title: { vi: ' Cuộc thi mới ', en: 'New contest' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().title, { vi: 'Cuộc thi mới', en: 'New contest' });
    assert.equal((await audit('contest.rename'))[0]!.before.title_vi, 'Tìm hiểu dịch vụ công trực tuyến');
    const p = await api('PATCH', `/pools/${poolId}`, { name: { vi: 'Tư pháp - hộ tịch', en: 'Justice and civil status' } });
    assert.equal(p.statusCode, 200, p.body);
    assert.equal(p.json().name.vi, 'Tư pháp - hộ tịch');
    assert.equal((await audit('contest.pool.rename'))[0]!.before.name_vi, 'Tư pháp');
    assert.deepEqual(code(await api('PATCH', '/contests/999999', { title: { vi: 'a', en: 'b' } })), [404, 'contest_not_found']);
    assert.deepEqual(code(await api('PATCH', '/pools/999999', { name: { vi: 'a', en: 'b' } })), [404, 'contest_pool_not_found']);
    assert.deepEqual(code(await api('PATCH', `/pools/${poolId}`, { name: { vi: '', en: 'b' } })), [400, 'validation_failed']);
    // Spaces only would be stored empty once trimmed (it was a 500 on creation).
    assert.deepEqual(code(await api('PATCH', `/pools/${poolId}`, { name: { vi: '  ', en: 'b' } })), [400, 'validation_failed']);
    assert.deepEqual(code(await api('POST', '/contests', { title: { vi: ' ', en: ' ' } })), [400, 'validation_failed']);
    const leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    assert.deepEqual(code(await api('PATCH', `/contests/${published.contestId}`, { title: { vi: 'a', en: 'b' } }, leader)), [
      403,
      'forbidden',
    ]);
  });

  test('API: a draft round is changed and deleted; a published one refuses both; bad windows are refused', async () => {
    const id = await draftRound();
    const body = { opensAt: hours(30), closesAt: hours(60), questionCount: 3, timeLimitSeconds: 600 };
    const u = await api('PUT', `/rounds/${id}`, body);
    assert.equal(u.statusCode, 200, u.body);
    assert.equal(u.json().questionCount, 3);
    assert.equal(u.json().timeLimitSeconds, 600);
    assert.equal((await audit('contest.round.update'))[0]!.before.questionCount, 2);
    assert.deepEqual(code(await api('PUT', `/rounds/${id}`, { ...body, closesAt: hours(10) })), [400, 'contest_round_window_invalid']);
    assert.deepEqual(code(await api('PUT', `/rounds/${id}`, { ...body, questionCount: 0 })), [400, 'validation_failed']);
    assert.deepEqual(code(await api('PUT', `/rounds/${published.roundId}`, body)), [409, 'contest_round_not_draft']);
    assert.deepEqual(code(await api('DELETE', `/rounds/${published.roundId}`)), [409, 'contest_round_not_draft']);
    assert.deepEqual(code(await api('DELETE', '/rounds/999999')), [404, 'contest_round_not_found']);
    assert.equal((await api('DELETE', `/rounds/${id}`)).statusCode, 204);
    assert.equal(await t.db.selectFrom('contest_round').select('id').where('id', '=', id).executeTakeFirst(), undefined);
    assert.equal((await audit('contest.round.delete'))[0]!.entity_id, String(id));
    assert.deepEqual(code(await api('DELETE', `/rounds/${id}`)), [404, 'contest_round_not_found']);
  });

  test('pages: rename, change and delete a draft round, add a question; bad input shown in place with the values kept', async () => {
    const b = await new Browser(t.app).login(DEMO.cityAdmin);
    const base = `/admin/contest/${published.contestId}`;
    const id = await draftRound();
    const page = await b.get(base);
    for (const href of [`${base}/edit`, `${base}/pools/${poolId}/edit`, `${base}/rounds/${id}/edit`, `${base}/questions/new`]) {
      assert.ok(page.body.includes(`href="${href}"`), href);
    }
    assert.ok(!page.body.includes(`href="${base}/rounds/${published.roundId}/edit"`), 'no change link on a published round');

    assert.equal((await b.get(`${base}/edit`)).statusCode, 200);
    const blank = await b.postForm(`${base}/edit`, { nameVi: '', nameEn: 'Kept' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /value="Kept"/);
    const renamed = await b.postForm(`${base}/edit`, { nameVi: 'Hội thi 2026', nameEn: 'Contest 2026' });
    assert.equal(renamed.statusCode, 303);
    assert.match(
      (await b.get(renamed.headers.location!)).body,
      /Đã đổi tên cuộc thi[\s\S]*Hội thi 2026|Hội thi 2026[\s\S]*Đã đổi tên cuộc thi/,
    );
    const pool = await b.postForm(`${base}/pools/${poolId}/edit`, { nameVi: 'Nhóm A', nameEn: 'Pool A' });
    assert.equal(pool.statusCode, 303);
    assert.equal((await b.get(`${base}/pools/999999/edit`)).statusCode, 404);

    const form = await b.get(`${base}/rounds/${id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="questionCount"[^>]*value="2"|value="2"[^>]*name="questionCount"/);
    const late = await b.postForm(`${base}/rounds/${id}/edit`, {
      opensAt: '2026-01-02T08:00',
      closesAt: '2026-01-01T08:00',
      questionCount: '7',
      minutes: '15',
    });
    assert.equal(late.statusCode, 400);
    assert.match(late.body, /value="7"/);
    const saved = await b.postForm(`${base}/rounds/${id}/edit`, {
      opensAt: '2099-01-01T08:00',
      closesAt: '2099-01-02T08:00',
      questionCount: '3',
      minutes: '15',
    });
    assert.equal(saved.statusCode, 303);
    const row = await t.db.selectFrom('contest_round').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.time_limit_seconds, 900);
    assert.equal(row.opens_at.toISOString(), '2099-01-01T01:00:00.000Z', 'Vietnam time');
    assert.equal((await b.get(`${base}/rounds/${published.roundId}/edit`)).statusCode, 303, 'a published round has no form');
    const refused = await b.postForm(`${base}/rounds/${published.roundId}/delete`, {});
    assert.equal(refused.statusCode, 409);
    const deleted = await b.postForm(`${base}/rounds/${id}/delete`, {});
    assert.equal(deleted.statusCode, 303);
    assert.match((await b.get(deleted.headers.location!)).body, /Đã xóa đợt thi nháp/);

    assert.equal((await b.get(`${base}/questions/new?pool=${poolId}`)).statusCode, 200);
    const question = {
      pool: String(poolId),
      kind: 'single',
      difficulty: '2',
      textVi: 'Nộp hồ sơ trực tuyến mức độ 4 có thanh toán trực tuyến không?',
      textEn: 'Does a level 4 online submission include online payment?',
      option1Vi: 'Có',
      option1En: 'Yes',
      option1Correct: '1',
      option2Vi: 'Không',
      option2En: 'No',
      explanationVi: 'Mức độ 4 có thanh toán trực tuyến.',
      explanationEn: 'Level 4 includes online payment.',
    };
    const noKey = await b.postForm(`${base}/questions/new`, { ...question, option1Correct: '' });
    assert.equal(noKey.statusCode, 400);
    assert.ok(noKey.body.includes(question.textVi), 'the text is kept');
    const added = await b.postForm(`${base}/questions/new`, question);
    assert.equal(added.statusCode, 303, added.body);
    const q = await t.db.selectFrom('contest_question').selectAll().where('text_vi', '=', question.textVi).executeTakeFirstOrThrow();
    assert.equal(q.status, 'active');
    assert.equal(q.pool_id, poolId);
    assert.equal((await b.postForm(`${base}/questions/new`, { ...question, pool: '999999' })).statusCode, 404);
    const leader = await new Browser(t.app).login(DEMO.leaderQuangTrung);
    assert.equal((await leader.get(`${base}/questions/new`)).statusCode, 403);
  });
});
