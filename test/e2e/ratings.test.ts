import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { returnedDossier } from '../helpers/ratings.js';
import { checkA11y, launch, serve } from './browser.js';

describe(`rating a returned dossier in Chromium (${ENGINE})`, () => {
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

  test('from the tracking page, without logging in: one choice, two criteria, a comment; axe clean', async () => {
    const { id, code } = await returnedDossier(t, await tokens(t.app));
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/lookup`);
    await page.fill('#code', code);
    await page.fill('#check', '5678');
    await Promise.all([page.waitForURL(/check=/), page.click('form[action="/lookup"] button[type=submit]')]);
    await Promise.all([page.waitForURL(/\/rate\?/), page.click('a:has-text("Đánh giá mức độ hài lòng")')]);
    await checkA11y(page, 'the rating form');
    await page.check('#overall-satisfied');
    await page.click('details summary');
    await page.check('#c-attitude-2');
    await page.check('#c-total_time-1');
    await page.fill('#comment', 'Cán bộ hướng dẫn tận tình');
    await Promise.all([page.waitForURL(/saved=1/), page.click('form.rating-form button[type=submit]')]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Cảm ơn/);
    await checkA11y(page, 'the rating saved');
    const row = await t.db.selectFrom('dossier_rating').selectAll().where('dossier_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.overall, 'satisfied');
    assert.deepEqual(row.criteria, { total_time: 1, attitude: 2 });
    assert.equal(row.comment, 'Cán bộ hướng dẫn tận tình');
  });
});
