import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe(`catalogue as xlsx (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Record<string, string>;
  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
  });
  after(() => t.close());

  const versions = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from procedure_version`.execute(t.db)).rows[0]!.n);
  const upload = (payload: Buffer, headers = admin) =>
    t.app.inject({ method: 'POST', url: '/api/v1/catalogue/import.xlsx', headers: { ...headers, 'content-type': XLSX }, payload });
  const exported = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalogue/export.xlsx' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  };
  const bytes = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

  test('the exported workbook lists every procedure and comes back unchanged', async () => {
    const wb = await exported();
    const sheet = wb.getWorksheet('procedures')!;
    assert.ok(sheet.rowCount >= 61);
    const before = await versions();
    const res = await upload(await bytes(wb));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().created + res.json().newVersions, 0);
    assert.equal(await versions(), before);
  });

  test('an edited time limit in the sheet becomes a new version', async () => {
    const wb = await exported();
    const sheet = wb.getWorksheet('procedures')!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    let target = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(col('code')).value === '1.004873') target = n;
    });
    sheet.getRow(target).getCell(col('time_limit_amount')).value = 2;
    const res = await upload(await bytes(wb));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().newVersions, 1);
  });

  test('a broken file, wrong columns, a bad cell or duplicate codes are refused and change nothing', async () => {
    const before = await versions();
    const broken = await upload(Buffer.from('PK\u0003\u0004 this is not really a zip file'));
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().code, 'invalid_catalogue_file');

    const renamed = await exported();
    renamed.getWorksheet('procedures')!.getRow(1).getCell(1).value = 'ma_thu_tuc';
    const cols = await upload(await bytes(renamed));
    assert.equal(cols.statusCode, 400);
    assert.match(cols.json().title, /missing columns \[code\], unknown columns \[ma_thu_tuc\]/);

    const badCell = await exported();
    badCell.getWorksheet('procedures')!.getRow(2).getCell(9).value = 'ba ngày';
    const cell = await upload(await bytes(badCell));
    assert.equal(cell.statusCode, 400);
    assert.match(cell.json().title, /row 2: time_limit_amount must be a whole number/);

    const dup = await exported();
    const sheet = dup.getWorksheet('procedures')!;
    sheet.addRow((sheet.getRow(2).values as unknown[]).slice(1));
    const dupRes = await upload(await bytes(dup));
    assert.equal(dupRes.statusCode, 400);
    assert.equal(dupRes.json().code, 'duplicate_procedure_code');

    assert.equal(await versions(), before);
    assert.equal((await upload(await bytes(await exported()), await bearerFor(t.app, DEMO.adminHaDong))).statusCode, 403);
  });
});
