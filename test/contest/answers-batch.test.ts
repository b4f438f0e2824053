import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import type { Auth, Entry } from './fixtures.js';
import { publishedRound } from './play-helpers.js';

describe(`contest: several answers in one request (${ENGINE})`, () => {
  let t: TestApp;
  let round: Awaited<ReturnType<typeof publishedRound>>;
  let seq = 0;

  const api = (method: 'POST' | 'PUT', url: string, headers: Auth, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  /** A new participant with a started entry. */
  const entrant = async () => {
    const reg = await api(
      'POST',
      `/contests/${round.contestId}/participants`,
      {},
      { name: 'Trần Văn Bình', phone: `09120000${String(++seq).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
    );
    assert.equal(reg.statusCode, 201, reg.body);
    const who = { 'x-contest-token': reg.json().token as string };
    const s = await api('POST', `/rounds/${round.roundId}/start`, who);
    assert.equal(s.statusCode, 201, s.body);
    return { who, e: s.json() as Entry };
  };
  const stored = async (entryId: number) =>
    new Map(
      (await t.db.selectFrom('contest_answer').select(['question_id', 'chosen']).where('entry_id', '=', entryId).execute()).map((a) => [
        a.question_id,
        [...a.chosen].sort(),
      ]),
    );
  const right = (q: Entry['questions'][number]) => ({ questionId: q.id, chosen: round.key.get(q.id)! });
  const wrong = (q: Entry['questions'][number]) => ({
    questionId: q.id,
    chosen: [q.options.map((o) => o.id).find((id) => !round.key.get(q.id)!.includes(id))!],
  });

  before(async () => {
    t = await testApp();
    round = await publishedRound(t, await bearerFor(t.app, DEMO.cityAdmin), { questions: 6 });
  });
  after(async () => t?.close());

  test('the whole sheet in one request: every answer stored, and a later save of a question replaces its answer', async () => {
    const { who, e } = await entrant();
    const res = await api('PUT', `/entries/${e.entryId}/answers`, who, { answers: e.questions.map(wrong) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().answers.length, e.questions.length);
    const again = await api('PUT', `/entries/${e.entryId}/answers`, who, { answers: [right(e.questions[0]!)] });
    assert.equal(again.statusCode, 200, again.body);
    const rows = await stored(e.entryId);
    assert.equal(rows.size, e.questions.length);
    assert.deepEqual(rows.get(e.questions[0]!.id), [...round.key.get(e.questions[0]!.id)!].sort());
    assert.deepEqual(rows.get(e.questions[1]!.id), wrong(e.questions[1]!).chosen);
  });

  test('the same question twice in one request: the later answer counts', async () => {
    const { who, e } = await entrant();
    const q = e.questions[0]!;
    const res = await api('PUT', `/entries/${e.entryId}/answers`, who, { answers: [wrong(q), right(q)] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await stored(e.entryId)).get(q.id), [...round.key.get(q.id)!].sort());
  });

  test('all or nothing: one bad answer refuses the request and stores none of it', async () => {
    const { who, e } = await entrant();
    const single = e.questions.find((q) => q.kind === 'single')!;
    const good = e.questions.filter((q) => q !== single).map(right);
    const bad = async (answers: object[], status: number, errorCode: string) => {
      assert.deepEqual(code(await api('PUT', `/entries/${e.entryId}/answers`, who, { answers })), [status, errorCode]);
      assert.equal((await stored(e.entryId)).size, 0);
    };
    await bad([...good, { questionId: 999_999, chosen: ['x'] }], 400, 'contest_unknown_question');
    await bad([...good, { questionId: single.id, chosen: ['not-offered'] }], 400, 'contest_option_not_offered');
    // A lone surrogate is valid in JSON but not in PostgreSQL's jsonb: refused before any SQL.
    await bad([...good, { questionId: single.id, chosen: ['\ud800'] }], 400, 'contest_option_not_offered');
    assert.deepEqual(code(await api('POST', `/entries/${e.entryId}/answers`, who, { questionId: single.id, chosen: ['\udc00x'] })), [
      400,
      'contest_option_not_offered',
    ]);
    await bad([...good, { questionId: single.id, chosen: single.options.slice(0, 2).map((o) => o.id) }], 400, 'contest_one_option_only');
    await bad([], 400, 'validation_failed');
    await bad([...good, { questionId: single.id, chosen: [] }], 400, 'validation_failed');
    const stranger = await entrant();
    assert.deepEqual(code(await api('PUT', `/entries/${e.entryId}/answers`, stranger.who, { answers: good })), [
      404,
      'contest_entry_not_found',
    ]);
    assert.equal((await stored(e.entryId)).size, 0);
  });

  test('answers sent with the submission are saved, then the entry closes; nothing is taken after it', async () => {
    const { who, e } = await entrant();
    const sub = await api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 7, answers: e.questions.map(right) });
    assert.equal(sub.statusCode, 200, sub.body);
    assert.ok(sub.json().submittedAt);
    assert.deepEqual(
      sub.json().questions.map((q: { chosen: string[] }) => q.chosen.length > 0),
      e.questions.map(() => true),
    );
    assert.equal((await stored(e.entryId)).size, e.questions.length);
    assert.deepEqual(code(await api('PUT', `/entries/${e.entryId}/answers`, who, { answers: [wrong(e.questions[0]!)] })), [
      409,
      'contest_already_submitted',
    ]);
    assert.deepEqual((await stored(e.entryId)).get(e.questions[0]!.id), [...round.key.get(e.questions[0]!.id)!].sort());
  });

  test('a submission whose answers are refused does not close the entry', async () => {
    const { who, e } = await entrant();
    const r = await api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 7, answers: [{ questionId: 999_999, chosen: ['x'] }] });
    assert.deepEqual(code(r), [400, 'contest_unknown_question']);
    const row = await t.db.selectFrom('contest_entry').select('submitted_at').where('id', '=', e.entryId).executeTakeFirstOrThrow();
    assert.equal(row.submitted_at, null);
  });

  test('a submission with an option not offered, two options on a single-choice question, or for another person’s entry is refused; the entry stays open', async () => {
    const { who, e } = await entrant();
    const single = e.questions.find((q) => q.kind === 'single')!;
    const foreignOption = e.questions.flatMap((q) => q.options.map((o) => o.id)).find((id) => !single.options.some((o) => o.id === id))!;
    const submit = (as: Auth, answers: object[]) => api('POST', `/entries/${e.entryId}/submit`, as, { prediction: 7, answers });
    assert.deepEqual(code(await submit(who, [{ questionId: single.id, chosen: [foreignOption] }])), [400, 'contest_option_not_offered']);
    assert.deepEqual(code(await submit(who, [{ questionId: single.id, chosen: ['\ud800'] }])), [400, 'contest_option_not_offered']);
    assert.deepEqual(code(await submit(who, [{ questionId: single.id, chosen: single.options.slice(0, 2).map((o) => o.id) }])), [
      400,
      'contest_one_option_only',
    ]);
    const other = await entrant();
    assert.deepEqual(code(await submit(other.who, [])), [404, 'contest_entry_not_found']);
    const row = await t.db.selectFrom('contest_entry').select('submitted_at').where('id', '=', e.entryId).executeTakeFirstOrThrow();
    assert.equal(row.submitted_at, null);
    assert.equal((await stored(e.entryId)).size, 0);
    const ok = await submit(who, e.questions.map(right));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await stored(e.entryId)).size, e.questions.length);
  });

  test('late: the whole sheet is refused after the time limit and its grace', async () => {
    const { who, e } = await entrant();
    await t.db
      .updateTable('contest_entry')
      .set({ started_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', e.entryId)
      .execute();
    assert.deepEqual(code(await api('PUT', `/entries/${e.entryId}/answers`, who, { answers: e.questions.map(right) })), [
      409,
      'contest_time_up',
    ]);
    assert.equal((await stored(e.entryId)).size, 0);
  });
});
