import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { returnedDossier } from '../helpers/ratings.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { checkA11y, launch, serve } from './browser.js';

async function as(browser: Browser, url: string, who: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
  return page;
}

describe(`a satisfaction survey in Chromium (${ENGINE})`, () => {
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

  test('the city admin launches a survey, the invited citizen answers from the link in their inbox, the admin closes it and reads the scores; axe clean', async () => {
    await returnedDossier(t, await tokens(t.app));

    const admin = await as(browser, t.url, DEMO.cityAdmin);
    await Promise.all([admin.waitForURL(/\/admin\/surveys$/), admin.click('nav a[href="/admin/surveys"]')]);
    await checkA11y(admin, 'the survey list and draft form');
    await admin.fill('#title', 'Khảo sát SIPAS quý IV/2026');
    await admin.check('input[name=units][value="000.13.42.H26"]');
    await admin.fill('#sampleSize', '50');
    await Promise.all([admin.waitForURL(/\/admin\/surveys\/\d+\?done=created/), admin.click('form.survey-create button[type=submit]')]);
    await checkA11y(admin, 'the draft survey');
    const surveyUrl = admin.url().replace(/\?.*$/, '');
    await Promise.all([admin.waitForURL(/done=launched/), admin.click(`form[action$="/launch"] button[type=submit]`)]);
    assert.match((await admin.textContent('[role=status]')) ?? '', /gửi 1 lời mời/);
    await checkA11y(admin, 'the launched survey');

    const citizen = await as(browser, t.url, DEMO.citizen);
    await citizen.goto(`${t.url}/inbox`);
    await checkA11y(citizen, 'the inbox with the invitation');
    const text = (await citizen.textContent('main')) ?? '';
    const path = /\/survey\/[A-Za-z0-9_-]+/.exec(text)?.[0];
    assert.ok(path, 'the invitation carries the survey link');
    await citizen.goto(`${t.url}${path}`);
    await checkA11y(citizen, 'the questionnaire');
    for (const [key, v] of [
      ['access-satisfaction', 5],
      ['procedure-satisfaction', 4],
      ['civil_servant-satisfaction', 4],
      ['result-satisfaction', 3],
      ['overall', 4],
      ['civil_servant-a2', 5],
    ] as const)
      await citizen.check(`#q-${key}-${v}`);
    await citizen.check('#q-civil_servant-expectation-guidance');
    await citizen.fill('#q-comment', 'Cán bộ hướng dẫn tận tình');
    await Promise.all([citizen.waitForURL(/done=1/), citizen.click('form.survey-form button[type=submit]')]);
    assert.match((await citizen.textContent('[role=status]')) ?? '', /đã được ghi nhận/);
    await checkA11y(citizen, 'the thank-you page');

    await admin.goto(surveyUrl);
    await Promise.all([admin.waitForURL(/done=closed/), admin.click(`form[action$="/close"] button[type=submit]`)]);
    assert.equal(await admin.getAttribute('[data-phase]', 'data-phase'), 'closed');
    assert.equal((await admin.textContent('[data-figure=response-rate]'))?.trim(), '100 %');
    // Four factors answered, three of them 4-5.
    assert.equal((await admin.textContent('[data-figure=sipas-index]'))?.trim(), '75 %');
    assert.match((await admin.textContent('[data-factor=access]')) ?? '', /điểm trung bình 5/);
    await checkA11y(admin, 'the closed survey with its results');
    await Promise.all([admin.waitForURL(/\/statistics\/surveys\/\d+/), admin.click('a[href^="/statistics/surveys/"]')]);
    assert.match((await admin.textContent('main')) ?? '', /Dưới 5 phiếu/);
    await checkA11y(admin, 'the public results');
  });
});
