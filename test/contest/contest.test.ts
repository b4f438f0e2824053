import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { canonicalJson } from '../../src/lib/canonical-json.js';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, EXPLAIN, hours, keysOf, withoutOffered, type Auth, type Entry } from './fixtures.js';

const LIMIT = 600;

describe(`contest API (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  let contestId: number;
  let poolId: number;
  let key: Map<number, string[]>;
  /** Round taken through the whole entry, the ranking round, a scheduled one and a draft. */
  const rounds = { main: 0, rank: 0, later: 0, draft: 0 };
  let phoneSeq = 0;
  /** The participant who took the main round through the whole entry, all answers right. */
  let taker: { who: Auth; entryId: number };
  let lateOne: { who: Auth; entryId: number; questionId: number };

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const round = async (over: Record<string, unknown> = {}, publish = true) => {
    const r = await api('POST', `/contests/${contestId}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 4,
      timeLimitSeconds: LIMIT,
      ...over,
    });
    assert.equal(r.statusCode, 201, r.body);
    if (publish) assert.equal((await api('POST', `/rounds/${r.json().id}/publish`, admin)).statusCode, 200);
    return r.json().id as number;
  };
  const register = async (over: Record<string, unknown> = {}) => {
    const r = await api(
      'POST',
      `/contests/${contestId}/participants`,
      {},
      {
        name: 'Nguyễn Thị Hoa',
        phone: `09100000${String(++phoneSeq).padStart(2, '0')}`,
        unitCode: UNITS.quangTrung,
        ...over,
      },
    );
    assert.equal(r.statusCode, 201, r.body);
    return { 'x-contest-token': r.json().token as string };
  };
  const start = (who: Auth, roundId: number) => api('POST', `/rounds/${roundId}/start`, who);
  const answer = (who: Auth, entryId: number, questionId: number, chosen: string[]) =>
    api('POST', `/entries/${entryId}/answers`, who, { questionId, chosen });
  const wrongOf = (q: Entry['questions'][number]) => [q.options.map((o) => o.id).find((id) => !key.get(q.id)!.includes(id))!];
  /** Answers every question right, except `wrong` of them. */
  const answerAll = async (who: Auth, e: Entry, wrong = 0) => {
    for (const [i, q] of e.questions.entries()) {
      const r = await answer(who, e.entryId, q.id, i < wrong ? wrongOf(q) : key.get(q.id)!);
      assert.equal(r.statusCode, 200, r.body);
    }
  };
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    const c = await api('POST', '/contests', admin, {
      title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' },
    });
    assert.equal(c.statusCode, 201, c.body);
    contestId = c.json().id;
    const p = await api('POST', `/contests/${contestId}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    assert.equal(p.statusCode, 201, p.body);
    poolId = p.json().id;
    key = await buildBank(t, admin, poolId, 9);
    rounds.main = await round();
    rounds.rank = await round();
    rounds.later = await round({ opensAt: hours(24), closesAt: hours(48) });
    rounds.draft = await round({}, false);
  });
  after(async () => t?.close());

  test('only the city admin administers: 403 for a ward leader, 401 without login', async () => {
    assert.deepEqual(code(await api('POST', '/contests', leader, { title: { vi: 'X', en: 'X' } })), [403, 'forbidden']);
    assert.equal((await api('POST', `/contests/${contestId}/rounds`, {}, { opensAt: hours(0), closesAt: hours(1) })).statusCode, 401);
    assert.deepEqual(code(await api('POST', `/rounds/${rounds.draft}/publish`, leader)), [403, 'forbidden']);
  });

  test('bad administration input gets stable codes', async () => {
    const r = (over: object) =>
      api('POST', `/contests/${contestId}/rounds`, admin, {
        opensAt: hours(1),
        closesAt: hours(2),
        questionCount: 4,
        timeLimitSeconds: 60,
        ...over,
      });
    assert.deepEqual(code(await r({ closesAt: hours(0.5) })), [400, 'contest_round_window_invalid']);
    assert.deepEqual(code(await r({ timeLimitSeconds: 5 })), [400, 'validation_failed']);
    const q = (over: object) =>
      api('POST', `/pools/${poolId}/questions`, admin, {
        kind: 'single',
        difficulty: 1,
        text: { vi: 'Câu?', en: 'Q?' },
        options: [
          { text: { vi: 'A', en: 'A' }, correct: true },
          { text: { vi: 'B', en: 'B' }, correct: false },
        ],
        explanation: { vi: 'Vì', en: 'Because' },
        ...over,
      });
    const none = [
      { text: { vi: 'A', en: 'A' }, correct: false },
      { text: { vi: 'B', en: 'B' }, correct: false },
    ];
    assert.deepEqual(code(await q({ options: none })), [400, 'contest_question_invalid']);
    assert.deepEqual(code(await q({ options: none.map((o) => ({ ...o, correct: true })) })), [400, 'contest_question_invalid']);
    assert.deepEqual(code(await q({ procedureCode: '9.999999' })), [400, 'contest_unknown_procedure']);
    assert.deepEqual(code(await api('POST', '/pools/999999/questions', admin, { kind: 'single' })), [400, 'validation_failed']);
    const pool = await api('POST', `/contests/${contestId}/pools`, admin, { fieldCode: 'nope', name: { vi: 'X', en: 'X' } });
    assert.deepEqual(code(pool), [400, 'unknown_field']);
    assert.deepEqual(code(await api('POST', `/rounds/${rounds.main}/publish`, admin)), [409, 'contest_round_not_draft']);
    const big = await round({ questionCount: 50 }, false);
    assert.deepEqual(code(await api('POST', `/rounds/${big}/publish`, admin)), [409, 'contest_not_enough_questions']);
  });

  test('registration: one per phone (in any spelling), a ward/district/department, valid phone and ID; bad tokens refused', async () => {
    await register({ phone: '0987000001' });
    const dup = await api(
      'POST',
      `/contests/${contestId}/participants`,
      {},
      { name: 'Trần Văn Nam', phone: '+84 987 000 001', unitCode: UNITS.haDong },
    );
    assert.deepEqual(code(dup), [409, 'contest_phone_taken']);
    const reg = (over: object) =>
      api('POST', `/contests/${contestId}/participants`, {}, { name: 'Lê Minh', phone: '0987000002', unitCode: UNITS.haDong, ...over });
    assert.deepEqual(code(await reg({ unitCode: UNITS.city })), [400, 'contest_unit_invalid']);
    assert.deepEqual(code(await reg({ unitCode: '000.99.99.H26' })), [400, 'contest_unit_invalid']);
    assert.deepEqual(code(await reg({ phone: '12345' })), [400, 'invalid_phone']);
    assert.deepEqual(code(await reg({ citizenId: '999123456789' })), [400, 'invalid_citizen_id']);
    assert.deepEqual(
      code(await api('POST', `/contests/999999/participants`, {}, { name: 'Lê Minh', phone: '0987000003', unitCode: UNITS.haDong })),
      [404, 'contest_not_found'],
    );
    assert.equal((await reg({ citizenId: '001099012345', unitCode: '000.00.01.H26' })).statusCode, 201);
    assert.deepEqual(code(await start({}, rounds.main)), [401, 'contest_token_invalid']);
    assert.deepEqual(code(await start({ 'x-contest-token': 'not-a-real-token' }, rounds.main)), [401, 'contest_token_invalid']);
  });

  test('a round not open, or still a draft, cannot be started', async () => {
    const who = await register();
    assert.deepEqual(code(await start(who, rounds.later)), [409, 'contest_round_not_open']);
    assert.deepEqual(code(await start(who, rounds.draft)), [404, 'contest_round_not_found']);
  });

  test('a whole entry: no response carries a correct option, an explanation or a score before the round closes', async () => {
    const who = await register();
    const bodies: LightMyRequestResponse[] = [];
    const keep = async (p: Promise<LightMyRequestResponse>) => {
      const r = await p;
      bodies.push(r);
      return r;
    };
    const s = await keep(start(who, rounds.main));
    assert.equal(s.statusCode, 201, s.body);
    const e = s.json() as Entry;
    assert.equal(e.questions.length, 4);
    const again = await keep(start(who, rounds.main));
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), s.json(), 'a refresh continues the same entry with the same questions and order');
    const other = e.questions.find((q) => q.kind === 'single')!;
    const foreign = [...key.values()].flat().find((id) => !e.questions.some((q) => q.options.some((o) => o.id === id)))!;
    assert.deepEqual(code(await keep(answer(who, e.entryId, 999_999, ['x']))), [400, 'contest_unknown_question']);
    const notInEntry = [...key.keys()].find((id) => !e.questions.some((q) => q.id === id))!;
    assert.deepEqual(code(await keep(answer(who, e.entryId, notInEntry, key.get(notInEntry)!))), [400, 'contest_unknown_question']);
    assert.deepEqual(code(await keep(answer(who, e.entryId, other.id, [foreign]))), [400, 'contest_option_not_offered']);
    assert.deepEqual(
      code(
        await keep(
          answer(
            who,
            e.entryId,
            other.id,
            other.options.slice(0, 2).map((o) => o.id),
          ),
        ),
      ),
      [400, 'contest_one_option_only'],
    );
    for (const q of e.questions) assert.equal((await keep(answer(who, e.entryId, q.id, key.get(q.id)!))).statusCode, 200);
    assert.deepEqual(code(await keep(api('GET', `/rounds/${rounds.main}/results`))), [409, 'contest_round_not_closed']);
    assert.deepEqual(code(await keep(api('GET', `/entries/${e.entryId}/result`, who))), [409, 'contest_round_not_closed']);
    const sub = await keep(api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 3 }));
    assert.equal(sub.statusCode, 200, sub.body);
    assert.equal(sub.json().prediction, 3);
    assert.deepEqual(code(await keep(api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 4 }))), [
      409,
      'contest_already_submitted',
    ]);
    assert.deepEqual(code(await keep(answer(who, e.entryId, other.id, key.get(other.id)!))), [409, 'contest_already_submitted']);
    const after = await keep(start(who, rounds.main));
    assert.equal(after.json().entryId, e.entryId, 'one entry per person per round');
    taker = { who, entryId: e.entryId };
    const stranger = await register();
    assert.deepEqual(code(await keep(answer(stranger, e.entryId, other.id, key.get(other.id)!))), [404, 'contest_entry_not_found']);

    const correctIds = [...key.values()].flat();
    for (const r of bodies) {
      assert.ok(!r.body.includes(EXPLAIN), `explanation leaked: ${r.body}`);
      const stripped = JSON.stringify(withoutOffered(r.json()));
      for (const id of correctIds) assert.ok(!stripped.includes(id), `correct option ${id} outside the offered options: ${r.body}`);
      for (const k of ['correct', 'right', 'score', 'explanation', 'rank', 'key']) assert.ok(!keysOf(r.json()).has(k), `${k} in ${r.body}`);
    }
  });

  test('late answers are refused: accepted within the 5 s grace, refused after it (and the submission too)', async () => {
    const who = await register();
    const e = (await start(who, rounds.main)).json() as Entry;
    const q = e.questions[0]!;
    const setBack = (s: number) =>
      t.db
        .updateTable('contest_entry')
        .set({ started_at: new Date(Date.now() - s * 1000) })
        .where('id', '=', e.entryId)
        .execute();
    lateOne = { who, entryId: e.entryId, questionId: q.id };
    await setBack(LIMIT + 3);
    assert.equal((await answer(who, e.entryId, q.id, key.get(q.id)!)).statusCode, 200);
    await setBack(LIMIT + 6);
    assert.deepEqual(code(await answer(who, e.entryId, q.id, key.get(q.id)!)), [409, 'contest_time_up']);
    assert.deepEqual(code(await api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 1 })), [409, 'contest_time_up']);
  });

  test('concurrent starts for the same person and round yield one entry, and all get it', async () => {
    const who = await register();
    const [a, ...rest] = await Promise.all([start(who, rounds.main), start(who, rounds.main), start(who, rounds.main)]);
    assert.deepEqual([a!, ...rest].map((x) => x.statusCode).sort(), [200, 200, 201]);
    for (const b of rest) {
      assert.equal(a!.json().entryId, b.json().entryId);
      assert.deepEqual(a!.json().questions, b.json().questions);
    }
    const pid = await t.db
      .selectFrom('contest_entry')
      .select('participant_id')
      .where('id', '=', a!.json().entryId)
      .executeTakeFirstOrThrow();
    const n = await t.db
      .selectFrom('contest_entry')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('participant_id', '=', pid.participant_id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
  });

  test('the ranking follows score, then prediction, then time taken, then submission instant; frozen with its hash', async () => {
    const T = Date.now() - 3_600_000;
    // name -> [wrong answers, prediction, started (s after T), submitted (s after T)]
    const plan = { A: [0, 4, 0, 100], B: [0, 9, 0, 50], C: [0, 4, 0, 200], D: [0, 4, 10, 110], E: [1, 4, 0, 10] } as const;
    const ids: Record<string, number> = {};
    for (const [name, [wrong, prediction, s0, s1]] of Object.entries(plan)) {
      const who = await register();
      const e = (await start(who, rounds.rank)).json() as Entry;
      await answerAll(who, e, wrong);
      assert.equal((await api('POST', `/entries/${e.entryId}/submit`, who, { prediction })).statusCode, 200);
      await t.db
        .updateTable('contest_entry')
        .set({ started_at: new Date(T + s0 * 1000), submitted_at: new Date(T + s1 * 1000) })
        .where('id', '=', e.entryId)
        .execute();
      ids[name] = e.entryId;
    }
    await t.db
      .updateTable('contest_round')
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where('id', 'in', [rounds.rank, rounds.main])
      .execute();
    const r = await api('GET', `/rounds/${rounds.rank}/results`);
    assert.equal(r.statusCode, 200, r.body);
    const res = r.json();
    assert.equal(res.actualAllCorrect, 4);
    assert.deepEqual(
      res.entries.map((x: { entryId: number }) => x.entryId),
      ['A', 'D', 'C', 'B', 'E'].map((n) => ids[n]),
    );
    assert.deepEqual(
      res.entries.map((x: { rank: number }) => x.rank),
      [1, 2, 3, 4, 5],
    );
    const { hash, rankedAt, history, total, page, pageSize, pages, ...published } = res;
    assert.deepEqual([total, page, pageSize, pages], [5, 1, 1000, 1]);
    assert.deepEqual(history, [{ version: 1, hash, previousHash: null, change: null, rankedAt }]);
    assert.deepEqual([published.version, published.previousHash, published.disqualified], [1, null, []]);
    // Anyone can recompute the hash: it is the SHA-256 of the published text, which holds the whole ranking.
    const text = await api('GET', `/rounds/${rounds.rank}/results/ranking.json`);
    assert.equal(text.statusCode, 200);
    assert.match(String(text.headers['content-type']), /^application\/json/);
    assert.equal(createHash('sha256').update(text.rawPayload).digest('hex'), hash);
    assert.equal(text.body, canonicalJson(published), 'the text is the canonical JSON of the ranking');
    assert.equal(text.headers.etag, `"${hash}"`);
    const cached = await api('GET', `/rounds/${rounds.rank}/results/ranking.json`, { 'if-none-match': `"${hash}"` });
    assert.deepEqual([cached.statusCode, cached.body], [304, '']);
    // Pages: two entries at a time, in ranking order; past the last page is a clear 404.
    const p2 = (await api('GET', `/rounds/${rounds.rank}/results?page=2&pageSize=2`)).json();
    assert.deepEqual([p2.page, p2.pages, p2.total, p2.hash], [2, 3, 5, hash]);
    assert.deepEqual(p2.entries, res.entries.slice(2, 4));
    assert.deepEqual(code(await api('GET', `/rounds/${rounds.rank}/results?page=4&pageSize=2`)), [404, 'contest_results_page_not_found']);
    assert.deepEqual(code(await api('GET', `/rounds/${rounds.rank}/results?pageSize=1001`)), [400, 'validation_failed']);
    assert.deepEqual(code(await api('GET', `/rounds/${rounds.rank}/results?page=0`)), [400, 'validation_failed']);
    // Frozen: a later change of the data does not change the published ranking.
    await t.db.deleteFrom('contest_answer').where('entry_id', '=', ids.A!).execute();
    const again = (await api('GET', `/rounds/${rounds.rank}/results`)).json();
    assert.equal(again.hash, hash);
    assert.equal(again.rankedAt, rankedAt);
    const audit = await t.db.selectFrom('audit_event').select('after').where('action', '=', 'contest.round.rank').execute();
    assert.equal(audit.filter((a) => (a.after as { hash: string }).hash === hash).length, 1);
  });

  test('after the close, a participant sees their score, rank, the key and the explanations; starts are refused', async () => {
    const r = await api('GET', `/entries/${taker.entryId}/result`, taker.who);
    assert.equal(r.statusCode, 200, r.body);
    const res = r.json();
    assert.equal(res.score, 4);
    assert.equal(res.rank, 1);
    for (const q of res.questions) {
      assert.deepEqual([...q.correct].sort(), [...key.get(q.id)!].sort());
      assert.equal(q.right, true);
      assert.ok(q.explanation.vi.startsWith(EXPLAIN));
    }
    const stranger = await register();
    assert.deepEqual(code(await api('GET', `/entries/${taker.entryId}/result`, stranger)), [404, 'contest_entry_not_found']);
    assert.deepEqual(code(await start(stranger, rounds.main)), [409, 'contest_round_not_open']);
    // An entry still running when the round closed takes no more answers.
    const running = await t.db
      .selectFrom('contest_entry')
      .select('id')
      .where('round_id', '=', rounds.main)
      .where('submitted_at', 'is', null)
      .execute();
    assert.ok(running.length > 0);
    assert.deepEqual(code(await answer(lateOne.who, lateOne.entryId, lateOne.questionId, ['x'])), [409, 'contest_round_not_open']);
    assert.deepEqual(code(await answer(taker.who, taker.entryId, res.questions[0].id, res.questions[0].correct)), [
      409,
      'contest_already_submitted',
    ]);
  });
});
