import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { isMessageKey } from '../../src/web/i18n/index.js';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { csvOf, HEADER, questionRow, xlsxOf } from './bank-fixtures.js';
import { buildBank, hours, keysOf, type Auth } from './fixtures.js';

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

describe(`contest question bank: import, export, generator, edit, draw (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  const contests: Record<'a' | 'b' | 'c' | 'gen' | 'draw', number> = { a: 0, b: 0, c: 0, gen: 0, draw: 0 };
  let phone = 0;
  const nextPhone = () => `0930${String(++phone).padStart(6, '0')}`;

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
  const audit = async (action: string) =>
    Number(
      (
        await t.db
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    contests.a = await newContest('Cuộc thi A');
    contests.b = await newContest('Cuộc thi B');
    contests.c = await newContest('Cuộc thi C');
    contests.gen = await newContest('Cuộc thi sinh câu hỏi');
    contests.draw = await newContest('Cuộc thi rút đề');
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

  test('the generator drafts from catalogue facts with real values of other procedures as wrong options; drafts are not drawn until approved', async () => {
    const p = await api('POST', `/contests/${contests.gen}/pools`, admin, {
      fieldCode: 'civil_status',
      name: { vi: 'Hộ tịch', en: 'Civil status' },
    });
    const pool = p.json().id as number;
    const g = await api('POST', `/pools/${pool}/generate`, admin, { facts: ['time_limit', 'fee'] });
    assert.equal(g.statusCode, 201, g.body);
    const created = g.json().created as number[];
    assert.ok(created.length >= 4, g.body);
    const drafts = await bank(contests.gen, '?status=draft');
    assert.equal(drafts.length, created.length);
    const versions = await t.db
      .selectFrom('procedure_version as v')
      .innerJoin('procedure as p', 'p.id', 'v.procedure_id')
      .select(['p.code', 'v.time_limit_amount', 'v.time_limit_unit', 'v.fee_amount'])
      .execute();
    const days = new Set(versions.filter((v) => v.time_limit_unit === 'working_days').map((v) => `${v.time_limit_amount} ngày làm việc`));
    days.add('Trong ngày làm việc');
    for (const q of drafts) {
      const options = q.options as { text: { vi: string }; correct: boolean }[];
      assert.equal(q.kind, 'single');
      assert.equal(options.filter((o) => o.correct).length, 1);
      assert.ok(options.length >= 2 && new Set(options.map((o) => o.text.vi)).size === options.length, 'distinct options');
      const code = q.procedureCode as string;
      const own = versions.find((v) => v.code === code)!;
      if (q.text.vi.startsWith('Thời hạn')) {
        const right = own.time_limit_amount === 0 ? 'Trong ngày làm việc' : `${own.time_limit_amount} ngày làm việc`;
        assert.equal(options.find((o) => o.correct)!.text.vi, right);
        for (const o of options) assert.ok(days.has(o.text.vi), `${o.text.vi} is a real time limit`);
      } else assert.match(q.text.vi, /^Mức phí/);
    }
    const again = await api('POST', `/pools/${pool}/generate`, admin, { facts: ['time_limit', 'fee'] });
    assert.deepEqual(again.json().created, [], 'what is already in the bank is not drafted twice');
    assert.equal(await audit('contest.question.generate'), created.length);

    const round = await api('POST', `/contests/${contests.gen}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 1,
      timeLimitSeconds: 600,
    });
    const refused = await api('POST', `/rounds/${round.json().id}/publish`, admin);
    assert.equal(refused.json().code, 'contest_not_enough_questions', 'drafts do not count');
    const approved = await api('POST', `/questions/${created[0]}/approve`, admin);
    assert.equal(approved.json().status, 'active');
    assert.equal((await api('POST', `/questions/${created[0]}/approve`, admin)).json().code, 'contest_question_not_draft');
    assert.equal((await api('POST', `/rounds/${round.json().id}/publish`, admin)).statusCode, 200);
    const reg = await api(
      'POST',
      `/contests/${contests.gen}/participants`,
      {},
      { name: 'Lê Văn An', phone: nextPhone(), unitCode: UNITS.quangTrung },
    );
    const entry = await api('POST', `/rounds/${round.json().id}/start`, { 'x-contest-token': reg.json().token });
    assert.deepEqual(
      entry.json().questions.map((q: { id: number }) => q.id),
      [created[0]],
    );

    assert.equal(
      (await api('POST', `/pools/${pool}/generate`, admin, { procedureCodes: ['1.999999'] })).json().code,
      'contest_unknown_procedure',
    );
    assert.equal((await api('POST', '/pools/999999/generate', admin, {})).json().code, 'contest_pool_not_found');
    assert.equal((await api('POST', `/pools/${pool}/generate`, admin, { facts: ['weather'] })).statusCode, 400);
  });

  test('preview without the key; edit until drawn; retire keeps a drawn question and deletes one never drawn', async () => {
    const pool = (
      await api('POST', `/contests/${contests.draw}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } })
    ).json().id;
    await buildBank(t, admin, pool, 2);
    const [first, second] = await bank(contests.draw);
    const preview = await api('GET', `/questions/${first!.id}/preview`, admin);
    assert.equal(preview.statusCode, 200);
    const keys = keysOf(preview.json());
    for (const k of ['correct', 'explanation', 'status', 'procedureCode']) assert.ok(!keys.has(k), k);
    assert.equal(preview.json().options.length, 4);
    const full = await api('GET', `/questions/${first!.id}`, admin);
    assert.ok(full.json().explanation.vi);

    const edit = {
      kind: 'single',
      difficulty: 2,
      text: { vi: 'Hòa giải viên do ai công nhận?', en: 'Who recognises a mediator?' },
      options: [
        { text: { vi: 'Chủ tịch UBND cấp xã', en: 'Commune chairperson' }, correct: true },
        { text: { vi: 'Sở Tư pháp', en: 'Department of Justice' }, correct: false },
      ],
      explanation: { vi: 'Luật Hòa giải ở cơ sở.', en: 'Grassroots Mediation Law.' },
      procedureCode: '1.002211',
    };
    const put = await api('PUT', `/questions/${first!.id}`, admin, edit);
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().text.vi, edit.text.vi);
    assert.equal(await audit('contest.question.update'), 1);
    const two = { ...edit, options: edit.options.map((o) => ({ ...o, correct: true })) };
    assert.equal((await api('PUT', `/questions/${first!.id}`, admin, two)).json().code, 'contest_question_invalid');
    assert.equal((await api('PUT', `/questions/${second!.id}`, admin, edit)).json().code, 'contest_question_duplicate');
    assert.equal((await api('PUT', '/questions/999999', admin, edit)).json().code, 'contest_question_not_found');
    assert.equal((await api('PUT', `/questions/${first!.id}`, leader, edit)).statusCode, 403);

    const round = await api('POST', `/contests/${contests.draw}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 1,
      timeLimitSeconds: 600,
    });
    await api('POST', `/rounds/${round.json().id}/publish`, admin);
    const reg = await api(
      'POST',
      `/contests/${contests.draw}/participants`,
      {},
      { name: 'Lê Thị Bình', phone: nextPhone(), unitCode: UNITS.quangTrung },
    );
    const entry = await api('POST', `/rounds/${round.json().id}/start`, { 'x-contest-token': reg.json().token });
    const drawnId = entry.json().questions[0].id as number;
    const undrawnId = drawnId === first!.id ? second!.id : first!.id;
    assert.equal((await api('GET', `/questions/${drawnId}`, admin)).json().drawn, true);
    assert.equal(
      (await api('PUT', `/questions/${drawnId}`, admin, { ...edit, text: { vi: 'Khác', en: 'Other' } })).json().code,
      'contest_question_drawn',
    );
    const retired = await api('POST', `/questions/${drawnId}/retire`, admin);
    assert.deepEqual(retired.json(), { id: drawnId, outcome: 'retired' });
    assert.equal((await api('GET', `/questions/${drawnId}`, admin)).json().status, 'retired');
    assert.equal((await api('POST', `/questions/${drawnId}/retire`, admin)).json().code, 'contest_question_retired');
    assert.deepEqual((await api('POST', `/questions/${undrawnId}/retire`, admin)).json(), { id: undrawnId, outcome: 'deleted' });
    assert.equal((await api('GET', `/questions/${undrawnId}`, admin)).statusCode, 404);
    // The entry still shows its (now retired) question.
    const again = await api('POST', `/rounds/${round.json().id}/start`, { 'x-contest-token': reg.json().token });
    assert.equal(again.json().questions[0].id, drawnId);
    assert.equal(await audit('contest.question.retire'), 1);
    assert.equal(await audit('contest.question.delete'), 1);
  });

  test('entries draw a fair share from each pool', async () => {
    const id = await newContest('Cuộc thi cân bằng');
    const pools: number[] = [];
    for (const fieldCode of ['justice', 'education']) {
      const p = await api('POST', `/contests/${id}/pools`, admin, { fieldCode, name: { vi: fieldCode, en: fieldCode } });
      pools.push(p.json().id);
      await buildBank(t, admin, p.json().id, 5);
    }
    const round = await api('POST', `/contests/${id}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 4,
      timeLimitSeconds: 600,
    });
    await api('POST', `/rounds/${round.json().id}/publish`, admin);
    const poolOf = new Map((await bank(id)).map((q) => [q.id, q.poolId]));
    for (let i = 0; i < 6; i++) {
      const reg = await api(
        'POST',
        `/contests/${id}/participants`,
        {},
        { name: 'Trần Văn Cường', phone: nextPhone(), unitCode: UNITS.quangTrung },
      );
      const e = await api('POST', `/rounds/${round.json().id}/start`, { 'x-contest-token': reg.json().token });
      const counts = pools.map((p) => e.json().questions.filter((q: { id: number }) => poolOf.get(q.id) === p).length);
      assert.deepEqual(counts, [2, 2]);
    }
  });
});
