import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';

describe(`units API (${ENGINE})`, () => {
  let t: TestApp;
  let cityAdmin: Record<string, string>;
  before(async () => {
    t = await testApp();
    cityAdmin = await bearerFor(t.app, DEMO.cityAdmin);
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  test('Hanoi as in 2019: the city, 22 departments, 30 district-level units, the wards of Hà Đông and Cầu Giấy', async () => {
    const byLevel = async (level: string) => (await get(`/api/v1/units?level=${level}`)).json().units;
    assert.equal((await byLevel('city')).length, 1);
    assert.equal((await byLevel('department')).length, 22);
    const districts = await byLevel('district');
    assert.equal(districts.length, 30);
    const kinds = districts.reduce(
      (acc: Record<string, number>, d: { kind: string }) => ({ ...acc, [d.kind]: (acc[d.kind] ?? 0) + 1 }),
      {},
    );
    assert.deepEqual(kinds, { urban_district: 12, town: 1, rural_district: 17 });
    const haDongWards = (await get(`/api/v1/units?parent=${UNITS.haDong}`)).json().units;
    assert.equal(haDongWards.length, 17);
    assert.ok(haDongWards.some((w: { name: { vi: string } }) => w.name.vi === 'Phường Quang Trung'));
    assert.equal((await get(`/api/v1/units?parent=${UNITS.cauGiay}`)).json().units.length, 8);
  });

  test('the tree shape nests communes under districts under the city', async () => {
    const res = await get('/api/v1/units?shape=tree');
    assert.equal(res.statusCode, 200);
    const [city] = res.json().units;
    assert.equal(city.code, UNITS.city);
    const haDong = city.children.find((c: { code: string }) => c.code === UNITS.haDong);
    assert.equal(haDong.children.length, 17);
    assert.deepEqual(haDong.children[0].ancestors, [UNITS.city, UNITS.haDong]);
  });

  test('one unit by code shows its children; an unknown code is a 404, a malformed one a 400', async () => {
    const res = await get(`/api/v1/units/${UNITS.haDong}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().name.vi, 'Quận Hà Đông');
    assert.equal(res.json().children.length, 17);
    const missing = await get('/api/v1/units/000.00.99.H26');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'unit_not_found');
    const bad = await get("/api/v1/units/x'or'1'='1");
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_failed');
    const badDate = await get('/api/v1/units?at=2026-02-30');
    assert.equal(badDate.statusCode, 400);
    assert.equal(badDate.json().code, 'invalid_date');
    const badLevel = await get('/api/v1/units?level=planet');
    assert.equal(badLevel.statusCode, 400);
  });

  test('a two-level province (no district level, as since July 2025) is representable', async () => {
    const create = (body: object) => t.app.inject({ method: 'POST', url: '/api/v1/units', headers: cityAdmin, payload: body });
    // A province outside the admin's scope cannot be created by Hanoi's city admin...
    const refused = await create({
      code: '000.00.00.H99',
      name: { vi: 'Tỉnh Thử nghiệm', en: 'Test Province' },
      level: 'city',
      kind: 'province',
      parentCode: null,
      validFrom: '2025-07-01',
    });
    assert.equal(refused.statusCode, 403);
    // ...so build it through the service, as a national operator would.
    const ctx = { actorId: null, actorRole: 'system', unitId: null, ip: null };
    const units = t.app.services.units;
    await units.create(
      {
        code: '000.00.00.H99',
        name: { vi: 'Tỉnh Thử nghiệm', en: 'Test Province' },
        level: 'city',
        kind: 'province',
        parentCode: null,
        validFrom: '2025-07-01',
      },
      null,
      ctx,
    );
    await units.create(
      {
        code: '000.01.00.H99',
        name: { vi: 'Phường Một', en: 'Ward One' },
        level: 'commune',
        kind: 'ward',
        parentCode: '000.00.00.H99',
        validFrom: '2025-07-01',
      },
      null,
      ctx,
    );
    await units.create(
      {
        code: '000.02.00.H99',
        name: { vi: 'Xã Hai', en: 'Commune Two' },
        level: 'commune',
        kind: 'commune',
        parentCode: '000.00.00.H99',
        validFrom: '2025-07-01',
      },
      null,
      ctx,
    );
    const res = (await get('/api/v1/units/000.00.00.H99')).json();
    assert.deepEqual(res.children, ['000.01.00.H99', '000.02.00.H99']);
    const ward = (await get('/api/v1/units/000.01.00.H99')).json();
    assert.deepEqual(ward.ancestors, ['000.00.00.H99']);
    assert.equal(ward.level, 'commune');
    // A district cannot sit under a commune, nor a commune under a department.
    await assert.rejects(
      units.create(
        {
          code: '000.03.00.H99',
          name: { vi: 'Quận Sai', en: 'Wrong' },
          level: 'district',
          kind: 'urban_district',
          parentCode: '000.01.00.H99',
          validFrom: '2025-07-01',
        },
        null,
        ctx,
      ),
      (e: { code?: string }) => e.code === 'invalid_unit_tree',
    );
  });

  test('merging wards from an effective date: the old wards stay for history, the new one is in force after', async () => {
    const into = {
      code: '000.90.42.H26',
      name: { vi: 'Phường Hà Đông Mới', en: 'New Hà Đông Ward' },
      level: 'commune',
      kind: 'ward',
      parentCode: UNITS.haDong,
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units/reorganizations',
      headers: cityAdmin,
      payload: { kind: 'merge', effectiveDate: '2027-01-01', from: ['000.14.42.H26', '000.15.42.H26'], into: [into] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const merged = res.json().units[0];
    assert.equal(merged.code, '000.90.42.H26');
    assert.deepEqual(
      merged.predecessors.map((p: { code: string }) => p.code),
      ['000.14.42.H26', '000.15.42.H26'],
    );
    const before = (await get(`/api/v1/units?parent=${UNITS.haDong}&at=2026-12-31`)).json().units.map((u: { code: string }) => u.code);
    const afterMerge = (await get(`/api/v1/units?parent=${UNITS.haDong}&at=2027-01-01`)).json().units.map((u: { code: string }) => u.code);
    assert.ok(before.includes('000.14.42.H26') && !before.includes('000.90.42.H26'));
    assert.ok(!afterMerge.includes('000.14.42.H26') && afterMerge.includes('000.90.42.H26'));
    assert.equal(afterMerge.length, 16);
    const old = (await get('/api/v1/units/000.14.42.H26')).json();
    assert.equal(old.validTo, '2027-01-01');
    assert.deepEqual(old.successors, [{ code: '000.90.42.H26', kind: 'merge', effectiveDate: '2027-01-01' }]);
  });

  test('splitting a ward into two; closing a district that still has wards is refused', async () => {
    const split = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units/reorganizations',
      headers: cityAdmin,
      payload: {
        kind: 'split',
        effectiveDate: '2027-03-01',
        from: ['000.01.42.H26'],
        into: [
          {
            code: '000.91.42.H26',
            name: { vi: 'Phường Biên Giang Bắc', en: 'North Biên Giang Ward' },
            level: 'commune',
            kind: 'ward',
            parentCode: UNITS.haDong,
          },
          {
            code: '000.92.42.H26',
            name: { vi: 'Phường Biên Giang Nam', en: 'South Biên Giang Ward' },
            level: 'commune',
            kind: 'ward',
            parentCode: UNITS.haDong,
          },
        ],
      },
    });
    assert.equal(split.statusCode, 201, split.body);
    assert.equal(split.json().units.length, 2);
    const closeDistrict = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units/reorganizations',
      headers: cityAdmin,
      payload: { kind: 'merge', effectiveDate: '2027-06-01', from: [UNITS.cauGiay], into: [{ existing: UNITS.baDinh }] },
    });
    assert.equal(closeDistrict.statusCode, 400);
    assert.equal(closeDistrict.json().code, 'invalid_unit_tree');
  });

  test('only a city admin reorganizes units', async () => {
    const unitAdmin = await bearerFor(t.app, DEMO.adminHaDong);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units/reorganizations',
      headers: unitAdmin,
      payload: { kind: 'merge', effectiveDate: '2027-01-01', from: ['000.02.42.H26'], into: [{ existing: '000.03.42.H26' }] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'forbidden');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/units', payload: {} });
    assert.equal(anon.statusCode, 401);
  });
});
