// The contest benchmark's set-up: its database (dropped, created, migrated and seeded), and the HTTP
// calls that make a contest with one published round through the admin API.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seedCatalogue, seedDemoAccounts, seedUnits } from '../../src/seed/seed.js';
import { freshDatabase } from './bench-database.js';

/** One request with node:http (no timeout: freezing a large ranking takes a while); the body read whole. */
export function call(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const t = performance.now();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString('utf8'), ms: performance.now() - t }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function api<T>(port: number, method: string, path: string, auth: Record<string, string>, body: unknown, expect: number) {
  const r = await call(port, method, `/api/v1/contest${path}`, body, auth);
  if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

/** A contest with one pool of `bank` questions and one published round, open now, through the admin API. */
export async function setUpContest(port: number, admin: Record<string, string>, label: string, bank: number, questions: number) {
  const c = await api<{ id: number }>(
    port,
    'POST',
    '/contests',
    admin,
    { title: { vi: `Cuộc thi đo hiệu năng ${label}`, en: `Benchmark ${label}` } },
    201,
  );
  const p = await api<{ id: number }>(
    port,
    'POST',
    `/contests/${c.id}/pools`,
    admin,
    { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } },
    201,
  );
  for (let i = 0; i < bank; i++) {
    const multiple = i % 3 === 2;
    await api(
      port,
      'POST',
      `/pools/${p.id}/questions`,
      admin,
      {
        kind: multiple ? 'multiple' : 'single',
        difficulty: (i % 3) + 1,
        text: { vi: `Câu hỏi số ${i + 1} về dịch vụ công trực tuyến?`, en: `Question ${i + 1} on online public services?` },
        options: [0, 1, 2, 3].map((o) => ({
          text: { vi: `Phương án ${o + 1}`, en: `Option ${o + 1}` },
          correct: o === 0 || (multiple && o === 2),
        })),
        explanation: { vi: `Giải thích ${i + 1}`, en: `Explanation ${i + 1}` },
      },
      201,
    );
  }
  const r = await api<{ id: number }>(
    port,
    'POST',
    `/contests/${c.id}/rounds`,
    admin,
    {
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      questionCount: questions,
      timeLimitSeconds: 1800,
    },
    201,
  );
  await api(port, 'POST', `/rounds/${r.id}/publish`, admin, undefined, 200);
  return { contestId: c.id, roundId: r.id };
}

export const prepareDatabase = (admin: pg.Client, name: string, dbUrl: string) =>
  freshDatabase(admin, name, dbUrl, async (db) => {
    await seedUnits(db);
    await seedCatalogue(db);
    await seedDemoAccounts(db);
  });
