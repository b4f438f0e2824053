import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINE } from '../helpers/db.js';
import { approvalInput, dossierForResult } from '../helpers/results.js';
import { browserSuite, checkA11y } from './browser.js';

describe(`result verification in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();

  test('someone checks a result PDF on /verify and through its QR code page; every page passes axe', async () => {
    const { t } = suite;
    const d = await dossierForResult(t);
    const svc = t.app.services.results;
    const p = await svc.prepareElectronic(approvalInput(d));
    await t.db.transaction().execute((trx) => svc.record(trx, d.id, d.issuedBy, p, null));
    const pdf = await svc.readFile(p.fileSha256!);
    const file = (buffer: Buffer) => ({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer });

    const page = await (await suite.browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/verify`);
    await checkA11y(page, 'verify');
    await page.click('button[type=submit].button');
    assert.ok(await page.isVisible('text=Vui lòng chọn tệp cần kiểm tra.'));
    await checkA11y(page, 'verify without a file');
    await page.setInputFiles('#file', file(pdf));
    await page.click('button[type=submit].button');
    assert.equal(await page.textContent('#outcome-title'), 'Văn bản xác thực');
    await checkA11y(page, 'verify: authentic');
    await page.setInputFiles('#file', file(Buffer.concat([pdf, Buffer.from('%')])));
    await page.click('button[type=submit].button');
    assert.equal(await page.textContent('#outcome-title'), 'Không xác thực được văn bản');
    await checkA11y(page, 'verify: not authentic');

    await page.goto(`${t.url}/verify/${p.verifyToken}?lang=en`);
    assert.equal(await page.textContent('h1'), 'Result document');
    await checkA11y(page, 'verify token page (en)');
    await page.setInputFiles('#file', file(pdf));
    await page.click('button[type=submit].button');
    assert.ok(await page.isVisible('.success'));
    await checkA11y(page, 'verify token page: file matches');
    await page.context().close();
  });
});
