import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Arbitrary but fixed: every motcua process contends for the same advisory lock.
export const MIGRATION_LOCK_KEY = 7_260_001;

const MIGRATION_FILE = /^\d{12}_[a-z0-9_]+\.(ts|js)$/;

/** The migrations this code knows, by name (what kysely_migration records once applied). */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => MIGRATION_FILE.test(f))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
}

class DirectoryProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{12}_[a-z0-9_]+\.(ts|js)$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      out[f.replace(/\.(ts|js)$/, '')] = (await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)) as Migration;
    }
    return out;
  }
}

/**
 * Applies pending migrations while holding a session advisory lock, so a second process starting
 * at the same moment waits for the first and then finds nothing left to apply.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // The usual restart: every migration file is already recorded, so nothing needs loading or locking.
  const files = (await readdir(MIGRATIONS_DIR))
    .filter((f) => /^\d{12}_[a-z0-9_]+\.(ts|js)$/.test(f))
    .map((f) => f.replace(/\.(ts|js)$/, ''));
  const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(db).then(
    (r) => new Set(r.rows.map((x) => x.name)),
    () => new Set<string>(),
  );
  if (files.every((f) => recorded.has(f))) return [];
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider: new DirectoryProvider() });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Applies migrations up to and including `name` (tests of a migration's data conversion). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: new DirectoryProvider() }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
