import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { PDF } from '../helpers/dossiers.js';
import { pdfText } from '../helpers/pdf.js';
import { receivedDossier, tokens } from '../helpers/processing.js';
import { checkA11y, launch, serve } from './browser.js';

type Served = Awaited<ReturnType<typeof serve>>;

async function as(browser: Browser, url: string, who: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'vi-VN', acceptDownloads: true })).newPage();
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
  return page;
}

/** Submits one of the dossier page's action forms and waits for the result page. */
async function act(page: Page, action: string, fill: Record<string, string> = {}) {
  const form = `form:has(input[name=action][value=${action}])`;
  for (const [name, value] of Object.entries(fill)) {
    const el = page.locator(`${form} [name="${name}"]`).first();
    if ((await el.getAttribute('type')) === 'radio') await page.check(`${form} [name="${name}"][value="${value}"]`);
    else await el.fill(value);
  }
  await Promise.all([page.waitForURL(/done=/), page.click(`${form} button[type=submit]`)]);
}

describe(`processing, results and lateness in Chromium (${ENGINE})`, () => {
  let t: Served;
  let browser: Browser;
  before(async () => {
    t = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('online submission, desk, ward specialist and leader, district specialist and leader, signed result downloaded and verified', async () => {
    const url = t.url;
    const citizen = await as(browser, url, DEMO.citizen);
    await citizen.goto(`${url}/procedures/1.004873`);
    await Promise.all([citizen.waitForURL(/\/dossiers\/new/), citizen.click('a.button:has-text("Nộp hồ sơ trực tuyến")')]);
    await citizen.selectOption('#unit', '000.13.42.H26');
    await Promise.all([citizen.waitForURL(/\/edit$/), citizen.click('button[type=submit].button')]);
    await citizen.fill('[id="f.fullName"]', 'Nguyễn Văn An');
    await citizen.fill('[id="f.birthDate"]', '1990-05-17');
    await citizen.selectOption('[id="f.sex"]', 'male');
    await citizen.fill('[id="f.citizenId"]', '001090012345');
    await citizen.selectOption('[id="f.address.ward"]', '000.13.42.H26');
    await citizen.fill('[id="f.address.street"]', 'Số 5 ngõ 12 Quang Trung');
    await citizen.selectOption('[id="f.maritalStatus"]', 'single');
    await citizen.fill('[id="f.purpose"]', 'Đăng ký kết hôn');
    await Promise.all([citizen.waitForURL(/\/documents$/), citizen.click('button[value=continue]')]);
    for (const item of [0, 2]) {
      await citizen.setInputFiles(`#file-${item}`, { name: `giay-to-${item}.pdf`, mimeType: 'application/pdf', buffer: PDF });
      await Promise.all([citizen.waitForURL(/\/documents/), citizen.click(`#item-${item} button[type=submit].button`)]);
    }
    await Promise.all([citizen.waitForURL(/\/check$/), citizen.click('a.button:has-text("Tiếp tục")')]);
    await citizen.check('#declaration');
    await Promise.all([citizen.waitForURL(/\/confirmation$/), citizen.click('button[type=submit].button')]);
    const code = (await citizen.textContent('.big-code'))!.trim();
    const id = Number(/\/dossiers\/(\d+)\//.exec(citizen.url())![1]);

    const desk = await as(browser, url, DEMO.deskQuangTrung);
    await desk.goto(`${url}/desk/dossiers/${id}`);
    await Promise.all([desk.waitForURL(/done=/), desk.click('form[action$="/receive"] button[type=submit]')]);

    // The ward's specialist finds it in the work queue and passes it on.
    const wardSpecialist = await as(browser, url, DEMO.specialistQuangTrung);
    await wardSpecialist.goto(`${url}/work`);
    await checkA11y(wardSpecialist, 'work queue');
    await Promise.all([wardSpecialist.waitForURL(/\/work\/dossiers\/\d+$/), wardSpecialist.click(`a:has-text("${code}")`)]);
    await checkA11y(wardSpecialist, 'work dossier page');
    // A verification record goes on with the dossier.
    await wardSpecialist.setInputFiles('#attach-file', { name: 'bien-ban-xac-minh.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([wardSpecialist.waitForURL(/done=attach/), wardSpecialist.click('form[action$="/attach"] button[type=submit]')]);
    assert.ok(await wardSpecialist.isVisible('a:has-text("bien-ban-xac-minh.pdf")'));
    await act(wardSpecialist, 'pass', { note: 'Đã xác minh tình trạng hôn nhân' });
    assert.match((await wardSpecialist.textContent('.success'))!, /bước tiếp theo/);

    // The ward leader transfers it to the district.
    const wardLeader = await as(browser, url, DEMO.leaderQuangTrung);
    await wardLeader.goto(`${url}/work/dossiers/${id}`);
    await act(wardLeader, 'pass');
    const transfer = await t.db.selectFrom('dossier').select(['step_unit_id', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    const district = await t.db.selectFrom('unit').select('id').where('code', '=', '000.00.42.H26').executeTakeFirstOrThrow();
    assert.deepEqual(transfer, { step_unit_id: district.id, status: 4 });

    // The district's specialist proposes approval; the district leader signs.
    const specialist = await as(browser, url, DEMO.specialistHaDong);
    await specialist.goto(`${url}/work`);
    assert.ok(await specialist.isVisible(`a:has-text("${code}")`));
    await specialist.goto(`${url}/work/dossiers/${id}`);
    await act(specialist, 'pass', { decision: 'approve', reason: 'Đủ điều kiện cấp giấy xác nhận' });
    const leader = await as(browser, url, DEMO.leaderHaDong);
    await leader.goto(`${url}/work?role=leader`);
    await checkA11y(leader, 'leader queue');
    await leader.goto(`${url}/work/dossiers/${id}`);
    assert.ok(await leader.isVisible('text=Đề xuất phê duyệt'));
    await act(leader, 'approve', { decision: 'Xác nhận ông Nguyễn Văn An, sinh ngày 17/05/1990, hiện chưa đăng ký kết hôn với ai.' });
    assert.equal((await t.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 9);

    // The citizen downloads the signed result (the online return: status 10) and checks it on /verify.
    await citizen.goto(`${url}/dossiers/${id}`);
    await checkA11y(citizen, 'citizen dossier page with a result');
    const [download] = await Promise.all([citizen.waitForEvent('download'), citizen.click('a:has-text("Tải kết quả (PDF)")')]);
    const bytes = Buffer.from(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c as Buffer[])));
    const text = await pdfText(bytes);
    assert.ok(text.includes(code), 'the result carries the dossier code');
    assert.equal((await t.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 10);
    await citizen.goto(`${url}/verify`);
    await citizen.setInputFiles('#file', { name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: bytes });
    await Promise.all([citizen.waitForLoadState(), citizen.click('form button[type=submit].button')]);
    await citizen.waitForSelector('h2:has-text("Văn bản xác thực")');
    await checkA11y(citizen, 'verify result');
    // The same file with one byte changed is not authentic.
    const tampered = Buffer.from(bytes);
    const middle = Math.floor(tampered.length / 2);
    tampered[middle] = tampered[middle]! ^ 1;
    await citizen.goto(`${url}/verify`);
    await citizen.setInputFiles('#file', { name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: tampered });
    await Promise.all([citizen.waitForLoadState(), citizen.click('form button[type=submit].button')]);
    await citizen.waitForSelector('h2:has-text("Không xác thực được văn bản")');
    for (const p of [citizen, desk, wardSpecialist, wardLeader, specialist, leader]) await p.context().close();
  });

  test('returned once, paused for a supplement, apology (form 04) in time, finished late: the control sheet shows the late step', async () => {
    const url = t.url;
    const tok = await tokens(t.app);
    const { id } = await receivedDossier(t, tok);
    const wardSpecialist = await as(browser, url, DEMO.specialistQuangTrung);
    const wardLeader = await as(browser, url, DEMO.leaderQuangTrung);
    await wardSpecialist.goto(`${url}/work/dossiers/${id}`);
    await act(wardSpecialist, 'pass');
    // Returned once, with a reason.
    await wardLeader.goto(`${url}/work/dossiers/${id}`);
    await act(wardLeader, 'return_step', { reason: 'Chưa xác minh nơi cư trú trước đây' });
    // A supplement: the clock stops until the desk receives it.
    await wardSpecialist.goto(`${url}/work/dossiers/${id}`);
    await act(wardSpecialist, 'request_supplement', { 'reason.2': 'Cần bản xác nhận nơi cư trú trước đây' });
    assert.equal((await t.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 5);
    const desk = await as(browser, url, DEMO.deskQuangTrung);
    await desk.goto(`${url}/desk/dossiers/${id}`);
    await Promise.all([desk.waitForURL(/done=/), desk.click('form[action$="/receive"] button[type=submit]')]);
    assert.equal((await t.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 4);

    // Form 04 before the appointment passes: a new appointment ten days on.
    const newDate = new Date(Date.now() + 10 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await wardSpecialist.goto(`${url}/work/dossiers/${id}`);
    await act(wardSpecialist, 'apology', { reason: 'Chờ kết quả xác minh từ nơi cư trú trước đây', newDate });
    const form04 = await wardSpecialist.request.get(`${url}/work/dossiers/${id}/forms/04.pdf`);
    assert.equal(form04.status(), 200);
    assert.match(await pdfText(Buffer.from(await form04.body())), /XIN LỖI/);
    // A second apology is refused.
    assert.ok(!(await wardSpecialist.isVisible('form:has(input[name=action][value=apology])')));

    // Ten days pass (the dossier's recorded times move back; its event history is left as it is).
    await sql`update dossier set received_at = received_at - interval '10 days', original_due_at = original_due_at - interval '10 days',
      apology_at = apology_at - interval '10 days', step_started_at = step_started_at - interval '10 days', step_due_at = step_due_at - interval '10 days'
      where id = ${id}`.execute(t.db);
    await sql`update dossier_step set started_at = started_at - interval '10 days', due_at = due_at - interval '10 days',
      finished_at = finished_at - interval '10 days' where dossier_id = ${id}`.execute(t.db);

    await wardSpecialist.goto(`${url}/work/dossiers/${id}`);
    await act(wardSpecialist, 'pass');
    await wardLeader.goto(`${url}/work/dossiers/${id}`);
    await act(wardLeader, 'pass');
    const specialist = await as(browser, url, DEMO.specialistHaDong);
    await specialist.goto(`${url}/work/dossiers/${id}`);
    await act(specialist, 'pass', { decision: 'approve' });
    const leader = await as(browser, url, DEMO.leaderHaDong);
    await leader.goto(`${url}/work/dossiers/${id}`);
    await act(leader, 'approve', { decision: 'Xác nhận tình trạng hôn nhân.', medium: 'paper' });

    await leader.goto(`${url}/work/dossiers/${id}/control-sheet`);
    await checkA11y(leader, 'control sheet');
    const rows = await leader.$$eval('table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText));
    const late = rows.filter((r) => r.includes('Quá hạn'));
    assert.ok(
      late.some((r) => r.includes('Công chức tư pháp - hộ tịch phường')),
      `the ward check step is late:\n${rows.join('\n')}`,
    );
    assert.ok(
      rows.some((r) => r.includes('Lãnh đạo quận ký duyệt') && !r.includes('Quá hạn')),
      'the signing step was on time',
    );
    assert.match((await leader.textContent('dl'))!, /Quá hạn/);
    const pdf = await leader.request.get(`${url}/work/dossiers/${id}/forms/05.pdf`);
    assert.equal(pdf.status(), 200);
    assert.match(await pdfText(Buffer.from(await pdf.body())), /Quá hạn/);
    for (const p of [wardSpecialist, wardLeader, desk, specialist, leader]) await p.context().close();
  });
});
