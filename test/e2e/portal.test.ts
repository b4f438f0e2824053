import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { browserSuite, checkA11y } from './browser.js';

describe(`portal in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();

  test('a visitor reads the home page in Vietnamese, switches to English on the same page, and sees the units', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && cspErrors.push(m.text()));
    await page.goto(`${suite.t.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.equal(await page.textContent('h1'), 'Dịch vụ công trực tuyến');
    await checkA11y(page, 'home (vi)');
    await page.click('text=Cơ quan, đơn vị');
    assert.match(page.url(), /\/units$/);
    await checkA11y(page, 'units (vi)');
    await page.click('.lang-switch');
    assert.match(page.url(), /\/units\?lang=en$/);
    assert.equal(await page.textContent('h1'), 'Offices and units');
    assert.ok(await page.isVisible('text=Quang Trung Ward'));
    await checkA11y(page, 'units (en)');
    // The skip link is the first thing a keyboard reaches, and it moves focus to the content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    assert.deepEqual(cspErrors, []);
    await page.context().close();
  });

  test('a citizen fixes registration errors from the summary, registers, logs out and logs back in', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${suite.t.url}/register`);
    await checkA11y(page, 'register');
    await page.fill('#fullName', 'Bùi Thị Lan');
    await page.fill('#phone', '0912');
    await page.fill('#password', 'short');
    await page.click('button[type=submit].button');
    assert.match(await page.title(), /^Lỗi: Đăng ký tài khoản/);
    assert.ok(await page.isVisible('.error-summary'));
    assert.equal(await page.inputValue('#fullName'), 'Bùi Thị Lan', 'values are kept');
    await checkA11y(page, 'register with errors');
    await page.click('.error-summary a[href="#phone"]');
    await page.fill('#phone', '0912 000 111');
    await page.fill('#password', 'mot-mat-khau-dai');
    await page.click('button[type=submit].button');
    assert.match(page.url(), /\/account$/);
    assert.equal(await page.textContent('h1'), 'Tài khoản của tôi');
    assert.ok(await page.isVisible('text=Xin chào, Bùi Thị Lan.'));
    await checkA11y(page, 'account');
    await page.click('text=Đăng xuất');
    assert.match(page.url(), /\/$/);
    await page.click('nav >> text=Đăng nhập');
    await checkA11y(page, 'login');
    await page.fill('#identifier', '0912000111');
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit].button');
    assert.match(await page.title(), /^Lỗi: /);
    await checkA11y(page, 'login with error');
    await page.fill('#password', 'mot-mat-khau-dai');
    await page.click('button[type=submit].button');
    assert.match(page.url(), /\/account$/);
    await page.context().close();
  });

  // axe needs JavaScript, so these pages are checked in the test above.
  test('without JavaScript an official logs in and sees their role; a wrong password shows an error', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${suite.t.url}/login`);
    await page.fill('#identifier', DEMO.leaderHaDong);
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit].button');
    assert.match(await page.title(), /^Lỗi: /);
    assert.ok(await page.isVisible('text=Tên đăng nhập hoặc mật khẩu không đúng.'));
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button[type=submit].button');
    assert.match(page.url(), /\/account$/);
    assert.ok(await page.isVisible('text=Lãnh đạo (000.00.42.H26)'));
    await context.close();
  });

  test('the 404 page is helpful in both languages', async () => {
    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    const res = await page.goto(`${suite.t.url}/thu-tuc-khong-ton-tai`);
    assert.equal(res?.status(), 404);
    assert.equal(await page.textContent('h1'), 'Không tìm thấy trang');
    await checkA11y(page, '404');
    await page.goto(`${suite.t.url}/missing?lang=en`);
    assert.equal(await page.textContent('h1'), 'Page not found');
    await page.context().close();
  });
});
