import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { pdfText } from '../../../test/helpers/pdf.js';

describe(`catalogue pages (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test('searching without diacritics lists the procedure with its time limit', async () => {
    const res = await get('/procedures?q=xac+nhan+tinh+trang+hon+nhan');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /href="\/procedures\/1\.004873">Cấp Giấy xác nhận tình trạng hôn nhân</);
    assert.match(res.body, /3 ngày làm việc/);
    const none = await get('/procedures?q=zzqqxx');
    assert.match(none.body, /Không tìm thấy thủ tục phù hợp/);
    const filtered = await get('/procedures?field=civil_status&level=commune');
    assert.match(filtered.body, /Đăng ký khai sinh/);
  });

  test('the procedure page puts the summary first, explains unknown facts, and finds the office for a ward', async () => {
    const res = await get(`/procedures/1.004873?ward=${UNITS.quangTrung}`);
    assert.equal(res.statusCode, 200);
    const body = res.body;
    assert.ok(body.indexOf('Bạn nhận được') < body.indexOf('Trình tự thực hiện'));
    assert.match(body, /Phường Quang Trung/);
    assert.match(body, /07:30–11:30, 13:30–17:00/);
    assert.match(body, /Chưa xác nhận, vui lòng hỏi cơ quan giải quyết/);
    assert.match(body, /Thành phần hồ sơ/);
    assert.ok(Buffer.byteLength(body) < 100 * 1024, `${Buffer.byteLength(body)} bytes`);
    const en = await get(`/procedures/1.004873?lang=en&ward=${UNITS.quangTrung}`);
    assert.match(en.body, /Where do I go\?/);
    assert.match(en.body, /Quang Trung Ward/);
    assert.match(en.body, /The English text is for information only/);
    assert.equal((await get('/procedures/9.999999')).statusCode, 404);
    assert.equal((await get('/procedures/not-a-code')).statusCode, 404);
    assert.equal((await get('/procedures/1.004873?ward=000.00.99.H26')).statusCode, 200, 'an unknown ward shows no office, not an error');
    // A typed fragment without diacritics finds the ward; an ambiguous one lists the choices.
    const typed = await get('/procedures/1.004873?place=P.+quang+trung');
    assert.match(typed.body, /class="offices"[\s\S]*Phường Quang Trung/);
    const several = await get('/procedures/1.004873?place=dich+vong');
    assert.match(several.body, /Có nhiều phường, xã trùng tên/);
    assert.match(several.body, /href="\/procedures\/1\.004873\?ward=000\.02\.35\.H26#where-title"/);
    assert.match((await get('/procedures/1.004873?place=khong+co')).body, /Không tìm thấy phường, xã nào tên/);
  });

  test('the leaflet is a PDF whose text keeps the Vietnamese diacritics', async () => {
    const res = await get('/procedures/1.004873/leaflet.pdf?lang=vi');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const text = await pdfText(res.rawPayload);
    assert.match(text, /Cấp Giấy xác nhận tình trạng hôn nhân/);
    assert.match(text, /Thời hạn giải quyết/);
    const en = await pdfText((await get('/procedures/1.004873/leaflet.pdf?lang=en')).rawPayload);
    assert.match(en, /How long it takes/);
    const general = await pdfText((await get('/leaflets/online-services.pdf?lang=vi')).rawPayload);
    assert.match(general, /Dịch vụ công trực tuyến hoạt động thế nào/);
  });

  test('the checklist, the guide, unit pages and easy-read mode', async () => {
    assert.match((await get('/procedures/1.004873/checklist')).body, /Danh sách giấy tờ: Cấp Giấy xác nhận tình trạng hôn nhân/);
    assert.match((await get('/guide')).body, /Mức độ 4: nộp, thanh toán và nhận kết quả trực tuyến/);
    const unit = await get(`/units/${UNITS.quangTrung}`);
    assert.match(unit.body, /Phường Quang Trung/);
    assert.match(unit.body, /1\.004873/);
    const easy = await get('/?easy=1');
    assert.match(easy.body, /<html lang="vi" class="easy-read">/);
    const cookie = (easy.cookies as { name: string; value: string }[]).find((c) => c.name === 'easy');
    assert.equal(cookie?.value, '1');
    const next = await t.app.inject({ method: 'GET', url: '/procedures', headers: { cookie: 'easy=1' } });
    assert.match(next.body, /<html lang="vi" class="easy-read">/);
    const home = await get('/');
    assert.match(home.body, /Tra cứu theo lĩnh vực/);
    assert.match(home.body, /href="\/procedures\?field=civil_status"/);
  });
});

describe(`unit offerings page (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('a district unit admin takes a procedure off a ward and sets another one online; other districts are out of reach', async () => {
    const b = await new Browser(t.app).login(DEMO.adminHaDong);
    const unitPage = await b.get(`/units/${UNITS.quangTrung}`);
    assert.match(unitPage.body, /href="\/admin\/units\/000\.13\.42\.H26\/procedures"/);
    const page = await b.get(`/admin/units/${UNITS.quangTrung}/procedures`);
    assert.equal(page.statusCode, 200);
    const offered = [...page.body.matchAll(/name="offer\.([0-9L.]+)" value="1" checked/g)].map((m) => m[1]!);
    assert.ok(offered.includes('1.004873') && offered.includes('1.001193'));
    const form: Record<string, string> = {};
    for (const c of offered.filter((c) => c !== '1.004873')) form[`offer.${c}`] = '1';
    // Keep the levels already set (the demo wards offer some procedures online) as a browser would.
    for (const m of page.body.matchAll(
      /<select name="(level|mode)\.([0-9L.]+)"[^>]*>(?:<option[^>]*>[^<]*<\/option>)*?<option value="([^"]+)" selected>/g,
    )) {
      form[`${m[1]}.${m[2]}`] = m[3]!;
    }
    form['level.1.001193'] = '4';
    form['mode.1.001193'] = 'full';
    const res = await b.postForm(`/admin/units/${UNITS.quangTrung}/procedures`, form);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/units/${UNITS.quangTrung}/procedures?saved=2`);
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures?unit=${UNITS.quangTrung}&limit=100` }))
      .json()
      .procedures.map((p: { code: string }) => p.code);
    assert.ok(!list.includes('1.004873'));
    const offices = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/1.001193/offices?ward=${UNITS.quangTrung}` })).json()
      .offices;
    assert.deepEqual([offices[0].onlineLevel, offices[0].onlineMode], [4, 'full']);
    assert.equal((await b.get(`/admin/units/${UNITS.dichVong}/procedures`)).statusCode, 403);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await citizen.get(`/admin/units/${UNITS.quangTrung}/procedures`)).statusCode, 403);
  });
});

describe(`procedure editor (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('a city admin previews a change, then publishes it as a version that starts tomorrow', async () => {
    const b = await new Browser(t.app).login(DEMO.cityAdmin);
    assert.match((await b.get('/procedures/1.004873')).body, /href="\/admin\/procedures\/1\.004873\/edit"/);
    const form = await b.get('/admin/procedures/1.004873/edit');
    assert.equal(form.statusCode, 200);
    const value = (name: string) =>
      new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.body)?.[1] ??
      new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(form.body)?.[1] ??
      '';
    const area = (name: string) =>
      (new RegExp(`<textarea id="${name}"[^>]*>([^<]*)</textarea>`).exec(form.body)?.[1] ?? '').replace(/&amp;/g, '&');
    const fields = {
      effectiveFrom: value('effectiveFrom'),
      amount: '2',
      unit: 'working_days',
      fee: '',
      result: value('result').replace(/&amp;/g, '&'),
      applicants: value('applicants').replace(/&amp;/g, '&'),
      submitTo: value('submitTo').replace(/&amp;/g, '&'),
      steps: area('steps'),
      documents: area('documents'),
      legal: area('legal'),
    };
    assert.match(fields.effectiveFrom, /^\d{4}-\d{2}-\d{2}$/);
    const preview = await b.postForm('/admin/procedures/1.004873/edit', { ...fields, intent: 'preview' });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Xem trước phiên bản mới/);
    assert.match(preview.body, /2 ngày làm việc/);
    assert.match(preview.body, /value="publish"/);
    const published = await b.postForm('/admin/procedures/1.004873/edit', { ...fields, intent: 'publish' });
    assert.equal(published.statusCode, 303);
    assert.match(published.headers.location as string, /published=\d+&from=/);
    assert.match((await b.get(published.headers.location as string)).body, /Đã công bố phiên bản \d+/);
    assert.deepEqual(
      (await t.app.services.catalogue.detail('1.004873')).timeLimit,
      { amount: 3, unit: 'working_days' },
      'today keeps the version in force',
    );
    assert.deepEqual((await t.app.services.catalogue.detail('1.004873', fields.effectiveFrom)).timeLimit, {
      amount: 2,
      unit: 'working_days',
    });

    const past = await b.postForm('/admin/procedures/1.004873/edit', { ...fields, effectiveFrom: '2020-01-01', intent: 'publish' });
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /href="#effectiveFrom"/);
    const badDocs = await b.postForm('/admin/procedures/1.004873/edit', {
      ...fields,
      documents: 'Tờ khai | Form | nhiều | 0',
      intent: 'preview',
    });
    assert.equal(badDocs.statusCode, 400);
    const unitAdmin = await new Browser(t.app).login(DEMO.adminHaDong);
    assert.equal((await unitAdmin.get('/admin/procedures/1.004873/edit')).statusCode, 403);
  });
});
