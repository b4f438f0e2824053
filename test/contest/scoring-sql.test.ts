import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { splitRankingDocuments } from '../../src/db/migrations/202612060001_contest_ranking_rows.js';
import { scoreEntry } from '../../src/domain/contest/scoring.js';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

// The frozen ranking counts scores in the database (contest.ranking.ts); the rule is the domain's
// scoreEntry. Both must agree on every awkward answer, or a published ranking is wrong.
describe(`contest scoring in the database agrees with the domain rule (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let frozenRound = 0;
  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
  });
  after(() => t?.close());

  test('exact key in any order, subsets, supersets, duplicates, empty and undrawn answers: the same scores and all-correct count', async () => {
    const api = (url: string, headers: Auth = {}, payload?: object) =>
      t.app.inject({ method: payload ? 'POST' : 'GET', url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
    const c = (await api('/contests', admin, { title: { vi: 'Chấm điểm', en: 'Scoring' } })).json();
    const pool = (await api(`/contests/${c.id}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } })).json();
    const key = await buildBank(t, admin, pool.id, 6);
    const round = (
      await api(`/contests/${c.id}/rounds`, admin, { opensAt: hours(-1), closesAt: hours(2), questionCount: 4, timeLimitSeconds: 600 })
    ).json();
    assert.equal((await api(`/rounds/${round.id}/publish`, admin, {})).statusCode, 200);

    type Choice = (q: Entry['questions'][number], right: string[]) => string[];
    const wrongOf = (q: Entry['questions'][number], right: string[]) => q.options.map((o) => o.id).filter((id) => !right.includes(id));
    const cases: Choice[] = [
      (_q, right) => right,
      (_q, right) => [...right].reverse(),
      (_q, right) => right.slice(0, 1),
      (q, right) => [...right, wrongOf(q, right)[0]!],
      (_q, right) => [right[0]!, right[0]!],
      () => [],
      (q, right) => wrongOf(q, right).slice(0, right.length),
    ];
    const entryIds: number[] = [];
    for (let p = 0; p < 10; p++) {
      const reg = await api(
        `/contests/${c.id}/participants`,
        {},
        { name: `Người thi ${p + 1}`, phone: `09300000${String(p).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
      );
      const token = { 'x-contest-token': reg.json().token as string };
      const e = (await api(`/rounds/${round.id}/start`, token, {})).json() as Entry;
      entryIds.push(e.entryId);
      // Participants 0-2 answer everything right (in order or not); the others take the cases in turn.
      for (const [j, q] of e.questions.entries()) {
        const right = key.get(q.id)!;
        const chosen = p < 3 ? (j % 2 ? [...right].reverse() : right) : cases[(p + j) % cases.length]!(q, right);
        await t.db
          .insertInto('contest_answer')
          .values({ entry_id: e.entryId, question_id: q.id, chosen, answered_at: new Date() })
          .execute();
      }
      // An answer to a question the entry never drew counts for nothing, even if it is right.
      const undrawn = [...key.keys()].find((id) => !e.questions.some((q) => q.id === id))!;
      await t.db
        .insertInto('contest_answer')
        .values({ entry_id: e.entryId, question_id: undrawn, chosen: key.get(undrawn)!, answered_at: new Date() })
        .execute();
    }
    await sql`update contest_round set opens_at = now() - interval '3 hours', closes_at = now() - interval '1 hour' where id = ${round.id}`.execute(
      t.db,
    );

    frozenRound = round.id;
    const results = (await api(`/rounds/${round.id}/results`)).json() as {
      actualAllCorrect: number;
      entries: { entryId: number; score: number }[];
    };
    const entries = await t.db.selectFrom('contest_entry').select(['id', 'questions']).where('round_id', '=', round.id).execute();
    const answers = await t.db
      .selectFrom('contest_answer')
      .select(['entry_id', 'question_id', 'chosen'])
      .where('entry_id', 'in', entryIds)
      .execute();
    const expected = new Map(
      entries.map((e) => {
        const mine = new Map(answers.filter((a) => Number(a.entry_id) === Number(e.id)).map((a) => [a.question_id, a.chosen]));
        return [
          Number(e.id),
          scoreEntry(
            e.questions.map((q) => q.questionId),
            mine,
            key,
          ),
        ];
      }),
    );
    assert.deepEqual(new Map(results.entries.map((e) => [e.entryId, e.score])), new Map([...expected].map(([id, s]) => [id, s.score])));
    assert.equal(results.actualAllCorrect, [...expected.values()].filter((s) => s.allCorrect).length);
    assert.ok(results.actualAllCorrect >= 3, 'the three right entries count as all correct');
    assert.ok(
      [...expected.values()].some((s) => s.score > 0 && !s.allCorrect),
      'some entries are partly right',
    );
  });

  test('a ranking stored whole, as before rows existed, is split by the migration with its text and hash unchanged', async () => {
    const url = `/api/v1/contest/rounds/${frozenRound}/results/ranking.json?version=1`;
    const before = await t.app.inject({ url });
    assert.equal(before.statusCode, 200);
    const v = await t.db
      .selectFrom('contest_ranking')
      .select(['document', 'hash'])
      .where('round_id', '=', frozenRound)
      .executeTakeFirstOrThrow();
    // Back to the old shape: the entries inside the document, no rows.
    await t.db.deleteFrom('contest_ranking_entry').where('round_id', '=', frozenRound).execute();
    await t.db
      .updateTable('contest_ranking')
      .set({ document: JSON.stringify({ ...(v.document as object), entries: JSON.parse(before.body).entries }), entry_count: 0 })
      .where('round_id', '=', frozenRound)
      .execute();
    await splitRankingDocuments(t.db);
    const after = await t.app.inject({ url });
    assert.equal(after.body, before.body);
    assert.equal(createHash('sha256').update(after.rawPayload).digest('hex'), v.hash);
    const row = await t.db
      .selectFrom('contest_ranking')
      .select(['document', 'entry_count'])
      .where('round_id', '=', frozenRound)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.entry_count, 'entries' in (row.document as object)], [10, false]);
  });
});
