import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { loadSpec, runScenario } from '../../src/modules/stats/scenario/scenario.js';
import { OUTCOMES, type ScenarioSpec } from '../../src/modules/stats/scenario/scenario.schema.js';
import { bearerFor, DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { pdfText } from '../helpers/pdf.js';
import { checkA11y, launch, serve } from './browser.js';

const HA_DONG = '000.00.42.H26';

async function login(browser: Browser, url: string, who: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'vi-VN', acceptDownloads: true })).newPage();
  await page.goto(`${url}/login`);
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
  return page;
}

/** Hà Đông's half-year at a twentieth of its size: enough for every figure, quick to load. */
async function smallHaDong(): Promise<ScenarioSpec> {
  const spec = await loadSpec('ha-dong-2019-h1');
  const scale = (n: number | undefined) => (n === undefined ? undefined : n < 10 ? n : Math.round(n / 20));
  return {
    ...spec,
    dossiers: spec.dossiers.map((g) => ({ ...g, ...Object.fromEntries(OUTCOMES.map((o) => [o, scale(g[o])])) })),
  };
}

describe(`statistics dashboards in Chromium (${ENGINE})`, () => {
  let t: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => {
    t = await serve({ template: 'bare' });
    await runScenario(t.db, await smallHaDong(), await t.app.services.calendar.calendar());
    await t.app.services.stats.rollUp();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('a leader filters the dashboard to Hà Đông, clicks the late figure and sees exactly those dossiers; the exports open', async () => {
    const page = await login(browser, t.url, DEMO.leaderHaDong);
    await page.goto(`${t.url}/dashboard`);
    await checkA11y(page, 'dashboard');
    await page.selectOption('#unit', HA_DONG);
    await page.selectOption('#period', 'half-year-2019-1');
    await Promise.all([page.waitForURL(/period=half-year-2019-1/), page.click('form.stats-filters button[type=submit]')]);
    const report = (await t.app.inject({ url: `/api/v1/reports/dossiers?unit=${HA_DONG}&period=half-year-2019-1` })).json();
    assert.equal(report.finished.late, 3);
    const vn = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
    assert.equal((await page.textContent('#fig-received-total td.num'))?.trim(), vn(report.received.total));
    assert.equal((await page.textContent('#fig-onTimeRate td.num'))?.trim(), vn(report.onTimeRate));
    await checkA11y(page, 'dashboard, Hà Đông, first half of 2019');

    await Promise.all([page.waitForURL(/figure=finished.late/), page.click('#fig-finished-late td.num a')]);
    const shown = (await page.locator('table.stats-dossiers tbody th a').allTextContents()).map((s) => s.trim()).sort();
    const api = await t.app.inject({
      url: `/api/v1/dossiers?unit=${HA_DONG}&period=half-year-2019-1&figure=finished.late`,
      headers: await bearerFor(t.app, DEMO.leaderHaDong),
    });
    assert.equal(api.statusCode, 200, api.body);
    assert.deepEqual(
      shown,
      api
        .json()
        .items.map((d: { code: string }) => d.code)
        .sort(),
    );
    assert.equal(shown.length, 3);
    assert.deepEqual([...new Set(await page.locator('table.stats-dossiers td.class-late').allTextContents())], ['Quá hạn']);
    await checkA11y(page, 'the late dossiers');

    await page.goBack();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('a[href*="/dashboard/export.xlsx"]')]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile((await xlsx.path())!)) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const values: unknown[] = [];
    sheet.eachRow((row) => values.push(...(row.values as unknown[])));
    assert.ok(values.includes(report.received.total), 'the workbook holds the received total as a number');
    assert.ok(values.includes(report.finished.onTime), 'and the on-time count');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a[href*="/dashboard/export.csv"]')]);
    const text = await readFile((await csv.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFF') && text.includes(String(report.received.total)));
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('a[href*="/dashboard/export.pdf"]')]);
    assert.ok((await pdfText(await readFile((await pdf.path())!))).includes(vn(report.received.total)));
  });

  test("the public page's table matches the report API, without dossier links; axe clean", async () => {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/statistics?unit=${HA_DONG}&period=half-year-2019-1`);
    await checkA11y(page, 'public statistics');
    const api = (await t.app.inject({ url: `/api/v1/reports/dossiers?unit=${HA_DONG}&period=half-year-2019-1` })).json();
    const rows = await page
      .locator('table.stats-units tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => (c.textContent ?? '').trim())));
    assert.equal(rows.length, api.units.length);
    const vn = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat('vi-VN').format(n));
    for (const u of api.units) {
      const row = rows.find((r) => r[0] === u.name.vi)!;
      assert.ok(row, u.name.vi);
      assert.deepEqual(row.slice(1), [
        vn(u.received.total),
        vn(u.received.online),
        vn(u.finished.total),
        vn(u.finished.early),
        vn(u.finished.onTime),
        vn(u.finished.late),
        vn(u.inProgress.overdue),
        vn(u.onTimeRate),
      ]);
    }
    assert.equal(await page.locator('a[href*="/dashboard/dossiers"]').count(), 0);
    assert.equal((await page.textContent('#fig-finished-onTime td.num'))?.trim(), vn(api.finished.onTime));
    assert.equal(await page.locator('#chart-league svg[role=img]').count(), 1);
  });
});
