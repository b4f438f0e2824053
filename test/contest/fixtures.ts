import type { TestApp } from '../helpers/app.js';

export const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
/** Every explanation carries this marker, so a leak is found by a plain text search. */
export const EXPLAIN = 'GIAI-THICH-BI-MAT';

export type Auth = Record<string, string>;
export type Entry = {
  entryId: number;
  startedAt: string;
  deadlineAt: string;
  questions: { id: number; kind: string; options: { id: string }[]; chosen: string[] }[];
};

/** A bank of `n` questions (every third one multiple choice with two right options); returns the key. */
export async function buildBank(t: TestApp, admin: Auth, poolId: number, n: number) {
  const key = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const multiple = i % 3 === 2;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/pools/${poolId}/questions`,
      headers: admin,
      payload: {
        kind: multiple ? 'multiple' : 'single',
        difficulty: (i % 3) + 1,
        text: { vi: `Câu hỏi số ${i + 1} về dịch vụ công trực tuyến?`, en: `Question ${i + 1} on online public services?` },
        options: [0, 1, 2, 3].map((o) => ({
          text: { vi: `Phương án ${o + 1}`, en: `Option ${o + 1}` },
          correct: o === 0 || (multiple && o === 2),
        })),
        explanation: { vi: `${EXPLAIN} ${i + 1}`, en: `${EXPLAIN} en ${i + 1}` },
        ...(i === 0 ? { procedureCode: '1.002211' } : {}),
      },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const q = res.json() as { id: number; options: { id: string; correct: boolean }[] };
    key.set(
      q.id,
      q.options.filter((o) => o.correct).map((o) => o.id),
    );
  }
  return key;
}

/** Drops what a participant legitimately gets back (the offered options, their own choices). */
export function withoutOffered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOffered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== 'options' && k !== 'chosen')
      .map(([k, v]) => [k, withoutOffered(v)]),
  );
}

export function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.add(k);
      keysOf(v, out);
    }
  return out;
}

/** How many audit events of this action the test database holds. */
export async function auditCount(t: TestApp, action: string) {
  const row = await t.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
