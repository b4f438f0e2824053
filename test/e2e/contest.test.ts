import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { bearerFor, DEMO, UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { closeRound, publishedRound } from '../contest/play-helpers.js';
import { browserSuite, checkA11y } from './browser.js';

describe(`the contest in Chromium, with and without JavaScript (${ENGINE})`, () => {
  const suite = browserSuite();

  /** The question ids of the entry form, in the order shown. */
  const questionIds = async (page: Page) =>
    (await page.$$eval('fieldset[data-question]', (fs) => fs.map((f) => (f as HTMLElement).dataset.question!))).map(Number);

  /** axe needs JavaScript: the pages seen without it are checked again in a JS-enabled twin holding the same cookies. */
  async function checkLikeNoJs(from: BrowserContext, urls: string[]) {
    const twin = await suite.browser.newContext({ locale: 'vi-VN' });
    await twin.addCookies(await from.cookies());
    const page = await twin.newPage();
    for (const url of urls) {
      await page.goto(url);
      await checkA11y(page, `${url} (seen without JavaScript)`);
    }
    await twin.close();
  }

  test('one participant with JavaScript, one without, a second attempt refused, then the results; axe clean everywhere', async () => {
    const { t, browser } = suite;
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    const { contestId, roundId, key } = await publishedRound(t, admin, { questions: 4 });
    // A school on the registration form (its select is checked by axe with the rest), chosen by the second participant.
    const school = await t.app.inject({
      method: 'POST',
      url: '/api/v1/learn/schools',
      headers: admin,
      payload: {
        code: 'DV-TH-E2E',
        name: { vi: 'Trường Tiểu học Dịch Vọng', en: 'Dịch Vọng Primary' },
        kind: 'primary',
        unitCode: UNITS.dichVong,
      },
    });
    assert.equal(school.statusCode, 201, school.body);
    const entries = () => t.db.selectFrom('contest_entry').select(['id']).where('round_id', '=', roundId).execute();

    // 1. With JavaScript: register (a mistake first), start, the timer runs, each choice is saved as it is made.
    const jsContext = await browser.newContext({ locale: 'vi-VN' });
    const a = await jsContext.newPage();
    await a.goto(`${t.url}/`);
    await Promise.all([a.waitForURL(/\/contest$/), a.click('main a[href="/contest"]')]);
    await checkA11y(a, 'the contest page');
    await Promise.all([a.waitForURL(/\/register$/), a.click(`a[href="/contest/${contestId}/register"]`)]);
    await checkA11y(a, 'the registration form');
    await a.fill('#name', 'Nguyễn Thị Hoa');
    await a.fill('#phone', '09100');
    await a.selectOption('#unitCode', UNITS.quangTrung);
    await a.click('form.contest-register button[type=submit]');
    assert.match(await a.title(), /^Lỗi: /);
    await checkA11y(a, 'the registration form with an error');
    await a.fill('#phone', '0910 000 001');
    await Promise.all([a.waitForURL(/\/contest$/), a.click('form.contest-register button[type=submit]')]);
    assert.match((await a.textContent('main')) ?? '', /đã đăng ký dự thi với tên Nguyễn Thị Hoa/);
    await Promise.all([a.waitForURL(new RegExp(`/contest/rounds/${roundId}$`)), a.click(`a.button[href="/contest/rounds/${roundId}"]`)]);
    await checkA11y(a, 'the round before the start');
    await Promise.all([a.waitForURL(new RegExp(`/contest/rounds/${roundId}$`)), a.click('text=Bắt đầu làm bài')]);
    await a.waitForSelector('.contest-timer', { state: 'visible' });
    assert.match((await a.textContent('.contest-timer-value')) ?? '', /^(10:00|9:[0-5]\d)$/);
    await checkA11y(a, 'the entry form with its timer');
    const ids = await questionIds(a);
    assert.equal(ids.length, 4);
    for (const id of ids) {
      for (const opt of key.get(id)!) await a.click(`label[for="q${id}-${opt}"]`);
      await a.waitForSelector(`#q${id}-status.save-ok`);
    }
    const saved = await t.db.selectFrom('contest_answer').select(['question_id', 'chosen']).execute();
    assert.deepEqual(
      Object.fromEntries(saved.map((s) => [s.question_id, [...s.chosen].sort()])),
      Object.fromEntries(ids.map((id) => [id, [...key.get(id)!].sort()])),
      'every choice saved without pressing a button',
    );
    // A second tab continues the same entry, with the choices shown as chosen.
    const tab = await jsContext.newPage();
    await tab.goto(`${t.url}/contest/rounds/${roundId}`);
    for (const id of ids) for (const opt of key.get(id)!) assert.ok(await tab.isChecked(`#q${id}-${opt}`));
    await tab.close();
    assert.equal((await entries()).length, 1);
    await a.fill('#prediction', '2');
    await Promise.all([a.waitForURL(/done=submitted/), a.click('button[value=submit]')]);
    assert.match((await a.textContent('[role=status]')) ?? '', /Đã nộp bài/);
    await checkA11y(a, 'the confirmation');

    // 2. Without JavaScript: the same flow with form posts; no timer, the deadline as a clock time.
    const noJs = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const b = await noJs.newPage();
    const seen: string[] = [];
    await b.goto(`${t.url}/contest/rounds/${roundId}`);
    await Promise.all([b.waitForURL(/\/register\?round=/), b.click(`a[href^="/contest/${contestId}/register"]`)]);
    seen.push(`${t.url}/contest/${contestId}/register`);
    await b.fill('#name', 'Trần Văn Bình');
    await b.fill('#phone', '0910000002');
    await b.selectOption('#schoolCode', 'DV-TH-E2E');
    await Promise.all([b.waitForURL(new RegExp(`/contest/rounds/${roundId}$`)), b.click('form.contest-register button[type=submit]')]);
    seen.push(b.url());
    await Promise.all([b.waitForURL(new RegExp(`/contest/rounds/${roundId}$`)), b.click('text=Bắt đầu làm bài')]);
    assert.equal(await b.isVisible('.contest-timer'), false);
    assert.match((await b.textContent('.contest-deadline')) ?? '', /Hạn nộp bài: /);
    const bIds = await questionIds(b);
    const [first, ...rest] = bIds as [number, ...number[]];
    for (const opt of key.get(first)!) await b.click(`label[for="q${first}-${opt}"]`);
    await Promise.all([b.waitForURL(/done=saved/), b.click('button[value=save]')]);
    assert.match((await b.textContent('[role=status]')) ?? '', /Đã lưu các câu trả lời/);
    seen.push(b.url());
    for (const id of rest) await b.click(`label[for="q${id}-${key.get(id)![0]}"]`);
    await b.fill('#prediction', '1');
    await Promise.all([b.waitForURL(/done=submitted/), b.click('button[value=submit]')]);
    assert.match((await b.textContent('[role=status]')) ?? '', /Đã nộp bài/);
    seen.push(b.url());
    await checkLikeNoJs(noJs, seen);

    // 3. The same person again: the round page shows the entry already submitted; registering anew is refused.
    await b.goto(`${t.url}/contest/rounds/${roundId}`);
    assert.match((await b.textContent('main')) ?? '', /Ông\/Bà đã nộp bài lúc/);
    assert.equal(await b.isVisible('text=Bắt đầu làm bài'), false);
    const fresh = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await fresh.goto(`${t.url}/contest/${contestId}/register`);
    await fresh.fill('#name', 'Trần Văn Bình');
    await fresh.fill('#phone', '+84 910 000 002');
    await fresh.selectOption('#unitCode', UNITS.dichVong);
    await fresh.click('form.contest-register button[type=submit]');
    assert.match((await fresh.textContent('[role=alert]')) ?? '', /Số điện thoại này đã đăng ký dự thi/);
    await checkA11y(fresh, 'registration refused for a phone already registered');
    await fresh.context().close();
    assert.equal((await entries()).length, 2);

    // 4. After the close (moved through the database): results, the public ranking, the leaderboard, the certificate.
    await closeRound(t, roundId);
    await a.goto(`${t.url}/contest/rounds/${roundId}`);
    await Promise.all([a.waitForURL(/\/contest\/entries\/\d+$/), a.click('text=Xem kết quả của tôi')]);
    assert.match((await a.textContent('main')) ?? '', /4\/4 câu/);
    await checkA11y(a, 'my result');
    const pdf = await a.request.get(`${t.url}${await a.getAttribute('a[href*="certificate.pdf"]', 'href')}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const cert = await t.db.selectFrom('contest_certificate').select('code').executeTakeFirstOrThrow();
    await a.goto(`${t.url}/contest/certificates/${cert.code}`);
    assert.match((await a.textContent('[role=status]')) ?? '', /do hệ thống cấp/);
    await checkA11y(a, 'the certificate verification');
    await a.goto(`${t.url}/contest`);
    await Promise.all([a.waitForURL(/\/results$/), a.click(`a[href="/contest/rounds/${roundId}/results"]`)]);
    assert.match((await a.textContent('table')) ?? '', /N\.T\.H\./);
    await checkA11y(a, 'the public results');
    await Promise.all([a.waitForURL(/\/leaderboard$/), a.click(`main a[href="/contest/rounds/${roundId}/leaderboard"]`)]);
    await checkA11y(a, 'the units leaderboard');
    await Promise.all([a.waitForURL(/level=commune/), a.click('text=Xem theo phường, xã')]);
    assert.match((await a.textContent('table')) ?? '', /Phường Quang Trung/);
    await checkA11y(a, 'the wards leaderboard');
    await Promise.all([a.waitForURL(/level=school/), a.click('text=Xem theo trường học')]);
    assert.match((await a.textContent('table')) ?? '', /Trường Tiểu học Dịch Vọng/);
    await checkA11y(a, 'the schools leaderboard');
    await b.goto(`${t.url}/contest/rounds/${roundId}`);
    await Promise.all([b.waitForURL(/\/contest\/entries\/\d+$/), b.click('text=Xem kết quả của tôi')]);
    assert.match((await b.textContent('main')) ?? '', /Đáp án đúng/);
    await checkLikeNoJs(noJs, [b.url()]);
    await jsContext.close();
    await noJs.close();
  });
});
