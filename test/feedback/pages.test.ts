import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';

const FORM = {
  kind: 'question',
  title: 'Xác nhận tình trạng hôn nhân ở đâu?',
  content: 'Tôi muốn hỏi thủ tục 1.004873 làm ở đâu, mất bao lâu.',
  name: 'Lê Thị Mai',
  phone: '0911222333',
  email: '',
  unit: UNITS.quangTrung,
  dossier: '',
};

describe(`feedback pages (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(async () => t?.close());

  const send = async (fields: Record<string, string>, opts: { csrf?: string | null } = {}) => {
    const b = new Browser(t.app);
    await b.get('/feedback/new');
    return { b, res: await b.postForm('/feedback/new', fields, opts) };
  };

  test('the form, the nav link, and a logged-in citizen’s contact filled in', async () => {
    const page = await t.app.inject({ url: '/feedback/new' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /href="\/feedback"/);
    const b = await new Browser(t.app).login(DEMO.citizen);
    const mine = await b.get('/feedback/new');
    assert.match(mine.body, /id="phone"[^>]*value="0912345678"/);
  });

  test('a plain form post is received and leads to the follow page', async () => {
    const { b, res } = await send(FORM);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const follow = await b.get(res.headers.location as string);
    assert.equal(follow.statusCode, 200);
    assert.match(follow.body, /Đã gửi thành công/);
    assert.match(follow.body, /Đã tiếp nhận/);
  });

  test('refusals are shown on the form, with the text kept and the right status', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...FORM, title: 'x'.repeat(201) }, 400, /Tiêu đề dài quá 200 ký tự/],
      [{ ...FORM, content: 'y'.repeat(5001) }, 400, /Nội dung dài quá 5.000 ký tự/],
      [{ ...FORM, content: 'Đồ mất dạy' }, 422, /từ ngữ thiếu lịch sự/],
      [{ ...FORM, phone: '' }, 400, /ít nhất số điện thoại hoặc thư điện tử/],
      [{ ...FORM, dossier: '000.13.42.H26-261127-9999', unit: '' }, 404, /Không tìm thấy hồ sơ|hồ sơ/],
      [{ ...FORM, kind: 'other' }, 400, /form|lỗi|Lỗi/],
    ];
    for (const [fields, status, text] of cases) {
      const { res } = await send(fields);
      assert.equal(res.statusCode, status, `${JSON.stringify(fields).slice(0, 80)}: ${res.statusCode}`);
      assert.match(res.body, text);
    }
    const { res } = await send({ ...FORM, content: 'Giữ nguyên nội dung này', title: '' });
    assert.match(res.body, /Giữ nguyên nội dung này/);
  });

  test('without the CSRF token: 403', async () => {
    const { res } = await send(FORM, { csrf: null });
    assert.equal(res.statusCode, 403);
  });

  test('follow page: wrong key 403, unknown code 404, no code asks for it', async () => {
    const { res } = await send(FORM);
    const url = new URL(res.headers.location as string, 'http://x');
    const code = url.searchParams.get('code')!;
    assert.equal((await t.app.inject({ url: `/feedback/track?code=${code}&key=${'z'.repeat(24)}` })).statusCode, 403);
    assert.equal((await t.app.inject({ url: `/feedback/track?code=PAKN-990101-00001&key=${'z'.repeat(24)}` })).statusCode, 404);
    const ask = await t.app.inject({ url: '/feedback/track' });
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /name="key"/);
    // Rating before any answer is refused on the page, with the reason.
    const b = new Browser(t.app);
    await b.get(url.pathname + url.search);
    const rate = await b.postForm('/feedback/track/rate', { code, key: url.searchParams.get('key')!, rating: 'satisfied' });
    assert.equal(rate.statusCode, 409);
    assert.match(rate.body, /không làm được/);
  });

  test('public list with the timeliness table; unknown or malformed item 404', async () => {
    const list = await t.app.inject({ url: '/feedback?q=hon+nhan&kind=question' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Tỷ lệ trả lời đúng hạn theo đơn vị/);
    assert.equal((await t.app.inject({ url: '/feedback?unit=999.99.99.H26' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/feedback/PAKN-990101-00001' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/feedback/abc' })).statusCode, 404);
  });

  test("officials' pages: the queue for the unit's officials, 403 for another unit and for citizens", async () => {
    const { res } = await send(FORM);
    const code = new URL(res.headers.location as string, 'http://x').searchParams.get('code')!;
    const desk = await new Browser(t.app).login(DEMO.deskQuangTrung);
    const q = await desk.get('/work/feedback');
    assert.equal(q.statusCode, 200);
    assert.ok(q.body.includes(code));
    const detail = await desk.get(`/work/feedback/${code}`);
    assert.equal(detail.statusCode, 200);
    assert.ok(detail.body.includes('0911222333'), 'officials see the contact');
    const act = await desk.postForm(`/work/feedback/${code}/act`, { action: 'request_info', question: 'Ông/Bà sinh năm nào?' });
    assert.equal(act.statusCode, 303);
    const other = await new Browser(t.app).login(DEMO.deskDichVong);
    assert.equal((await other.get(`/work/feedback/${code}`)).statusCode, 403);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await citizen.get('/work/feedback')).statusCode, 403);
  });

  test('a file over the upload limit: the form comes back saying the limit in MB, every field kept', async () => {
    const b = new Browser(t.app);
    await b.get('/feedback/new');
    const big = Buffer.concat([PDF, Buffer.alloc(t.app.config.uploadMaxBytes + 1024)]);
    const m = multipart({ _csrf: b.csrf, ...FORM }, { name: 'giay-to.pdf', type: 'application/pdf', bytes: big });
    const res = await b.request({ method: 'POST', url: '/feedback/new', payload: m.payload, headers: m.headers });
    assert.ok(res.statusCode === 400 || res.statusCode === 413, `${res.statusCode}`);
    const mb = String(Math.round((t.app.config.uploadMaxBytes / 1048576) * 10) / 10);
    assert.ok(res.body.includes(`tối đa ${mb} MB`), 'the limit is quoted');
    assert.doesNotMatch(res.body, /\{maxMb\}/);
  });
});
