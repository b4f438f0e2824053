import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { vnDayWithRoom, vnToday } from '../helpers/vn-day.js';
import { act, receivedDossier, tokens } from '../helpers/processing.js';
import { sql } from 'kysely';
import { checkRollups } from '../../src/modules/stats/stats.check.js';
import { rebuild } from '../../src/modules/stats/stats.rollup.js';

let today = vnToday();
const WARD = '000.13.42.H26';

describe(`the report engine on live dossiers (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    today = await vnDayWithRoom();
    t = await testApp();
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const report = async (q: string) => {
    const res = await t.app.inject({ url: `/api/v1/reports/dossiers?${q}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  test('received, finished early, in progress and stopped today; the same before and after the roll-up; stats:check agrees', async () => {
    const done = await receivedDossier(t, tok);
    let r = await act(t.app, done.id, tok.specialistQuangTrung, { action: 'pass', note: 'ok' });
    assert.equal(r.statusCode, 200, r.body);
    r = await act(t.app, done.id, tok.leaderQuangTrung, { action: 'pass', decision: 'approve' });
    r = await act(t.app, done.id, tok.specialistHaDong, { action: 'pass', decision: 'approve', reason: 'ok' });
    r = await act(t.app, done.id, tok.leaderHaDong, { action: 'approve', decision: 'Đồng ý' });
    assert.equal(r.statusCode, 200, r.body);
    await receivedDossier(t, tok);
    const stopped = await receivedDossier(t, tok);
    r = await act(t.app, stopped.id, tok.leaderQuangTrung, { action: 'stop', reason: 'Người nộp đề nghị dừng' }, tok.specialistQuangTrung);
    assert.equal(r.statusCode, 200, r.body);

    const q = `unit=${WARD}&from=${today}&to=${today}`;
    const live = await report(q);
    assert.equal(live.received.total, 3);
    assert.equal(live.received.online, 3);
    assert.equal(live.received.carriedOver, 0);
    assert.equal(live.finished.total, 1);
    assert.equal(live.finished.early + live.finished.onTime, 1);
    assert.equal(live.inProgress.total, 1);
    assert.equal(live.inProgress.overdue, 0);
    assert.equal(live.stopped, 1);
    assert.equal(live.onTimeRate, 100);

    const rolled = await t.app.services.stats.rollUp();
    assert.ok(rolled >= 3, `rolled ${rolled}`);
    assert.deepEqual({ ...(await report(q)), measuredAt: null }, { ...live, measuredAt: null });
    // Per procedure, with the average time in working days (finished the day it was received: 0).
    const detail = await report(`${q}&detail=procedures`);
    assert.equal(detail.procedures.length, 1);
    assert.equal(detail.procedures[0].received, 3);
    assert.deepEqual(detail.procedures[0].averageTime, { value: 0, unit: 'working_days' });
    const check = await checkRollups(t.app.services.stats.deps);
    assert.deepEqual(check.differences, []);
    // A roll-up that lost a count is found, named, and mended by a rebuild.
    await sql`update stat_dossier_day set received = received - 1 where received > 0`.execute(t.db);
    const broken = await checkRollups(t.app.services.stats.deps);
    assert.ok(broken.differences.some((d) => d.table === 'stat_dossier_day' && d.measure === 'received' && d.expected === d.actual + 1));
    assert.ok(
      broken.differences.some((d) => d.table === 'stat_unit_day'),
      'the day table no longer matches the fine one',
    );
    await rebuild(t.app.services.stats.deps);
    assert.deepEqual((await checkRollups(t.app.services.stats.deps)).differences, []);
    assert.deepEqual({ ...(await report(q)), measuredAt: null }, { ...live, measuredAt: null });
    // The district with its subtree sees the ward's dossiers, the ward as one row.
    const district = await report(`unit=000.00.42.H26&from=${today}&to=${today}`);
    assert.equal(district.received.total, 3);
    assert.equal(district.units.find((u: { code: string }) => u.code === WARD).received.total, 3);
    assert.equal((await report(`unit=000.00.42.H26&from=${today}&to=${today}&subtree=false`)).received.total, 0);
  });

  test('bad queries are 4xx with stable codes', async () => {
    const bad = async (q: string, status: number, code: string) => {
      const res = await t.app.inject({ url: `/api/v1/reports/dossiers?${q}` });
      assert.equal(res.statusCode, status, `${q}: ${res.body}`);
      assert.equal(res.json().code, code, q);
    };
    await bad('unit=nope&period=year-2019', 404, 'unit_not_found');
    await bad(`unit=${WARD}`, 400, 'period_required');
    await bad(`unit=${WARD}&period=year-19`, 400, 'invalid_period');
    await bad(`unit=${WARD}&from=2019-02-30&to=2019-03-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&from=2019-03-01&to=2019-02-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&from=2019-03-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&period=year-2019&procedure=9.999999`, 404, 'procedure_not_found');
    await bad(`unit=${WARD}&period=year-2019&field=nope`, 404, 'field_not_found');
    await bad(`unit=${WARD}&period=year-2019&convention=other`, 400, 'validation_failed');
    await bad(`unit=${WARD}&period=year-2019&extra=1`, 400, 'validation_failed');
    await bad(`unit=${WARD}&period=year-2019&detail=all`, 400, 'validation_failed');
    for (const url of [
      '/api/v1/reports/coverage?unit=nope',
      '/api/v1/open-data/reports.json?unit=nope',
      '/api/v1/open-data/coverage.csv?unit=nope',
    ]) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().code, 'unit_not_found');
    }
    const csv = await t.app.inject({ url: '/api/v1/open-data/reports.csv?period=year-19' });
    assert.equal(csv.statusCode, 400);
    // Pages answer the same errors as a page, in the reader's language.
    const page = await t.app.inject({ url: '/statistics?unit=000.00.42.H26&period=half-year-2019-3', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /Kỳ báo cáo không hợp lệ/);
    const dash = await t.app.inject({ url: '/dashboard?unit=000.00.42.H26', headers: { accept: 'text/html' } });
    assert.equal(dash.statusCode, 303, 'anonymous visitors are sent to the login page');
  });

  test('open data: the same figures as the report, JSON with its schema version and CSV with a BOM', async () => {
    const q = `unit=000.00.42.H26&from=${today}&to=${today}`;
    const r = await report(q);
    const json = await t.app.inject({ url: `/api/v1/open-data/reports.json?${q}` });
    assert.equal(json.statusCode, 200, json.body);
    const body = json.json();
    assert.equal(body.schemaVersion, 1);
    assert.equal(body.rows[0].unitCode, '000.00.42.H26');
    assert.equal(body.rows[0].receivedTotal, r.received.total);
    assert.equal(body.rows.length, 1 + r.units.length);
    const csv = await t.app.inject({ url: `/api/v1/open-data/reports.csv?${q}` });
    assert.ok(csv.body.startsWith('\uFEFFunitCode,unitNameVi,'));
    assert.equal(csv.body.trim().split('\r\n').length, 1 + body.rows.length);
    const cov = await t.app.inject({ url: '/api/v1/open-data/coverage.json?unit=000.00.42.H26' });
    assert.equal(cov.json().rows[0].scope, 'all');
  });
});
