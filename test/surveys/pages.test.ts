import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { returnedDossier } from '../helpers/ratings.js';
import { cloneDossier, mark, surveyLinks } from './fixtures.js';

/** The form fields of a complete answer: every required question, as a browser posts them. */
const FORM = {
  'access.satisfaction': '4',
  'procedure.satisfaction': '5',
  'civil_servant.satisfaction': '4',
  'result.satisfaction': '4',
  overall: '4',
  'access.a1': '5',
  'feedback.satisfaction': '',
};

describe(`survey pages without JavaScript (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Browser;
  let id: number;
  let token: string;

  before(async () => {
    t = await testApp();
    const { id: dossierId } = await returnedDossier(t, await tokens(t.app));
    await cloneDossier(t, dossierId, { phone: '0900000001' });
    admin = await new Browser(t.app).login(DEMO.cityAdmin);
  });
  after(async () => t?.close());

  test('a ward leader and a citizen get 403 on the admin pages; the public results of an unknown survey are a 404', async () => {
    const leader = await new Browser(t.app).login(DEMO.leaderQuangTrung);
    assert.equal((await leader.get('/admin/surveys')).statusCode, 403);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await citizen.get('/admin/surveys/preview')).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/statistics/surveys/999' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/survey/short' })).statusCode, 404);
  });

  test('the admin previews the questionnaire, a bad draft is shown again with its error, a good one is created and launched', async () => {
    const preview = await admin.get('/admin/surveys/preview');
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Tiếp cận dịch vụ/);
    assert.match(preview.body, /1001\/QĐ-BNV/);
    const page = await admin.get('/admin/surveys');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`value="${UNITS.quangTrung.replace(/\./g, '\\.')}"`));
    const fields = {
      title: 'Khảo sát quý IV',
      sampleMode: 'per_unit',
      sampleSize: '0',
      opensAt: '2026-01-01T08:00',
      closesAt: '2099-01-01T17:00',
    };
    const bad = await admin.postForm('/admin/surveys', fields);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Cỡ mẫu phải từ 1 đến 20\.000 người/);
    assert.match(bad.body, /value="Khảo sát quý IV"/);
    const window = await admin.postForm('/admin/surveys', { ...fields, sampleSize: '10', closesAt: '2025-12-01T08:00' });
    assert.equal(window.statusCode, 400);
    assert.match(window.body, /Thời gian đóng phải sau/);
    const ok = await admin.postForm('/admin/surveys', { ...fields, sampleSize: '10', units: UNITS.quangTrung });
    assert.equal(ok.statusCode, 303, ok.body);
    id = Number(/\/admin\/surveys\/(\d+)/.exec(ok.headers.location as string)![1]);
    const draft = await admin.get(ok.headers.location as string);
    assert.match(draft.body, /Đã tạo bản nháp/);
    const since = await mark(t);
    const launched = await admin.postForm(`/admin/surveys/${id}/launch`, {});
    assert.equal(launched.statusCode, 303);
    const shown = await admin.get(launched.headers.location as string);
    assert.match(shown.body, /Đã chọn mẫu và gửi 2 lời mời/);
    assert.match(shown.body, /data-phase="open"/);
    token = (await surveyLinks(t, since)).byPhone.get('0900000001')!;
    assert.ok(token);
  });

  test('the respondent answers on the page: a missing required answer is named, then the answer is recorded once', async () => {
    const b = new Browser(t.app);
    const form = await b.get(`/survey/${token}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Phiếu này hỏi về lần Ông\/Bà làm thủ tục/);
    const { overall: _o, ...missing } = FORM;
    const bad = await b.postForm(`/survey/${token}`, missing);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Xin Ông\/Bà trả lời các câu bắt buộc/);
    assert.match(bad.body, /href="#q-overall"/);
    assert.match(bad.body, /id="q-access-a1-5"[^>]*checked|checked[^>]*id="q-access-a1-5"/);
    const out = await b.postForm(`/survey/${token}`, { ...FORM, 'access.expectation': 'online' });
    assert.equal(out.statusCode, 303, out.body);
    assert.match((await b.get(out.headers.location as string)).body, /Phiếu của Ông\/Bà đã được ghi nhận/);
    const again = await b.postForm(`/survey/${token}`, FORM);
    assert.equal(again.statusCode, 409);
    assert.match((await b.get(`/survey/${token}`)).body, /Ông\/Bà đã gửi phiếu này rồi/);
  });

  test('the admin sees the response rate, closes the survey, and the public page shows it with the small unit withheld', async () => {
    assert.equal((await t.app.inject({ url: `/statistics/surveys/${id}` })).statusCode, 409);
    assert.match((await t.app.inject({ url: '/statistics/surveys' })).body, /Chưa có cuộc khảo sát nào kết thúc/);
    const open = await admin.get(`/admin/surveys/${id}`);
    assert.match(open.body, /data-figure="response-rate">50 %/);
    const closed = await admin.postForm(`/admin/surveys/${id}/close`, {});
    assert.equal(closed.statusCode, 303);
    assert.match((await admin.get(closed.headers.location as string)).body, /data-phase="closed"/);
    const again = await admin.postForm(`/admin/surveys/${id}/close`, {});
    assert.equal(again.statusCode, 409);
    const pub = await t.app.inject({ url: `/statistics/surveys/${id}` });
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /Dưới 5 phiếu: không công bố/);
    assert.match(pub.body, /Cách tính: số câu trả lời/);
    const listed = await t.app.inject({ url: '/statistics/surveys' });
    assert.match(listed.body, new RegExp(`href="/statistics/surveys/${id}">Khảo sát quý IV`));
    const late = await new Browser(t.app).get(`/survey/${token}`);
    assert.match(late.body, /Ông\/Bà đã gửi phiếu này rồi/);
  });
});
