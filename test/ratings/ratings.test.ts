import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Browser, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { receivedDossier, tokens } from '../helpers/processing.js';
import { returnedDossier } from '../helpers/ratings.js';

const CHECK = '5678';

describe(`satisfaction with a returned dossier (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const rate = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/ratings', payload: body });

  test('rated once with the code and second factor, changeable for 7 days, then locked', async () => {
    const { id, code } = await returnedDossier(t, tok);
    // The invitation goes out when the result is returned, with the public lookup (no login needed).
    const invite = await t.db
      .selectFrom('notification')
      .select('body')
      .where('dossier_id', '=', id)
      .where('template', '=', 'dossier.rate_invite')
      .executeTakeFirst();
    assert.ok(invite?.body.includes(`/lookup?code=${encodeURIComponent(code)}`), invite?.body);
    let r = await rate({ code, check: CHECK, overall: 'satisfied', criteria: { attitude: 2, total_time: 1 }, comment: 'Nhanh' });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().criteria, { total_time: 1, attitude: 2 });
    r = await rate({ code, check: CHECK, overall: 'very_satisfied' });
    assert.equal(r.statusCode, 200, r.body);
    const rows = await t.db.selectFrom('dossier_rating').selectAll().where('dossier_id', '=', id).execute();
    assert.equal(rows.length, 1, 'one rating per dossier');
    assert.equal(rows[0]!.overall, 'very_satisfied');
    assert.ok(rows[0]!.officer_id, 'the officer who worked it is kept for the leaders');
    await sql`update dossier_rating set rated_at = rated_at - interval '8 days' where dossier_id = ${id}`.execute(t.db);
    r = await rate({ code, check: CHECK, overall: 'not_satisfied' });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'rating_locked');
  });

  test('a dossier not returned yet cannot be rated; a wrong factor is the lookup failure; bad input is 400', async () => {
    const { code } = await receivedDossier(t, tok);
    let r = await rate({ code, check: CHECK, overall: 'satisfied' });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'rating_not_open');
    r = await rate({ code, check: '0000', overall: 'satisfied' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'lookup_failed');
    for (const bad of [
      { code, check: CHECK, overall: 'happy' },
      { code, check: CHECK, overall: 'satisfied', criteria: { attitude: 3 } },
      { code, check: CHECK, overall: 'satisfied', criteria: { mood: 1 } },
      { code, check: CHECK, overall: 'satisfied', comment: 'x'.repeat(2001) },
      { code, check: CHECK },
    ]) {
      r = await rate(bad);
      assert.equal(r.statusCode, 400, JSON.stringify(bad).slice(0, 80));
      assert.equal(r.json().code, 'validation_failed');
    }
  });

  test('"not satisfied" tells the unit\'s leaders and opens a follow-up they close; figures per unit, per officer for leaders only', async () => {
    const { id, code } = await returnedDossier(t, tok);
    const r = await rate({ code, check: CHECK, overall: 'not_satisfied', comment: 'Phải đi lại ba lần' });
    assert.equal(r.statusCode, 200, r.body);
    const leader = await t.db
      .selectFrom('account_identifier')
      .select('account_id')
      .where('identifier', '=', 'leader.quangtrung@demo.motcua.vn')
      .executeTakeFirst();
    const inbox = await t.db
      .selectFrom('notification')
      .select(['template', 'account_id'])
      .where('dossier_id', '=', id)
      .where('template', '=', 'rating.not_satisfied')
      .execute();
    assert.ok(inbox.length >= 1);
    if (leader) assert.ok(inbox.some((n) => n.account_id === leader.account_id));
    const list = await t.app.inject({ url: '/api/v1/follow-ups', headers: tok.leaderQuangTrung });
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(list.json().some((x: { code: string }) => x.code === code));
    assert.equal((await t.app.inject({ url: '/api/v1/follow-ups', headers: tok.specialistQuangTrung })).statusCode, 403);
    const close = (auth: Record<string, string>, note: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/follow-ups/${id}/close`, headers: auth, payload: { note } });
    assert.equal((await close(tok.leaderQuangTrung, '')).statusCode, 400);
    assert.equal((await close(tok.leaderQuangTrung, 'Đã gọi điện xin lỗi người dân')).statusCode, 204);
    assert.equal((await close(tok.leaderQuangTrung, 'again')).json().code, 'follow_up_not_found');

    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const figures = await t.app.inject({ url: `/api/v1/reports/satisfaction?unit=000.13.42.H26&from=${today}&to=${today}` });
    assert.equal(figures.statusCode, 200, figures.body);
    assert.ok(figures.json().ratings >= 1);
    assert.ok(figures.json().notSatisfied >= 1);
    const officers = `/api/v1/reports/satisfaction/officers?unit=000.13.42.H26&from=${today}&to=${today}`;
    assert.equal((await t.app.inject({ url: officers, headers: tok.leaderQuangTrung })).statusCode, 200);
    assert.equal((await t.app.inject({ url: officers, headers: tok.specialistQuangTrung })).statusCode, 403);
    assert.equal((await t.app.inject({ url: officers })).statusCode, 401);
  });

  test('the form works without JavaScript from the tracking page', async () => {
    const { code } = await returnedDossier(t, tok);
    const b = new Browser(t.app);
    const lookup = await b.get(`/lookup?code=${code}&check=${CHECK}`);
    assert.match(lookup.body, /href="\/rate\?code=/);
    const form = await b.get(`/rate?code=${code}&check=${CHECK}`);
    assert.equal(form.statusCode, 200);
    const saved = await b.postForm('/rate', { code, check: CHECK, overall: 'satisfied', 'c.attitude': '2', 'c.contacts': '', comment: '' });
    assert.equal(saved.statusCode, 303, saved.body);
    const after = await b.get(saved.headers.location as string);
    assert.match(after.body, /role="status"/);
    const missing = await b.postForm('/rate', { code, check: CHECK });
    assert.equal(missing.statusCode, 400);
    // The unit's public page shows the satisfaction figures of the period.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const stats = await b.get(`/statistics?unit=000.13.42.H26&from=${today}&to=${today}`);
    assert.equal(stats.statusCode, 200);
    const figures = (await t.app.inject({ url: `/api/v1/reports/satisfaction?unit=000.13.42.H26&from=${today}&to=${today}` })).json();
    assert.match(
      stats.body,
      new RegExp(
        `id="sat-rate"><th scope="row">[^<]+</th><td class="num">${new Intl.NumberFormat('vi-VN').format(figures.satisfiedRate)}<`,
      ),
    );
  });
});
