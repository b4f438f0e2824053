import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { testApp, UNITS, type TestApp } from '../helpers/app.js';
import { tokens } from '../helpers/processing.js';

type Auth = Record<string, string>;
export type Tok = Awaited<ReturnType<typeof tokens>>;
const DAY = 86_400_000;

/** A valid conference of Hà Đông a week ahead; registration closes a day before. */
export function conferenceBody(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    unit: UNITS.haDong,
    topic: 'Thủ tục hộ tịch, cư trú và đăng ký kinh doanh',
    description: 'Lãnh đạo quận trả lời câu hỏi của người dân và doanh nghiệp.',
    startsAt: new Date(now + 7 * DAY).toISOString(),
    place: 'Hội trường UBND quận Hà Đông, số 2 Hà Cầu',
    chair: 'Nguyễn Văn Hùng, Chủ tịch UBND quận',
    leaders: [
      { name: 'Trần Thị Lan', title: 'Phó Chủ tịch UBND quận' },
      { name: 'Phạm Quốc Tuấn', title: 'Trưởng Công an quận' },
    ],
    registrationClosesAt: new Date(now + 6 * DAY).toISOString(),
    ...over,
  };
}

export async function schedule(app: FastifyInstance, auth: Auth, over: Record<string, unknown> = {}): Promise<number> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: auth, payload: conferenceBody(over) });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id as number;
}

/** The meeting has happened: moves its times into the past (what the clock would do). */
export async function startedAlready(t: TestApp, id: number) {
  await sql`update conference set starts_at = now() - interval '2 hours', registration_closes_at = now() - interval '1 day' where id = ${id}`.execute(
    t.db,
  );
}

/** Registration closed but the meeting still ahead. */
export async function registrationOver(t: TestApp, id: number) {
  await sql`update conference set registration_closes_at = now() - interval '1 minute' where id = ${id}`.execute(t.db);
}

/** The calls the conference API tests make, on the suite that `suite()` gives (read at each call: its app is built in before()). */
function conferenceCalls(suite: () => { t: TestApp; tok: Tok }) {
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    suite().t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const expectCode = (r: { statusCode: number; body: string; json(): { code: string } }, status: number, code: string) => {
    assert.equal(r.statusCode, status, r.body);
    assert.equal(r.json().code, code);
  };
  const register = (id: number, body: object, headers: Record<string, string> = {}) =>
    inject('POST', `/api/v1/conferences/${id}/registrations`, body, headers);
  const ask = (id: number, body: object, headers: Record<string, string> = {}) =>
    inject('POST', `/api/v1/conferences/${id}/questions`, body, headers);
  const accept = (id: number, qid: number) =>
    inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'accept' }, suite().tok.specialistHaDong);
  return { inject, expectCode, register, ask, accept };
}

/**
 * The suite every conference test file runs in (call it inside its describe): an app with both
 * notification channels on (the job queue is not run, so each message's recipients can be read
 * from it) and the demo officials' tokens, in `s` once `before` has run; and the calls on them.
 */
export function conferenceSuite() {
  const s = {} as { t: TestApp; tok: Tok };
  before(async () => {
    s.t = await testApp({ smtpUrl: 'smtp://127.0.0.1:9', smsProvider: 'sandbox' });
    s.tok = await tokens(s.t.app);
  });
  after(() => s.t.close());
  return { s, ...conferenceCalls(() => s) };
}
