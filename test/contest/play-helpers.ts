import type { LightMyRequestResponse } from 'fastify';
import type { Browser, TestApp } from '../helpers/app.js';
import { buildBank, hours, type Auth } from './fixtures.js';

/** A contest with one pool of `questions` questions and one published round open now; returns the key. */
export async function publishedRound(t: TestApp, admin: Auth, opts: { questions?: number; timeLimitSeconds?: number } = {}) {
  const n = opts.questions ?? 4;
  const api = async (url: string, payload?: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/contest${url}`, headers: admin, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number };
  };
  const contest = await api('/contests', { title: { vi: 'Tìm hiểu dịch vụ công trực tuyến', en: 'Online public services contest' } });
  const pool = await api(`/contests/${contest.id}/pools`, { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } });
  const key = await buildBank(t, admin, pool.id, n);
  const round = await api(`/contests/${contest.id}/rounds`, {
    opensAt: hours(-1),
    closesAt: hours(2),
    questionCount: n,
    timeLimitSeconds: opts.timeLimitSeconds ?? 600,
  });
  await api(`/rounds/${round.id}/publish`);
  return { contestId: contest.id, roundId: round.id, key };
}

/** Closes the round now by moving its close into the past (no waiting). */
export async function closeRound(t: TestApp, roundId: number) {
  await t.db
    .updateTable('contest_round')
    .set({ closes_at: new Date(Date.now() - 1000) })
    .where('id', '=', roundId)
    .execute();
}

/** Posts a form with repeated fields (checkbox groups), as a browser does. */
export function postPairs(
  b: Browser,
  url: string,
  pairs: [string, string][],
  csrf: string | null = b.csrf,
): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams(csrf === null ? pairs : [['_csrf', csrf], ...pairs]).toString();
  return b.request({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

export type Shown = { id: number; kind: 'radio' | 'checkbox'; options: string[]; checked: string[] };

/** The questions of the entry form as the page shows them, in order, with what is checked. */
export function questionsOf(html: string): Shown[] {
  const out = new Map<number, Shown>();
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(m[1]!)?.[1];
    const name = attr('name');
    if (!name || !/^q\d+$/.test(name)) continue;
    const id = Number(name.slice(1));
    const q = out.get(id) ?? { id, kind: attr('type') as Shown['kind'], options: [], checked: [] };
    q.options.push(attr('value')!);
    if (/\bchecked\b/.test(m[1]!)) q.checked.push(attr('value')!);
    out.set(id, q);
  }
  return [...out.values()];
}
