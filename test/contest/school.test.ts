import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { Browser, bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { participantCookie } from '../../src/modules/contest/contest.pages.js';
import type { Auth, Entry } from './fixtures.js';
import { closeRound, publishedRound } from './play-helpers.js';
import { pii } from '../../src/lib/pii.js';

const QUESTIONS = 4;
/** A primary school in the Quang Trung ward (Hà Đông), one attached to the Cầu Giấy district itself, one without entries. */
const SCHOOLS = [
  { code: 'QT-TH-THU', name: { vi: 'Trường Tiểu học thử Quang Trung', en: 'Quang Trung test primary' }, unitCode: UNITS.quangTrung },
  { code: 'CG-THCS-THU', name: { vi: 'Trường THCS thử Cầu Giấy', en: 'Cầu Giấy test lower secondary' }, unitCode: UNITS.cauGiay },
  { code: 'HD-THPT-THU', name: { vi: 'Trường THPT thử Hà Đông', en: 'Hà Đông test high school' }, unitCode: UNITS.haDong },
];

describe(`contest registration with a school, the per-school leaderboard (${ENGINE})`, () => {
  let t: TestApp;
  let contestId: number;
  let roundId: number;
  let key: Map<number, string[]>;

  const api = (method: 'GET' | 'POST', url: string, headers: Auth = {}, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/contest${url}`, headers, ...(payload ? { payload } : {}) });
  const code = (r: LightMyRequestResponse) => [r.statusCode, r.json().code];
  const register = (payload: object, headers: Auth = {}) => api('POST', `/contests/${contestId}/participants`, headers, payload);
  const person = (n: number) => ({ name: `Học sinh số ${n}`, phone: `093000000${n}` });

  /** Starts the participant's entry and answers `right` of its questions right, then submits. */
  async function play(token: string, right: number) {
    const h = { 'x-contest-token': token };
    const s = await api('POST', `/rounds/${roundId}/start`, h);
    assert.equal(s.statusCode, 201, s.body);
    const e = s.json() as Entry;
    for (const [j, q] of e.questions.entries()) {
      const wrong = [q.options.map((o) => o.id).find((id) => !key.get(q.id)!.includes(id))!];
      const a = await api('POST', `/entries/${e.entryId}/answers`, h, { questionId: q.id, chosen: j < right ? key.get(q.id)! : wrong });
      assert.equal(a.statusCode, 200, a.body);
    }
    assert.equal((await api('POST', `/entries/${e.entryId}/submit`, h, { prediction: 1 })).statusCode, 200);
  }

  before(async () => {
    t = await testApp();
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    ({ contestId, roundId, key } = await publishedRound(t, admin, { questions: QUESTIONS }));
    for (const s of SCHOOLS) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/learn/schools', headers: admin, payload: { ...s, kind: 'primary' } });
      assert.equal(r.statusCode, 201, r.body);
    }
  });
  after(async () => t?.close());

  const participantOf = (phone: string) =>
    t.db
      .selectFrom('contest_participant as p')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .leftJoin('school as s', 's.id', 'p.school_id')
      .select(['u.code as unit', 's.code as school'])
      .where('p.phone_hash', '=', pii().hash('phone', phone))
      .executeTakeFirstOrThrow();

  test('API: a school instead of a unit; the participant counts under the school unit; both, neither, unknown are 400', async () => {
    const a = await register({ ...person(1), schoolCode: 'QT-TH-THU' });
    assert.equal(a.statusCode, 201, a.body);
    assert.deepEqual(await participantOf('0930000001'), { unit: UNITS.quangTrung, school: 'QT-TH-THU' });
    await play(a.json().token, 4);
    const c = await register({ ...person(3), schoolCode: 'CG-THCS-THU' });
    assert.equal(c.statusCode, 201, c.body);
    await play(c.json().token, 3);
    const d = await register({ ...person(4), unitCode: UNITS.quangTrung });
    assert.equal(d.statusCode, 201, d.body);
    assert.deepEqual(await participantOf('0930000004'), { unit: UNITS.quangTrung, school: null });
    await play(d.json().token, 1);

    const both = await register({ ...person(5), unitCode: UNITS.quangTrung, schoolCode: 'QT-TH-THU' });
    assert.deepEqual(code(both), [400, 'contest_unit_or_school']);
    assert.match(both.json().title, /không chọn cả hai/);
    const neither = await register(person(5), { 'accept-language': 'en' });
    assert.deepEqual(code(neither), [400, 'contest_unit_or_school']);
    assert.match(neither.json().title, /not both/);
    assert.deepEqual(code(await register({ ...person(5), schoolCode: 'NO-SUCH-SCHOOL' })), [400, 'contest_school_invalid']);
    assert.deepEqual(code(await register({ ...person(5), schoolCode: '' })), [400, 'validation_failed']);
    assert.equal(
      (await t.db.selectFrom('contest_participant').select('id').where('phone_hash', '=', pii().hash('phone', '0930000005')).execute())
        .length,
      0,
    );
  });

  test('page: schools grouped by district, the unit not required; a chosen school wins over a unit; unknown school shown on its field', async () => {
    const b = new Browser(t.app);
    const page = await b.get(`/contest/${contestId}/register`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<select id="unitCode" name="unitCode" aria-describedby="unitCode-hint">/, 'the unit is not required');
    assert.match(page.body, /<label for="schoolCode">Trường học \(nếu là học sinh, giáo viên\)<\/label>/);
    assert.match(page.body, /<optgroup label="Quận Hà Đông"><option value="HD-THPT-THU">[^<]*<\/option><option value="QT-TH-THU">/);
    assert.match(page.body, /<optgroup label="Quận Cầu Giấy"><option value="CG-THCS-THU">/);

    const bad = await b.postForm(`/contest/${contestId}/register`, { ...person(2), unitCode: '', schoolCode: 'NO-SUCH-SCHOOL' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="schoolCode-error"[^]*Xin chọn trường học trong danh sách/);
    assert.match(bad.body, /id="schoolCode" name="schoolCode" aria-invalid="true"/);
    const none = await b.postForm(`/contest/${contestId}/register`, { ...person(2), unitCode: '', schoolCode: '' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /id="unitCode-error"/);

    const ok = await b.postForm(`/contest/${contestId}/register`, { ...person(2), unitCode: UNITS.dichVong, schoolCode: 'QT-TH-THU' });
    assert.equal(ok.statusCode, 303, ok.body);
    assert.deepEqual(await participantOf('0930000002'), { unit: UNITS.quangTrung, school: 'QT-TH-THU' });
    await play(b.cookies.get(participantCookie(contestId))!, 2);
  });

  test('after the close: per school, and the pupils counted under the school district and ward', async () => {
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/leaderboard/units?level=school`)), [409, 'contest_round_not_closed']);
    await closeRound(t, roundId);
    const figures = async (level: string) => {
      const r = await api('GET', `/rounds/${roundId}/leaderboard/units?level=${level}`);
      assert.equal(r.statusCode, 200, r.body);
      return (r.json().units as Record<string, unknown>[])
        .filter((u) => level === 'school' || (u.entries as number) > 0)
        .map((u) => [u.rank, u.unitCode, u.level, u.entries, u.averageScore]);
    };
    // Quang Trung primary: (4 + 2) / 2 = 3; Cầu Giấy lower secondary: 3 / 1 = 3 (fewer entries); Hà Đông high school: none.
    assert.deepEqual(await figures('school'), [
      [1, 'QT-TH-THU', 'school', 2, 3],
      [2, 'CG-THCS-THU', 'school', 1, 3],
      [3, 'HD-THPT-THU', 'school', 0, null],
    ]);
    // Hà Đông: the two pupils of the Quang Trung school and the resident of Quang Trung, (4 + 2 + 1) / 3; Cầu Giấy: 3.
    assert.deepEqual(await figures('district'), [
      [1, UNITS.haDong, 'district', 3, 2.33],
      [2, UNITS.cauGiay, 'district', 1, 3],
    ]);
    // The Cầu Giấy school belongs to the district itself: no ward to count it for.
    assert.deepEqual(await figures('commune'), [[1, UNITS.quangTrung, 'commune', 3, 2.33]]);
    assert.deepEqual(code(await api('GET', `/rounds/${roundId}/leaderboard/units?level=schools`)), [400, 'validation_failed']);

    const board = await new Browser(t.app).get(`/contest/rounds/${roundId}/leaderboard?level=school`);
    assert.equal(board.statusCode, 200);
    assert.match(board.body, /<th scope="col">Trường học<\/th>[^]*Trường Tiểu học thử Quang Trung/);
    assert.match(board.body, new RegExp(`href="/contest/rounds/${roundId}/leaderboard\\?level=commune"`));
    assert.doesNotMatch(board.body, /href="[^"]*level=school"/, 'no link to the page itself');
    assert.match((await new Browser(t.app).get(`/contest/rounds/${roundId}/leaderboard`)).body, /Xem theo trường học/);
  });
});
