import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STATUS } from '../../src/domain/dossier/status.js';
import { drawSample, groupApplicants } from '../../src/domain/surveys/sampling.js';
import { monthsBefore } from '../../src/modules/surveys/surveys.service.js';
import { testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { returnedDossier } from '../helpers/ratings.js';
import { cloneDossier, fullAnswers, mark, surveyLinks } from './fixtures.js';

type Tok = Awaited<ReturnType<typeof tokens>>;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe(`satisfaction surveys (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Tok;
  let citizenId: number;
  let surveyId: number;
  /** Tokens of the first survey: the citizen's (by account) and the others' (by phone). */
  let links: Awaited<ReturnType<typeof surveyLinks>>;

  const post = (url: string, auth: Record<string, string>, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: auth, ...(payload ? { payload } : {}) });
  const create = (over: Record<string, unknown> = {}, auth = tok.cityAdmin) =>
    post('/api/v1/surveys', auth, {
      title: 'Khảo sát SIPAS 2026',
      sampleMode: 'per_unit',
      sampleSize: 100,
      opensAt: inDays(-1),
      closesAt: inDays(30),
      ...over,
    });
  const respond = (token: string, answers: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/survey-responses', payload: { token, answers } });

  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
    const { id } = await returnedDossier(t, tok);
    const d = await t.db.selectFrom('dossier').select(['owner_id']).where('id', '=', id).executeTakeFirstOrThrow();
    citizenId = d.owner_id!;
    const vanQuan = await t.db.selectFrom('unit').select('id').where('code', '=', UNITS.vanQuan).executeTakeFirstOrThrow();
    // The citizen again (same phone and account): still one invitation.
    await cloneDossier(t, id, { phone: '0912345678', ownerId: citizenId });
    for (let i = 1; i <= 6; i++) await cloneDossier(t, id, { phone: `090000000${i}` });
    for (const p of ['0900000011', '0900000012']) await cloneDossier(t, id, { phone: p, unitId: vanQuan.id });
    // Not eligible: returned 13 months ago; not returned at all.
    await cloneDossier(t, id, { phone: '0900000099', returnedAt: monthsBefore(new Date(), 13) });
    await cloneDossier(t, id, { phone: '0900000098', status: STATUS.processing });
  });
  after(async () => t?.close());

  test('only the city admin runs surveys: 403 for a ward leader and a citizen, 401 without login', async () => {
    assert.equal((await create({}, tok.leaderQuangTrung)).json().code, 'forbidden');
    assert.equal((await create({}, tok.citizen)).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/surveys' })).statusCode, 401);
    const q = await t.app.inject({ url: '/api/v1/surveys/questionnaire', headers: tok.cityAdmin });
    assert.equal(q.statusCode, 200);
    assert.equal(q.json().factors.length, 5);
  });

  test('bad drafts: sample size 0, negative or too big; closing before opening or in the past; unknown unit', async () => {
    for (const sampleSize of [0, -3, 20_001]) {
      const r = await create({ sampleSize });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().code, 'survey_sample_size_invalid');
    }
    assert.equal((await create({ opensAt: inDays(5), closesAt: inDays(2) })).json().code, 'survey_window_invalid');
    assert.equal((await create({ opensAt: inDays(-5), closesAt: inDays(-2) })).json().code, 'survey_window_invalid');
    const unit = await create({ units: ['000.99.99.H26'] });
    assert.equal(unit.statusCode, 404);
    assert.equal(unit.json().code, 'unit_not_found');
    assert.equal((await create({ sampleSize: 'ten' })).json().code, 'validation_failed');
  });

  test('launch: one invitation per applicant who got a result in the last 12 months, per unit, with a link in their messages', async () => {
    const c = await create();
    assert.equal(c.statusCode, 201, c.body);
    assert.equal(c.json().phase, 'draft');
    surveyId = c.json().id;
    const before = await mark(t);
    const l = await post(`/api/v1/surveys/${surveyId}/launch`, tok.cityAdmin);
    assert.equal(l.statusCode, 200, l.body);
    assert.equal(l.json().phase, 'open');
    assert.equal(l.json().population, 9);
    assert.equal(l.json().invited, 9);
    assert.match(l.json().seed, /^[0-9a-f]{64}$/);
    const inv = await t.db
      .selectFrom('survey_invitation as i')
      .innerJoin('unit as u', 'u.id', 'i.unit_id')
      .select(['u.code'])
      .where('survey_id', '=', surveyId)
      .execute();
    assert.equal(inv.filter((i) => i.code === UNITS.quangTrung).length, 7);
    assert.equal(inv.filter((i) => i.code === UNITS.vanQuan).length, 2);
    links = await surveyLinks(t, before);
    assert.ok(links.byAccount.get(citizenId), 'the citizen has the invitation in their inbox');
    assert.equal(links.byPhone.size, 9, 'an SMS to each phone, the citizen once');
    assert.ok(!links.byPhone.has('0900000099') && !links.byPhone.has('0900000098'));
    assert.equal((await post(`/api/v1/surveys/${surveyId}/launch`, tok.cityAdmin)).json().code, 'survey_not_draft');
  });

  test('the draw is reproducible from the stored seed; a total sample is shared among units', async () => {
    const c = await create({ sampleMode: 'total', sampleSize: 3, opensAt: inDays(1) });
    const id = c.json().id as number;
    const since = await mark(t);
    const l = await post(`/api/v1/surveys/${id}/launch`, tok.cityAdmin);
    assert.equal(l.json().phase, 'scheduled');
    assert.equal(l.json().invited, 3);
    const s = await t.db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const rows = await t.db
      .selectFrom('dossier')
      .select(['id', 'unit_id', 'returned_at', 'applicant_phone_hash', 'owner_id', 'applicant_citizen_id_hash'])
      .where('status', '=', STATUS.returned)
      .where('returned_at', '>=', s.eligible_from!)
      .where('returned_at', '<', s.launched_at!)
      .execute();
    const people = groupApplicants(
      rows.map((d) => ({
        dossierId: d.id,
        unitId: d.unit_id,
        returnedAt: d.returned_at!,
        phone: d.applicant_phone_hash,
        accountId: d.owner_id,
        citizenId: d.applicant_citizen_id_hash,
      })),
    );
    const again = drawSample(people, { mode: 'total', size: 3 }, s.seed!)
      .map((p) => p.dossierId)
      .sort();
    const stored = (await t.db.selectFrom('survey_invitation').select('dossier_id').where('survey_id', '=', id).execute())
      .map((r) => r.dossier_id)
      .sort();
    assert.deepEqual(stored, again);
    // Not open yet: answers wait for the opening.
    const early = await respond([...(await surveyLinks(t, since)).byPhone.values()][0]!, fullAnswers());
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().code, 'survey_not_open');
    // Closed before it opened: an empty window, answers refused as closed.
    const closed = await post(`/api/v1/surveys/${id}/close`, tok.cityAdmin);
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().closesAt, closed.json().opensAt);
    assert.equal((await respond([...(await surveyLinks(t, since)).byPhone.values()][0]!, fullAnswers())).json().code, 'survey_closed');
  });

  test('launching over units without returned dossiers is refused', async () => {
    const c = await create({ units: [UNITS.cauGiay] });
    assert.equal((await post(`/api/v1/surveys/${c.json().id}/launch`, tok.cityAdmin)).json().code, 'survey_no_applicants');
  });

  test('answering: bad token 404, missing or out-of-range answer 400, once only 409', async () => {
    const mine = links.byAccount.get(citizenId)!;
    const bad = await respond('not-a-real-token-at-all-xxxxxxxxxxxx', fullAnswers());
    assert.equal(bad.statusCode, 404);
    assert.equal(bad.json().code, 'survey_token_invalid');
    const { overall: _o, ...missing } = fullAnswers();
    const m = await respond(mine, missing);
    assert.equal(m.statusCode, 400);
    assert.equal(m.json().code, 'survey_answer_required');
    assert.equal(m.json().errors[0].field, 'overall');
    assert.equal((await respond(mine, { ...fullAnswers(), 'access.satisfaction': 7 })).json().code, 'survey_answer_out_of_range');
    assert.equal((await respond(mine, { ...fullAnswers(), nope: 1 })).json().code, 'survey_answer_unknown');
    const ok = await respond(mine, { ...fullAnswers(5), 'access.expectation': ['online'], comment: 'Nhanh gọn' });
    assert.equal(ok.statusCode, 201, ok.body);
    const twice = await respond(mine, fullAnswers());
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().code, 'survey_already_answered');
    // Four more at Quang Trung, one at Văn Quán.
    for (const p of ['0900000001', '0900000002', '0900000003'])
      assert.equal((await respond(links.byPhone.get(p)!, fullAnswers(4))).statusCode, 201);
    assert.equal((await respond(links.byPhone.get('0900000004')!, { ...fullAnswers(2), 'feedback.satisfaction': 1 })).statusCode, 201);
    assert.equal((await respond(links.byPhone.get('0900000011')!, fullAnswers(3))).statusCode, 201);
  });

  test('results for the admin: response rate, factor scores, the index; public results wait for the close', async () => {
    const r = await t.app.inject({ url: `/api/v1/surveys/${surveyId}/results`, headers: tok.cityAdmin });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.overall.invited, 9);
    assert.equal(body.overall.responded, 6);
    assert.equal(body.overall.responseRate, 66.67);
    const qt = body.units.find((u: { unit: { code: string } }) => u.unit.code === UNITS.quangTrung);
    assert.equal(qt.responded, 5);
    assert.equal(qt.factors[0].satisfaction.mean, 3.8);
    assert.equal(qt.factors[0].satisfaction.satisfiedShare, 80);
    assert.equal(qt.factors[0].expectations[0].key, 'online');
    assert.equal((await t.app.inject({ url: `/api/v1/surveys/${surveyId}/results`, headers: tok.adminHaDong })).statusCode, 403);
    const early = await t.app.inject({ url: `/api/v1/open-data/surveys/${surveyId}.json` });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().code, 'survey_not_closed');
  });

  test('closing early: answers refused after, open data with small units suppressed and no personal data, CSV', async () => {
    const c = await post(`/api/v1/surveys/${surveyId}/close`, tok.cityAdmin);
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().phase, 'closed');
    assert.equal((await post(`/api/v1/surveys/${surveyId}/close`, tok.cityAdmin)).json().code, 'survey_closed');
    const late = await respond(links.byPhone.get('0900000005')!, fullAnswers());
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().code, 'survey_closed');
    const od = await t.app.inject({ url: `/api/v1/open-data/surveys/${surveyId}.json` });
    assert.equal(od.statusCode, 200, od.body);
    const data = od.json();
    assert.equal(data.schemaVersion, 1);
    const row = (code: string) => data.rows.find((x: { unitCode: string }) => x.unitCode === code);
    assert.equal(row('all').responded, 6);
    assert.equal(row(UNITS.quangTrung).suppressed, false);
    assert.equal(row(UNITS.quangTrung).accessSatisfiedShare, 80);
    assert.equal(row(UNITS.vanQuan).suppressed, true);
    assert.equal(row(UNITS.vanQuan).sipasIndex, null);
    assert.equal(row(UNITS.vanQuan).responded, 1);
    assert.doesNotMatch(od.body, /0912345678|0900000|Nhanh gọn|Người dân/);
    const odCsv = await t.app.inject({ url: `/api/v1/open-data/surveys/${surveyId}.csv` });
    assert.equal(odCsv.statusCode, 200);
    assert.match(odCsv.body, new RegExp(`${UNITS.vanQuan.replace(/\./g, '\\.')},[^\r]*,2,1,50,true,,`));
    const csv = await t.app.inject({ url: `/api/v1/surveys/${surveyId}/results.csv`, headers: tok.cityAdmin });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^\uFEFFunitCode,unitNameVi,unitNameEn,invited,responded,responseRate,suppressed,sipasIndex/);
    assert.equal((await t.app.inject({ url: `/api/v1/open-data/surveys/99999.json` })).json().code, 'survey_not_found');
    assert.equal((await post(`/api/v1/surveys/99999/close`, tok.cityAdmin)).statusCode, 404);
  });
});
