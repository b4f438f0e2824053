import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO, UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { checkA11y, launch, serve } from './browser.js';

async function as(browser: Browser, url: string, who: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
  return page;
}

const NAME = 'Trần Văn Bình';
const PHONE = '0987 654 321';
const CITIZEN_ID = '001085012345';

describe(`feedback: a complaint answered and published (${ENGINE})`, () => {
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

  test('citizen submits, ward official answers, leader approves, the public sees it without personal data, the citizen is told; axe clean', async () => {
    // The citizen, without logging in.
    const citizen = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await citizen.goto(`${t.url}/feedback/new`);
    await checkA11y(citizen, 'the feedback form');
    await citizen.check('#kind-conduct');
    await citizen.fill('#title', 'Cán bộ một cửa chưa hướng dẫn người cao tuổi tận tình');
    await citizen.fill(
      '#content',
      `Ngày 20/11/2026 tôi đến phường làm thủ tục 1.004873. Cán bộ trả lời cộc lốc. Số điện thoại của tôi là ${PHONE}, CCCD ${CITIZEN_ID}.`,
    );
    await citizen.fill('#name', NAME);
    await citizen.fill('#phone', PHONE);
    await citizen.selectOption('#unit', UNITS.quangTrung);
    await Promise.all([citizen.waitForURL(/\/feedback\/track\?/), citizen.click('form.feedback-form button[type=submit]')]);
    assert.match((await citizen.textContent('[role=status]')) ?? '', /Đã gửi thành công/);
    await checkA11y(citizen, 'the follow page after sending');
    const followUrl = new URL(citizen.url());
    const code = followUrl.searchParams.get('code')!;
    assert.match(code, /^PAKN-/);

    // A Quang Trung ward specialist answers from a template and sends it for approval.
    const official = await as(browser, t.url, DEMO.specialistQuangTrung);
    await official.goto(`${t.url}/work/feedback`);
    await checkA11y(official, "the officials' queue");
    await Promise.all([official.waitForURL(new RegExp(`/work/feedback/${code}$`)), official.click(`a:has-text("${code}")`)]);
    await checkA11y(official, 'the feedback detail for officials');
    await official.selectOption('#template', 'conduct.apology');
    await Promise.all([official.waitForURL(/done=submit_answer/), official.click('button[name=submit][value="1"]')]);

    // The ward leader approves, which publishes the answer.
    const leader = await as(browser, t.url, DEMO.leaderQuangTrung);
    await leader.goto(`${t.url}/work/feedback/${code}`);
    await checkA11y(leader, 'the detail awaiting approval');
    await Promise.all([leader.waitForURL(/done=approve/), leader.click('form:has(input[value=approve]) button[type=submit]')]);

    // The published item offers the leader an FAQ draft, prefilled without personal data.
    await checkA11y(leader, 'the published detail with the FAQ form');
    const draft = `${await leader.inputValue('#faq-question')} ${await leader.inputValue('#faq-answer')}`;
    for (const secret of [NAME, PHONE, CITIZEN_ID]) assert.ok(!draft.includes(secret), `the FAQ draft has ${secret}`);
    await Promise.all([leader.waitForURL(/\/work\/faq\/\d+\/edit$/), leader.click(`form[action="/work/feedback/${code}/faq"] button`)]);

    // The public list and detail: the answer, no name, phone or citizen ID.
    const visitor = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await visitor.goto(`${t.url}/feedback?q=huong+dan+nguoi+cao+tuoi`);
    await checkA11y(visitor, 'the public list');
    await Promise.all([visitor.waitForURL(new RegExp(`/feedback/${code}$`)), visitor.click(`a[href="/feedback/${code}"]`)]);
    await checkA11y(visitor, 'the public detail');
    const body = (await visitor.textContent('main')) ?? '';
    assert.match(body, /xin lỗi/);
    assert.match(body, /1\.004873/);
    for (const secret of [NAME, PHONE, PHONE.replace(/ /g, ''), CITIZEN_ID])
      assert.ok(!body.includes(secret), `public page shows ${secret}`);

    // The citizen's follow page shows the answer; the message went to their phone.
    await citizen.goto(followUrl.toString());
    assert.match((await citizen.textContent('#answer-text')) ?? '', /xin lỗi/);
    await citizen.check('#rating-satisfied');
    await Promise.all([citizen.waitForURL(/saved=1/), citizen.click('form[action="/feedback/track/rate"] button[type=submit]')]);
    await checkA11y(citizen, 'the follow page with the answer');
    const sms = await t.db.selectFrom('job').select('payload').where('queue', '=', 'sms').execute();
    const texts = sms.map((j) => JSON.stringify(j.payload));
    assert.ok(
      texts.some((s) => s.includes(code) && s.includes('đã có câu trả lời')),
      'the author was told by SMS',
    );
  });
});
