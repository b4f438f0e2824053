import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart } from '../helpers/dossiers.js';
import { csvOf, questionRow } from './bank-fixtures.js';

// The admin pages without JavaScript: plain forms, redirects after success, errors shown in place
// with a 4xx. (The browser test, test/e2e/contest-admin.test.ts, walks the main path with axe.)

describe(`contest admin pages (${ENGINE})`, () => {
  let t: TestApp;
  let b: Browser;
  let base = '';

  const upload = async (bytes: Buffer, name: string) => {
    await b.get(`${base}/import`);
    const m = multipart({ _csrf: b.csrf }, { name, type: 'text/csv', bytes });
    return b.request({ method: 'POST', url: `${base}/import`, payload: m.payload, headers: m.headers });
  };

  before(async () => {
    t = await testApp();
    b = await new Browser(t.app).login(DEMO.cityAdmin);
  });
  after(async () => t?.close());

  test('the city admin finds the pages from the menu; others are refused', async () => {
    const home = await b.get('/account');
    assert.match(home.body, /href="\/admin\/contest"/);
    const leader = await new Browser(t.app).login(DEMO.leaderQuangTrung);
    assert.doesNotMatch((await leader.get('/account')).body, /href="\/admin\/contest"/);
    assert.equal((await leader.get('/admin/contest')).statusCode, 403);
  });

  test('create a contest, a pool, a round; publishing with too few questions says why; import, confirm, publish', async () => {
    assert.equal((await b.get('/admin/contest')).statusCode, 200);
    const empty = await b.postForm('/admin/contest', { titleVi: '', titleEn: 'x' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /role="alert"/);
    const created = await b.postForm('/admin/contest', { titleVi: 'Tìm hiểu DVC 2026', titleEn: 'Online services 2026' });
    assert.equal(created.statusCode, 303);
    base = created.headers.location!.replace(/\?.*$/, '');
    const page = await b.get(created.headers.location!);
    assert.match(page.body, /Đã tạo cuộc thi/);

    assert.equal((await b.postForm(`${base}/pools`, { fieldCode: 'nonsense', nameVi: '', nameEn: '' })).statusCode, 400);
    const pool = await b.postForm(`${base}/pools`, { fieldCode: 'civil_status', nameVi: '', nameEn: '' });
    assert.equal(pool.statusCode, 303);
    assert.match((await b.get(base)).body, /Hộ tịch/, 'the pool takes the field’s name');

    const badRound = await b.postForm(`${base}/rounds`, {
      opensAt: '2026-12-01T08:00',
      closesAt: '2026-11-30T08:00',
      questionCount: '2',
      minutes: '10',
    });
    assert.equal(badRound.statusCode, 400);
    assert.match(badRound.body, /Thời gian kết thúc phải sau/);
    const zero = await b.postForm(`${base}/rounds`, {
      opensAt: '2030-12-01T08:00',
      closesAt: '2030-12-10T08:00',
      questionCount: '0',
      minutes: '10',
    });
    assert.equal(zero.statusCode, 400);
    const round = await b.postForm(`${base}/rounds`, {
      opensAt: '2030-12-01T08:00',
      closesAt: '2030-12-10T17:00',
      questionCount: '2',
      minutes: '10',
    });
    assert.equal(round.statusCode, 303);
    const roundId = /data-round="(\d+)"/.exec((await b.get(base)).body)![1];
    const tooFew = await b.postForm(`${base}/rounds/${roundId}/publish`, {});
    assert.equal(tooFew.statusCode, 409);
    assert.match(tooFew.body, /chưa đủ: cần 2 câu, hiện có 0 câu/);

    const bad = await upload(csvOf([questionRow(1), questionRow(2, { correct: '' })]), 'cau-hoi.csv');
    assert.equal(bad.statusCode, 303);
    const report = await b.get(bad.headers.location!);
    assert.match(report.body, /data-reason="no_correct_option"/);
    assert.match(report.body, /Chưa chỉ ra phương án đúng/);
    assert.doesNotMatch(report.body, /import-confirm/, 'no confirmation while a row is wrong');
    const refused = await b.postForm(`${bad.headers.location!}/confirm`, {});
    assert.equal(refused.statusCode, 409);

    const pdf = await upload(Buffer.from('%PDF-1.4\n'), 'cau-hoi.pdf');
    assert.equal(pdf.statusCode, 415);
    assert.match(pdf.body, /Chỉ nhận tệp Excel/);

    const good = await upload(csvOf([questionRow(1), questionRow(2, { kind: 'multiple', correct: '1,2' })]), 'cau-hoi.csv');
    const ready = await b.get(good.headers.location!);
    assert.match(ready.body, /Xác nhận nhập 2 câu hỏi/);
    const confirmed = await b.postForm(`${good.headers.location!}/confirm`, {});
    assert.equal(confirmed.statusCode, 303);
    assert.match((await b.get(confirmed.headers.location!)).body, /Đã nhập 2 câu hỏi/);

    // The export and template links of the page work with the admin's session (no token).
    const id = base.split('/').pop();
    const exported = await b.get(`/api/v1/contest/contests/${id}/questions/export?format=csv`);
    assert.equal(exported.statusCode, 200);
    assert.match(exported.body, /Câu hỏi nhập số 2/);
    assert.equal((await b.get('/api/v1/contest/questions/template')).statusCode, 200);

    const published = await b.postForm(`${base}/rounds/${roundId}/publish`, {});
    assert.equal(published.statusCode, 303);
    assert.match((await b.get(published.headers.location!)).body, /data-phase="scheduled"/);
    const twice = await b.postForm(`${base}/rounds/${roundId}/publish`, {});
    assert.equal(twice.statusCode, 409);
  });

  test('the bank: filter, preview with and without the key, edit, generate drafts, approve, discard', async () => {
    const list = await b.get(`${base}/questions`);
    const ids = [...list.body.matchAll(/data-question="(\d+)"/g)].map((m) => m[1]!);
    assert.equal(ids.length, 2);
    const preview = await b.get(`${base}/questions/${ids[0]}`);
    assert.match(preview.body, /data-preview="participant"/);
    assert.match(preview.body, /Giải thích 1/);
    assert.equal((await b.get(`/admin/contest/999999/questions/${ids[0]}`)).statusCode, 404);

    const form = await b.get(`${base}/questions/${ids[0]}/edit`);
    assert.match(form.body, /UBND cấp xã nơi cư trú/);
    const fields: Record<string, string> = {
      kind: 'single',
      difficulty: '2',
      textVi: 'Đăng ký khai sinh tại đâu?',
      textEn: 'Where is a birth registered?',
      option1Vi: 'UBND cấp xã',
      option1En: 'Commune',
      option1Correct: '1',
      option2Vi: 'Sở Tư pháp',
      option2En: 'Department of Justice',
      explanationVi: 'Luật Hộ tịch.',
      explanationEn: 'Civil Status Law.',
      procedureCode: '1.001193',
    };
    const noKey = await b.postForm(`${base}/questions/${ids[0]}/edit`, { ...fields, option1Correct: '' });
    assert.equal(noKey.statusCode, 400);
    assert.match(noKey.body, /Câu hỏi chưa hợp lệ: Chưa chỉ ra phương án đúng/);
    // Active in a contest with a published round: participants may be drawing it, so it stays as it is.
    const inPlay = await b.postForm(`${base}/questions/${ids[0]}/edit`, fields);
    assert.equal(inPlay.statusCode, 409);
    assert.match(inPlay.body, /Cuộc thi đã có vòng thi được công bố nên không sửa được câu hỏi đang dùng/);

    const pools = /name="pool" value="(\d+)"/.exec((await b.get(`${base}/generate`)).body)!;
    const gen = await b.postForm(`${base}/generate`, { pool: pools[1]!, facts: 'time_limit', procedures: '1.001193' });
    assert.equal(gen.statusCode, 303);
    const drafts = await b.get(gen.headers.location!);
    assert.match(drafts.body, /Đã tạo 1 câu hỏi nháp/);
    const draftId = /data-question="(\d+)" data-status="draft"/.exec(drafts.body)![1];
    const saved = await b.postForm(`${base}/questions/${draftId}/edit`, fields);
    assert.equal(saved.statusCode, 303);
    assert.match((await b.get(saved.headers.location!)).body, /Đăng ký khai sinh tại đâu\?/);
    const approved = await b.postForm(`${base}/questions/${draftId}/approve`, { pool: '', status: '' });
    assert.equal(approved.statusCode, 303);
    assert.match((await b.get(approved.headers.location!)).body, new RegExp(`data-question="${draftId}" data-status="active"`));
    const again = await b.postForm(`${base}/questions/${draftId}/approve`, { pool: '', status: '' });
    assert.equal(again.statusCode, 409);
    // Active while a round of the contest is published: kept, retired, though never drawn.
    const retired = await b.postForm(`${base}/questions/${draftId}/retire`, { pool: '', status: '' });
    assert.match(retired.headers.location!, /done=retired/);
    const gen2 = await b.postForm(`${base}/generate`, { pool: pools[1]!, facts: 'fee', procedures: '1.001193' });
    const draft2 = /data-question="(\d+)" data-status="draft"/.exec((await b.get(gen2.headers.location!)).body)![1];
    const discarded = await b.postForm(`${base}/questions/${draft2}/retire`, { pool: '', status: '' });
    assert.match(discarded.headers.location!, /done=deleted/);
    const filtered = await b.get(`${base}/questions?status=draft`);
    assert.match(filtered.body, /Không có câu hỏi nào/);
  });
});
