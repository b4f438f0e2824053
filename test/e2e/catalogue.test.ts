import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { pdfText } from '../helpers/pdf.js';
import { browserSuite, checkA11y } from './browser.js';

describe(`procedure catalogue in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();

  test('a citizen types "xac nhan tinh trang hon nhan", opens the procedure, picks Phường Quang Trung and downloads the leaflet', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN', acceptDownloads: true })).newPage();
    await page.goto(`${suite.t.url}/`);
    await checkA11y(page, 'home with search');
    await page.fill('#q', 'xac nhan tinh trang hon nhan');
    await Promise.all([page.waitForURL(/\/procedures\?q=/), page.click('.search-box button[type=submit]')]);
    await checkA11y(page, 'search results');
    await Promise.all([page.waitForURL(/\/procedures\/1\.004873$/), page.click('.procedure-list a >> nth=0')]);
    assert.equal(await page.textContent('h1'), 'Cấp Giấy xác nhận tình trạng hôn nhân');
    await checkA11y(page, 'procedure page');
    await page.selectOption('#ward', UNITS.quangTrung);
    await Promise.all([page.waitForURL(/ward=/), page.click('form:has(#ward) button[type=submit]')]);
    const offices = (await page.textContent('.offices')) ?? '';
    assert.match(offices, /Phường Quang Trung/);
    assert.match((await page.textContent('.summary-list')) ?? '', /3 ngày làm việc/);
    assert.ok((await page.locator('table tbody tr').count()) > 0, 'documents are listed');
    await checkA11y(page, 'procedure page with office');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải tờ rơi hướng dẫn (PDF)')]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    assert.match(await pdfText(await readFile(path!)), /Cấp Giấy xác nhận tình trạng hôn nhân/);
    await page.context().close();
  });

  test('the same journey in English, with JavaScript disabled', async () => {
    const context = await suite.browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.t.url}/?lang=en`);
    await page.fill('#q', 'marital status');
    await Promise.all([page.waitForURL(/\/procedures\?q=/), page.click('.search-box button[type=submit]')]);
    await Promise.all([page.waitForURL(/\/procedures\/1\.004873$/), page.click('.procedure-list a >> nth=0')]);
    assert.match((await page.textContent('h1')) ?? '', /marital status/i);
    await page.selectOption('#ward', UNITS.quangTrung);
    await Promise.all([page.waitForURL(/ward=/), page.click('form:has(#ward) button[type=submit]')]);
    assert.match((await page.textContent('.offices')) ?? '', /Quang Trung Ward/);
    assert.match((await page.textContent('.summary-list')) ?? '', /3 working days/);
    await context.close();
  });

  test('easy-read mode makes the text larger and is remembered', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${suite.t.url}/guide`);
    const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p')!).fontSize));
    await Promise.all([page.waitForURL(/easy=1/), page.click('.easy-switch')]);
    await page.goto(`${suite.t.url}/guide`);
    const large = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p')!).fontSize));
    assert.ok(large > normal * 1.2, `${normal} -> ${large}`);
    await checkA11y(page, 'guide in easy-read mode');
    await page.context().close();
  });
});
