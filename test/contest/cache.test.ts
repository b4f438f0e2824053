import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { sql } from 'kysely';
import { sha256 } from '../../src/lib/crypto.js';
import { insertEntriesIfOpen } from '../../src/modules/contest/contest.entry-sql.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

// The hot path keeps the question bank and the participants in memory (contest.cache.ts) and
// answers without a transaction: what that must not change.
describe(`contest hot path (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let contestId: number;
  let poolId: number;
  let roundId: number;
  let key: Map<number, string[]>;
  let phoneSeq = 0;

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const register = async () => {
    const r = await api(
      'POST',
      `/contests/${contestId}/participants`,
      {},
      { name: 'Trần Văn Nam', phone: `09200000${String(++phoneSeq).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
    );
    assert.equal(r.statusCode, 201, r.body);
    return { 'x-contest-token': r.json().token as string };
  };
  const start = async (who: Auth) => {
    const r = await api('POST', `/rounds/${roundId}/start`, who);
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as Entry;
  };

  before(async () => {
    t = await testApp();
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    contestId = (await api('POST', '/contests', admin, { title: { vi: 'Thi thử bộ nhớ đệm', en: 'Cache contest' } })).json().id;
    poolId = (
      await api('POST', `/contests/${contestId}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } })
    ).json().id;
    key = await buildBank(t, admin, poolId, 2);
    const r = await api('POST', `/contests/${contestId}/rounds`, admin, {
      opensAt: hours(-1),
      closesAt: hours(2),
      questionCount: 2,
      timeLimitSeconds: 600,
    });
    roundId = r.json().id;
    assert.equal((await api('POST', `/rounds/${roundId}/publish`, admin)).statusCode, 200);
  });
  after(async () => t?.close());

  test('a question added after entries started is in the bank of the next draw', async () => {
    await start(await register()); // the bank of two is now held in memory
    const extra = await buildBank(t, admin, poolId, 1);
    const [newId] = [...extra.keys()];
    for (const [id, k] of extra) key.set(id, k);
    const bank = await t.app.services.contestAdmin.bank(contestId);
    assert.deepEqual(bank.map((q) => q.id).sort(), [...key.keys()].sort());
    // Two of three are drawn per entry: the new one shows up within a few entries.
    let seen = false;
    for (let i = 0; i < 20 && !seen; i++) seen = (await start(await register())).questions.some((q) => q.id === newId);
    assert.ok(seen, 'the question added later was never drawn');
  });

  test('an answer racing the submission is either in the submitted entry or refused as already submitted', async () => {
    for (let i = 0; i < 6; i++) {
      const who = await register();
      const e = await start(who);
      const q = e.questions[0]!;
      const [a, s] = await Promise.all([
        api('POST', `/entries/${e.entryId}/answers`, who, { questionId: q.id, chosen: key.get(q.id)! }),
        api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 3 }),
      ]);
      assert.equal(s.statusCode, 200, s.body);
      const shown = (s.json() as Entry).questions.find((x) => x.id === q.id)!.chosen;
      if (a.statusCode === 200) assert.deepEqual(shown, key.get(q.id), 'accepted but not in the submitted entry');
      else {
        assert.deepEqual([a.statusCode, a.json().code], [409, 'contest_already_submitted']);
        assert.deepEqual(shown, []);
        const row = await t.db.selectFrom('contest_answer').select('entry_id').where('entry_id', '=', e.entryId).executeTakeFirst();
        assert.equal(row, undefined, 'refused but written');
      }
    }
  });

  test(
    'a submission meeting an answer being saved waits for it, and the submitted entry shows that answer',
    { skip: ENGINE === 'pglite' ? 'one connection: no second transaction to hold the lock' : false },
    async () => {
      const who = await register();
      const e = await start(who);
      const q = e.questions[0]!;
      let submitted: Promise<Awaited<ReturnType<typeof api>>> | undefined;
      await t.db.transaction().execute(async (trx) => {
        // What saving an answer holds until it commits (contest.entry-sql.ts, saveAnswers).
        await sql`select id from contest_entry where id = ${e.entryId} for share`.execute(trx);
        await trx
          .insertInto('contest_answer')
          .values({ entry_id: e.entryId, question_id: q.id, chosen: key.get(q.id)!, answered_at: new Date() })
          .execute();
        submitted = api('POST', `/entries/${e.entryId}/submit`, who, { prediction: 2 });
        // Commit only once the submission is waiting for the row: the answers it shows must be
        // read after it got the lock, not in the snapshot its statement started with.
        for (let i = 0; i < 200; i++) {
          const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(t.db);
          if (waiting.rows[0]!.n > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
      });
      const s = await submitted!;
      assert.equal(s.statusCode, 200, s.body);
      assert.deepEqual((s.json() as Entry).questions.find((x) => x.id === q.id)!.chosen, key.get(q.id));
    },
  );

  test('a start drawn from a stale copy of the round follows the round as the database holds it', async () => {
    await start(await register()); // the round is now held in memory
    // Another instance's admin changes the time limit, then closes the round early: this process's copy is stale.
    await t.db.updateTable('contest_round').set({ time_limit_seconds: 300 }).where('id', '=', roundId).execute();
    const e = await start(await register());
    assert.equal(Date.parse(e.deadlineAt) - Date.parse(e.startedAt), 300_000, 'the entry has the new time limit');
    const early = await register();
    await t.db
      .updateTable('contest_round')
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where('id', '=', roundId)
      .execute();
    const refused = await api('POST', `/rounds/${roundId}/start`, early);
    assert.deepEqual([refused.statusCode, refused.json().code], [409, 'contest_round_not_open']);
    const entries = await t.db
      .selectFrom('contest_entry as e')
      .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
      .select('e.id')
      .where('p.token_hash', '=', sha256(early['x-contest-token']))
      .execute();
    assert.deepEqual(entries, [], 'no entry written after the close');
    await t.db
      .updateTable('contest_round')
      .set({ closes_at: new Date(Date.parse(hours(2))), time_limit_seconds: 600 })
      .where('id', '=', roundId)
      .execute();
  });

  test('a wrong token is refused every time, a right one keeps working', async () => {
    const who = await register();
    await start(who);
    for (let i = 0; i < 2; i++) {
      const r = await api('POST', `/rounds/${roundId}/start`, { 'x-contest-token': `${who['x-contest-token']}x` });
      assert.deepEqual([r.statusCode, r.json().code], [401, 'contest_token_invalid']);
    }
    assert.equal((await api('POST', `/rounds/${roundId}/start`, who)).statusCode, 200);
  });
  test('concurrent registrations, written together: each gets its own participant, or its own refusal', async () => {
    const body = (i: number, over: object = {}) => ({
      name: `Người Thứ ${i}`,
      phone: `09880000${String(i).padStart(2, '0')}`,
      unitCode: UNITS.quangTrung,
      ...over,
    });
    const sent = [
      ...Array.from({ length: 10 }, (_, i) => [contestId, body(i)] as const),
      [contestId, body(3, { name: 'Người Trùng Số' })] as const,
      [contestId, body(20, { unitCode: UNITS.city })] as const,
      [999999, body(21)] as const,
    ];
    const r = await Promise.all(sent.map(([c, b]) => api('POST', `/contests/${c}/participants`, {}, b)));
    const codes = r.map((x) => (x.statusCode === 201 ? 201 : `${x.statusCode} ${x.json().code}`));
    assert.deepEqual(codes, [...Array(10).fill(201), '409 contest_phone_taken', '400 contest_unit_invalid', '404 contest_not_found']);
    assert.equal(new Set(r.slice(0, 10).map((x) => x.json().participantId)).size, 10);
    // Each token is its own registration's.
    for (const [i, x] of r.slice(0, 10).entries()) {
      const row = await t.db
        .selectFrom('contest_participant')
        .select(['id', 'name'])
        .where('token_hash', '=', sha256(x.json().token))
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { id: x.json().participantId, name: `Người Thứ ${i}` });
    }
  });

  test('one written batch of new entries: a participant twice gets one entry, a stale round copy none', async () => {
    const round = await t.db.selectFrom('contest_round').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow();
    const idOf = async (who: Auth) => {
      const p = await t.db.selectFrom('contest_participant').select('id').where('token_hash', '=', sha256(who['x-contest-token']!));
      return (await p.executeTakeFirstOrThrow()).id;
    };
    const [p1, p2, p3] = [await idOf(await register()), await idOf(await register()), await idOf(await register())];
    const entry = (participantId: number, r = round) => ({
      round: r,
      now: new Date(),
      values: { participantId, seed: 'ab'.repeat(32), questions: [], client_ip: null, device_id: null, ua_hash: null },
    });
    const ids = await insertEntriesIfOpen(t.db, [entry(p1), entry(p2), entry(p1), entry(p3, { ...round, time_limit_seconds: 1 })]);
    assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], JSON.stringify(ids));
    assert.deepEqual(ids.slice(2), [undefined, undefined]);
  });
});
