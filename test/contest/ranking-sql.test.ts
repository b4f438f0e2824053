import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { finalRanking, type RankedEntry, type RankInput } from '../../src/domain/contest/ranking.js';
import { scoreEntry } from '../../src/domain/contest/scoring.js';
import { deadlineOf, timeTakenMs } from '../../src/domain/contest/timing.js';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

// The database ranks a round (contest.ranking-sql.ts) so that a round of 600,000 entries never
// comes to Node; the rule is the domain's finalRanking. Here both rank the same awkward round:
// ties on every criterion, entries that ran out of time, a submission in the grace after the limit,
// instants with microseconds, no prediction; then successors after a disqualification and a
// reinstatement, which must keep the published figures even after the data changed.
describe(`the database ranks a round exactly as the domain rule does (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  const LIMIT = 300;
  let roundId = 0;
  let key = new Map<number, string[]>();
  const api = (url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method: payload ? 'POST' : 'GET', url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const published = async (version: number) => {
    const r = await api(`/rounds/${roundId}/results/ranking.json?version=${version}`);
    assert.equal(r.statusCode, 200, r.body);
    return JSON.parse(r.body) as { actualAllCorrect: number; disqualified: number[]; entries: RankedEntry[] };
  };

  /** What the domain rule makes of the stored round; `kept` figures win (a successor never rescores). */
  async function expected(kept: Map<number, RankedEntry>) {
    const entries = await t.db
      .selectFrom('contest_entry')
      .select(['id', 'questions', 'started_at', 'submitted_at', 'prediction'])
      .where('round_id', '=', roundId)
      .where('disqualified_at', 'is', null)
      .execute();
    const answers = await t.db
      .selectFrom('contest_answer')
      .select(['entry_id', 'question_id', 'chosen'])
      .where(
        'entry_id',
        'in',
        entries.map((e) => e.id),
      )
      .execute();
    const inputs = entries.map((e): RankInput => {
      const drawn = e.questions.map((q) => q.questionId);
      const before = kept.get(Number(e.id));
      if (before) {
        return {
          entryId: Number(e.id),
          score: before.score,
          allCorrect: drawn.length > 0 && before.score === drawn.length,
          prediction: before.prediction,
          timeTakenMs: before.timeTakenMs,
          submittedAt: Date.parse(before.submittedAt),
        };
      }
      const mine = new Map(answers.filter((a) => Number(a.entry_id) === Number(e.id)).map((a) => [a.question_id, a.chosen]));
      const s = scoreEntry(drawn, mine, key);
      return {
        entryId: Number(e.id),
        score: s.score,
        allCorrect: s.allCorrect,
        prediction: e.submitted_at ? e.prediction : null,
        timeTakenMs: timeTakenMs(e.started_at, e.submitted_at, LIMIT),
        submittedAt: (e.submitted_at ?? deadlineOf(e.started_at, LIMIT)).getTime(),
      };
    });
    return finalRanking(roundId, inputs);
  }

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    const c = (await api('/contests', admin, { title: { vi: 'Xếp hạng', en: 'Ranking' } })).json();
    const pool = (await api(`/contests/${c.id}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } })).json();
    key = await buildBank(t, admin, pool.id, 6);
    const round = (
      await api(`/contests/${c.id}/rounds`, admin, { opensAt: hours(-1), closesAt: hours(2), questionCount: 3, timeLimitSeconds: LIMIT })
    ).json();
    roundId = round.id;
    assert.equal((await api(`/rounds/${roundId}/publish`, admin, {})).statusCode, 200);
    const t0 = Date.parse('2026-11-20T02:00:00.000Z');
    for (let p = 0; p < 24; p++) {
      const reg = await api(
        `/contests/${c.id}/participants`,
        {},
        { name: `Người thi ${p + 1}`, phone: `09310000${String(p).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
      );
      const e = (await api(`/rounds/${roundId}/start`, { 'x-contest-token': reg.json().token }, {})).json() as Entry;
      // Right answers: everything for p % 4 = 0, then fewer; p % 5 = 1 answers nothing at all.
      const right = p % 5 === 1 ? -1 : 3 - (p % 4);
      for (const [j, q] of e.questions.entries()) {
        if (right < 0) break;
        const k = key.get(q.id)!;
        const chosen = j < right ? k : q.options.map((o) => o.id).filter((id) => !k.includes(id));
        await t.db
          .insertInto('contest_answer')
          .values({ entry_id: e.entryId, question_id: q.id, chosen, answered_at: new Date(t0) })
          .execute();
      }
      // Pairs share every figure (a tie), some run out of time, one submits in the grace after the
      // limit, and instants carry microseconds the JavaScript Date never had.
      const pair = Math.floor(p / 2);
      const started = `'${new Date(t0 + pair * 1000).toISOString()}'::timestamptz + interval '123 microseconds'`;
      const submitted =
        p % 7 === 3
          ? 'null'
          : p === 22
            ? `${started} + interval '${LIMIT + 2} seconds'`
            : `${started} + interval '${40 + (pair % 3) * 7}.4567 seconds'`;
      const prediction = p % 6 === 5 ? 'null' : String((pair * 3) % 11);
      await sql`${sql.raw(`update contest_entry set started_at = ${started}, submitted_at = ${submitted}, prediction = ${prediction}`)}
        where id = ${e.entryId}`.execute(t.db);
    }
    await sql`update contest_round set opens_at = now() - interval '3 hours', closes_at = now() - interval '1 hour' where id = ${roundId}`.execute(
      t.db,
    );
  });
  after(() => t?.close());

  test(
    'while another request freezes the round, results are refused with 503 and Retry-After, not held',
    { skip: ENGINE === 'pglite' ? 'one connection: no second transaction to hold the lock' : false },
    async () => {
      await t.db.transaction().execute(async (trx) => {
        // What a freeze in progress holds: the round's row.
        await trx.selectFrom('contest_round').select('id').where('id', '=', roundId).forUpdate().execute();
        const r = await api(`/rounds/${roundId}/results`);
        assert.deepEqual([r.statusCode, r.json().code, r.headers['retry-after']], [503, 'contest_results_pending', '15']);
        const page = await t.app.inject({ url: `/contest/rounds/${roundId}/results?lang=en` });
        assert.equal(page.statusCode, 503);
        assert.match(page.body, /being computed/);
      });
    },
  );

  test('the freeze job freezes each closed round once, as the first results request would', async () => {
    const services = t.app.services;
    assert.deepEqual(await services.contestEntries.freezeClosedRounds(new Date()), [roundId]);
    assert.deepEqual(await services.contestEntries.freezeClosedRounds(new Date()), [], 'a frozen round is left alone');
    const audit = await t.db.selectFrom('audit_event').select('entity_id').where('action', '=', 'contest.round.rank').execute();
    assert.deepEqual(
      audit.map((a) => Number(a.entity_id)),
      [roundId],
    );
  });

  test('version 1: the same entries, order, ranks, distances, times and instants as finalRanking', async () => {
    assert.equal((await api(`/rounds/${roundId}/results`)).statusCode, 200);
    const v1 = await published(1);
    const want = await expected(new Map());
    assert.equal(v1.actualAllCorrect, want.actualAllCorrect);
    assert.deepEqual(v1.entries, want.entries);
    assert.ok(
      want.entries.some((e, i) => i > 0 && e.rank === want.entries[i - 1]!.rank),
      'the round has ties',
    );
    assert.ok(
      want.entries.some((e) => e.prediction === null && e.timeTakenMs === LIMIT * 1000),
      'and entries that ran out of time',
    );
  });

  test('successors keep the published figures: a disqualification, a changed answer, then a reinstatement', async () => {
    const v1 = await published(1);
    const out = v1.entries[0]!.entryId;
    const kept = new Map(v1.entries.map((e) => [e.entryId, e]));
    // Data changed after the freeze: a successor must not rescore anyone.
    const changed = v1.entries.find((e) => e.score === 3 && e.entryId !== out)!.entryId;
    await t.db.deleteFrom('contest_answer').where('entry_id', '=', changed).execute();
    assert.equal((await api(`/entries/${out}/disqualify`, admin, { reason: 'Gian lận' })).statusCode, 200);
    const v2 = await published(2);
    const want2 = await expected(kept);
    assert.deepEqual(v2.disqualified, [out]);
    assert.equal(v2.actualAllCorrect, want2.actualAllCorrect);
    assert.deepEqual(v2.entries, want2.entries);
    assert.equal(v2.entries.find((e) => e.entryId === changed)!.score, 3);
    assert.equal((await api(`/entries/${out}/reinstate`, admin, { reason: 'Xác minh lại: hợp lệ' })).statusCode, 200);
    const v3 = await published(3);
    assert.deepEqual(v3.entries, (await expected(kept)).entries);
    assert.deepEqual(v3.entries, v1.entries, 'everyone back with the figures of version 1');
  });
});
