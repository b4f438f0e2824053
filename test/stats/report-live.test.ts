import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { act, receivedDossier, tokens } from '../helpers/processing.js';
import { checkRollups } from '../../src/modules/stats/stats.check.js';

const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const WARD = '000.13.42.H26';

describe(`the report engine on live dossiers (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
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
  });
});
