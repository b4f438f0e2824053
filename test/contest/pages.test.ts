import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { EXPLAIN, type Auth } from './fixtures.js';
import { closeRound, postPairs, publishedRound, questionsOf, type Shown } from './play-helpers.js';

describe(`contest participant pages without JavaScript (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let contestId: number;
  let roundId: number;
  let key: Map<number, string[]>;
  const hoa = { name: 'Nguyễn Thị Hoa', phone: '0910 000 001', unitCode: UNITS.quangTrung };
  let browser: Browser;
  let entryId: number;

  before(async () => {
    // Behind a proxy, as in production: x-forwarded-proto says whether the visitor used https.
    t = await testApp({ trustProxy: true });
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    ({ contestId, roundId, key } = await publishedRound(t, admin, { questions: 4 }));
    browser = new Browser(t.app);
  });
  after(() => t?.close());

  const register = (b: Browser, fields: Record<string, string>) => b.postForm(`/contest/${contestId}/register`, fields);
  const entries = () => t.db.selectFrom('contest_entry').select(['id', 'participant_id']).where('round_id', '=', roundId).execute();

  test('the contest page shows the round, its phase and dates, and the rules with the prediction tie-break; home and guide link to it', async () => {
    const res = await browser.get('/contest');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Tìm hiểu dịch vụ công trực tuyến/);
    assert.match(res.body, /Đợt 1/);
    assert.match(res.body, /đang mở/);
    assert.match(res.body, /4 câu hỏi, làm trong 10 phút/);
    assert.match(res.body, /ai dự đoán gần đúng hơn đứng trước/);
    assert.match(res.body, new RegExp(`href="/contest/${contestId}/register"`));
    assert.match(res.body, new RegExp(`href="/contest/rounds/${roundId}"`));
    const en = await browser.get('/contest?lang=en');
    assert.match(en.body, /the closer prediction comes first/);
    await browser.get('/contest?lang=vi');
    assert.match((await browser.get('/')).body, /href="\/contest"/);
    assert.match((await browser.get('/guide')).body, /href="\/contest"/);
  });

  test('registration: wards grouped under their district, departments apart; each bad field is shown on the form', async () => {
    const page = await browser.get(`/contest/${contestId}/register?round=${roundId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<optgroup label="Quận Hà Đông">[^]*?value="000\.13\.42\.H26"[^]*?<\/optgroup>/);
    assert.match(page.body, /<optgroup label="Sở, ban, ngành thành phố">[^]*?value="000\.00\.01\.H26"/);
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...hoa, name: '   ' }, 400, /Xin|họ/i],
      [{ ...hoa, phone: '12' }, 400, /điện thoại/],
      [{ ...hoa, citizenId: '123' }, 400, /căn cước|CCCD|12/],
      [{ ...hoa, unitCode: '000.00.00.H26' }, 400, /Xin chọn phường, xã/],
      [{ ...hoa, unitCode: '' }, 400, /Xin chọn phường, xã/],
    ];
    for (const [fields, status, msg] of cases) {
      const res = await register(browser, { ...fields, round: String(roundId) });
      assert.equal(res.statusCode, status, JSON.stringify(fields));
      assert.match(res.body, /Có lỗi cần sửa/);
      assert.match(res.body, msg);
      assert.match(res.body, /aria-invalid="true"/);
      assert.match(res.body, /value="Nguyễn Thị Hoa"|value="   "/, 'what was typed stays');
    }
    const ok = await register(browser, { ...hoa, round: String(roundId) });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/contest/rounds/${roundId}`);
    const cookie = ok.cookies.find((c) => c.name === `contest_${contestId}`)!;
    assert.ok(cookie, 'the participant cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/contest');
    assert.ok(!cookie.secure, 'plain http: not Secure');
    // The same phone from another browser is refused with a clear message.
    const other = new Browser(t.app);
    await other.get(`/contest/${contestId}/register`);
    const taken = await register(other, { ...hoa, phone: '+84 910 000 001' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /đã đăng ký dự thi/);
    // ... and offered to continue on this browser with a code by SMS (test/contest/recovery.test.ts).
    assert.match(taken.body, new RegExp(`<div class="error-summary"[^]*href="/contest/${contestId}/recover"[^]*</div><form`));
    // Over https (said by the proxy) the cookie is Secure as well.
    const secure = new Browser(t.app);
    await secure.get(`/contest/${contestId}/register`);
    const body = new URLSearchParams({ _csrf: secure.csrf, ...hoa, phone: '0910000077' }).toString();
    const https = await secure.request({
      method: 'POST',
      url: `/contest/${contestId}/register`,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
    });
    assert.equal(https.statusCode, 303, https.body);
    assert.equal(https.cookies.find((c) => c.name === `contest_${contestId}`)?.secure, true);
    // A registered browser going back to the form is sent to the contest page.
    assert.equal((await browser.get(`/contest/${contestId}/register`)).headers.location, '/contest');
  });

  test('the form needs its CSRF token', async () => {
    const res = await new Browser(t.app).postForm(`/contest/${contestId}/register`, { ...hoa, phone: '0910000099' }, { csrf: null });
    assert.equal(res.statusCode, 403);
  });

  test('start, save, refresh, submit: answers shown as chosen; a second start keeps the one entry', async () => {
    const round = await browser.get(`/contest/rounds/${roundId}`);
    assert.match(round.body, /Bắt đầu làm bài/);
    assert.equal(questionsOf(round.body).length, 0, 'no questions before the start');
    const start = await browser.postForm(`/contest/rounds/${roundId}/start`, {});
    assert.equal(start.statusCode, 303);
    const page = await browser.get(`/contest/rounds/${roundId}`);
    assert.match(page.body, /<script src="\/static\/contest\.js" defer/);
    // The prediction is required to submit, not to save.
    assert.match(page.body, /value="save"[^>]*formnovalidate/i);
    assert.match(page.body, /<input id="prediction" name="prediction"[^>]*required/);
    const shown = questionsOf(page.body);
    assert.equal(shown.length, 4);
    entryId = Number((await entries())[0]!.id);
    // The page shows the entry exactly as the server drew it (order of questions and options).
    const view = await t.app.services.contestEntries.view(entryId!);
    assert.deepEqual(
      shown.map((q) => [q.id, q.options]),
      view.questions.map((q) => [q.id, q.options.map((o) => o.id)]),
    );
    assert.deepEqual(
      shown.map((q) => q.kind),
      view.questions.map((q) => (q.kind === 'single' ? 'radio' : 'checkbox')),
    );
    // Save the first two answers (right ones) without submitting.
    const [a, b, c, d] = shown as [Shown, Shown, Shown, Shown];
    const pairs = (qs: Shown[]) => qs.flatMap((q) => key.get(q.id)!.map((o) => [`q${q.id}`, o] as [string, string]));
    const saved = await postPairs(browser, `/contest/entries/${entryId}`, [...pairs([a, b]), ['action', 'save']]);
    assert.equal(saved.statusCode, 303);
    assert.match(saved.headers.location as string, /done=saved/);
    // A refresh (or a second tab) shows the same entry with the answers chosen so far.
    const again = await browser.postForm(`/contest/rounds/${roundId}/start`, {});
    assert.equal(again.statusCode, 303);
    const refreshed = questionsOf((await browser.get(`/contest/rounds/${roundId}`)).body);
    assert.deepEqual(refreshed[0]!.checked.sort(), [...key.get(a.id)!].sort());
    assert.deepEqual(refreshed[1]!.checked.sort(), [...key.get(b.id)!].sort());
    assert.deepEqual(refreshed[2]!.checked, []);
    assert.equal((await entries()).length, 1);
    // Submitting without a usable prediction keeps the answers and says what to fix.
    const noPrediction = await postPairs(browser, `/contest/entries/${entryId}`, [
      ...pairs([a, b, c]),
      ['prediction', 'nhiều'],
      ['action', 'submit'],
    ]);
    assert.equal(noPrediction.statusCode, 400);
    assert.match(noPrediction.body, /Xin ghi số dự đoán bằng chữ số/);
    assert.deepEqual(questionsOf(noPrediction.body)[2]!.checked.sort(), [...key.get(c.id)!].sort());
    const submitted = await postPairs(browser, `/contest/entries/${entryId}`, [
      ...pairs([a, b, c, d]),
      ['prediction', '1.200'],
      ['action', 'submit'],
    ]);
    assert.equal(submitted.statusCode, 303);
    const confirm = await browser.get(submitted.headers.location as string);
    assert.match(confirm.body, /Đã nộp bài/);
    assert.match(confirm.body, /Số dự đoán của Ông\/Bà: 1\.200/);
    assert.match(confirm.body, /Đã trả lời 4\/4 câu/);
    assert.equal(questionsOf(confirm.body).length, 0, 'no form after the submission');
    assert.doesNotMatch(confirm.body, new RegExp(EXPLAIN), 'nothing revealed before the close');
  });

  test('taking the round twice shows the existing entry, never a second one; later answers are refused', async () => {
    const again = await browser.postForm(`/contest/rounds/${roundId}/start`, {});
    assert.equal(again.statusCode, 303);
    const page = await browser.get(`/contest/rounds/${roundId}`);
    assert.match(page.body, /Ông\/Bà đã nộp bài lúc/);
    assert.equal((await entries()).length, 1);
    const late = await postPairs(browser, `/contest/entries/${entryId}`, [['action', 'save']]);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /Bài thi đã được nộp/);
  });

  test('with JavaScript each choice is saved by a form post answered in JSON; refusals are JSON too', async () => {
    const b = new Browser(t.app);
    await b.get(`/contest/${contestId}/register`);
    assert.equal((await register(b, { name: 'Trần Văn Bình', phone: '0910000002', unitCode: UNITS.dichVong })).statusCode, 303);
    await b.get(`/contest/rounds/${roundId}`);
    await b.postForm(`/contest/rounds/${roundId}/start`, {});
    const shown = questionsOf((await b.get(`/contest/rounds/${roundId}`)).body);
    const mine = Number((await entries()).find((e) => Number(e.id) !== entryId)!.id);
    const q = shown[0]!;
    const url = `/contest/entries/${mine}/answer`;
    const ok = await postPairs(b, url, [
      ['questionId', String(q.id)],
      ['chosen', q.options[1]!],
    ]);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().chosen, [q.options[1]]);
    const bad: [[string, string][], number, string][] = [
      [
        [
          ['questionId', String(q.id)],
          ['chosen', 'khong-co'],
        ],
        400,
        'contest_option_not_offered',
      ],
      [
        [
          ['questionId', '999999'],
          ['chosen', q.options[0]!],
        ],
        400,
        'contest_unknown_question',
      ],
      [[['questionId', 'abc']], 400, 'contest_unknown_question'],
    ];
    const single = shown.find((x) => x.kind === 'radio')!;
    bad.push([
      [
        ['questionId', String(single.id)],
        ['chosen', single.options[0]!],
        ['chosen', single.options[1]!],
      ],
      400,
      'contest_one_option_only',
    ]);
    for (const [pairs, status, code] of bad) {
      const res = await postPairs(b, url, pairs);
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().code, code);
      assert.ok(res.json().message.length > 5);
    }
    // Without the CSRF token; someone else's entry; no participant cookie at all.
    assert.equal((await postPairs(b, url, [['questionId', String(q.id)]], null)).statusCode, 403);
    const other = await postPairs(b, `/contest/entries/${entryId}/answer`, [['questionId', String(q.id)]]);
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().code, 'contest_entry_not_found');
    const stranger = new Browser(t.app);
    await stranger.get(`/contest/${contestId}/register`);
    const anon = await postPairs(stranger, url, [['questionId', String(q.id)]]);
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().code, 'contest_token_invalid');
    const anonPage = await postPairs(stranger, `/contest/entries/${mine}`, [['action', 'save']]);
    assert.equal(anonPage.statusCode, 401);
    assert.match(anonPage.body, /Mã dự thi không đúng/);

    // Time is up (moved through the database, no waiting): both ways of answering are refused.
    await t.db
      .updateTable('contest_entry')
      .set({ started_at: new Date(Date.now() - 606_000) })
      .where('id', '=', mine)
      .execute();
    const js = await postPairs(b, url, [
      ['questionId', String(q.id)],
      ['chosen', q.options[0]!],
    ]);
    assert.equal(js.statusCode, 409);
    assert.equal(js.json().code, 'contest_time_up');
    const form = await postPairs(b, `/contest/entries/${mine}`, [
      [`q${q.id}`, q.options[0]!],
      ['action', 'save'],
    ]);
    assert.equal(form.statusCode, 409);
    assert.match(form.body, /Đã hết thời gian làm bài\. Câu trả lời này không được ghi nhận/);
    const en = await postPairs(b, `/contest/entries/${mine}?lang=en`, [
      [`q${q.id}`, q.options[0]!],
      ['action', 'submit'],
      ['prediction', '3'],
    ]);
    assert.equal(en.statusCode, 409);
    assert.match(en.body, /time/i);
    const page = await b.get(`/contest/rounds/${roundId}?lang=vi`);
    assert.match(page.body, /Đã hết thời gian làm bài\. Các câu đã lưu/);
    assert.equal(questionsOf(page.body).length, 0);
    const saved = await t.db.selectFrom('contest_answer').select('chosen').where('entry_id', '=', mine).execute();
    assert.deepEqual(
      saved.map((s) => s.chosen),
      [[q.options[1]]],
      'the answer saved in time stays, the late one is not recorded',
    );
  });

  test('bad addresses are 404 pages; results before the close are refused', async () => {
    for (const url of [
      '/contest/rounds/abc',
      '/contest/rounds/999999',
      '/contest/0/register',
      '/contest/999999/register',
      '/contest/entries/999999',
    ]) {
      const res = await browser.get(url);
      assert.equal(res.statusCode, url === '/contest/entries/999999' ? 404 : 404, url);
      assert.match(res.headers['content-type'] as string, /text\/html/);
    }
    const early = await browser.get(`/contest/rounds/${roundId}/results`);
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /Kết quả chỉ được công bố khi đợt thi kết thúc/);
    assert.equal((await browser.get(`/contest/entries/${entryId}/certificate.pdf`)).statusCode, 409);
    assert.equal((await browser.get(`/contest/entries/${entryId}`)).headers.location, `/contest/rounds/${roundId}`);
  });

  test('after the close: my result with the key and explanations, the public results and the units leaderboard', async () => {
    await closeRound(t, roundId);
    const round = await browser.get(`/contest/rounds/${roundId}`);
    assert.match(round.body, new RegExp(`href="/contest/entries/${entryId}"`));
    const mine = await browser.get(`/contest/entries/${entryId}`);
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /4\/4 câu/);
    assert.match(mine.body, /thứ 1 trên 2 bài thi/);
    assert.match(mine.body, new RegExp(EXPLAIN));
    assert.match(mine.body, /Đáp án đúng/);
    assert.match(mine.body, /1\.200/);
    assert.match(mine.body, /href="\/procedures\/1\.002211"/);

    const pub = await browser.get(`/contest/rounds/${roundId}/results`);
    assert.equal(pub.statusCode, 200);
    const stored = await t.db.selectFrom('contest_ranking').select('hash').where('round_id', '=', roundId).executeTakeFirstOrThrow();
    assert.match(pub.body, new RegExp(stored.hash));
    assert.match(pub.body, /N\.T\.H\./);
    assert.match(pub.body, /\*{7}001/);
    assert.doesNotMatch(pub.body, /Nguyễn Thị Hoa|0910000001|Trần Văn Bình/);
    assert.match(pub.body, new RegExp(`/api/v1/contest/rounds/${roundId}/results/ranking.json\\?version=1`));
    assert.doesNotMatch(pub.body, new RegExp(EXPLAIN));
    // Paging, with pages of one entry: the second page holds the second ranked entry.
    const second = await t.app.services.contestPlay.publicResults(roundId, 2, new Date(), 1);
    assert.equal(second.pages, 2);
    assert.deepEqual(
      second.rows.map((r) => [r.rank, r.initials, r.phone]),
      [[2, 'T.V.B.', '*******002']],
    );
    for (const page of ['0', '2', 'x'])
      assert.equal((await browser.get(`/contest/rounds/${roundId}/results?page=${page}`)).statusCode, 404, page);

    const board = await browser.get(`/contest/rounds/${roundId}/leaderboard`);
    assert.equal(board.statusCode, 200);
    assert.match(board.body, /Quận Hà Đông/);
    assert.match(board.body, /Quận Cầu Giấy/);
    const wards = await browser.get(`/contest/rounds/${roundId}/leaderboard?level=commune`);
    assert.match(wards.body, /Phường Quang Trung/);
    assert.doesNotMatch(wards.body, /<td>Quận Hà Đông<\/td>/);
    assert.equal((await browser.get(`/contest/rounds/${roundId}/leaderboard?level=planet`)).statusCode, 400);
    // Someone who never registered sees the results, not a registration button.
    const visitor = await new Browser(t.app).get(`/contest/rounds/${roundId}`);
    assert.match(visitor.body, new RegExp(`href="/contest/rounds/${roundId}/results"`));
    assert.doesNotMatch(visitor.body, new RegExp(`/contest/${contestId}/register`));
    const home = await browser.get('/contest');
    assert.match(home.body, new RegExp(`/contest/rounds/${roundId}/leaderboard`));
  });

  test('the certificate: a PDF with an unguessable code, the same on every download, verified publicly', async () => {
    const pdf = await browser.get(`/contest/entries/${entryId}/certificate.pdf?lang=en`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const cert = await t.db.selectFrom('contest_certificate').selectAll().where('entry_id', '=', entryId).executeTakeFirstOrThrow();
    assert.match(cert.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.ok(pdf.rawPayload.includes(`Certificate ${cert.code}`), 'the code is in the document title');
    await browser.get(`/contest/entries/${entryId}/certificate.pdf`);
    assert.equal((await t.db.selectFrom('contest_certificate').select('code').where('entry_id', '=', entryId).execute()).length, 1);

    const ok = await browser.get(`/contest/certificates/${cert.code}?lang=vi`);
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Giấy chứng nhận này do hệ thống cấp/);
    assert.match(ok.body, /N\.T\.H\./);
    assert.match(ok.body, /4\/4 câu/);
    assert.doesNotMatch(ok.body, /Nguyễn Thị Hoa|0910000001/);
    // Typed from paper: lower case, no dashes, O for 0 are all accepted.
    const typed = cert.code.toLowerCase().replace(/-/g, '').replace(/0/g, 'o');
    assert.equal((await browser.get(`/contest/certificates/${typed}`)).statusCode, 200);
    for (const code of ['AAAA-AAAA-AAAA-AAAA-AAAA', 'not-a-code', 'x'.repeat(60)]) {
      const res = await browser.get(`/contest/certificates/${code}`);
      assert.equal(res.statusCode, 404, code);
      assert.match(res.body, /Không xác nhận được giấy chứng nhận/);
    }
    // Someone else's certificate cannot be downloaded.
    const stranger = new Browser(t.app);
    assert.equal((await stranger.get(`/contest/entries/${entryId}/certificate.pdf`)).statusCode, 401);
  });
  test('after a disqualification: version 2 of the results with the history, no rank, the certificate no longer confirmed', async () => {
    const code = (await t.db.selectFrom('contest_certificate').select('code').where('entry_id', '=', entryId).executeTakeFirstOrThrow())
      .code;
    const dq = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/entries/${entryId}/disqualify`,
      headers: admin,
      payload: { reason: 'Kiểm tra thử: trả lời quá nhanh' },
    });
    assert.equal(dq.statusCode, 200, dq.body);
    const pub = await browser.get(`/contest/rounds/${roundId}/results?lang=vi`);
    assert.match(pub.body, /phiên bản 2/);
    assert.match(pub.body, new RegExp(`/api/v1/contest/rounds/${roundId}/results/ranking.json\\?version=1`));
    assert.doesNotMatch(pub.body, /N\.T\.H\./);
    const mine = await browser.get(`/contest/entries/${entryId}`);
    assert.match(mine.body, /không có trong bảng xếp hạng/);
    assert.doesNotMatch(mine.body, /certificate\.pdf/);
    assert.equal((await browser.get(`/contest/entries/${entryId}/certificate.pdf`)).statusCode, 404);
    assert.equal((await browser.get(`/contest/certificates/${code}`)).statusCode, 404);
  });
});
