import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens, type Auth } from '../helpers/processing.js';

type Tokens = Record<keyof typeof DEMO, Auth>;

const AUTHOR = 'Trần Văn Bình';
const PHONE_SPACED = '0987 654 321';
const QUESTION = {
  kind: 'question',
  title: 'Đăng ký thường trú cho con ở đâu?',
  content: `Tôi là ${AUTHOR}, số điện thoại ${PHONE_SPACED}. Con tôi mới sinh, tôi muốn đăng ký thường trú cho cháu thì nộp ở đâu?`,
  name: AUTHOR,
  phone: '0987654321',
  unit: UNITS.quangTrung,
  procedure: '1.004873',
};
const ANSWER = `Ông/Bà nộp tại bộ phận một cửa của phường. Cán bộ đã gọi lại theo số ${PHONE_SPACED} để hướng dẫn thêm.`;

describe(`feedback to FAQ (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Tokens;
  const post = (url: string, payload: unknown, headers: Auth = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const toFaq = (code: string, auth: Auth, body: Record<string, unknown> = {}) => post(`/api/v1/feedback/${code}/faq`, body, auth);
  const expectError = (res: { statusCode: number; body: string; json(): { code?: string } }, status: number, code: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.json().code, code);
  };
  async function submit(body: Record<string, unknown>) {
    const res = await post('/api/v1/feedback', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json().code as string;
  }
  async function published(body: Record<string, unknown>, answerer: Auth, approver: Auth) {
    const code = await submit(body);
    const a = await post(`/api/v1/feedback/${code}/actions`, { action: 'answer', text: ANSWER, submit: true }, answerer);
    assert.equal(a.statusCode, 204, a.body);
    const b = await post(`/api/v1/feedback/${code}/actions`, { action: 'approve' }, approver);
    assert.equal(b.statusCode, 204, b.body);
    return code;
  }
  /** Published in Quang Trung (API path), in Quang Trung (page path), in Hà Đông; and one still open. */
  let ward: string;
  let wardPage: string;
  let district: string;
  let open: string;

  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
    ward = await published(QUESTION, tok.specialistQuangTrung, tok.leaderQuangTrung);
    wardPage = await published(QUESTION, tok.specialistQuangTrung, tok.leaderQuangTrung);
    district = await published({ ...QUESTION, unit: UNITS.haDong }, tok.specialistHaDong, tok.leaderHaDong);
    open = await submit(QUESTION);
  });
  after(async () => t?.close());

  test('a published item becomes a draft entry with its redacted texts and procedure; again, the same entry', async () => {
    const res = await toFaq(ward, tok.leaderQuangTrung);
    assert.equal(res.statusCode, 201, res.body);
    const { id, created, editUrl } = res.json();
    assert.equal(created, true);
    assert.equal(editUrl, `/work/faq/${id}/edit`);
    const row = await t.db.selectFrom('faq_entry').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    assert.equal(row.source, 'feedback');
    assert.equal(row.source_ref, ward);
    const texts = `${row.question_vi} ${row.answer_vi}`;
    for (const secret of [PHONE_SPACED, '0987654321', AUTHOR]) assert.ok(!texts.includes(secret), secret);
    assert.match(row.question_vi, /^Đăng ký thường trú cho con ở đâu\? .*\[\*\*\*\].*nộp ở đâu\?$/);
    assert.match(row.answer_vi, /bộ phận một cửa của phường.*\[\*\*\*\]/);
    const official = await t.app.inject({ url: `/api/v1/work/faq/${id}`, headers: tok.leaderQuangTrung });
    assert.deepEqual(
      official.json().procedures.map((p: { code: string }) => p.code),
      ['1.004873'],
    );
    assert.equal((await t.app.inject({ url: `/api/v1/faq/${id}` })).statusCode, 404, 'a draft is not public');
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'faq_entry')
      .where('entity_id', '=', String(id))
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['faq.create'],
    );

    for (const auth of [tok.leaderQuangTrung, tok.cityAdmin]) {
      const again = await toFaq(ward, auth, { question: 'Một câu hỏi khác hẳn?' });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), { id, created: false, editUrl });
    }
    assert.equal((await t.db.selectFrom('faq_entry').select('id').where('source_ref', '=', ward).execute()).length, 1);
  });

  test('refusals: wrong role 403, other unit 403, not yet published 409, bad input 4xx with stable codes', async () => {
    expectError(await toFaq(ward, tok.specialistQuangTrung), 403, 'forbidden');
    expectError(await toFaq(ward, tok.deskQuangTrung), 403, 'forbidden');
    expectError(await toFaq(ward, tok.citizen), 403, 'forbidden');
    expectError(await toFaq(ward, {}), 401, 'unauthenticated');
    expectError(await toFaq(district, tok.leaderQuangTrung), 403, 'forbidden');
    expectError(await toFaq(open, tok.leaderQuangTrung), 409, 'feedback_wrong_state');
    expectError(await toFaq('PAKN-990101-00001', tok.leaderQuangTrung), 404, 'feedback_not_found');
    expectError(await toFaq('abc', tok.leaderQuangTrung), 400, 'validation_failed');
    expectError(await toFaq(district, tok.leaderHaDong, { question: 'Hỏi' }), 400, 'validation_failed');
    expectError(await toFaq(district, tok.leaderHaDong, { mood: 'x' }), 400, 'validation_failed');
    expectError(await toFaq(district, tok.leaderHaDong, { procedureCodes: ['9.999999'] }), 400, 'faq_unknown_procedure');
    assert.equal((await t.db.selectFrom('faq_entry').select('id').where('source_ref', 'in', [open, district]).execute()).length, 0);
  });

  test('texts an official gives are redacted again; the district leader covers its wards', async () => {
    const res = await toFaq(district, tok.leaderHaDong, {
      question: `Chị ${AUTHOR} hỏi: đăng ký thường trú cho con ở đâu? Gọi ${PHONE_SPACED}`,
      answer: 'Tại bộ phận một cửa.',
      procedureCodes: [],
    });
    assert.equal(res.statusCode, 201, res.body);
    const row = await t.db.selectFrom('faq_entry').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    assert.ok(!row.question_vi.includes(AUTHOR) && !row.question_vi.includes(PHONE_SPACED), row.question_vi);
    assert.equal(row.answer_vi, 'Tại bộ phận một cửa.');
  });

  test('pages: the prefilled form for a leader only, a draft to review, then the link; the public entry links back', async () => {
    const leader = await new Browser(t.app).login(DEMO.leaderQuangTrung);
    const page = await leader.get(`/work/feedback/${wardPage}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Đưa vào Hỏi đáp/);
    assert.match(page.body, new RegExp(`action="/work/feedback/${wardPage}/faq"`));
    const form = page.body.slice(page.body.indexOf('id="faq-offer-title"'));
    assert.ok(
      !form.includes(PHONE_SPACED) && !form.slice(0, form.indexOf('</form>')).includes(AUTHOR),
      'the form carries no personal data',
    );
    assert.match(form, /value="1.004873"/);

    const specialist = await new Browser(t.app).login(DEMO.specialistQuangTrung);
    const theirs = await specialist.get(`/work/feedback/${wardPage}`);
    assert.equal(theirs.statusCode, 200);
    assert.ok(!theirs.body.includes('faq-offer-title'), 'no form for a specialist');
    await specialist.get(`/work/feedback/${wardPage}`);
    assert.equal((await specialist.postForm(`/work/feedback/${wardPage}/faq`, { question: 'Câu hỏi thử?', answer: 'x' })).statusCode, 403);

    const refusals: [Record<string, string>, RegExp][] = [
      [{ question: 'Hỏi', answer: 'Giữ nguyên câu trả lời này.', procedures: '' }, /Câu hỏi cần từ 5 đến 500 ký tự/],
      [{ question: 'Đăng ký thường trú ở đâu?', answer: '', procedures: '' }, /Câu trả lời không được để trống/],
      [
        { question: 'Đăng ký thường trú ở đâu?', answer: 'Giữ nguyên câu trả lời này.', procedures: '9.999999' },
        /Không có thủ tục mã 9.999999/,
      ],
    ];
    for (const [fields, message] of refusals) {
      const res = await leader.postForm(`/work/feedback/${wardPage}/faq`, fields);
      assert.equal(res.statusCode, 400, JSON.stringify(fields));
      assert.match(res.body, message);
      if (fields.answer) assert.match(res.body, /Giữ nguyên câu trả lời này\./, 'the text typed is kept');
    }
    assert.equal(await t.db.selectFrom('faq_entry').select('id').where('source_ref', '=', wardPage).executeTakeFirst(), undefined);

    const sent = await leader.postForm(`/work/feedback/${wardPage}/faq`, {
      question: 'Đăng ký thường trú cho con mới sinh ở đâu?',
      answer: 'Tại bộ phận một cửa của phường nơi cư trú.',
      procedures: '1.004873, 1.004873',
    });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
    const editUrl = sent.headers.location as string;
    const id = Number(/^\/work\/faq\/(\d+)\/edit$/.exec(editUrl)?.[1]);
    assert.ok(id > 0, editUrl);
    const edit = await leader.get(editUrl);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /Đăng ký thường trú cho con mới sinh ở đâu\?/);
    const linked = await leader.get(`/work/feedback/${wardPage}`);
    assert.match(linked.body, new RegExp(`href="/work/faq/${id}/edit"`));
    assert.ok(!linked.body.includes(`action="/work/feedback/${wardPage}/faq"`));

    assert.equal((await post(`/api/v1/work/faq/${id}/publish`, {}, tok.leaderQuangTrung)).statusCode, 204);
    const pub = await t.app.inject({ url: `/faq/${id}` });
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /do người dân gửi/);
    assert.match(pub.body, new RegExp(`href="/feedback/${wardPage}"`));
    assert.equal((await t.app.inject({ url: `/api/v1/faq/${id}` })).json().fromFeedback, wardPage);
    assert.equal((await t.app.inject({ url: `/feedback/${wardPage}` })).statusCode, 200);
  });
});
