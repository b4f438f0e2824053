import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { seedCatalogue } from '../../seed/seed.js';

describe(`procedure catalogue (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const search = async (q: string, extra = '') =>
    (await get(`/api/v1/procedures?q=${encodeURIComponent(q)}${extra}`)).json().procedures as { code: string; name: { vi: string } }[];
  const count = async () => Number((await sql<{ n: number }>`select count(*)::int as n from procedure_version`.execute(t.db)).rows[0]!.n);

  test('the seed holds at least 60 real procedures across at least 8 fields, and loading it again changes nothing', async () => {
    const fields = (await get('/api/v1/fields')).json().fields as { code: string; procedures: number }[];
    const used = fields.filter((f) => f.procedures > 0);
    assert.ok(used.length >= 8, `${used.length} fields`);
    assert.ok(used.reduce((a, f) => a + f.procedures, 0) >= 60);
    const before = await count();
    // Forget that the seed was loaded, so every procedure is compared again.
    await t.db.deleteFrom('app_setting').where('key', '=', 'seed_catalogue').execute();
    const again = await seedCatalogue(t.db);
    assert.deepEqual({ created: again!.created, newVersions: again!.newVersions }, { created: 0, newVersions: 0 });
    assert.ok(again!.unchanged >= 60, `${again!.unchanged} compared`);
    const skipped = await seedCatalogue(t.db);
    assert.equal(skipped!.unchanged, 0, 'unchanged seed files are not compared again');
    assert.equal(await count(), before);
  });

  test('search without diacritics, with a typo, in English, and by code finds the right procedure first', async () => {
    assert.equal((await search('xac nhan tinh trang hon nhan'))[0]?.code, '1.004873');
    assert.equal((await search('xác nhận tình trạng hôn nhân'))[0]?.code, '1.004873');
    assert.equal((await search('xac nhan tinh trang hon nahn'))[0]?.code, '1.004873');
    assert.equal((await search('marital status'))[0]?.code, '1.004873');
    assert.equal((await search('1.001193'))[0]?.code, '1.001193');
    assert.equal((await search('khai sinh'))[0]?.code, '1.001193');
    assert.match((await search('ho kinh doanh'))[0]!.name.vi, /hộ kinh doanh/);
    assert.match((await search('xac nhan cu tru'))[0]!.name.vi, /Xác nhận thông tin về cư trú/);
    assert.deepEqual(await search('zzqqxx không có thủ tục này'), []);
  });

  test('filters by field, level, unit and online level', async () => {
    const civil = (await get('/api/v1/procedures?field=civil_status&limit=100')).json().procedures;
    assert.ok(civil.length > 5 && civil.every((p: { field: { code: string } }) => p.field.code === 'civil_status'));
    const district = (await get('/api/v1/procedures?level=district&limit=100')).json().procedures;
    assert.ok(district.every((p: { levels: string[] }) => p.levels.includes('district')));
    const atWard = (await get(`/api/v1/procedures?unit=${UNITS.quangTrung}&limit=100`)).json().procedures;
    assert.ok(atWard.some((p: { code: string }) => p.code === '1.004873'));
    assert.ok(atWard.every((p: { levels: string[] }) => p.levels.includes('commune')));
    const online = (await get('/api/v1/procedures?online=3&limit=100')).json().procedures;
    assert.ok(online.every((p: { onlineLevel: number | null }) => (p.onlineLevel ?? 0) >= 3));
  });

  test('bad queries get 400, unknown codes 404, never a 500', async () => {
    assert.equal((await get(`/api/v1/procedures?q=${'a'.repeat(201)}`)).statusCode, 400);
    assert.equal((await get('/api/v1/procedures?level=planet')).statusCode, 400);
    assert.equal((await get('/api/v1/procedures?limit=100000')).statusCode, 400);
    for (const q of ["' or 1=1 --", '%_%', '\\', '<script>', '\u0000', '̀̀̀']) {
      const res = await get(`/api/v1/procedures?q=${encodeURIComponent(q)}`);
      assert.ok(res.statusCode === 200 || res.statusCode === 400, `${q}: ${res.statusCode}`);
    }
    const missing = await get('/api/v1/procedures/9.999999');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'procedure_not_found');
    assert.equal((await get('/api/v1/procedures/abc')).statusCode, 400);
  });

  test('a procedure shows its version in force, its documents and the units offering it', async () => {
    const p = (await get('/api/v1/procedures/1.004873')).json();
    assert.equal(p.name.vi, 'Cấp Giấy xác nhận tình trạng hôn nhân');
    assert.deepEqual(p.timeLimit, { amount: 3, unit: 'working_days' });
    assert.ok(p.content.documents.length > 0);
    assert.ok(p.offeredBy.some((u: { code: string }) => u.code === UNITS.quangTrung));
  });

  test('"where do I go?" sends a Quang Trung resident to the ward, or to Hà Đông for a district procedure', async () => {
    const ward = (await get(`/api/v1/procedures/1.004873/offices?ward=${UNITS.quangTrung}`)).json().offices;
    assert.deepEqual(
      ward.map((o: { code: string }) => o.code),
      [UNITS.quangTrung],
    );
    assert.equal(ward[0].hours.cutoff, '15:00');
    const districtProc = (await get('/api/v1/procedures?field=household_business&level=district&limit=1')).json().procedures[0].code;
    const district = (await get(`/api/v1/procedures/${districtProc}/offices?ward=${UNITS.quangTrung}`)).json().offices;
    assert.deepEqual(
      district.map((o: { code: string }) => o.code),
      [UNITS.haDong],
    );
    assert.equal((await get(`/api/v1/procedures/1.004873/offices?ward=${UNITS.haDong}`)).statusCode, 404);
    assert.equal((await get('/api/v1/procedures/1.004873/offices?ward=nowhere')).statusCode, 400);
  });
});

describe(`catalogue administration (${ENGINE})`, () => {
  let t: TestApp;
  let cityAdmin: Record<string, string>;
  before(async () => {
    t = await testApp();
    cityAdmin = await bearerFor(t.app, DEMO.cityAdmin);
  });
  after(() => t.close());

  const versions = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from procedure_version`.execute(t.db)).rows[0]!.n);

  test('export then import of the same file changes nothing; a bad file is refused and changes nothing', async () => {
    const file = (await t.app.inject({ method: 'GET', url: '/api/v1/catalogue/export' })).json();
    assert.ok(file.procedures.length >= 60);
    const before = await versions();
    const same = await t.app.inject({ method: 'POST', url: '/api/v1/catalogue/import', headers: cityAdmin, payload: file });
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().created + same.json().newVersions, 0);
    const dup = { ...file, procedures: [...file.procedures, { ...file.procedures[0], name: { vi: 'Bản trùng', en: 'Duplicate' } }] };
    const dupRes = await t.app.inject({ method: 'POST', url: '/api/v1/catalogue/import', headers: cityAdmin, payload: dup });
    assert.equal(dupRes.statusCode, 400);
    assert.equal(dupRes.json().code, 'duplicate_procedure_code');
    const changedThenBad = {
      fields: file.fields,
      procedures: [
        { ...file.procedures[0], name: { vi: 'Tên đã đổi', en: 'Renamed' } },
        { ...file.procedures[1], field: 'no_such_field' },
      ],
    };
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/catalogue/import', headers: cityAdmin, payload: changedThenBad });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'unknown_field');
    const wrongColumns = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalogue/import',
      headers: cityAdmin,
      payload: { fields: [], procedures: [{ ma: '1.001193', ten: 'x' }] },
    });
    assert.equal(wrongColumns.statusCode, 400);
    assert.equal(wrongColumns.json().code, 'validation_failed');
    assert.equal(await versions(), before, 'nothing changed');
    const first = (await t.app.inject({ method: 'GET', url: `/api/v1/procedures/${file.procedures[0].code}` })).json();
    assert.notEqual(first.name.vi, 'Tên đã đổi');
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/catalogue/import',
          headers: await bearerFor(t.app, DEMO.adminHaDong),
          payload: file,
        })
      ).statusCode,
      403,
    );
  });

  test('a new version takes effect on its date; today keeps the version in force; the past cannot be rewritten', async () => {
    const current = (await t.app.inject({ method: 'GET', url: '/api/v1/procedures/1.004873' })).json();
    const content = { ...current.content, timeLimit: { amount: 2, unit: 'working_days' } };
    const tomorrow = new Date(Date.now() + 7 * 3600_000 + 86400_000).toISOString().slice(0, 10);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/procedures/1.004873/versions',
      headers: cityAdmin,
      payload: { effectiveFrom: tomorrow, content },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().version, current.version + 1);
    const today = (await t.app.inject({ method: 'GET', url: '/api/v1/procedures/1.004873' })).json();
    assert.deepEqual(today.timeLimit, { amount: 3, unit: 'working_days' });
    const later = await t.app.services.catalogue.detail('1.004873', tomorrow);
    assert.deepEqual(later.timeLimit, { amount: 2, unit: 'working_days' });
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/procedures/1.004873/versions',
      headers: cityAdmin,
      payload: { effectiveFrom: '2020-01-01', content },
    });
    assert.equal(past.statusCode, 400);
  });

  test('a unit admin chooses what the unit offers, within its level and its own subtree', async () => {
    const admin = await bearerFor(t.app, DEMO.adminHaDong);
    const call = (method: 'PUT' | 'DELETE', unit: string, code: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1/units/${unit}/procedures/${code}`, headers: admin, ...(payload ? { payload } : {}) });
    assert.equal((await call('DELETE', UNITS.quangTrung, '1.004873')).statusCode, 204);
    const offered = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/procedures?unit=${UNITS.quangTrung}&limit=100` }))
        .json()
        .procedures.map((p: { code: string }) => p.code);
    assert.ok(!(await offered()).includes('1.004873'));
    assert.equal((await call('PUT', UNITS.quangTrung, '1.004873', { onlineLevel: 4, onlineMode: 'full' })).statusCode, 204);
    assert.ok((await offered()).includes('1.004873'));
    const wrongLevel = await call('PUT', UNITS.haDong, '1.004873', { onlineLevel: 3, onlineMode: 'partial' });
    assert.equal(wrongLevel.statusCode, 400);
    assert.equal(wrongLevel.json().code, 'procedure_not_offerable');
    assert.equal((await call('PUT', UNITS.dichVong, '1.004873', { onlineLevel: 3, onlineMode: 'partial' })).statusCode, 403);
  });
});
