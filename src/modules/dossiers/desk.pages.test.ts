import { multipart, PDF } from '../../../test/helpers/dossiers.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { pdfText } from '../../../test/helpers/pdf.js';

const FORM = {
  fullName: 'Nguyễn Văn An',
  birthDate: '1990-05-01',
  sex: 'male',
  citizenId: '001090012345',
  address: { ward: UNITS.quangTrung, street: 'Số 5 phố Quang Trung' },
  maritalStatus: 'single',
  purpose: 'Đăng ký kết hôn',
};

const xlsxText = async (data: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
  return cells.join(' | ');
};

describe(`one-stop desk pages (${ENGINE})`, () => {
  let t: TestApp;
  let citizen: Record<string, string>;
  let desk: Browser;

  before(async () => {
    t = await testApp();
    // The ward takes these procedures online (and so at the desk too).
    await sql`insert into unit_procedure (unit_id, procedure_id, online_level)
      select u.id, p.id, 3 from unit u, procedure p where u.code = ${UNITS.quangTrung} and p.code in ('1.004873', '2.000635')
      on conflict (unit_id, procedure_id) do update set online_level = 3`.execute(t.db);
    citizen = await bearerFor(t.app, DEMO.citizen);
    desk = await new Browser(t.app).login(DEMO.deskQuangTrung);
  });
  after(() => t.close());

  async function upload(): Promise<string> {
    const { payload, headers } = multipart({}, { name: 'to-khai.pdf', type: 'application/pdf', bytes: PDF });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...citizen, ...headers }, payload });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().sha256;
  }

  async function submitOnline(): Promise<{ id: number; code: string }> {
    const sha = await upload();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: citizen,
      payload: {
        procedure: '1.004873',
        unit: UNITS.quangTrung,
        applicant: { name: 'x', phone: '0912345678' },
        form: FORM,
        documents: [
          { item: 0, sha256: sha, name: 'to-khai.pdf' },
          { item: 2, sha256: sha, name: 'trich-luc-ly-hon.pdf' },
        ],
        submit: true,
        declaration: true,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  const revisionOf = (html: string) => /name="revision" value="(\d+)"/.exec(html)![1]!;
  const pdf = async (url: string, b: Browser = desk) => {
    const res = await b.get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    assert.equal(res.headers['content-type'], 'application/pdf');
    return { res, text: await pdfText(res.rawPayload) };
  };

  test('an online submission is in the queue; receiving it gives form 01 with the code and the applicant', async () => {
    const d = await submitOnline();
    const queue = await desk.get('/desk');
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.includes(d.code), 'the queue lists the new dossier');
    assert.match(queue.body, new RegExp(`href="/desk/dossiers/${d.id}"`));
    assert.match(queue.body, /href="\/desk\/walk-in"[\s\S]*href="\/desk\/register"[\s\S]*href="\/desk\/reconciliation"/);
    const filtered = await desk.get('/desk?procedure=2.000635&status=1');
    assert.ok(!filtered.body.includes(d.code), 'the procedure filter leaves it out');

    const check = await desk.get(`/desk/dossiers/${d.id}`);
    assert.equal(check.statusCode, 200);
    assert.equal(check.body.match(/<h1/g)?.length, 1);
    assert.ok(check.body.includes(`Kiểm tra hồ sơ ${d.code}`));
    assert.match(check.body, /Nguyễn Văn An/);
    assert.match(check.body, /Đăng ký kết hôn/, 'the form answers are shown');
    assert.match(
      check.body,
      new RegExp(`href="/dossiers/${d.id}/documents/\\d+">to-khai\\.pdf`),
      'uploaded files link to the document route',
    );
    assert.match(check.body, /Chưa nộp/, 'an item without a document is marked missing');
    for (const a of ['paper', 'receive', 'supplement', 'refuse']) assert.ok(check.body.includes(`action="/desk/dossiers/${d.id}/${a}"`), a);
    assert.ok(!check.body.includes(`/desk/dossiers/${d.id}/cash`), 'no fee, no cash form');

    const early = await desk.get(`/dossiers/${d.id}/forms/01.pdf`);
    assert.equal(early.statusCode, 409, 'no receipt before reception');

    const res = await desk.postForm(`/desk/dossiers/${d.id}/receive`, { revision: revisionOf(check.body), note: 'Đủ hồ sơ' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/desk/dossiers/${d.id}?done=received`);
    const done = await desk.get(res.headers.location!);
    assert.match(done.body, /class="success" role="status"/);
    assert.ok(done.body.includes(`href="/dossiers/${d.id}/forms/01.pdf"`));
    assert.match(done.body, /Đã tiếp nhận/);
    assert.ok(!done.body.includes(`action="/desk/dossiers/${d.id}/receive"`), 'no more decisions once received');

    const { res: pdfRes, text } = await pdf(`/dossiers/${d.id}/forms/01.pdf`);
    assert.equal(pdfRes.headers['content-disposition'], `inline; filename="${d.code}-01.pdf"`);
    assert.ok(text.includes(d.code), 'form 01 carries the code');
    assert.match(text, /Nguyễn Văn An/);
    assert.match(text, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
    assert.match(text, /Trần Thị Bình/, 'the receiving officer signs');
    assert.doesNotMatch(text, /001090012345/, 'the citizen ID is masked');
    // The applicant gets the same form with their own account.
    const owner = await t.app.inject({ method: 'GET', url: `/dossiers/${d.id}/forms/01.pdf`, headers: citizen });
    assert.equal(owner.statusCode, 200);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/dossiers/${d.id}/forms/01.pdf?x=1`, headers: { ...citizen } })).statusCode,
      200,
    );
    assert.equal((await desk.get('/dossiers/abc/forms/01.pdf')).statusCode, 400);
  });

  test('a supplement request lists its reasons on form 02; the queue marks a supplement as provided', async () => {
    const d = await submitOnline();
    const check = await desk.get(`/desk/dossiers/${d.id}`);
    const missing = await desk.postForm(`/desk/dossiers/${d.id}/supplement`, { revision: revisionOf(check.body), 'sup.1': '1' });
    assert.equal(missing.statusCode, 400, 'a ticked document needs its reason');
    assert.match(missing.body, /Vui lòng ghi lý do/);
    const res = await desk.postForm(`/desk/dossiers/${d.id}/supplement`, {
      revision: revisionOf(check.body),
      'sup.1': '1',
      'reason.1': 'Thiếu bản án ly hôn có hiệu lực',
      'reason.other': 'Bản sao giấy khai sinh',
      note: 'Nộp bổ sung trong 10 ngày',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const done = await desk.get(res.headers.location!);
    assert.ok(done.body.includes(`href="/dossiers/${d.id}/forms/02.pdf"`));
    assert.match(done.body, /Thiếu bản án ly hôn có hiệu lực/, 'the supplement history shows the request');
    const { text } = await pdf(`/dossiers/${d.id}/forms/02.pdf`);
    assert.match(text, /PHIẾU YÊU CẦU BỔ SUNG/);
    assert.match(text, /Thiếu bản án ly hôn có hiệu lực/);
    assert.match(text, /Bản sao giấy khai sinh/);
    assert.ok(text.includes(d.code));
    assert.equal((await desk.get(`/dossiers/${d.id}/forms/02.pdf?round=1`)).statusCode, 200);
    assert.equal((await desk.get(`/dossiers/${d.id}/forms/02.pdf?round=2`)).statusCode, 404);

    // The applicant uploads the document and says the supplement is complete.
    const { payload, headers } = multipart({ item: '1' }, { name: 'ban-an.pdf', type: 'application/pdf', bytes: PDF });
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${d.id}/documents`,
      headers: { ...citizen, ...headers },
      payload,
    });
    assert.equal(up.statusCode, 201, up.body);
    const provide = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/supplement`, headers: citizen, payload: {} });
    assert.equal(provide.statusCode, 204, provide.body);
    const queue = await desk.get('/desk?status=5');
    const row = queue.body.slice(queue.body.indexOf(d.code), queue.body.indexOf(`/desk/dossiers/${d.id}"`));
    assert.match(row, /Công dân đã bổ sung/);
  });

  test('a refusal gives form 03 with the reason and the legal basis', async () => {
    const d = await submitOnline();
    const check = await desk.get(`/desk/dossiers/${d.id}`);
    const empty = await desk.postForm(`/desk/dossiers/${d.id}/refuse`, { revision: revisionOf(check.body), reason: ' ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Vui lòng ghi rõ lý do/);
    assert.equal((await desk.get(`/dossiers/${d.id}/forms/03.pdf`)).statusCode, 409, 'no refusal form before a refusal');
    const res = await desk.postForm(`/desk/dossiers/${d.id}/refuse`, {
      revision: revisionOf(check.body),
      reason: 'Người yêu cầu không thường trú tại phường',
      legalBasis: 'Điều 21 Nghị định 123/2015/NĐ-CP',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/desk/dossiers/${d.id}?done=refused`);
    const { text } = await pdf(`/dossiers/${d.id}/forms/03.pdf`);
    assert.match(text, /PHIẾU TỪ CHỐI/);
    assert.match(text, /Người yêu cầu không thường trú tại phường/);
    assert.match(text, /Điều 21 Nghị định 123\/2015\/NĐ-CP/);
  });

  test("another ward's desk officer can neither see nor decide the dossier", async () => {
    const d = await submitOnline();
    const other = await new Browser(t.app).login(DEMO.deskDichVong);
    const page = await other.get(`/desk/dossiers/${d.id}`);
    assert.ok([403, 404].includes(page.statusCode), String(page.statusCode));
    const queue = await other.get('/desk');
    assert.equal(queue.statusCode, 200);
    assert.ok(!queue.body.includes(d.code));
    const post = await other.postForm(`/desk/dossiers/${d.id}/receive`, { revision: '1' });
    assert.ok([403, 404].includes(post.statusCode), String(post.statusCode));
    assert.ok([403, 404].includes((await other.get(`/dossiers/${d.id}/forms/02.pdf`)).statusCode));
    const after = await t.db.selectFrom('dossier').select('status').where('id', '=', d.id).executeTakeFirstOrThrow();
    assert.equal(after.status, 1);
    // A citizen is not a desk officer.
    assert.equal((await t.app.inject({ method: 'GET', url: '/desk', headers: citizen })).statusCode, 403);
  });

  test('a decision on a stale page is refused with the conflict message', async () => {
    const d = await submitOnline();
    const check = await desk.get(`/desk/dossiers/${d.id}`);
    const stale = revisionOf(check.body);
    const paper = await desk.postForm(`/desk/dossiers/${d.id}/paper`, { revision: stale, 'paper.5': '1' });
    assert.equal(paper.statusCode, 303);
    const again = await desk.get(paper.headers.location!);
    assert.match(again.body, /Đã ghi nhận giấy tờ bản giấy/);
    assert.match(again.body, /Bản giấy/);
    const res = await desk.postForm(`/desk/dossiers/${d.id}/receive`, { revision: stale });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Hồ sơ vừa được người khác cập nhật/);
    assert.match(res.body, /role="alert"/);
    const row = await t.db.selectFrom('dossier').select('status').where('id', '=', d.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 1, 'nothing changed');
  });

  test('walk-in registration keeps the values on an error, then registers; the fee is taken in cash', async () => {
    const choose = await desk.get('/desk/walk-in');
    assert.equal(choose.statusCode, 200);
    assert.match(choose.body, /<option value="1\.004873"/);
    const form = await desk.get(`/desk/walk-in?procedure=2.000635&unit=${UNITS.quangTrung}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="f\.subjectName"/);
    assert.match(form.body, /<legend>Giấy tờ công dân nộp bản giấy<\/legend>/);
    assert.equal((await desk.get('/desk/walk-in?procedure=9.999999')).statusCode, 400);

    const fields = {
      procedure: '2.000635',
      unit: UNITS.quangTrung,
      'applicant.name': 'Lê Thị Hoa',
      'applicant.citizenId': '123',
      'applicant.phone': '0987654321',
      'f.subjectName': 'Lê Văn Nam',
      'f.copies': '1',
      'paper.0': '1',
      channel: '1',
    };
    const bad = await desk.postForm('/desk/walk-in', fields);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Số căn cước không hợp lệ/);
    assert.match(bad.body, /href="#applicant\.citizenId"/, 'the error summary links to the field');
    assert.match(bad.body, /value="Lê Thị Hoa"/, 'the values are kept');
    assert.match(bad.body, /value="Lê Văn Nam"/);
    assert.match(bad.body, /id="paper\.0" name="paper\.0" value="1" checked/);

    const ok = await desk.postForm('/desk/walk-in', { ...fields, 'applicant.citizenId': '001190000123', locale: 'en' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const id = Number(/^\/desk\/dossiers\/(\d+)\?done=registered$/.exec(ok.headers.location!)![1]);
    const check = await desk.get(ok.headers.location!);
    assert.match(check.body, /Đã đăng ký hồ sơ/);
    assert.match(check.body, /Bản giấy/);
    assert.ok(check.body.includes(`action="/desk/dossiers/${id}/cash"`), 'the fee can be taken in cash');
    // The officer scans the request form: a multipart form checked for its CSRF token.
    assert.match(check.body, /enctype="multipart\/form-data"/);
    const scanBody = multipart({ _csrf: desk.csrf, item: '0' }, { name: 'don-de-nghi.pdf', type: 'application/pdf', bytes: PDF });
    const scanned = await desk.request({
      method: 'POST',
      url: `/desk/dossiers/${id}/scan`,
      payload: scanBody.payload,
      headers: scanBody.headers,
    });
    assert.equal(scanned.statusCode, 303, scanned.body.slice(0, 300));
    const lying = multipart({ _csrf: desk.csrf, item: '0' }, { name: 'don.pdf', type: 'application/pdf', bytes: Buffer.from('not a pdf') });
    const refused = await desk.request({
      method: 'POST',
      url: `/desk/dossiers/${id}/scan`,
      payload: lying.payload,
      headers: lying.headers,
    });
    assert.equal(refused.statusCode, 415);
    assert.match(refused.body, /Chỉ nhận tệp PDF, JPEG hoặc PNG/);
    const fresh = await desk.get(`/desk/dossiers/${id}`);
    const cash = await desk.postForm(`/desk/dossiers/${id}/cash`, { revision: revisionOf(fresh.body), amount: '8000' });
    assert.equal(cash.statusCode, 303, cash.body.slice(0, 500));
    const paid = await desk.get(cash.headers.location!);
    const receipt = /href="(\/dossiers\/\d+\/payments\/\d+\/receipt\.pdf)"/.exec(paid.body)![1]!;
    const { text } = await pdf(receipt);
    assert.match(text, /BIÊN LAI THU PHÍ/);
    assert.match(text, /RECEIPT/i, 'the applicant chose English: the receipt is bilingual');
    assert.match(text, /Lê Thị Hoa/);
    const twice = await desk.postForm(`/desk/dossiers/${id}/cash`, { revision: revisionOf(paid.body), amount: '8000' });
    assert.equal(twice.statusCode, 409, 'nothing left to pay');

    const code = (await t.db.selectFrom('dossier').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code!;
    const recon = await desk.get('/desk/reconciliation');
    assert.equal(recon.statusCode, 200);
    assert.ok(recon.body.includes(code), 'the day reconciliation lists the payment');
    assert.match(recon.body, /8\.000/);
    assert.match(recon.body, /href="\/api\/v1\/payments\/reconciliation\?unit=000\.13\.42\.H26&amp;date=\d{4}-\d{2}-\d{2}&amp;format=csv"/);
    const xlsx = await desk.get(`/desk/reconciliation?unit=${UNITS.quangTrung}&format=xlsx`);
    assert.equal(xlsx.statusCode, 200);
    assert.match(await xlsxText(xlsx.rawPayload), new RegExp(code.replaceAll('.', '\\.')));
    assert.equal((await desk.get('/desk/reconciliation?date=2026-02-30')).statusCode, 400);
  });

  test('the register (form 06) lists the month and downloads as xlsx', async () => {
    const d = await submitOnline();
    const page = await desk.get('/desk/register');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(d.code));
    assert.match(page.body, /<th scope="col">Mã hồ sơ<\/th>/);
    const res = await desk.get(`/desk/register?unit=${UNITS.quangTrung}&format=xlsx`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const text = await xlsxText(res.rawPayload);
    assert.ok(text.includes(d.code));
    assert.match(text, /SỔ THEO DÕI HỒ SƠ/);
    assert.match(text, /Nguyễn Văn An/);
    const none = await desk.get('/desk/register?from=2020-01-01&to=2020-01-31');
    assert.ok(!none.body.includes(d.code));
    const bad = await desk.get('/desk/register?from=2026-05-10&to=2026-05-01');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Ngày kết thúc phải sau ngày bắt đầu/);
  });
});
