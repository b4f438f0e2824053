import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { bearerFor, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { PDF, residenceBody, uploadFile } from '../helpers/dossiers.js';
import { pdfText } from '../helpers/pdf.js';
import { TestSmtp } from '../helpers/smtp.js';
import type { SandboxSms } from '../../src/modules/notify/notify.service.js';
import { checkA11y, launch } from './browser.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function login(page: Page, url: string, who: string) {
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
}

describe(`online submission, the desk and payment in Chromium (${ENGINE})`, () => {
  const smtp = new TestSmtp();
  let t: TestApp;
  let url: string;
  let browser: Browser;
  before(async () => {
    await smtp.start();
    // The gateway and the e-mails need the portal's real address, so the port is chosen first.
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    t = await testApp({ baseUrl: url, smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await smtp.stop();
  });

  test('a citizen submits birth registration online; the desk receives it and prints form 01', async () => {
    const page = await (await browser.newContext({ locale: 'vi-VN', acceptDownloads: true })).newPage();
    await login(page, url, DEMO.citizen);
    await page.goto(`${url}/procedures/1.001193`);
    await Promise.all([page.waitForURL(/\/dossiers\/new/), page.click('a.button:has-text("Nộp hồ sơ trực tuyến")')]);
    await checkA11y(page, 'start');
    await page.selectOption('#unit', '000.13.42.H26');
    await Promise.all([page.waitForURL(/\/edit$/), page.click('button[type=submit].button')]);
    await checkA11y(page, 'form');
    // A mistake first: the form says what is wrong and keeps the answers.
    await page.fill('[id="f.childFullName"]', 'Nguyễn Thị Hồng Nhung');
    await page.fill('[id="f.requesterId"]', '12345');
    await page.click('button[value=continue]');
    assert.match(await page.title(), /^Lỗi: /);
    assert.ok(await page.isVisible('.error-summary'));
    await checkA11y(page, 'form with errors');
    assert.equal(await page.inputValue('[id="f.childFullName"]'), 'Nguyễn Thị Hồng Nhung');
    await page.fill('[id="f.childBirthDate"]', '2026-11-20');
    await page.selectOption('[id="f.sex"]', 'female');
    await page.fill('[id="f.birthPlace"]', 'Bệnh viện Đa khoa Hà Đông');
    await page.fill('[id="f.motherName"]', 'Trần Thị Mai');
    await page.fill('[id="f.requesterId"]', '001090012345');
    await page.fill('[id="f.relationship"]', 'Cha');
    await page.selectOption('[id="f.address.ward"]', '000.13.42.H26');
    await page.fill('[id="f.address.street"]', 'Số 5 ngõ 12 Quang Trung');
    await Promise.all([page.waitForURL(/\/documents$/), page.click('button[value=continue]')]);
    await checkA11y(page, 'documents');
    for (const item of [0, 1]) {
      await page.setInputFiles(`#file-${item}`, { name: `giay-to-${item}.pdf`, mimeType: 'application/pdf', buffer: PDF });
      await Promise.all([page.waitForURL(/\/documents/), page.click(`#item-${item} button[type=submit].button`)]);
    }
    assert.ok(await page.isVisible('text=giay-to-1.pdf'));
    await Promise.all([page.waitForURL(/\/check$/), page.click('a.button:has-text("Tiếp tục")')]);
    await checkA11y(page, 'check your answers');
    assert.ok(await page.isVisible('text=Nguyễn Thị Hồng Nhung'));
    await page.check('#declaration');
    await Promise.all([page.waitForURL(/\/confirmation$/), page.click('button[type=submit].button')]);
    await checkA11y(page, 'confirmation');
    const code = (await page.textContent('.big-code'))!.trim();
    assert.match(code, /^000\.13\.42\.H26-\d{6}-\d{4}$/);
    const id = Number(/\/dossiers\/(\d+)\//.exec(page.url())![1]);

    // The desk officer receives it and prints the receipt.
    const deskPage = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await login(deskPage, url, DEMO.deskQuangTrung);
    await deskPage.goto(`${url}/desk`);
    await checkA11y(deskPage, 'desk queue');
    assert.ok(await deskPage.isVisible(`text=${code}`));
    await deskPage.goto(`${url}/desk/dossiers/${id}`);
    await checkA11y(deskPage, 'desk check page');
    await Promise.all([deskPage.waitForURL(/done=/), deskPage.click('form[action$="/receive"] button[type=submit]')]);
    const pdf = await deskPage.request.get(`${url}/dossiers/${id}/forms/01.pdf`);
    assert.equal(pdf.status(), 200);
    const text = await pdfText(Buffer.from(await pdf.body()));
    assert.ok(text.includes(code), 'form 01 carries the code');
    assert.ok(text.includes('Nguyễn Văn An'), "form 01 carries the applicant's name with diacritics");
    const due = (await t.db.selectFrom('dossier').select('due_at').where('id', '=', id).executeTakeFirstOrThrow()).due_at!;
    const dueText = new Intl.DateTimeFormat('vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(due);
    assert.ok(text.includes(dueText), `form 01 carries the appointment date ${dueText}`);

    // The messages: the inbox page, and the e-mails delivered over SMTP.
    await t.app.jobs.runUntilIdle();
    await page.goto(`${url}/inbox`);
    await checkA11y(page, 'inbox');
    assert.ok((await page.textContent('main'))!.includes(code));
    const mails = smtp.messages.filter((m) => m.mail.subject?.includes(code));
    assert.ok(mails.length >= 2, `submitted and received e-mails: ${smtp.messages.map((m) => m.mail.subject).join(' | ')}`);
    assert.deepEqual(mails[0]!.envelopeTo, ['citizen@demo.motcua.vn']);
    const sms = t.app.services.sms as SandboxSms;
    assert.ok(
      sms.sent.some((m) => m.to === '+84912345678' && m.text.includes(code)),
      'the SMS sandbox recorded the message to the applicant',
    );
    await page.context().close();
    await deskPage.context().close();
  });

  test('a supplement request: the citizen uploads the missing paper online and the desk receives', async () => {
    const citizen = await bearerFor(t.app, DEMO.citizen);
    const desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    const sha = (await uploadFile(t.app, citizen)).json().sha256;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: citizen,
      payload: {
        procedure: '1.004873',
        unit: '000.13.42.H26',
        form: {
          fullName: 'Nguyễn Văn An',
          birthDate: '1990-05-17',
          sex: 'male',
          citizenId: '001090012345',
          address: { ward: '000.13.42.H26', street: 'Số 5' },
          maritalStatus: 'single',
          purpose: 'Kết hôn',
        },
        documents: [
          { item: 0, sha256: sha, name: 'to-khai.pdf' },
          { item: 2, sha256: sha, name: 'trich-luc.pdf' },
        ],
        submit: true,
        declaration: true,
      },
    });
    const { id } = created.json();
    const deskPage = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await login(deskPage, url, DEMO.deskQuangTrung);
    await deskPage.goto(`${url}/desk/dossiers/${id}`);
    const form = deskPage.locator('form[action$="/supplement"]');
    await form.locator('input[type=checkbox]').first().check();
    await form.locator('textarea, input[type=text]').first().fill('Tờ khai chưa có chữ ký của người yêu cầu');
    await Promise.all([deskPage.waitForURL(/done=/), form.locator('button[type=submit]').click()]);

    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await login(page, url, DEMO.citizen);
    await page.goto(`${url}/dossiers/${id}`);
    assert.ok(await page.isVisible('text=Tờ khai chưa có chữ ký của người yêu cầu'));
    await checkA11y(page, 'status with supplement request');
    await Promise.all([page.waitForURL(/\/supplement$/), page.click('a.button:has-text("Tải lên giấy tờ bổ sung")')]);
    await page.setInputFiles('#file-0', { name: 'to-khai-da-ky.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([page.waitForURL(/\/supplement/), page.click('#item-0 button[type=submit].button')]);
    await Promise.all([page.waitForURL(/notice=supplement/), page.click('button:has-text("Tôi đã bổ sung đủ")')]);
    const rec = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: desk });
    assert.equal(rec.json().status, 2, rec.body);
    await page.context().close();
    await deskPage.context().close();
  });

  test('a level-4 dossier is paid through the sandbox gateway', async () => {
    const citizen = await bearerFor(t.app, DEMO.citizen);
    const sha = (await uploadFile(t.app, citizen)).json().sha256;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: citizen,
      payload: residenceBody(sha),
    });
    const { id } = created.json();
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await login(page, url, DEMO.citizen);
    await page.goto(`${url}/dossiers/${id}`);
    await Promise.all([page.waitForURL(/\/sandbox\/payment-gateway\/pay/), page.click('button:has-text("Thanh toán trực tuyến")')]);
    await checkA11y(page, 'sandbox bank');
    await Promise.all([page.waitForURL(/\/payments\/return/), page.click('button[value=paid]')]);
    assert.equal(await page.textContent('h1'), 'Thanh toán thành công');
    await checkA11y(page, 'payment result');
    const row = await t.db.selectFrom('payment').select(['status', 'receipt_no']).where('dossier_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'paid');
    await page.goto(`${url}/dossiers/${id}`);
    const receipt = await page.request.get(`${url}${await page.getAttribute('a:has-text("Biên lai")', 'href')}`);
    assert.ok((await pdfText(Buffer.from(await receipt.body()))).includes('7.000'), 'the online fee (7.000 đồng, lower than at the desk)');
    await page.context().close();
  });
});
