import { sql } from 'kysely';
import type { TestApp } from '../helpers/app.js';

/**
 * Tables a rejected request may change by design, with the reason. `count`: only their row count
 * is compared (rows are touched in place on every use); `skip`: not compared at all.
 */
export const VOLATILE: Record<string, { mode: 'count' | 'skip'; why: string }> = {
  session: { mode: 'count', why: 'last_seen_at is refreshed when a cookie is used, whatever the answer' },
  api_token: { mode: 'count', why: 'last_used_at is refreshed when a bearer token is used, whatever the answer' },
  contest_rate_window: { mode: 'skip', why: 'rate-limit windows count the attempts that are then refused' },
  dossier_code_counter: {
    mode: 'skip',
    why: 'a dossier code is taken before the submission transaction; a refused submission leaves a gap',
  },
  feedback_code_counter: { mode: 'skip', why: 'as dossier codes: the number is taken first, a refused submission leaves a gap' },
};

/** Routes whose refusals change rows by design, with the reason. */
export const REFUSAL_WRITES: Record<string, { tables: string[]; why: string }> = {
  'POST /login': { tables: ['account', 'audit_event'], why: 'a failed login counts toward the lockout, and a lockout is audited' },
  'POST /api/v1/auth/token': { tables: ['account', 'audit_event'], why: 'as POST /login' },
};

/**
 * A cheap picture of the whole database: per table, the row count and the highest xmin (the id of
 * the transaction that last wrote a live row), so an insert, update or delete anywhere shows up.
 * Tables are read from the catalog, so a new table is covered without touching this file.
 */
export async function fingerprinter(t: TestApp): Promise<() => Promise<Map<string, string>>> {
  const tables = (
    await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.db)
  ).rows
    .map((r) => r.name)
    .filter((n) => VOLATILE[n]?.mode !== 'skip');
  const parts = tables.map((n) => {
    const xmin = VOLATILE[n]?.mode === 'count' ? '0' : `coalesce(max(xmin::text::bigint), 0)`;
    return `select '${n}' as t, count(*)::text || ':' || ${xmin}::text as v from "${n}"`;
  });
  const query = sql.raw<{ t: string; v: string }>(parts.join(' union all '));
  return async () => new Map((await query.execute(t.db)).rows.map((r) => [r.t, r.v]));
}

/**
 * The transaction snapshot: it moves whenever a transaction that was given an id (that is, one
 * that wrote) has ended. While it stands still nothing was written, and the whole fingerprint
 * need not be read again. On a shared PostgreSQL server other databases move it too, which only
 * costs a fingerprint, never a missed change.
 */
export async function snapshot(t: TestApp): Promise<string> {
  return (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(t.db)).rows[0]!.s;
}

export function diff(a: Map<string, string>, b: Map<string, string>, allowed: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v && !allowed.includes(k)) out.push(`${k} ${a.get(k)} -> ${v}`);
  return out;
}
