import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { RegisteredRoute } from '../../src/app.js';
import type { Role } from '../../src/db/types.js';
import { bearerFor, Browser, DEMO, UNITS, type TestApp } from '../helpers/app.js';
import { conferenceBody } from '../conferences/helpers.js';
import { receivedDossier, tokens } from '../helpers/processing.js';

export type Account = keyof typeof DEMO;

/** The records the fuzzer's ids point at, so requests reach handlers rather than stop at "not found". */
export interface World {
  dossier: { id: number; code: string };
  conferenceId: number;
  feedbackCode: string;
  contestId: number;
  roundId: number;
  contestToken: string;
  /** A staff assignment made for the fuzzer to remove, so the demo officials keep their roles. */
  staffAssignmentId: number;
}

// Who passes each role of a policy (Hà Đông accounts reach the Quang Trung ward below them).
const ROLE_ACCOUNT: Record<Role, Account> = {
  desk_officer: 'deskQuangTrung',
  specialist: 'specialistHaDong',
  leader: 'leaderHaDong',
  unit_admin: 'adminHaDong',
  city_admin: 'cityAdmin',
};

/** An account the route's policy lets in; `k` rotates through the roles an official route allows. */
export function accountFor(route: RegisteredRoute, k: number): Account {
  const p = route.policy!;
  if (p.access !== 'official') return 'citizen';
  return ROLE_ACCOUNT[p.roles[k % p.roles.length]!];
}

export async function buildWorld(t: TestApp): Promise<World> {
  const tok = await tokens(t.app);
  const dossier = await receivedDossier(t, tok);
  const post = (url: string, headers: Record<string, string>, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });
  const conf = await post('/api/v1/conferences', tok.leaderHaDong, conferenceBody());
  assert.equal(conf.statusCode, 201, conf.body);
  const fb = await post(
    '/api/v1/feedback',
    {},
    {
      kind: 'question',
      title: 'Hỏi về lệ phí đăng ký kết hôn',
      content: 'Xin hỏi lệ phí đăng ký kết hôn tại phường Quang Trung là bao nhiêu?',
      name: 'Nguyễn Thị Hoa',
      phone: '0912345678',
      unit: UNITS.quangTrung,
    },
  );
  assert.equal(fb.statusCode, 201, fb.body);
  const contest = await post('/api/v1/contest/contests', tok.cityAdmin, { title: { vi: 'Tìm hiểu dịch vụ công', en: 'Online services' } });
  assert.equal(contest.statusCode, 201, contest.body);
  const contestId = contest.json().id as number;
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const round = await post(`/api/v1/contest/contests/${contestId}/rounds`, tok.cityAdmin, {
    opensAt: hours(-1),
    closesAt: hours(2),
    questionCount: 4,
    timeLimitSeconds: 600,
  });
  assert.equal(round.statusCode, 201, round.body);
  const participant = await post(
    `/api/v1/contest/contests/${contestId}/participants`,
    {},
    {
      name: 'Trần Văn Bình',
      phone: '0987654321',
      unitCode: UNITS.quangTrung,
    },
  );
  assert.equal(participant.statusCode, 201, participant.body);
  const staff = await post(`/api/v1/units/${UNITS.quangTrung}/staff`, tok.adminHaDong, {
    email: 'fuzz.quangtrung@demo.motcua.vn',
    fullName: 'Lê Văn Thử',
    password: 'mat-khau-dai-12',
    role: 'specialist',
  });
  assert.equal(staff.statusCode, 201, staff.body);
  return {
    staffAssignmentId: staff.json().assignmentId,
    dossier,
    conferenceId: conf.json().id,
    feedbackCode: fb.json().code,
    contestId,
    roundId: round.json().id,
    contestToken: participant.json().token,
  };
}

/** A value for a path parameter that names a record of the world, read from the URL around it. */
export function paramValue(url: string, name: string, w: World): string {
  const before = url.slice(0, url.indexOf(`:${name}`));
  if (name === '*') return url.startsWith('/api/docs') ? 'index.css' : 'app.css';
  if (name === 'year') return String(new Date().getFullYear());
  if (name === 'procedure') return '1.004873';
  if (name === 'slug') return 'tim-thu-tuc';
  if (name === 'token') return 'fuzzfuzzfuzzfuzzfuzzfuzz';
  if (name === 'code') {
    if (before.includes('/units/')) return UNITS.quangTrung;
    if (before.includes('/procedures/')) return '1.004873';
    if (before.includes('/feedback/')) return w.feedbackCode;
    return w.dossier.code;
  }
  if (before.includes('/staff/')) return String(w.staffAssignmentId);
  if (before.includes('conferences/')) return String(w.conferenceId);
  if (before.includes('dossiers/')) return String(w.dossier.id);
  if (before.includes('contest/contests/') || /contest\/$/.test(before)) return String(w.contestId);
  if (before.includes('rounds/')) return String(w.roundId);
  return '1';
}

/** Bearer headers and cookie sessions (with their CSRF token) per account, renewed when a request ended them. */
export class Callers {
  private bearers = new Map<Account, Record<string, string>>();
  private sessions = new Map<Account, { cookie: string; csrf: string }>();
  /** Logins and tokens made so far: each one writes rows (session, token, audit event). */
  made = 0;
  constructor(private readonly t: TestApp) {}

  async bearer(a: Account): Promise<Record<string, string>> {
    if (!this.bearers.has(a)) {
      this.bearers.set(a, await bearerFor(this.t.app, DEMO[a]));
      this.made++;
    }
    return this.bearers.get(a)!;
  }

  async session(a: Account): Promise<{ cookie: string; csrf: string }> {
    if (!this.sessions.has(a)) {
      const b = await new Browser(this.t.app).login(DEMO[a]);
      this.sessions.set(a, { cookie: b.cookieHeader, csrf: b.csrf });
      this.made++;
    }
    return this.sessions.get(a)!;
  }

  /** After a request that changed something: a logout or a revoked token must not blind the rest of the run. */
  async revalidate(a: Account) {
    for (const via of ['bearer', 'cookie'] as const) {
      const cookie = this.sessions.get(a)?.cookie;
      const headers = via === 'bearer' ? this.bearers.get(a) : cookie ? { cookie } : undefined;
      if (!headers) continue;
      const me: LightMyRequestResponse = await this.t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
      if (me.statusCode === 200) continue;
      if (via === 'bearer') this.bearers.delete(a);
      else this.sessions.delete(a);
    }
  }
}
