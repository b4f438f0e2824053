import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, bearerFor, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';

describe(`calendar API (${ENGINE})`, () => {
  let t: TestApp;
  let cityAdmin: Record<string, string>;
  before(async () => {
    t = await testApp();
    cityAdmin = await bearerFor(t.app, DEMO.cityAdmin);
  });
  after(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test('lunar and solar conversion for Vietnam (UTC+7)', async () => {
    assert.deepEqual((await get('/api/v1/calendar/lunar?date=1985-01-21')).json(), { day: 1, month: 1, year: 1985, leap: false });
    assert.deepEqual((await get('/api/v1/calendar/lunar?date=2026-02-17')).json(), { day: 1, month: 1, year: 2026, leap: false });
    assert.deepEqual((await get('/api/v1/calendar/solar?day=10&month=3&year=2026')).json(), { date: '2026-04-26' });
    assert.deepEqual((await get('/api/v1/calendar/solar?day=10&month=3&year=2025&leap=false')).json(), { date: '2025-04-07' });
    const noLeap = await get('/api/v1/calendar/solar?day=1&month=1&year=2026&leap=true');
    assert.equal(noLeap.statusCode, 400);
    assert.equal(noLeap.json().code, 'invalid_lunar_date');
    assert.equal((await get('/api/v1/calendar/lunar?date=2026-13-01')).json().code, 'invalid_date');
    assert.equal((await get('/api/v1/calendar/lunar?date=1850-01-01')).json().code, 'year_out_of_range');
    assert.equal((await get('/api/v1/calendar/lunar')).statusCode, 400);
  });

  test('2026 is published with Tết Bính Ngọ from Monday 16 to Friday 20 February; 2031 is only proposed', async () => {
    const y2026 = (await get('/api/v1/calendar/years/2026')).json();
    assert.equal(y2026.status, 'published');
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      assert.ok(
        y2026.holidays.some((h: { date: string }) => h.date === d),
        d,
      );
    }
    assert.ok(y2026.holidays.every((h: { name: { vi: string; en: string } }) => h.name.vi && h.name.en));
    const y2031 = (await get('/api/v1/calendar/years/2031')).json();
    assert.equal(y2031.status, 'proposed');
    assert.equal(y2031.version, null);
    assert.equal((await get('/api/v1/calendar/years/1899')).statusCode, 400);
  });

  test('a city admin publishes a year; each publication is a new audited version', async () => {
    const proposal = (await get('/api/v1/calendar/years/2027')).json();
    const body = { holidays: proposal.holidays, daysOff: proposal.daysOff, workingWeekends: [], note: 'Thông báo thử nghiệm số 1' };
    const put = (b: object, headers = cityAdmin) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/calendar/years/2027', headers, payload: b });
    const first = await put(body);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().status, 'published');
    assert.equal(first.json().version, 1);
    const swapped = await put({ ...body, workingWeekends: ['2027-02-20'], note: 'Thông báo thử nghiệm số 2' });
    assert.equal(swapped.json().version, 2);
    assert.deepEqual((await get('/api/v1/calendar/years/2027')).json().workingWeekends, ['2027-02-20']);
    const events = await t.db
      .selectFrom('audit_event')
      .select('entity_id')
      .where('action', '=', 'calendar.publish')
      .where('entity_id', 'like', '2027v%')
      .execute();
    assert.deepEqual(events.map((e) => e.entity_id).sort(), ['2027v1', '2027v2']);
    // The published swap counts as a working day at once.
    assert.ok((await get('/api/v1/calendar/working-days?from=2027-02-20&to=2027-02-20')).json().days.includes('2027-02-20'));

    assert.equal((await put(body, await bearerFor(t.app, DEMO.adminHaDong))).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/years/2027', payload: body })).statusCode, 401);
    const wrongYear = await put({ ...body, holidays: [{ date: '2028-01-01', name: { vi: 'Tết Dương lịch', en: "New Year's Day" } }] });
    assert.equal(wrongYear.json().code, 'date_outside_year');
    const notWeekend = await put({ ...body, workingWeekends: ['2027-02-22'] });
    assert.equal(notWeekend.json().code, 'not_a_weekend');
    const mismatch = await put({ ...body, year: 2028 });
    assert.equal(mismatch.json().code, 'year_mismatch');
    const impossible = await put({ ...body, workingWeekends: ['2027-02-31'] });
    assert.equal(impossible.statusCode, 400);
  });

  test('working days between two dates leave out weekends and Tết 2026', async () => {
    const res = (await get('/api/v1/calendar/working-days?from=2026-02-09&to=2026-02-27')).json();
    assert.equal(res.count, 10);
    assert.ok(!res.days.includes('2026-02-17'));
    assert.equal((await get('/api/v1/calendar/working-days?from=2020-01-01&to=2030-12-31')).json().code, 'range_too_long');
    assert.equal((await get('/api/v1/calendar/working-days?from=2026-03-01&to=2026-02-01')).json().code, 'invalid_date');
  });

  test('a Friday 15:01 receipt with 1 working day before Tết 2026 is due Tuesday 24 February, and says why', async () => {
    const res = await get(
      `/api/v1/calendar/deadline?receivedAt=${encodeURIComponent('2026-02-13T15:01:00+07:00')}&amount=1&unit=working_days`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.dueAt, '2026-02-24T17:00:00+07:00');
    assert.equal(r.countFrom, '2026-02-23T07:30:00+07:00');
    assert.deepEqual(r.calendarStatus, { '2026': 'published' });
    const reasons = Object.fromEntries(r.skipped.map((s: { date: string; kind: string }) => [s.date, s.kind]));
    assert.equal(reasons['2026-02-14'], 'weekend');
    assert.equal(reasons['2026-02-17'], 'holiday');
    assert.match(r.skipped.find((s: { date: string }) => s.date === '2026-02-17').reason.vi, /Tết Nguyên đán/);
    // The same instant written in UTC gives the same answer.
    const utc = (await get('/api/v1/calendar/deadline?receivedAt=2026-02-13T08:01:00Z&amount=1&unit=working_days')).json();
    assert.equal(utc.dueAt, r.dueAt);
  });

  test('bad deadline requests get 400 with a stable code', async () => {
    const q = (receivedAt: string, amount: string, unit: string) =>
      get(`/api/v1/calendar/deadline?receivedAt=${encodeURIComponent(receivedAt)}&amount=${amount}&unit=${unit}`);
    const cases: [string, string, string, string][] = [
      ['2026-02-13T10:00:00+07:00', '3', 'weeks', 'unknown_time_unit'],
      ['2026-02-13T10:00:00+07:00', '-1', 'working_days', 'amount_out_of_range'],
      ['2026-02-13T10:00:00+07:00', '5000', 'working_days', 'amount_out_of_range'],
      ['2026-02-13T10:00:00+07:00', '121', 'months', 'amount_out_of_range'],
      ['2026-02-30T10:00:00+07:00', '1', 'working_days', 'invalid_date'],
      ['2026-02-13T25:00:00+07:00', '1', 'working_days', 'invalid_date'],
      ['2026-02-13T10:00:00', '1', 'working_days', 'validation_failed'],
      ['yesterday', '1', 'working_days', 'validation_failed'],
      ['2150-01-01T10:00:00+07:00', '1', 'working_days', 'year_out_of_range'],
      ['2026-02-13T10:00:00+07:00', '1.5', 'working_days', 'validation_failed'],
    ];
    for (const [at, amount, unit, code] of cases) {
      const res = await q(at, amount, unit);
      assert.equal(res.statusCode, 400, `${at} ${amount} ${unit}: ${res.body}`);
      assert.equal(res.json().code, code, `${at} ${amount} ${unit}`);
    }
  });

  test("a unit's own office hours move its cut-off; only its admins may set them", async () => {
    const admin = await bearerFor(t.app, DEMO.adminHaDong);
    const hours = {
      sessions: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      cutoff: '16:00',
    };
    const put = (code: string, body: object, headers = admin) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/units/${code}/office-hours`, headers, payload: body });
    const res = await put(UNITS.quangTrung, hours);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().custom, true);
    // 15:30 is before this unit's 16:00 cut-off, so Friday counts and one working day ends Monday.
    const due = (
      await get(
        `/api/v1/calendar/deadline?receivedAt=${encodeURIComponent('2026-03-06T15:30:00+07:00')}&amount=1&unit=working_days&unitCode=${UNITS.quangTrung}`,
      )
    ).json();
    assert.equal(due.dueAt, '2026-03-09T17:30:00+07:00');
    const elsewhere = (
      await get(`/api/v1/calendar/deadline?receivedAt=${encodeURIComponent('2026-03-06T15:30:00+07:00')}&amount=1&unit=working_days`)
    ).json();
    assert.equal(elsewhere.dueAt, '2026-03-10T17:00:00+07:00');
    assert.equal((await put(UNITS.dichVong, hours)).statusCode, 403);
    const backwards = await put(UNITS.quangTrung, { sessions: [{ start: '12:00', end: '08:00' }], cutoff: '10:00' });
    assert.equal(backwards.statusCode, 400);
    assert.equal(backwards.json().code, 'invalid_office_hours');
    assert.equal((await get(`/api/v1/units/${UNITS.dichVong}/office-hours`)).json().custom, false);
  });
});

describe(`calendar pages (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('the public holiday page of a year, published or proposed, in both languages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/calendar/2026' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Lịch nghỉ lễ, tết năm 2026/);
    assert.match(res.body, /Tết Nguyên đán/);
    assert.match(res.body, /16\/02\/2026/);
    assert.doesNotMatch(res.body, /chưa được công bố/);
    const proposed = await t.app.inject({ method: 'GET', url: '/calendar/2031?lang=en' });
    assert.match(proposed.body, /has not been published yet/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/calendar/abcd' })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/calendar' })).statusCode, 302);
  });

  test('the due-date calculator explains the days it skipped, and reports bad input next to the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/calendar/due-date?amount=1&unit=working_days&date=2026-02-13&time=15:01' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /17:00 24\/02\/2026/);
    assert.match(res.body, /Tết Nguyên đán/);
    const bad = await t.app.inject({ method: 'GET', url: '/calendar/due-date?amount=abc&unit=weeks&date=13/02/2026&time=3pm' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<title>Lỗi: /);
    for (const f of ['amount', 'unit', 'date', 'time']) assert.match(bad.body, new RegExp(`href="#${f}"`));
  });

  test('picking a procedure uses its own time limit; a procedure whose limit is not confirmed asks for one', async () => {
    // Marital status confirmation: 3 working days; from Monday 2 March 2026 09:00 that is Thursday 5 March.
    const res = await t.app.inject({ method: 'GET', url: '/calendar/due-date?procedure=1.004873&date=2026-03-02&time=09:00' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /17:00 05\/03\/2026/);
    assert.match(res.body, /<option value="1\.004873" selected>/);
    const unknown = await t.app.inject({ method: 'GET', url: '/calendar/due-date?procedure=2.000806&date=2026-03-02&time=09:00' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /href="#procedure"/);
  });

  test('a city admin reviews the proposal for a year and publishes it from the admin page', async () => {
    const b = await new Browser(t.app).login(DEMO.cityAdmin);
    const form = await b.get('/admin/calendar/2028');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /2028-01-01 \| Tết Dương lịch/);
    const holidays = /<textarea id="holidays"[^>]*>([^<]*)<\/textarea>/.exec(form.body)![1]!.replace(/&amp;/g, '&');
    const bad = await b.postForm('/admin/calendar/2028', {
      holidays: `${holidays}\nnot a date | x`,
      daysOff: '',
      workingWeekends: '',
      note: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /not a date/);
    const ok = await b.postForm('/admin/calendar/2028', { holidays, daysOff: '', workingWeekends: '', note: 'Công văn thử nghiệm' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/admin/calendar/2028?published=1');
    const page = await t.app.inject({ method: 'GET', url: '/calendar/2028' });
    assert.match(page.body, /phiên bản 1/);
    assert.match(page.body, /Công văn thử nghiệm/);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await citizen.get('/admin/calendar/2028')).statusCode, 403);
  });

  test("a unit admin sets a ward's office hours from its page; bad times are explained; other districts are out of reach", async () => {
    const b = await new Browser(t.app).login(DEMO.adminHaDong);
    assert.match((await b.get(`/units/${UNITS.quangTrung}`)).body, /href="\/admin\/units\/000\.13\.42\.H26\/office-hours"/);
    const form = await b.get(`/admin/units/${UNITS.quangTrung}/office-hours`);
    assert.match(form.body, /value="07:30-11:30"/);
    const bad = await b.postForm(`/admin/units/${UNITS.quangTrung}/office-hours`, { morning: '8h-12h', afternoon: '', cutoff: '16:00' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#morning"/);
    const backwards = await b.postForm(`/admin/units/${UNITS.quangTrung}/office-hours`, {
      morning: '12:00-08:00',
      afternoon: '',
      cutoff: '10:00',
    });
    assert.equal(backwards.statusCode, 400);
    const ok = await b.postForm(`/admin/units/${UNITS.quangTrung}/office-hours`, {
      morning: '08:00-12:00',
      afternoon: '13:00-17:30',
      cutoff: '16:00',
    });
    assert.equal(ok.statusCode, 303);
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/units/${UNITS.quangTrung}/office-hours` })).json();
    assert.deepEqual(api, {
      unitCode: UNITS.quangTrung,
      custom: true,
      sessions: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      cutoff: '16:00',
    });
    assert.equal((await b.get(`/admin/units/${UNITS.dichVong}/office-hours`)).statusCode, 403);
  });
});
