import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

/** A department of the city (Văn phòng UBND Thành phố), where participants register directly. */
const DEPARTMENT = '000.00.01.H26';
const QUESTIONS = 4;

describe(`contest leaderboards and winners (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  let roundId: number;
  let key: Map<number, string[]>;
  const people: { name: string; phone: string; unitCode: string; wrong: number; submit: boolean }[] = [
    { name: 'Nguyễn Văn An', phone: '0920000001', unitCode: UNITS.quangTrung, wrong: 0, submit: true },
    { name: 'Trần Thị Bình', phone: '0920000002', unitCode: UNITS.quangTrung, wrong: 2, submit: true },
    { name: 'Lê Văn Cường', phone: '0920000003', unitCode: UNITS.vanQuan, wrong: 1, submit: true },
    // Starts, answers one question right, never submits: counted as timed out with score 1.
    { name: 'Phạm Thị Dung', phone: '0920000004', unitCode: UNITS.vanQuan, wrong: 0, submit: false },
    { name: 'Hoàng Văn Em', phone: '0920000005', unitCode: DEPARTMENT, wrong: 0, submit: true },
    { name: 'Vũ Thị Phương', phone: '0920000006', unitCode: DEPARTMENT, wrong: 1, submit: true },
    { name: 'Đỗ Văn Giang', phone: '0920000007', unitCode: UNITS.dichVong, wrong: 2, submit: true },
    { name: 'Bùi Thị Hạnh', phone: '0920000008', unitCode: UNITS.dichVong, wrong: 2, submit: true },
  ];
  const nameOfEntry = new Map<number, string>();

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderHaDong);
    const c = await api('POST', '/contests', admin, {
      title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' },
    });
    assert.equal(c.statusCode, 201, c.body);
    const p = await api('POST', `/contests/${c.json().id}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    assert.equal(p.statusCode, 201, p.body);
    key = await buildBank(t, admin, p.json().id, QUESTIONS);
    const r = await api('POST', `/contests/${c.json().id}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: QUESTIONS,
      timeLimitSeconds: 600,
    });
    assert.equal(r.statusCode, 201, r.body);
    roundId = r.json().id;
    assert.equal((await api('POST', `/rounds/${roundId}/publish`, admin)).statusCode, 200);
    for (const [i, who] of people.entries()) {
      const reg = await api(
        'POST',
        `/contests/${c.json().id}/participants`,
        {},
        { name: who.name, phone: who.phone, unitCode: who.unitCode },
      );
      assert.equal(reg.statusCode, 201, reg.body);
      const token = { 'x-contest-token': reg.json().token as string };
      const s = await api('POST', `/rounds/${roundId}/start`, token);
      assert.equal(s.statusCode, 201, s.body);
      const e = s.json() as Entry;
      nameOfEntry.set(e.entryId, who.name);
      const asked = who.submit ? e.questions : e.questions.slice(0, 1);
      for (const [j, q] of asked.entries()) {
        const wrong = [q.options.map((o) => o.id).find((id) => !key.get(q.id)!.includes(id))!];
        const a = await api('POST', `/entries/${e.entryId}/answers`, token, {
          questionId: q.id,
          chosen: j < who.wrong ? wrong : key.get(q.id)!,
        });
        assert.equal(a.statusCode, 200, a.body);
      }
      if (who.submit) assert.equal((await api('POST', `/entries/${e.entryId}/submit`, token, { prediction: i + 1 })).statusCode, 200);
    }
  });
  after(async () => t?.close());

  test('nothing before the round closes: 409 contest_round_not_closed', async () => {
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/leaderboard/units`)), [409, 'contest_round_not_closed']);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/winners.xlsx`, admin)), [409, 'contest_round_not_closed']);
    await t.db
      .updateTable('contest_round')
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where('id', '=', roundId)
      .execute();
  });

  test('per district and department: wards count for their district, sorted, ties share a rank', async () => {
    const r = await api('GET', `/rounds/${roundId}/leaderboard/units`);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.hash, (await api('GET', `/rounds/${roundId}/results`)).json().hash);
    const withEntries = body.units.filter((u: { entries: number }) => u.entries > 0);
    // Hà Đông: 4 + 2 (Quang Trung) + 3 + 1 (Văn Quán, timed out) = 10 / 4; department: (4 + 3) / 2; Cầu Giấy: (2 + 2) / 2.
    assert.deepEqual(
      withEntries.map((u: Record<string, unknown>) => [u.rank, u.unitCode, u.entries, u.averageScore]),
      [
        [1, UNITS.haDong, 4, 2.5],
        [2, DEPARTMENT, 2, 3.5],
        [3, UNITS.cauGiay, 2, 2],
      ],
    );
    const empty = body.units.slice(3);
    assert.ok(
      empty.length > 0 &&
        empty.every(
          (u: { rank: number; entries: number; averageScore: null }) => u.rank === 4 && u.entries === 0 && u.averageScore === null,
        ),
    );
    assert.ok(body.units.every((u: { level: string }) => u.level === 'district' || u.level === 'department'));
  });

  test('per ward with ?level=commune, still from the frozen ranking after answers are erased; bad level is 400', async () => {
    await t.db
      .deleteFrom('contest_answer')
      .where('entry_id', 'in', [...nameOfEntry.keys()])
      .execute();
    const r = await api('GET', `/rounds/${roundId}/leaderboard/units?level=commune`);
    assert.equal(r.statusCode, 200, r.body);
    const withEntries = r.json().units.filter((u: { entries: number }) => u.entries > 0);
    // Quang Trung (4 + 2) / 2 = 3; Văn Quán (3 + 1) / 2 = 2 and Dịch Vọng (2 + 2) / 2 = 2 tie.
    assert.deepEqual(
      withEntries.map((u: Record<string, unknown>) => [u.rank, u.unitCode, u.entries, u.averageScore]),
      [
        [1, UNITS.quangTrung, 2, 3],
        [2, UNITS.dichVong, 2, 2],
        [2, UNITS.vanQuan, 2, 2],
      ],
    );
    assert.ok(r.json().units.every((u: { level: string }) => u.level === 'commune'));
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/leaderboard/units?level=city`)), [400, 'validation_failed']);
  });

  test('winners.xlsx: city admin only', async () => {
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/winners.xlsx`, leader)), [403, 'forbidden']);
    assert.equal((await api('GET', `/rounds/${roundId}/winners.xlsx`)).statusCode, 401);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/winners.xlsx?top=0`, admin)), [400, 'validation_failed']);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/winners.xlsx?top=1001`, admin)), [400, 'validation_failed']);
  });

  test('winners.xlsx: rows in ranking order, numbers as numbers, phones masked', async () => {
    const ranking = (await api('GET', `/rounds/${roundId}/results`)).json() as {
      entries: { rank: number; entryId: number; score: number; prediction: number | null; timeTakenMs: number }[];
    };
    const read = async (query: string) => {
      const r = await api('GET', `/rounds/${roundId}/winners.xlsx${query}`, admin);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const rows = await read('');
    assert.deepEqual(rows[0]!.slice(0, 5), ['Hạng', 'Họ và tên', 'Số điện thoại', 'Đơn vị', 'Số câu đúng']);
    assert.equal(rows.length, 1 + people.length);
    ranking.entries.forEach((e, i) => {
      const row = rows[i + 1]!;
      assert.equal(row[0], e.rank);
      assert.equal(row[1], nameOfEntry.get(e.entryId));
      const who = people.find((p) => p.name === row[1])!;
      assert.equal(row[2], `*******${who.phone.slice(-3)}`);
      assert.equal(row[4], e.score);
      assert.equal(row[5] ?? null, e.prediction);
      assert.equal(row[6], e.timeTakenMs / 1000);
      assert.ok(row[7] instanceof Date);
    });
    assert.equal(rows[1]![4], 4);
    const cells = JSON.stringify(rows);
    for (const p of people) assert.ok(!cells.includes(p.phone) && !cells.includes(p.phone.slice(1)), `full phone of ${p.name}`);
    assert.equal((await read('?top=3')).length, 4);
  });
});
