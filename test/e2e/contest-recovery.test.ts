import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { bearerFor, DEMO, UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { pii } from '../../src/lib/pii.js';
import { SMS_QUEUE, type SmsJobPayload } from '../../src/modules/notify/notify.service.js';
import { buildBank, hours, type Entry } from '../contest/fixtures.js';
import { browserSuite, checkA11y } from './browser.js';

// A participant registered on one device continues on another with a code sent by SMS
// (contest.recovery.ts), with JavaScript and without.
describe(`contest: continuing on another device in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();
  let contestId: number;
  let roundId: number;

  const api = async (url: string, payload?: object, headers: Record<string, string> = {}) =>
    suite.t.app.inject({ method: 'POST', url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const lastCode = async (phone: string) => {
    const jobs = await suite.t.db.selectFrom('job').select('payload').where('queue', '=', SMS_QUEUE).orderBy('id', 'desc').execute();
    const sms = jobs.map((j) => j.payload as SmsJobPayload).find((p) => pii().decrypt(p.to) === phone);
    assert.ok(sms, `no SMS to ${phone}`);
    return /\b(\d{6})\b/.exec(sms.text)![1]!;
  };
  /** Registers by the API (the "first device") and starts the entry; returns its id. */
  const registerElsewhere = async (phone: string) => {
    if (!contestId) {
      const admin = await bearerFor(suite.t.app, DEMO.cityAdmin);
      contestId = (await api('/contests', { title: { vi: 'Thi tìm hiểu dịch vụ công', en: 'Public services contest' } }, admin)).json().id;
      const pool = await api(`/contests/${contestId}/pools`, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } }, admin);
      await buildBank(suite.t, admin, pool.json().id, 3);
      roundId = (
        await api(
          `/contests/${contestId}/rounds`,
          { opensAt: hours(-1), closesAt: hours(2), questionCount: 3, timeLimitSeconds: 600 },
          admin,
        )
      ).json().id;
      assert.equal((await api(`/rounds/${roundId}/publish`, undefined, admin)).statusCode, 200);
    }
    const reg = await api(`/contests/${contestId}/participants`, { name: 'Đỗ Thị Lan', phone, unitCode: UNITS.quangTrung });
    assert.equal(reg.statusCode, 201, reg.body);
    const start = await api(`/rounds/${roundId}/start`, undefined, { 'x-contest-token': reg.json().token });
    return (start.json() as Entry).entryId;
  };

  async function recoverOn(context: BrowserContext, phone: string, a11y: boolean) {
    const entryId = await registerElsewhere(phone);
    const page = await context.newPage();
    const check = (label: string) => (a11y ? checkA11y(page, label) : Promise.resolve());
    await page.goto(`${suite.t.url}/contest/${contestId}/register?round=${roundId}`);
    await check('the registration page with the link to continue');
    await Promise.all([page.waitForURL(/\/recover\?round=/), page.click('text=Tiếp tục trên thiết bị này')]);
    await check('the recovery page (phone)');
    await page.fill('#phone', '0399 999 999');
    await page.click('button[type=submit].button-large');
    assert.match((await page.textContent('#phone-error')) ?? '', /chưa đăng ký cuộc thi này/);
    await check('the recovery page with a phone error');
    await page.fill('#phone', phone);
    await page.click('button[type=submit].button-large');
    assert.match((await page.textContent('[role=status]')) ?? '', new RegExp(`${phone.slice(0, 4)}\\*\\*\\*${phone.slice(-3)}`));
    await check('the recovery page (code)');
    const code = await lastCode(phone);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('form[action$="/verify"] button[type=submit]');
    assert.match((await page.textContent('#code-error')) ?? '', /Mã chưa đúng. Ông\/Bà còn 4 lần thử/);
    await check('the recovery page with a wrong code');
    await page.fill('#code', code);
    await Promise.all([
      page.waitForURL(new RegExp(`/contest/rounds/${roundId}$`)),
      page.click('form[action$="/verify"] button[type=submit]'),
    ]);
    // The same entry, continued: its answer sheet posts to the entry started on the other device.
    assert.equal(await page.locator(`form[action="/contest/entries/${entryId}"]`).count(), 1);
    await check('the round page after continuing');
    await page.close();
  }

  test('with JavaScript: the code from the SMS continues the entry started elsewhere; axe clean', async () => {
    const context = await suite.browser.newContext({ locale: 'vi-VN' });
    await recoverOn(context, '0940000201', true);
    await context.close();
  });

  test('without JavaScript, the same', async () => {
    const context = await suite.browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    await recoverOn(context, '0940000202', false);
    await context.close();
  });
});
