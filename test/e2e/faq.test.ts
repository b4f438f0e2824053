import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { checkA11y, launch, serve } from './browser.js';

async function login(page: Page, url: string, who: string) {
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
}

describe(`FAQ in Chromium (${ENGINE})`, () => {
  let t: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => {
    t = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('a visitor searches without diacritics, opens an entry, follows its procedure and finds the FAQ there; axe clean', async () => {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/`);
    await Promise.all([page.waitForURL(/\/faq$/), page.click('nav.site-nav a[href="/faq"]')]);
    await checkA11y(page, 'the FAQ list');
    await page.fill('#q', 'ho khau');
    await Promise.all([page.waitForURL(/q=ho\+khau/), page.click('form[role=search] button.button:not(.button-secondary)')]);
    const first = page.locator('ol.faq-list li h3 a').first();
    assert.match((await first.textContent()) ?? '', /sổ hộ khẩu/);
    await checkA11y(page, 'the FAQ search results');
    await Promise.all([page.waitForURL(/\/faq\/\d+$/), page.click('ol.faq-list a:has-text("tình trạng hôn nhân")')]);
    const entryUrl = new URL(page.url()).pathname;
    assert.match((await page.textContent('[role=note]')) ?? '', /Đang được đơn vị xác nhận/);
    assert.match((await page.textContent('main')) ?? '', /Nghị định số 123\/2015\/NĐ-CP/);
    await checkA11y(page, 'an FAQ entry');
    await Promise.all([page.waitForURL(/\/procedures\/1\.004873$/), page.click('main a[href="/procedures/1.004873"]')]);
    const section = page.locator('section[aria-labelledby="faq-title"]');
    assert.match((await section.textContent()) ?? '', /Câu hỏi thường gặp về thủ tục này/);
    assert.equal(await section.locator(`a[href="${entryUrl}"]`).count(), 1);
    await checkA11y(page, 'the procedure page with its FAQ');
  });

  test('an official writes an entry linked to a procedure, publishes it, and it is found; axe clean', async () => {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await login(page, t.url, DEMO.leaderHaDong);
    await page.goto(`${t.url}/work/faq`);
    await checkA11y(page, 'the officials’ FAQ list');
    await Promise.all([page.waitForURL(/\/work\/faq\/new$/), page.click('a[href="/work/faq/new"]')]);
    await checkA11y(page, 'the new entry form');
    await page.selectOption('#field', 'civil_status');
    await page.fill('#questionVi', 'Đăng ký khai tử cho người thân cần những giấy tờ gì?');
    await page.fill(
      '#answerVi',
      'Tờ khai theo mẫu và giấy báo tử hoặc giấy tờ thay giấy báo tử.\n\nCăn cứ: Luật Hộ tịch số 60/2014/QH13 (Điều 33, 34).',
    );
    await page.fill('#procedureCodes', '1.000656');
    await Promise.all([page.waitForURL(/done=saved/), page.click('main form button[type=submit].button')]);
    await checkA11y(page, 'the list after saving');
    const row = page.locator('tr', { hasText: 'Đăng ký khai tử cho người thân' });
    await Promise.all([page.waitForURL(/done=published/), row.locator('form[action$="/publish"] button').click()]);
    const visitor = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await visitor.goto(`${t.url}/faq?q=${encodeURIComponent('khai tu nguoi than')}`);
    const hit = visitor.locator('ol.faq-list a', { hasText: 'Đăng ký khai tử cho người thân' });
    assert.equal(await hit.count(), 1);
    await visitor.goto(`${t.url}/procedures/1.000656`);
    assert.equal(await visitor.locator('section[aria-labelledby="faq-title"] a', { hasText: 'Đăng ký khai tử cho người thân' }).count(), 1);
  });
});
