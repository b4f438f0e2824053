import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { loadSpec, runScenario } from '../../src/modules/stats/scenario/scenario.js';
import { checkRollups } from '../../src/modules/stats/stats.check.js';
import type { Report } from '../../src/modules/stats/stats.schema.js';

const HA_DONG = '000.00.42.H26';
const CITY = '000.00.00.H26';

async function get(t: TestApp, url: string) {
  const res = await t.app.inject({ url });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

async function scenario(t: TestApp, name: string) {
  const r = await runScenario(t.db, await loadSpec(name), await t.app.services.calendar.calendar());
  assert.ok(r.dossiers > 0);
}

describe(`scenario ha-dong-2019-h1: the report API shows Hà Đông's published half-year (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({}, { template: 'bare' });
    await scenario(t, 'ha-dong-2019-h1');
  });
  after(() => t.close());

  const expectPublished = (r: Report) => {
    assert.equal(r.received.total, 6333);
    assert.equal(r.received.online, 3387);
    assert.equal(r.received.inPerson, 2946);
    assert.equal(r.finished.early, 4);
    assert.equal(r.finished.onTime, 5750);
    assert.equal(r.finished.late, 3);
    assert.equal(r.onTimeRate, 99.95);
    assert.equal(r.refusedAtReception, 15);
    assert.deepEqual(r.inProgress, { total: 492, withinDeadline: 490, overdue: 2 });
  };

  test('6,333 received, 3,387 online, 4 early, 5,750 on time, 99.95%: live from the dossiers, then from the roll-ups', async () => {
    const url = `/api/v1/reports/dossiers?unit=${HA_DONG}&period=half-year-2019-1&subtree=true&convention=pause`;
    const live = await get(t, url);
    expectPublished(live);
    assert.deepEqual(live.period, { from: '2018-12-15', to: '2019-06-14', name: 'half-year-2019-1' });
    assert.ok(await t.app.services.stats.rollUp());
    const rolled = await get(t, url);
    expectPublished(rolled);
    assert.deepEqual(rolled, live);
    // The same figures from a date range; the restart convention agrees when nobody waited.
    expectPublished(await get(t, `/api/v1/reports/dossiers?unit=${HA_DONG}&from=2018-12-15&to=2019-06-14&convention=restart`));
    // The district alone and its wards add up to the subtree.
    const alone = await get(t, `/api/v1/reports/dossiers?unit=${HA_DONG}&period=half-year-2019-1&subtree=false`);
    const wards = rolled.units.reduce((s: number, u: { received: { total: number } }) => s + u.received.total, 0);
    assert.equal(alone.received.total + wards, 6333);
    // The next half-year starts with what was still open carried over.
    const next = await get(t, `/api/v1/reports/dossiers?unit=${HA_DONG}&period=half-year-2019-2`);
    assert.equal(next.received.carriedOver, 492);
    assert.equal(next.received.total, 0);
    const check = await checkRollups(t.app.services.stats.deps);
    assert.deepEqual(check.differences, []);
    assert.equal(check.dossiers, 6348);
  });

  test('officials drill down from a figure to exactly the dossiers behind it; others may not', async () => {
    const tok = await tokens(t.app);
    const list = async (q: string, auth: Record<string, string> = tok.leaderHaDong) =>
      t.app.inject({ url: `/api/v1/dossiers?unit=${HA_DONG}&period=half-year-2019-1&${q}`, headers: auth });
    const late = await list('figure=finished.late');
    assert.equal(late.statusCode, 200, late.body);
    assert.equal(late.json().total, 3);
    for (const d of late.json().items) {
      assert.equal(d.classification, 'late');
      assert.ok(d.finishedAt > d.dueAt, `${d.code}: finished ${d.finishedAt} after ${d.dueAt}`);
      assert.match(d.code, /^[0-9A-Z.]+-\d{6}-\d{4}$/);
      assert.equal(d.status, 10);
    }
    assert.equal((await list('figure=finished.early')).json().total, 4);
    assert.equal((await list('figure=inProgress.overdue')).json().total, 2);
    assert.equal((await list('figure=received.online&pageSize=10')).json().total, 3387);
    assert.equal((await list('figure=refusedAtReception')).json().items[0].classification, 'refused');
    const received = await t.app.inject({
      url: `/api/v1/dossiers?unit=${HA_DONG}&receivedFrom=2019-01-01&receivedTo=2019-01-31&pageSize=500`,
      headers: tok.specialistHaDong,
    });
    assert.equal(received.statusCode, 200, received.body);
    for (const d of received.json().items) assert.ok(d.receivedAt >= '2018-12-31T17:00:00Z' && d.receivedAt < '2019-01-31T17:00:00Z');
    // A ward's officials see their ward, not the district; citizens and strangers nothing.
    assert.equal((await list('figure=finished.late', tok.leaderQuangTrung)).statusCode, 403);
    assert.equal((await list('figure=finished.late', tok.citizen)).statusCode, 403);
    assert.equal((await t.app.inject({ url: `/api/v1/dossiers?unit=${HA_DONG}&period=half-year-2019-1` })).statusCode, 401);
    assert.equal(
      (await t.app.inject({ url: `/api/v1/dossiers?unit=${HA_DONG}&figure=finished.late`, headers: tok.leaderHaDong })).json().code,
      'period_required',
    );
    assert.equal((await list('figure=nope')).statusCode, 400);
  });

  test('34 procedures at level 3 at district level and 8 at ward level', async () => {
    const c = await get(t, `/api/v1/reports/coverage?unit=${HA_DONG}`);
    const level = (l: string) => c.byUnitLevel.find((x: { level: string }) => x.level === l).procedures;
    assert.equal(level('district').level3, 34);
    assert.equal(level('commune').level3, 8);
    assert.equal(c.unitsUsing.commune, 17);
  });
});

describe(`scenario hanoi-2019: the city-wide coverage the city published (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({}, { template: 'bare' });
    await scenario(t, 'hanoi-2019');
    await t.app.services.stats.rollUp();
  });
  after(() => t.close());

  test('22 departments, 30 districts, 584 communes; 1,321 procedures online = 75%, 15.5% at level 4 and 84.5% at level 3', async () => {
    const c = await get(t, `/api/v1/reports/coverage?unit=${CITY}&period=year-2019`);
    assert.deepEqual(c.unitsUsing, { department: 22, district: 30, commune: 584, total: 636 });
    assert.equal(c.procedures.online, 1321);
    assert.equal(Math.round(c.procedures.shareOnline), 75);
    assert.equal(c.procedures.level4, 205);
    assert.equal(Math.round(c.procedures.shareLevel4 * 10) / 10, 15.5);
    assert.equal(Math.round(c.procedures.shareLevel3 * 10) / 10, 84.5);
    const education = c.onlineShareByField.find((f: { field: string }) => f.field === 'education');
    assert.equal(education.share, 86.5);
  });

  test('e-tax filing and social insurance over 98% online, first-grade enrolment 86.5%', async () => {
    const share = async (procedure: string) => {
      const code = (await t.db.selectFrom('procedure').select('code').where('name_en', 'like', `${procedure}%`).executeTakeFirstOrThrow())
        .code;
      return (await get(t, `/api/v1/reports/dossiers?unit=${CITY}&period=year-2019&procedure=${code}`)).onlineShare as number;
    };
    assert.ok((await share('E-tax filing')) > 98);
    assert.ok((await share('Social insurance')) > 98);
    assert.equal(await share('First-grade enrolment'), 86.5);
    const tax = await get(t, `/api/v1/reports/dossiers?unit=${CITY}&period=year-2019&field=tax_social_insurance`);
    assert.ok(tax.onlineShare > 98, String(tax.onlineShare));
    assert.deepEqual((await checkRollups(t.app.services.stats.deps)).differences, []);
  });
});
