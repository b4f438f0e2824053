import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { isMessageKey } from '../../src/web/i18n/index.js';
import { bearerFor, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { csvOf, HEADER, questionRow, xlsxOf } from './bank-fixtures.js';
import { auditCount, type Auth } from './fixtures.js';

type Q = {
  id: number;
  poolId: number;
  fieldCode: string;
  status: string;
  kind: string;
  difficulty: number;
  text: { vi: string; en: string };
};
type Problem = { row: number; column: string; reason: string };

describe(`contest question bank: template, import, export (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  const contests: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const upload = (contestId: number, bytes: Buffer, name: string, who: Auth = admin) => {
    const m = multipart({}, { name, type: 'application/octet-stream', bytes });
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contestId}/imports`,
      headers: { ...who, ...m.headers },
      payload: m.payload,
    });
  };
  const bank = async (contestId: number, query = '') => {
    const r = await api('GET', `/contests/${contestId}/questions${query}`, admin);
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as (Q & Record<string, unknown>)[];
  };
  const newContest = async (vi: string) => {
    const r = await api('POST', '/contests', admin, { title: { vi, en: vi } });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as number;
  };
  const importOk = async (contestId: number, bytes: Buffer, name: string) => {
    const up = await upload(contestId, bytes, name);
    assert.equal(up.statusCode, 201, up.body);
    assert.deepEqual(up.json().problems, []);
    const ok = await api('POST', `/imports/${up.json().id}/confirm`, admin);
    assert.equal(ok.statusCode, 200, ok.body);
    return ok.json();
  };
  /** A bank's content without ids: what an export must carry over. */
  const content = async (contestId: number) =>
    (await bank(contestId)).map((q) => ({
      fieldCode: q.fieldCode,
      status: q.status,
      kind: q.kind,
      difficulty: q.difficulty,
      text: q.text,
      options: (q.options as { text: unknown; correct: boolean }[]).map((o) => ({ text: o.text, correct: o.correct })),
      explanation: q.explanation,
      procedureCode: q.procedureCode,
    }));
  const audit = (action: string) => auditCount(t, action);

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    contests.a = await newContest('Cuộc thi A');
    contests.b = await newContest('Cuộc thi B');
    contests.c = await newContest('Cuộc thi C');
  });
  after(async () => t?.close());

  test('the template: the import columns (xlsx with a guide sheet, CSV with a BOM)', async () => {
    const x = await api('GET', '/questions/template', admin);
    assert.equal(x.statusCode, 200);
    assert.match(String(x.headers['content-type']), /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    for (const h of HEADER) assert.ok(header.includes(h), h);
    assert.equal(wb.worksheets[0]!.rowCount, 1);
    assert.equal(wb.worksheets[1]!.name, 'Hướng dẫn');
    const c = await api('GET', '/questions/template?format=csv', admin);
    assert.match(String(c.headers['content-type']), /text\/csv/);
    assert.deepEqual([...c.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal((await api('GET', '/questions/template', leader)).statusCode, 403);
  });

  test('xlsx import: the upload writes nothing; confirmation writes every row once, creating a missing pool', async () => {
    const rows = [
      questionRow(1),
      questionRow(2, { kind: 'multiple', correct: '1, 3' }),
      questionRow(3, { procedure_code: '1.001193' }),
      questionRow(4, { field: 'justice', status: 'draft' }),
      questionRow(5, { option3_vi: '', option3_en: '' }),
    ];
    const up = await upload(contests.a, await xlsxOf(rows), 'cau-hoi.xlsx');
    assert.equal(up.statusCode, 201, up.body);
    assert.deepEqual(
      { ...(up.json() as object), id: 0, contestId: 0 },
      {
        id: 0,
        contestId: 0,
        fileName: 'cau-hoi.xlsx',
        rows: 5,
        validRows: 5,
        problems: [],
        confirmedAt: null,
        imported: null,
      },
    );
    assert.equal((await bank(contests.a)).length, 0, 'nothing written before confirmation');
    const ok = await api('POST', `/imports/${up.json().id}/confirm`, admin);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().imported, 5);
    const qs = await bank(contests.a);
    assert.equal(qs.length, 5);
    assert.deepEqual(
      qs.map((q) => [q.fieldCode, q.status, q.kind]),
      [
        ['civil_status', 'active', 'single'],
        ['civil_status', 'active', 'multiple'],
        ['civil_status', 'active', 'single'],
        ['civil_status', 'active', 'single'],
        ['justice', 'draft', 'single'],
      ],
    );
    const multiple = qs.find((q) => q.kind === 'multiple')!;
    assert.deepEqual(
      (multiple.options as { correct: boolean }[]).map((o) => o.correct),
      [true, false, true],
    );
    assert.equal(qs.find((q) => q.text.vi.includes('số 3'))!.procedureCode, '1.001193');
    assert.equal((qs.find((q) => q.text.vi.includes('số 5'))!.options as unknown[]).length, 2);
    const pools = (await api('GET', `/contests/${contests.a}/pools`, admin)).json();
    assert.deepEqual(
      pools.map((p: { fieldCode: string; counts: unknown }) => [p.fieldCode, p.counts]),
      [
        ['civil_status', { draft: 0, active: 4, retired: 0 }],
        ['justice', { draft: 1, active: 0, retired: 0 }],
      ],
    );
    const again = await api('POST', `/imports/${up.json().id}/confirm`, admin);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'contest_import_done');
    assert.equal(await audit('contest.import.confirm'), 1);
    assert.ok((await audit('contest.import.upload')) >= 1);
  });

  test('a CSV with bad rows: every problem by line, column and stable reason (localized); confirmation refused, nothing written', async () => {
    const before = (await bank(contests.a)).length;
    const rows = [
      questionRow(100),
      questionRow(101, { text_vi: '' }),
      questionRow(102, { correct: '' }),
      questionRow(103, { correct: '1,2' }),
      questionRow(104, { field: 'astrology' }),
      questionRow(105, { procedure_code: '9.999999' }),
      questionRow(106, { difficulty: 4 }),
      questionRow(100, { text_en: 'again' }),
      questionRow(1),
      questionRow(109, { correct: '4' }),
      questionRow(110, { kind: 'true_false' }),
      questionRow(111, { option2_vi: '', option2_en: '', option3_vi: '', option3_en: '' }),
      questionRow(112, { procedure_code: '1193' }),
    ];
    const up = await upload(contests.a, csvOf(rows), 'cau-hoi.csv');
    assert.equal(up.statusCode, 201, up.body);
    const problems = up.json().problems as Problem[];
    assert.deepEqual(problems, [
      { row: 3, column: 'text_vi', reason: 'missing_text' },
      { row: 4, column: 'correct', reason: 'no_correct_option' },
      { row: 5, column: 'correct', reason: 'single_several_correct' },
      { row: 6, column: 'field', reason: 'unknown_field' },
      { row: 7, column: 'procedure_code', reason: 'unknown_procedure' },
      { row: 8, column: 'difficulty', reason: 'difficulty_out_of_range' },
      { row: 9, column: 'text_vi', reason: 'duplicate_in_file' },
      { row: 10, column: 'text_vi', reason: 'duplicate_in_bank' },
      { row: 11, column: 'correct', reason: 'correct_invalid' },
      { row: 12, column: 'kind', reason: 'kind_invalid' },
      { row: 13, column: 'option2_vi', reason: 'too_few_options' },
      { row: 14, column: 'procedure_code', reason: 'procedure_code_invalid' },
    ]);
    assert.equal(up.json().validRows, 1);
    for (const p of problems) assert.ok(isMessageKey(`contestBank.reason.${p.reason}`), p.reason);
    const no = await api('POST', `/imports/${up.json().id}/confirm`, admin);
    assert.equal(no.statusCode, 409);
    assert.equal(no.json().code, 'contest_import_invalid');
    assert.equal((await bank(contests.a)).length, before);
    const report = await api('GET', `/imports/${up.json().id}`, admin);
    assert.equal(report.json().problems.length, problems.length);
  });

  test('bad files and bad requests: 4xx with stable codes, never 500', async () => {
    const big = Buffer.concat([csvOf([questionRow(1)]), Buffer.alloc(2 * 1024 * 1024, 'x')]);
    const cases: [Buffer, string, number, string][] = [
      [PDF, 'cau-hoi.pdf', 415, 'contest_import_file_type'],
      [PDF, 'cau-hoi.csv', 415, 'contest_import_file_type'],
      [Buffer.alloc(0), 'cau-hoi.csv', 400, 'file_empty'],
      [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]), 'cau-hoi.xlsx', 400, 'contest_import_unreadable'],
      [csvOf([questionRow(1)], HEADER).subarray(HEADER.join(',').length + 5), 'cau-hoi.csv', 400, 'contest_import_no_header'],
      [
        csvOf(
          [questionRow(1)],
          HEADER.filter((h) => h !== 'correct'),
        ),
        'cau-hoi.csv',
        400,
        'contest_import_columns_missing',
      ],
      [csvOf([]), 'cau-hoi.csv', 400, 'contest_import_no_rows'],
      [await xlsxOf([]), 'cau-hoi.xlsx', 400, 'contest_import_no_rows'],
      [csvOf(Array.from({ length: 1001 }, (_, i) => questionRow(i + 1000))), 'cau-hoi.csv', 400, 'contest_import_too_many_rows'],
      [big, 'cau-hoi.csv', 413, 'file_too_large'],
    ];
    for (const [bytes, name, status, code] of cases) {
      const r = await upload(contests.a, bytes, name);
      assert.equal(r.statusCode, status, `${code}: ${r.body}`);
      assert.equal(r.json().code, code);
    }
    const noFile = multipart({});
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contests.a}/imports`,
      headers: { ...admin, ...noFile.headers },
      payload: noFile.payload,
    });
    assert.equal(r.json().code, 'file_required');
    assert.equal((await upload(contests.a, csvOf([questionRow(1)]), 'a.csv', leader)).statusCode, 403);
    assert.equal((await upload(999_999, csvOf([questionRow(1)]), 'a.csv')).json().code, 'contest_not_found');
    assert.equal((await api('GET', '/imports/999999', admin)).json().code, 'contest_import_not_found');
    assert.equal((await api('GET', `/contests/${contests.a}/questions?status=lost`, admin)).statusCode, 400);
    assert.equal((await api('GET', `/contests/${contests.a}/questions/export?format=pdf`, admin)).statusCode, 400);
  });

  test('export → import round-trips in xlsx and CSV (quotes, commas, line breaks, Vietnamese); the same file again is all duplicates', async () => {
    const pool = (await api('GET', `/contests/${contests.a}/pools`, admin)).json()[0].id;
    const tricky = await api('POST', `/pools/${pool}/questions`, admin, {
      kind: 'single',
      difficulty: 3,
      text: { vi: 'Câu "khó", có dấu phẩy;\nvà xuống dòng?', en: ' Leading space, "quotes"' },
      options: [
        { text: { vi: 'Đúng, chắc chắn', en: 'Yes, surely' }, correct: true },
        { text: { vi: '="1+1"', en: '0001' }, correct: false },
      ],
      explanation: { vi: 'Dòng 1\nDòng 2', en: 'Line 1\nLine 2' },
    });
    assert.equal(tricky.statusCode, 201, tricky.body);
    const source = await content(contests.a);
    const xlsx = await api('GET', `/contests/${contests.a}/questions/export`, admin);
    assert.equal(xlsx.statusCode, 200);
    await importOk(contests.b, xlsx.rawPayload, 'export.xlsx');
    assert.deepEqual(await content(contests.b), source);
    const csv = await api('GET', `/contests/${contests.a}/questions/export?format=csv`, admin);
    assert.match(String(csv.headers['content-disposition']), /\.csv"/);
    assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    await importOk(contests.c, csv.rawPayload, 'export.csv');
    assert.deepEqual(await content(contests.c), source);
    const dup = await upload(contests.a, csv.rawPayload, 'export.csv');
    assert.deepEqual(new Set((dup.json().problems as Problem[]).map((p) => p.reason)), new Set(['duplicate_in_bank']));
    assert.equal(dup.json().validRows, 0);
  });
});
