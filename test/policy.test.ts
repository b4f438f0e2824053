import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.js';
import { policies } from '../src/modules/auth/policy.js';
import { scopes } from '../src/modules/auth/scopes.js';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/db.js';

describe(`route policies (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('every registered route declares who may call it', () => {
    const routes = t.app.routeList;
    assert.ok(routes.length >= 20, `only ${routes.length} routes enumerated`);
    const undeclared = routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undeclared, []);
    // Every enumerated route is one the router really serves.
    for (const r of routes) assert.ok(t.app.hasRoute({ method: r.method as 'GET', url: r.url }), `${r.method} ${r.url}`);
  });

  test('adding a route without a policy to the app fails at once', async () => {
    const app = await buildApp(t.app.config, t.database, { logger: false });
    assert.throws(() => app.get('/sneaky', async () => 'x'), /declares no policy/);
    app.get('/declared', { config: { policy: policies.public } }, async () => 'x');
    // A non-public route addressing a record by id must say how that record is scoped.
    assert.throws(() => app.get('/sneaky/:id', { config: { policy: policies.authenticated } }, async () => 'x'), /declares no scope/);
    app.get('/scoped/:id', { config: { policy: policies.authenticated, scope: scopes.account } }, async () => 'x');
    await app.close();
  });
});

describe(`unit scope: officials stay inside their unit (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Record<string, Record<string, string>>;
  before(async () => {
    t = await testApp();
    tok = {};
    for (const [k, v] of Object.entries(DEMO)) tok[k] = await bearerFor(t.app, v);
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who: string | null, payload?: object) =>
    t.app.inject({ method, url, headers: who ? tok[who] : {}, ...(payload ? { payload } : {}) });

  test("a ward's desk officer cannot read another ward's staff list", async () => {
    assert.equal((await call('GET', `/api/v1/units/${UNITS.dichVong}/staff`, 'deskQuangTrung')).statusCode, 403);
    assert.equal(
      (await call('GET', `/api/v1/units/${UNITS.quangTrung}/staff`, 'deskQuangTrung')).statusCode,
      403,
      'a desk officer is not a staff manager',
    );
  });

  test("a district leader sees the wards under the district, not another district's", async () => {
    assert.equal((await call('GET', `/api/v1/units/${UNITS.quangTrung}/staff`, 'leaderHaDong')).statusCode, 200);
    assert.equal((await call('GET', `/api/v1/units/${UNITS.dichVong}/staff`, 'leaderHaDong')).statusCode, 403);
    assert.equal((await call('GET', `/api/v1/units/${UNITS.city}/staff`, 'leaderHaDong')).statusCode, 403, 'not upwards either');
  });

  test('a district unit admin staffs its own wards but cannot reach other districts or escalate', async () => {
    const ok = await call('POST', `/api/v1/units/${UNITS.vanQuan}/staff`, 'adminHaDong', {
      email: 'desk.vanquan@demo.motcua.vn',
      fullName: 'Đinh Văn Quán',
      password: 'mat-khau-dai-12',
      role: 'desk_officer',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const otherDistrict = await call('POST', `/api/v1/units/${UNITS.dichVong}/staff`, 'adminHaDong', {
      email: 'x@demo.motcua.vn',
      fullName: 'Người Ngoài',
      password: 'mat-khau-dai-12',
      role: 'desk_officer',
    });
    assert.equal(otherDistrict.statusCode, 403);
    const makeCityAdmin = await call('POST', `/api/v1/units/${UNITS.city}/staff`, 'adminHaDong', {
      email: DEMO.adminHaDong,
      role: 'city_admin',
    });
    assert.equal(makeCityAdmin.statusCode, 403);
    const selfPromote = await call('POST', `/api/v1/units/${UNITS.haDong}/staff`, 'adminHaDong', {
      email: DEMO.adminHaDong,
      role: 'city_admin',
    });
    assert.equal(selfPromote.statusCode, 403);
    // Smuggling another unit in the body is an unknown field, refused outright.
    const smuggled = await call('POST', `/api/v1/units/${UNITS.vanQuan}/staff`, 'adminHaDong', {
      email: 'y@demo.motcua.vn',
      role: 'desk_officer',
      unitCode: UNITS.dichVong,
    });
    assert.equal(smuggled.statusCode, 400);
    assert.equal(smuggled.json().code, 'validation_failed');
    // Citizens cannot be turned into officials.
    const citizen = await call('POST', `/api/v1/units/${UNITS.vanQuan}/staff`, 'adminHaDong', {
      email: 'citizen@demo.motcua.vn',
      role: 'leader',
    });
    assert.equal(citizen.statusCode, 403);
    assert.equal(citizen.json().code, 'role_not_assignable');
  });

  test("editing ids in the URL does not reach another unit's records", async () => {
    const dvStaff = await call('GET', `/api/v1/units/${UNITS.dichVong}/staff`, 'cityAdmin');
    const foreignId = dvStaff.json().staff[0].assignmentId;
    // The assignment lives in Dịch Vọng; addressing it through a Hà Đông ward finds nothing.
    const viaOwnWard = await call('DELETE', `/api/v1/units/${UNITS.quangTrung}/staff/${foreignId}`, 'adminHaDong');
    assert.equal(viaOwnWard.statusCode, 404);
    const direct = await call('DELETE', `/api/v1/units/${UNITS.dichVong}/staff/${foreignId}`, 'adminHaDong');
    assert.equal(direct.statusCode, 403);
    const still = await call('GET', `/api/v1/units/${UNITS.dichVong}/staff`, 'cityAdmin');
    assert.equal(still.json().staff.length, dvStaff.json().staff.length);
  });

  test("citizens and anonymous callers get 403 and 401 on officials' routes", async () => {
    assert.equal((await call('GET', `/api/v1/units/${UNITS.quangTrung}/staff`, 'citizen')).statusCode, 403);
    assert.equal((await call('GET', `/api/v1/units/${UNITS.quangTrung}/staff`, null)).statusCode, 401);
  });
});
