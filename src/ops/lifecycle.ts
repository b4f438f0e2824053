import { sql } from 'kysely';
import type { Database } from '../db/engine.js';
import { MIGRATION_LOCK_KEY, migrationNames } from '../db/migrate.js';

// What /readyz reports (docs/operations-backup.md). Liveness (/healthz) only says the process
// answers; readiness says this instance should be sent traffic now.

export type Phase = 'serving' | 'draining';

/** The process's own state, set by main.ts; tests and embedders leave it 'serving'. */
export class Lifecycle {
  phase: Phase = 'serving';
  /** Requests received and not yet answered (or abandoned by their client). */
  requests = 0;
  #idle: (() => void)[] = [];

  begin(): void {
    this.requests++;
  }

  end(): void {
    this.requests--;
    if (this.requests === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    return this.requests === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}

export type Readiness =
  { ready: true; status: 'ok' } | { ready: false; status: 'draining' | 'database_unavailable' | 'migrating' | 'schema_behind' };

const CHECK_TIMEOUT_MS = 2000;

let known: Promise<string[]> | null = null;

/**
 * Not ready while this process is shutting down, when the database does not answer within 2 s,
 * while any process holds the migration lock of this database (advisory locks are server-wide,
 * hence the database filter) (migrations run), or when the database lacks one of
 * this code's migrations (an older backup restored under newer code, say). One short query.
 */
export async function readiness(database: Database, lifecycle: Lifecycle): Promise<Readiness> {
  if (lifecycle.phase === 'draining') return { ready: false, status: 'draining' };
  const names = await (known ??= migrationNames());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CHECK_TIMEOUT_MS)));
  const check = sql<{ applied: number; migrating: boolean }>`
    select (select count(*)::int from kysely_migration where name in (${sql.join(names)})) as applied,
      exists (select 1 from pg_locks where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())
        and classid = 0 and objid = ${MIGRATION_LOCK_KEY} and objsubid = 1) as migrating`
    .execute(database.db)
    .then((r) => r.rows[0] ?? null)
    .catch(() => null);
  const row = await Promise.race([check, timeout]).finally(() => clearTimeout(timer));
  if (!row) return { ready: false, status: 'database_unavailable' };
  if (row.migrating) return { ready: false, status: 'migrating' };
  if (row.applied < names.length) return { ready: false, status: 'schema_behind' };
  return { ready: true, status: 'ok' };
}
