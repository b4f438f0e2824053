import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { browserSuite, checkA11y } from './browser.js';

describe(`calendar pages in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();

  test('a citizen works out when a result submitted on Friday 13 February 2026 at 15:01 is due', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${suite.t.url}/`);
    await page.click('nav >> text=Tính ngày hẹn trả');
    await checkA11y(page, 'due-date calculator');
    await page.fill('#amount', '1');
    await page.selectOption('#unit', 'working_days');
    await page.fill('#date', '2026-02-13');
    await page.fill('#time', '15:01');
    await Promise.all([page.waitForURL(/amount=1/), page.click('button[type=submit].button')]);
    assert.match((await page.textContent('.big-result')) ?? '', /17:00 24\/02\/2026/);
    assert.match((await page.textContent('.result-panel')) ?? '', /Tết Nguyên đán/);
    await checkA11y(page, 'due-date result');
    await page.fill('#amount', 'ba');
    await Promise.all([page.waitForURL(/amount=ba/), page.click('button[type=submit].button')]);
    assert.match(await page.title(), /^Lỗi: /);
    await checkA11y(page, 'due-date errors');
    await page.goto(`${suite.t.url}/calendar/2026?lang=en`);
    assert.equal(await page.textContent('h1'), 'Public holidays 2026');
    await checkA11y(page, 'holiday calendar (en)');
    await page.goto(`${suite.t.url}/calendar/2035?lang=vi`);
    assert.ok(await page.isVisible('text=chưa được công bố chính thức'));
    await page.context().close();
  });

  test('a city admin publishes a year from the review page, without JavaScript too', async () => {
    const context = await suite.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${suite.t.url}/login`);
    await page.fill('#identifier', DEMO.cityAdmin);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button[type=submit].button');
    await page.goto(`${suite.t.url}/calendar/2029`);
    await page.click('text=Duyệt và công bố lịch năm này');
    await checkA11y(page, 'calendar admin');
    await page.fill('#note', 'Thông báo thử nghiệm 2029');
    await page.click('button[type=submit].button');
    assert.ok(await page.isVisible('text=Đã công bố lịch năm 2029, phiên bản 1.'));
    await page.goto(`${suite.t.url}/calendar/2029`);
    assert.ok(await page.isVisible('text=Thông báo thử nghiệm 2029'));
    // The same administrator manages what a ward offers; the page must be accessible too.
    await page.goto(`${suite.t.url}/units/000.13.42.H26`);
    await page.click('text=Quản lý thủ tục đơn vị tiếp nhận');
    await checkA11y(page, 'unit offerings admin');
    await page.click('button[type=submit].button');
    assert.ok(await page.isVisible('text=Đã lưu: 0 thay đổi.'));
    await page.goto(`${suite.t.url}/admin/units/000.13.42.H26/office-hours`);
    await checkA11y(page, 'office hours admin');
    // And edits a procedure: preview first, then publish.
    await page.goto(`${suite.t.url}/procedures/1.004873`);
    await page.click('text=Sửa thủ tục (tạo phiên bản mới)');
    await checkA11y(page, 'procedure editor');
    await page.fill('#amount', '2');
    await page.click('button[value=preview]');
    assert.ok(await page.isVisible('text=Xem trước phiên bản mới'));
    await checkA11y(page, 'procedure editor preview');
    await page.click('button[value=publish]');
    assert.ok(await page.isVisible('.success'));
    await context.close();

    const noJs = await suite.browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const p2 = await noJs.newPage();
    await p2.goto(`${suite.t.url}/calendar/due-date?amount=3&unit=working_days&date=2026-04-29&time=09:00`);
    // 30/4 and 1/5 are holidays, then the weekend: three working days after Wednesday 29 April 2026 end on Wednesday 6 May.
    assert.match((await p2.textContent('.big-result')) ?? '', /17:00 06\/05\/2026/);
    await noJs.close();
  });
});
