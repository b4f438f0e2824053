import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/db.js';

// The online form without a browser: what a phone with JavaScript off gets.
describe(`the online form, page by page (${ENGINE})`, () => {
  let t: TestApp;
  let b: Browser;
  let id: string;
  before(async () => {
    t = await testApp();
    // Hà Đông district takes household business registration online in this test.
    const unit = await t.db.selectFrom('unit').select('id').where('code', '=', '000.00.42.H26').executeTakeFirstOrThrow();
    const proc = await t.db.selectFrom('procedure').select('id').where('code', '=', '1.001612').executeTakeFirstOrThrow();
    await t.db
      .insertInto('unit_procedure')
      .values({ unit_id: unit.id, procedure_id: proc.id, online_level: 3, online_mode: 'partial' })
      .onConflict((oc) => oc.columns(['unit_id', 'procedure_id']).doUpdateSet({ online_level: 3 }))
      .execute();
    b = await new Browser(t.app).login(DEMO.citizen);
    const start = await b.get('/dossiers/new?procedure=1.001612');
    assert.match(start.body, /Quận Hà Đông/);
    const res = await b.postForm('/dossiers', { procedure: '1.001612', unit: '000.00.42.H26', who: 'self' });
    assert.equal(res.statusCode, 303);
    id = /\/dossiers\/(\d+)\/edit/.exec(res.headers.location as string)![1]!;
  });
  after(() => t.close());

  test('a repeatable group grows by one row per "add a row", and rows are kept', async () => {
    const page = await b.get(`/dossiers/${id}/edit`);
    assert.match(page.body, /name="f\.founders\.0\.founderName"/);
    assert.doesNotMatch(page.body, /name="f\.founders\.1\.founderName"/);
    const added = await b.postForm(`/dossiers/${id}/edit`, {
      _action: 'add:founders',
      'f.founders.0.founderName': 'Lê Thị Hoa',
      'f.founders.0.founderId': '001190012345',
    });
    assert.equal(added.statusCode, 200);
    assert.match(added.body, /value="Lê Thị Hoa"/);
    assert.match(added.body, /name="f\.founders\.1\.founderName"/);
    await b.postForm(`/dossiers/${id}/edit`, {
      _action: 'save',
      'f.founders.0.founderName': 'Lê Thị Hoa',
      'f.founders.0.founderId': '001190012345',
      'f.founders.1.founderName': 'Phạm Văn Nam',
      'f.founders.1.founderId': '001090054321',
    });
    const row = await t.db.selectFrom('dossier').select('form_data').where('id', '=', Number(id)).executeTakeFirstOrThrow();
    assert.deepEqual((row.form_data as { founders: unknown[] }).founders, [
      { founderName: 'Lê Thị Hoa', founderId: '001190012345' },
      { founderName: 'Phạm Văn Nam', founderId: '001090054321' },
    ]);
  });

  test('"continue" with missing or wrong answers re-renders with an error summary, keeping the answers (in English too)', async () => {
    const res = await b.postForm(`/dossiers/${id}/edit?lang=en`, {
      _action: 'continue',
      'f.founders.0.founderName': 'Lê Thị Hoa',
      'f.founders.0.founderId': '12',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>Error: /);
    assert.match(res.body, /class="error-summary"/);
    assert.match(res.body, /value="Lê Thị Hoa"/);
    assert.match(res.body, /citizen ID/i);
  });

  test('a draft resumes from another device: the answers live on the server', async () => {
    const other = await new Browser(t.app).login(DEMO.citizen);
    const page = await other.get(`/dossiers/${id}/edit`);
    assert.match(page.body, /value="Lê Thị Hoa"/);
    const mine = await other.get('/my/dossiers');
    assert.match(mine.body, new RegExp(`/dossiers/${id}`));
  });

  test("someone else's draft is not found, and the check page will not submit an incomplete dossier", async () => {
    const stranger = await new Browser(t.app).login(DEMO.business);
    assert.equal((await stranger.get(`/dossiers/${id}/edit`)).statusCode, 404);
    const check = await b.get(`/dossiers/${id}/check?lang=vi`);
    assert.match(check.body, /Cần bổ sung trước khi nộp/);
    assert.doesNotMatch(check.body, /name="declaration"/);
    const forced = await b.postForm(`/dossiers/${id}/submit`, { declaration: 'yes' });
    assert.equal(forced.statusCode, 400);
    const row = await t.db.selectFrom('dossier').select(['status', 'code']).where('id', '=', Number(id)).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: null, code: null });
  });
});
