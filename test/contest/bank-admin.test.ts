import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { auditCount, buildBank, hours, keysOf, type Auth } from './fixtures.js';

type Q = {
  id: number;
  poolId: number;
  fieldCode: string;
  status: string;
  kind: string;
  difficulty: number;
  text: { vi: string; en: string };
};

describe(`contest question bank: generator, preview, edit, retire, balanced draw (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  const contests: Record<'gen' | 'draw', number> = { gen: 0, draw: 0 };
  let phone = 0;
  const nextPhone = () => `0930${String(++phone).padStart(6, '0')}`;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
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
  const audit = (action: string) => auditCount(t, action);

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    contests.gen = await newContest('Cuộc thi sinh câu hỏi');
    contests.draw = await newContest('Cuộc thi rút đề');
  });
  after(async () => t?.close());

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
    // Never drawn, but active while a round runs: another process's copy of the bank may draw it now,
    // so it is neither edited (new option ids) nor deleted, only retired.
    const inPlay = await api('PUT', `/questions/${undrawnId}`, admin, { ...edit, text: { vi: 'Khác nữa', en: 'Other still' } });
    assert.deepEqual([inPlay.statusCode, inPlay.json().code], [409, 'contest_question_in_play']);
    assert.deepEqual((await api('POST', `/questions/${undrawnId}/retire`, admin)).json(), { id: undrawnId, outcome: 'retired' });
    // The entry still shows its (now retired) question.
    const again = await api('POST', `/rounds/${round.json().id}/start`, { 'x-contest-token': reg.json().token });
    assert.equal(again.json().questions[0].id, drawnId);
    assert.equal(await audit('contest.question.retire'), 2);
  });

  test('retire deletes a draft, and an active question while no round is published; an approval meanwhile makes retire and edit 409 contest_question_changed', async () => {
    const contest = await newContest('Cuộc thi chưa mở vòng nào');
    const p = await api('POST', `/contests/${contest}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    const [draft, active, racing, edited] = [...(await buildBank(t, admin, p.json().id, 4)).keys()];
    await t.db.updateTable('contest_question').set({ status: 'draft' }).where('id', 'in', [draft!, racing!, edited!]).execute();
    const deletes = await audit('contest.question.delete');
    for (const id of [draft!, active!]) {
      assert.deepEqual((await api('POST', `/questions/${id}/retire`, admin)).json(), { id, outcome: 'deleted' });
      assert.equal((await api('GET', `/questions/${id}`, admin)).statusCode, 404);
    }
    assert.equal(await audit('contest.question.delete'), deletes + 2);
    if (ENGINE === 'pglite') return; // one connection: no second transaction to hold the row
    const edit = {
      kind: 'single',
      difficulty: 1,
      text: { vi: 'Câu hỏi đã sửa?', en: 'An edited question?' },
      options: [
        { text: { vi: 'Có', en: 'Yes' }, correct: true },
        { text: { vi: 'Không', en: 'No' }, correct: false },
      ],
      explanation: { vi: 'Vì vậy.', en: 'Because.' },
    };
    for (const [id, call] of [
      [racing!, () => api('POST', `/questions/${racing}/retire`, admin)],
      [edited!, () => api('PUT', `/questions/${edited}`, admin, edit)],
    ] as const) {
      let pending: ReturnType<typeof api> | undefined;
      await t.db.transaction().execute(async (trx) => {
        // What an approval holds until it commits: the draft becomes active, so it may be drawn.
        await trx.updateTable('contest_question').set({ status: 'active' }).where('id', '=', id).execute();
        pending = call();
        for (let i = 0; i < 200; i++) {
          const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(t.db);
          if (waiting.rows[0]!.n > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
      });
      const r = await pending!;
      assert.deepEqual([r.statusCode, r.json().code], [409, 'contest_question_changed']);
      assert.equal((await api('GET', `/questions/${id}`, admin)).json().status, 'active');
    }
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
