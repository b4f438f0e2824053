import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { canonicalJson } from '../../src/lib/canonical-json.js';
import { Browser, bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { buildBank, hours, type Auth, type Entry } from './fixtures.js';

const QUESTIONS = 5;
/** Seconds between answers of an ordinary participant. */
const CALM = [30, 12, 45, 9, 20];
const base = loadConfig({ NODE_ENV: 'test' }).contestFairness;
const fairness = {
  ...base,
  flags: { ...base.flags, ipEntries: 2, deviceEntries: 1 },
};

describe(`contest fairness: flags, disqualification, successor rankings (${ENGINE})`, () => {
  let t: TestApp;
  let admin: Auth;
  let leader: Auth;
  let contestId: number;
  let roundId: number;
  let key: Map<number, string[]>;
  let phoneSeq = 0;
  let ipSeq = 0;
  /** Entries by role in the scenario. */
  const e: Record<'shared1' | 'shared2' | 'shared3' | 'fast' | 'regular' | 'calm', { who: Auth; entry: Entry; ip: string }> = {} as never;

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object, remoteAddress = '10.9.9.9') =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, remoteAddress, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  const register = async (ip = `10.0.0.${++ipSeq}`, headers: Auth = {}) => {
    const r = await api(
      'POST',
      `/contests/${contestId}/participants`,
      headers,
      { name: 'Trần Văn Bình', phone: `09300000${String(++phoneSeq).padStart(2, '0')}`, unitCode: UNITS.quangTrung },
      ip,
    );
    assert.equal(r.statusCode, 201, r.body);
    const device = (r.cookies as { name: string; value: string }[]).find((c) => c.name === 'contest_device')!.value;
    return { who: { 'x-contest-token': r.json().token as string }, device };
  };
  /** Starts and answers every question right, then sets the instants through the database. */
  const take = async (ip: string, device: string | null, gapsS: number[] | null, submitAfterS: number | null) => {
    const { who } = await register(ip);
    const s = await api(
      'POST',
      `/rounds/${roundId}/start`,
      { ...who, ...(device ? { cookie: `contest_device=${device}` } : {}) },
      undefined,
      ip,
    );
    assert.equal(s.statusCode, 201, s.body);
    const entry = s.json() as Entry;
    for (const q of entry.questions) {
      assert.equal(
        (await api('POST', `/entries/${entry.entryId}/answers`, who, { questionId: q.id, chosen: key.get(q.id)! }, ip)).statusCode,
        200,
      );
    }
    assert.equal((await api('POST', `/entries/${entry.entryId}/submit`, who, { prediction: 3 }, ip)).statusCode, 200);
    if (gapsS) {
      const T = Date.now() - 3_600_000;
      await t.db
        .updateTable('contest_entry')
        .set({ started_at: new Date(T), submitted_at: new Date(T + submitAfterS! * 1000) })
        .where('id', '=', entry.entryId)
        .execute();
      let at = T;
      for (const [i, q] of entry.questions.entries()) {
        at += gapsS[i]! * 1000;
        await t.db
          .updateTable('contest_answer')
          .set({ answered_at: new Date(at) })
          .where('entry_id', '=', entry.entryId)
          .where('question_id', '=', q.id)
          .execute();
      }
    }
    return { who, entry, ip };
  };
  const flags = async () => {
    const r = await api('GET', `/rounds/${roundId}/flags`, admin);
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as {
      flags: { id: number; kind: string; entryId: number | null; subject: string; evidence: Record<string, unknown>; status: string }[];
      disqualified: { entryId: number; reason: string; by: string }[];
    };
  };
  const results = async (query = '') => {
    const r = await api('GET', `/rounds/${roundId}/results${query}`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  };
  /** The hash of the version's published text, which must hold exactly the entries the API showed. */
  const recompute = async (published: { version: number; entries: unknown[] }) => {
    const r = await api('GET', `/rounds/${roundId}/results/ranking.json?version=${published.version}`);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(canonicalJson(JSON.parse(r.body).entries), canonicalJson(published.entries));
    return createHash('sha256').update(r.rawPayload).digest('hex');
  };

  before(async () => {
    t = await testApp({ contestFairness: fairness });
    admin = await bearerFor(t.app, DEMO.cityAdmin);
    leader = await bearerFor(t.app, DEMO.leaderQuangTrung);
    const c = await api('POST', '/contests', admin, {
      title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' },
    });
    contestId = c.json().id;
    const p = await api('POST', `/contests/${contestId}/pools`, admin, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
    key = await buildBank(t, admin, p.json().id, QUESTIONS);
    const r = await api('POST', `/contests/${contestId}/rounds`, admin, {
      opensAt: hours(-2),
      closesAt: hours(2),
      questionCount: QUESTIONS,
      timeLimitSeconds: 600,
    });
    roundId = r.json().id;
    assert.equal((await api('POST', `/rounds/${roundId}/publish`, admin)).statusCode, 200);
  });
  after(async () => t?.close());

  test('flags with their evidence: many entries per IP and per device, answers too fast, entry too short, regular intervals', async () => {
    const device = (await register('10.1.0.9')).device;
    e.shared1 = await take('10.1.0.1', null, CALM, 130);
    e.shared2 = await take('10.1.0.1', device, CALM, 130);
    e.shared3 = await take('10.1.0.1', device, CALM, 130);
    // 1 s per answer, submitted after 6 s: faster than reading, and 6 s < 5 questions x 3 s.
    e.fast = await take('10.2.0.1', null, [1, 1, 1, 1, 1], 6);
    // Every 10 s to the millisecond (after a first, longer read): regular, neither fast nor short.
    e.regular = await take('10.2.0.2', null, [25, 10, 10, 10, 10], 70);
    e.calm = await take('10.2.0.3', null, CALM, 130);
    const scan = await api('POST', `/rounds/${roundId}/flags/scan`, admin);
    assert.equal(scan.statusCode, 200, scan.body);
    const { flags: list } = await flags();
    const byKind = (kind: string) => list.filter((f) => f.kind === kind);
    const ip = byKind('ip_many_entries');
    assert.equal(ip.length, 1);
    assert.equal(ip[0]!.subject, 'ip:10.1.0.1');
    assert.deepEqual(ip[0]!.evidence, {
      ip: '10.1.0.1',
      entries: 3,
      threshold: 2,
      devices: 1,
      userAgents: 1,
      entryIds: [e.shared1.entry.entryId, e.shared2.entry.entryId, e.shared3.entry.entryId],
    });
    const dev = byKind('device_many_entries');
    assert.equal(dev.length, 1);
    assert.deepEqual(dev[0]!.evidence, { entries: 2, threshold: 1, ips: 1, entryIds: [e.shared2.entry.entryId, e.shared3.entry.entryId] });
    assert.deepEqual(
      byKind('answers_too_fast').map((f) => [f.entryId, f.evidence]),
      [[e.fast.entry.entryId, { fastAnswers: 5, answers: 5, fastestGapMs: 1000, thresholdMs: 2000 }]],
    );
    assert.deepEqual(
      byKind('entry_too_short').map((f) => [f.entryId, f.evidence]),
      [[e.fast.entry.entryId, { timeTakenMs: 6000, questions: 5, thresholdMs: 15000 }]],
    );
    // The fast one is regular too (every second exactly).
    assert.deepEqual(
      byKind('regular_intervals').map((f) => [f.entryId, f.evidence]),
      [
        [e.fast.entry.entryId, { answers: 5, meanGapMs: 1000, stddevMs: 0, thresholdMs: 150 }],
        [e.regular.entry.entryId, { answers: 5, meanGapMs: 10000, stddevMs: 0, thresholdMs: 150 }],
      ],
    );
    assert.ok(!list.some((f) => f.entryId === e.calm.entry.entryId), 'an ordinary entry raises nothing');
    // A second scan updates, never duplicates.
    await api('POST', `/rounds/${roundId}/flags/scan`, admin);
    assert.equal((await flags()).flags.length, list.length);
  });

  test('clearing a flag: audited, once; unknown flag 404; only the city admin', async () => {
    const ip = (await flags()).flags.find((f) => f.kind === 'ip_many_entries')!;
    assert.deepEqual(code(await api('POST', `/flags/${ip.id}/clear`, leader, { note: 'Trường học' })), [403, 'forbidden']);
    const r = await api('POST', `/flags/${ip.id}/clear`, admin, { note: 'Phòng máy của trường THCS' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'cleared');
    assert.equal(r.json().note, 'Phòng máy của trường THCS');
    assert.ok(r.json().reviewedBy);
    assert.deepEqual(code(await api('POST', `/flags/${ip.id}/clear`, admin, {})), [409, 'contest_flag_reviewed']);
    assert.deepEqual(code(await api('POST', '/flags/999999/clear', admin, {})), [404, 'contest_flag_not_found']);
    assert.deepEqual(code(await api('POST', `/flags/${ip.id}/clear`, admin, { note: 'x', extra: 1 })), [400, 'validation_failed']);
    const audit = await t.db.selectFrom('audit_event').select(['actor_id', 'after']).where('action', '=', 'contest.flag.clear').execute();
    assert.equal(audit.length, 1);
    assert.ok(audit[0]!.actor_id);
    // Cleared stays cleared: a new scan does not reopen it.
    await api('POST', `/rounds/${roundId}/flags/scan`, admin);
    assert.equal((await flags()).flags.find((f) => f.id === ip.id)!.status, 'cleared');
    assert.equal(
      (await api('GET', `/rounds/${roundId}/flags?status=open`, admin)).json().flags.some((f: { id: number }) => f.id === ip.id),
      false,
    );
  });

  test('disqualifying needs a reason and the city admin; audited; bad input refused', async () => {
    const id = e.fast.entry.entryId;
    assert.deepEqual(code(await api('POST', `/entries/${id}/disqualify`, admin, {})), [400, 'validation_failed']);
    assert.deepEqual(code(await api('POST', `/entries/${id}/disqualify`, admin, { reason: '   ' })), [400, 'reason_required']);
    assert.deepEqual(code(await api('POST', `/entries/${id}/disqualify`, admin, { reason: 'x'.repeat(1001) })), [400, 'validation_failed']);
    assert.deepEqual(code(await api('POST', `/entries/${id}/disqualify`, leader, { reason: 'Gian lận' })), [403, 'forbidden']);
    assert.equal((await api('POST', `/entries/${id}/disqualify`, {}, { reason: 'Gian lận' })).statusCode, 401);
    assert.deepEqual(code(await api('POST', '/entries/99999999/disqualify', admin, { reason: 'Gian lận' })), [
      404,
      'contest_entry_not_found',
    ]);
    assert.deepEqual(code(await api('POST', `/entries/${id}/reinstate`, admin, { reason: 'Nhầm' })), [
      409,
      'contest_entry_not_disqualified',
    ]);
    const r = await api('POST', `/entries/${id}/disqualify`, admin, { reason: 'Trả lời bằng công cụ tự động' });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { entryId: id, disqualified: true, ranking: null });
    assert.deepEqual(code(await api('POST', `/entries/${id}/disqualify`, admin, { reason: 'Lần nữa' })), [
      409,
      'contest_entry_disqualified',
    ]);
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['actor_id', 'at', 'after', 'entity_id'])
      .where('action', '=', 'contest.entry.disqualify')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.after, { reason: 'Trả lời bằng công cụ tự động' });
    assert.equal(audit[0]!.entity_id, String(id));
    assert.ok(audit[0]!.actor_id && audit[0]!.at);
    assert.deepEqual(
      (await flags()).disqualified.map((d) => [d.entryId, d.reason]),
      [[id, 'Trả lời bằng công cụ tự động']],
    );
  });

  test('frozen at the close without the disqualified entry; the freeze scans the flags', async () => {
    await t.db.deleteFrom('contest_flag').where('round_id', '=', roundId).where('status', '=', 'open').execute();
    await t.db
      .updateTable('contest_round')
      .set({ closes_at: new Date(Date.now() - 1000) })
      .where('id', '=', roundId)
      .execute();
    const v1 = await results();
    assert.equal(v1.version, 1);
    assert.deepEqual(v1.disqualified, [e.fast.entry.entryId]);
    assert.ok(!v1.entries.some((x: { entryId: number }) => x.entryId === e.fast.entry.entryId));
    assert.equal(v1.entries.length, 5);
    // Every other entry answered all right: the disqualified one does not count in the actual number either.
    assert.equal(v1.actualAllCorrect, 5);
    assert.equal(await recompute(v1), v1.hash);
    assert.ok(
      (await flags()).flags.some((f) => f.kind === 'answers_too_fast' && f.status === 'open'),
      'flags raised again at the freeze',
    );
  });

  test('after the freeze: a disqualification adds version 2 chained to version 1, which stays verifiable', async () => {
    const v1 = await results();
    // The data changes after the freeze; published figures must not (a successor never rescores).
    await t.db.deleteFrom('contest_answer').where('entry_id', '=', e.calm.entry.entryId).execute();
    const out = e.regular.entry.entryId;
    const r = await api('POST', `/entries/${out}/disqualify`, admin, { reason: 'Khoảng cách trả lời đều như máy' });
    assert.equal(r.statusCode, 200, r.body);
    const v2 = await results();
    assert.deepEqual(r.json().ranking, { version: 2, hash: v2.hash });
    assert.equal(v2.version, 2);
    assert.equal(v2.previousHash, v1.hash);
    assert.deepEqual(v2.change, { action: 'disqualify', entryId: out, reason: 'Khoảng cách trả lời đều như máy' });
    assert.deepEqual(
      v2.disqualified,
      [e.fast.entry.entryId, out].sort((a, b) => a - b),
    );
    assert.deepEqual(
      v2.entries.map((x: { entryId: number }) => x.entryId),
      v1.entries.map((x: { entryId: number }) => x.entryId).filter((id: number) => id !== out),
    );
    assert.ok(v2.entries.every((x: { rank: number }, i: number) => x.rank <= i + 1));
    const calm = (v: { entries: { entryId: number; score: number }[] }) => v.entries.find((x) => x.entryId === e.calm.entry.entryId)!.score;
    assert.equal(calm(v2), QUESTIONS);
    assert.equal(calm(v2), calm(v1));
    assert.equal(await recompute(v2), v2.hash);
    assert.deepEqual(
      v2.history.map((h: { version: number; hash: string; previousHash: string | null }) => [h.version, h.hash, h.previousHash]),
      [
        [1, v1.hash, null],
        [2, v2.hash, v1.hash],
      ],
    );
    const old = await results('?version=1');
    assert.equal(old.hash, v1.hash);
    assert.equal(await recompute(old), v1.hash);
    // The leaderboard reads the latest version.
    assert.equal((await api('GET', `/rounds/${roundId}/leaderboard/units`)).json().hash, v2.hash);
    const audit = await t.db.selectFrom('audit_event').select('after').where('action', '=', 'contest.round.rerank').execute();
    assert.deepEqual((audit[0]!.after as { previousHash: string; hash: string }).hash, v2.hash);
  });

  test('reinstating is a new version too: the entry comes back, scored from its answers', async () => {
    const back = e.fast.entry.entryId;
    const r = await api('POST', `/entries/${back}/reinstate`, admin, { reason: 'Học sinh giỏi, đã xác minh' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().disqualified, false);
    const v3 = await results();
    assert.equal(v3.version, 3);
    assert.equal(v3.previousHash, v3.history[1].hash);
    assert.deepEqual(v3.change, { action: 'reinstate', entryId: back, reason: 'Học sinh giỏi, đã xác minh' });
    assert.deepEqual(v3.disqualified, [e.regular.entry.entryId]);
    const fast = v3.entries.find((x: { entryId: number }) => x.entryId === back);
    assert.deepEqual([fast.score, fast.timeTakenMs], [QUESTIONS, 6000]);
    assert.equal(await recompute(v3), v3.hash);
    const audit = await t.db.selectFrom('audit_event').select('before').where('action', '=', 'contest.entry.reinstate').execute();
    assert.deepEqual(audit[0]!.before, { reason: 'Trả lời bằng công cụ tự động' });
  });

  test('bad version and round: 404 / 400 with stable codes', async () => {
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/results?version=99`)), [404, 'contest_ranking_version_not_found']);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/results?version=0`)), [400, 'validation_failed']);
    assert.deepEqual(code(await api('GET', '/rounds/999999/flags', admin)), [404, 'contest_round_not_found']);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/flags?status=maybe`, admin)), [400, 'validation_failed']);
    assert.deepEqual(code(await api('POST', '/rounds/999999/flags/scan', admin)), [404, 'contest_round_not_found']);
  });

  test('review page: city admin only, bilingual, plain forms (clear, disqualify with reason, reinstate)', async () => {
    const url = `/admin/contest/rounds/${roundId}/flags`;
    const anon = await t.app.inject({ method: 'GET', url });
    assert.equal(anon.statusCode, 303);
    assert.equal((await (await new Browser(t.app).login(DEMO.leaderQuangTrung)).get(url)).statusCode, 403);
    const b = await new Browser(t.app).login(DEMO.cityAdmin);
    const vi = await b.get(url);
    assert.equal(vi.statusCode, 200);
    assert.match(vi.body, /Cờ cần xem xét – đợt thi số/);
    assert.match(vi.body, /Trả lời nhanh hơn thời gian đọc câu hỏi/);
    assert.match(vi.body, /Bảng xếp hạng: phiên bản 3/);
    const en = await b.get(`${url}?lang=en&status=all`);
    assert.match(en.body, /Flags to review – round/);
    assert.match(en.body, /Many entries from one network address/);
    assert.match(en.body, /Reviewed by /);
    const open = await t.db
      .selectFrom('contest_flag')
      .select(['id', 'entry_id'])
      .where('round_id', '=', roundId)
      .where('kind', '=', 'entry_too_short')
      .executeTakeFirstOrThrow();
    const cleared = await b.postForm(`/admin/contest/flags/${open.id}/clear`, { roundId: String(roundId), note: 'Đã gọi điện xác minh' });
    assert.equal(cleared.statusCode, 303);
    assert.equal(cleared.headers.location, `${url}?status=all&done=clear`);
    assert.match((await b.get(cleared.headers.location as string)).body, /The flag is marked reviewed\./);
    const row = await t.db.selectFrom('contest_flag').select(['status', 'review_note']).where('id', '=', open.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'cleared', review_note: 'Đã gọi điện xác minh' });
    // Again: the page says why, in place.
    const again = await b.postForm(`/admin/contest/flags/${open.id}/clear`, { roundId: String(roundId) });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This flag has already been reviewed\./);
    const target = e.calm.entry.entryId;
    const noReason = await b.postForm('/admin/contest/entries/disqualify', {
      roundId: String(roundId),
      entryId: String(target),
      reason: ' ',
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Please state the reason\./);
    const badId = await b.postForm('/admin/contest/entries/disqualify', { roundId: String(roundId), entryId: 'abc', reason: 'Gian lận' });
    assert.equal(badId.statusCode, 404);
    assert.match(badId.body, /Entry not found\./);
    const noCsrf = await b.postForm(
      '/admin/contest/entries/disqualify',
      { roundId: String(roundId), entryId: String(target), reason: 'x' },
      { csrf: null },
    );
    assert.equal(noCsrf.statusCode, 403);
    const out = await b.postForm('/admin/contest/entries/disqualify', {
      roundId: String(roundId),
      entryId: `#${target}`,
      reason: 'Hai người một bài',
    });
    assert.equal(out.statusCode, 303);
    let latest = await results();
    assert.deepEqual([latest.version, latest.change], [4, { action: 'disqualify', entryId: target, reason: 'Hai người một bài' }]);
    const page = (await b.get(`${url}?status=all`)).body;
    assert.match(page, /Hai người một bài/);
    const back = await b.postForm(`/admin/contest/entries/${target}/reinstate`, { roundId: String(roundId), reason: 'Đã xác minh' });
    assert.equal(back.statusCode, 303);
    latest = await results();
    assert.equal(latest.version, 5);
    assert.equal((await b.get('/admin/contest/rounds/abc/flags')).statusCode, 404);
    assert.equal((await b.get('/admin/contest/rounds/999999/flags')).statusCode, 404);
  });
});
