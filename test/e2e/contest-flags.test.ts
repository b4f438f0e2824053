import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { bearerFor, DEMO, UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Entry } from '../contest/fixtures.js';
import { checkA11y, launch, serve } from './browser.js';

describe(`contest flags review in Chromium (${ENGINE})`, () => {
  let t: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  let roundId: number;
  let entryId: number;
  before(async () => {
    t = await serve();
    browser = await launch();
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    const api = (url: string, payload?: object, headers = admin) =>
      t.app.inject({ method: 'POST', url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
    const c = await api('/contests', { title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' } });
    const p = await api(`/contests/${c.json().id}/pools`, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    const key = await buildBank(t, admin, p.json().id, 3);
    const r = await api(`/contests/${c.json().id}/rounds`, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 3,
      timeLimitSeconds: 600,
    });
    roundId = r.json().id;
    await api(`/rounds/${roundId}/publish`);
    const reg = await api(
      `/contests/${c.json().id}/participants`,
      { name: 'Ngô Văn Khoa', phone: '0940000001', unitCode: UNITS.quangTrung },
      {},
    );
    const who = { 'x-contest-token': reg.json().token as string };
    const entry = (await api(`/rounds/${roundId}/start`, undefined, who)).json() as Entry;
    entryId = entry.entryId;
    for (const q of entry.questions) await api(`/entries/${entryId}/answers`, { questionId: q.id, chosen: key.get(q.id)! }, who);
    await api(`/entries/${entryId}/submit`, { prediction: 1 }, who);
    // Answered by the API within milliseconds: too fast for a person, and too short an entry.
    assert.equal((await api(`/rounds/${roundId}/flags/scan`)).statusCode, 200);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function adminPage(): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('#identifier', DEMO.cityAdmin);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
    return page;
  }

  test('the city admin reads the flags with their evidence, clears one and disqualifies the entry with a reason; axe clean', async () => {
    const page = await adminPage();
    await page.goto(`${t.url}/admin/contest/rounds/${roundId}/flags`);
    await checkA11y(page, 'the flags of a round');
    assert.match((await page.textContent('main')) ?? '', /Bài thi hoàn thành quá nhanh/);
    await Promise.all([page.waitForURL(/done=clear/), page.locator('form[action$="/clear"] button[type=submit]').first().click()]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Đã đánh dấu cờ là đã xem xét/);
    await checkA11y(page, 'the flags after clearing one');
    const form = page.locator(`form[action="/admin/contest/entries/${entryId}/disqualify"]`).first();
    await form.locator('textarea[name=reason]').fill('Trả lời bằng công cụ tự động');
    await Promise.all([page.waitForURL(/done=disqualify/), form.locator('button[type=submit]').click()]);
    assert.match((await page.textContent('main')) ?? '', /Trả lời bằng công cụ tự động/);
    await checkA11y(page, 'the flags with a disqualified entry');
    await page.goto(`${t.url}/admin/contest/rounds/${roundId}/flags?lang=en&status=all`);
    assert.match((await page.textContent('h1')) ?? '', /Flags to review – round/);
    await checkA11y(page, 'the flags in English');
  });
});
