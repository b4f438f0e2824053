import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { questionRow, xlsxOf } from '../contest/bank-fixtures.js';
import { browserSuite, checkA11y } from './browser.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe(`contest administration in Chromium (${ENGINE})`, () => {
  const s = browserSuite();

  test('the city admin creates a contest, imports questions from xlsx (a bad row first), confirms, creates and publishes a round; axe clean', async () => {
    const page = await (await s.browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${s.t.url}/login`);
    await page.fill('#identifier', DEMO.cityAdmin);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);

    await Promise.all([page.waitForURL(/\/admin\/contest$/), page.click('nav a[href="/admin/contest"]')]);
    await checkA11y(page, 'the contests list');
    await page.fill('#titleVi', 'Tìm hiểu dịch vụ công trực tuyến 2026');
    await page.fill('#titleEn', 'Online public services contest 2026');
    await Promise.all([page.waitForURL(/\/admin\/contest\/\d+\?done=created/), page.click('form.contest-create button[type=submit]')]);
    await checkA11y(page, 'the new contest');
    const contestUrl = page.url().replace(/\?.*$/, '');

    await Promise.all([page.waitForURL(/\/import$/), page.click('a[href$="/import"]')]);
    await checkA11y(page, 'the import page');
    const bad = await xlsxOf([questionRow(1), questionRow(2, { correct: '1,2' }), questionRow(3, { field: 'astrology' })]);
    await page.setInputFiles('#file', { name: 'cau-hoi.xlsx', mimeType: XLSX, buffer: bad });
    await Promise.all([page.waitForURL(/\/import\/\d+$/), page.click('form.question-import button[type=submit]')]);
    assert.equal(await page.locator('tr[data-reason]').count(), 2);
    assert.match((await page.textContent('tr[data-row="3"]')) ?? '', /Câu một đáp án nhưng có nhiều phương án đúng/);
    assert.match((await page.textContent('tr[data-row="4"]')) ?? '', /Mã lĩnh vực không có trong danh mục/);
    assert.equal(await page.locator('form.import-confirm').count(), 0, 'no confirmation while a row is wrong');
    await checkA11y(page, 'the validation report with problems');

    await Promise.all([page.waitForURL(/\/import$/), page.click('a[href$="/import"]:not([href^="/api"])')]);
    const good = await xlsxOf([
      questionRow(1),
      questionRow(2, { kind: 'multiple', correct: '1,3' }),
      questionRow(3, { field: 'justice', procedure_code: '1.002211' }),
    ]);
    await page.setInputFiles('#file', { name: 'cau-hoi.xlsx', mimeType: XLSX, buffer: good });
    await Promise.all([page.waitForURL(/\/import\/\d+$/), page.click('form.question-import button[type=submit]')]);
    assert.match((await page.textContent('[data-figure=summary]')) ?? '', /3 câu hỏi, 3 câu đúng, 0 lỗi/);
    await checkA11y(page, 'the validation report, ready');
    await Promise.all([page.waitForURL(/done=imported/), page.click('form.import-confirm button[type=submit]')]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Đã nhập 3 câu hỏi/);
    await checkA11y(page, 'the confirmed import');

    await Promise.all([page.waitForURL(/\/questions$/), page.click('main a[href$="/questions"]')]);
    assert.equal(await page.locator('tr[data-question][data-status=active]').count(), 3);
    await checkA11y(page, 'the question bank');
    const bankUrl = page.url();
    await Promise.all([page.waitForURL(/\/questions\/\d+$/), page.locator('tr[data-question] td:last-child a').first().click()]);
    assert.equal(await page.locator('[data-preview=key] [data-correct=true]').count(), 1);
    await checkA11y(page, 'a question preview, as a participant and with its key');
    await page.goto(`${bankUrl.replace(/\/questions.*$/, '')}/questions/${/\d+$/.exec(page.url())![0]}/edit`);
    await checkA11y(page, 'the question editor');
    await page.goto(`${contestUrl}/generate`);
    await checkA11y(page, 'the generator');

    await page.goto(contestUrl);
    await page.fill('#opensAt', '2030-12-01T08:00');
    await page.fill('#closesAt', '2030-12-10T17:00');
    await page.fill('#questionCount', '4');
    await page.fill('#minutes', '10');
    await Promise.all([page.waitForURL(/done=round/), page.click('form.round-create button[type=submit]')]);
    await Promise.all([page.waitForLoadState('load'), page.click('tr[data-phase=draft] form button[type=submit]')]);
    assert.match((await page.textContent('[role=alert]')) ?? '', /cần 4 câu, hiện có 3 câu/);
    await checkA11y(page, 'the publication refused with its reason');

    await page.fill('#opensAt', '2030-12-11T08:00');
    await page.fill('#closesAt', '2030-12-20T17:00');
    await page.fill('#questionCount', '3');
    await Promise.all([page.waitForURL(/done=round/), page.click('form.round-create button[type=submit]')]);
    const draft = page.locator('tr[data-phase=draft]').last();
    await Promise.all([page.waitForURL(/done=published/), draft.locator('form button[type=submit]').click()]);
    assert.equal(await page.locator('tr[data-phase=scheduled]').count(), 1);
    await checkA11y(page, 'the contest with a published round');
    await Promise.all([page.waitForURL(/\/admin\/contest\/rounds\/\d+\/flags/), page.click('tr[data-phase=scheduled] a[href$="/flags"]')]);
    await checkA11y(page, 'the review page of the published round');
  });
});
