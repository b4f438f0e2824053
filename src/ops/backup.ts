import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from '../db/datadir-lock.js';
import { PGLITE_EXTENSIONS, type Database, type Engine } from '../db/engine.js';
import { PGliteDialect } from '../db/pglite-dialect.js';

// Backups of both engines (docs/operations-backup.md). PostgreSQL: pg_dump's custom format, taken
// in one snapshot while the app keeps running. Embedded: PGlite's own dump of its data directory
// (a gzipped tar), taken between two transactions. Beside each backup file lies a manifest
// (<file>.json) with the row count of every table read in the same snapshot as the dump and the
// file's sha256, so a restore can prove it brought back exactly what was saved.

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupManifest {
  format: 'motcua-backup/1';
  engine: Engine;
  createdAt: string;
  /** The last migration applied in the saved database. */
  migration: string | null;
  /** Rows per table (schema public), counted in the snapshot that was saved. */
  tables: Record<string, number>;
  bytes: number;
  sha256: string;
  durationMs: number;
}

export interface RestoreResult {
  engine: Engine;
  tables: Record<string, number>;
  /** Null when no manifest lay beside the file (nothing to compare with). */
  verified: boolean | null;
  durationMs: number;
}

export const manifestPath = (file: string) => `${file}.json`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Kysely over one open client, so its queries run inside that client's transaction. */
function onClient(client: pg.Client): AnyDb {
  const pool = { connect: async () => ({ query: client.query.bind(client), release() {} }), end: async () => {} };
  return new Kysely({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

/** Row counts of every table in schema public (the app's tables and the migration log). */
export async function tableCounts(db: AnyDb): Promise<Record<string, number>> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`.execute(db);
  const out: Record<string, number> = {};
  for (const { name } of rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    out[name] = r.rows[0]!.n;
  }
  return out;
}

async function lastMigration(db: AnyDb): Promise<string | null> {
  const r = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db).catch(() => null);
  return r?.rows[0]?.name ?? null;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Which engine wrote a backup file, from its first bytes (pg_dump custom format or gzip). */
export async function detectEngine(file: string): Promise<Engine> {
  if (!existsSync(file)) throw new BackupError(`Backup file not found: ${file}`);
  const fh = await open(file, 'r');
  const head = Buffer.alloc(5);
  try {
    await fh.read(head, 0, 5, 0);
  } finally {
    await fh.close();
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  throw new BackupError(`${file} is not a motcua backup (neither a pg_dump custom-format archive nor an embedded-database dump).`);
}

/** libpq reads the password from PGPASSWORD, so it never shows in the process list. */
function libpq(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new BackupError(`${cmd} could not be started (${e.message}); install the PostgreSQL client tools.`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim()}`))));
  });
}

async function finish(partial: string, out: string, m: Omit<BackupManifest, 'bytes' | 'sha256' | 'durationMs'>, t0: number) {
  const manifest: BackupManifest = {
    ...m,
    bytes: (await stat(partial)).size,
    sha256: await sha256File(partial),
    durationMs: Math.round(performance.now() - t0),
  };
  // The file appears under its name only when complete: a failed run never leaves a plausible backup.
  await rename(partial, out);
  await writeFile(manifestPath(out), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * pg_dump in the snapshot of a read-only transaction that also counts the rows, so the manifest
 * describes exactly the data in the archive. The app keeps running; nothing is locked beyond the
 * ACCESS SHARE locks pg_dump takes (DDL waits, reads and writes do not).
 */
export async function backupPostgres(url: string, out: string): Promise<BackupManifest> {
  const t0 = performance.now();
  await mkdir(dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s;
    const single = onClient(client);
    const tables = await tableCounts(single);
    const migration = await lastMigration(single);
    const { dbname, env } = libpq(url);
    await runTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${dbname}`], env);
    await client.query('commit');
    return await finish(
      partial,
      out,
      { format: 'motcua-backup/1', engine: 'postgres', createdAt: new Date().toISOString(), migration, tables },
      t0,
    );
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    await client.end();
  }
}

/**
 * The embedded engine's data directory as PGlite dumps it, taken from an open database while this
 * process holds its only connection: no transaction is half-way, and a checkpoint first writes
 * every committed change into the data files. Needs the database open in this process, so either
 * the server is stopped (npm run db:backup) or the server itself takes it.
 */
export async function backupPglite(database: Database, out: string): Promise<BackupManifest> {
  const pglite = database.pglite;
  if (database.engine !== 'pglite' || !pglite) throw new BackupError('backupPglite needs the embedded database.');
  const t0 = performance.now();
  await mkdir(dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  try {
    const m = await database.db.connection().execute(async (conn) => {
      await sql`checkpoint`.execute(conn);
      const tables = await tableCounts(conn);
      const migration = await lastMigration(conn);
      const tar = await pglite.dumpDataDir('gzip');
      await writeFile(partial, Buffer.from(await tar.arrayBuffer()));
      return { tables, migration };
    });
    return await finish(partial, out, { format: 'motcua-backup/1', engine: 'pglite', createdAt: new Date().toISOString(), ...m }, t0);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}

async function readManifest(file: string): Promise<BackupManifest | null> {
  const p = manifestPath(file);
  if (!existsSync(p)) return null;
  const m = JSON.parse(await readFile(p, 'utf8')) as BackupManifest;
  if (m.format !== 'motcua-backup/1') throw new BackupError(`${p}: unknown manifest format ${JSON.stringify(m.format)}.`);
  return m;
}

/** Checks the file against its manifest before anything is overwritten. */
async function checkFile(file: string, engine: Engine): Promise<BackupManifest | null> {
  const found = await detectEngine(file);
  if (found !== engine) {
    const how =
      found === 'pglite'
        ? 'an embedded-database (PGlite) backup: restore it with DATA_DIR and without DATABASE_URL'
        : 'a PostgreSQL backup: restore it with DATABASE_URL set';
    throw new BackupError(`${file} is ${how}. The configured database is ${engine === 'pglite' ? 'the embedded one' : 'PostgreSQL'}.`);
  }
  const manifest = await readManifest(file);
  if (manifest && (await sha256File(file)) !== manifest.sha256) {
    throw new BackupError(`${file} does not match the sha256 in ${manifestPath(file)}: the file is damaged or was replaced.`);
  }
  return manifest;
}

function verify(manifest: BackupManifest | null, tables: Record<string, number>): boolean | null {
  if (!manifest) return null;
  const wrong = Object.entries(manifest.tables).filter(([t, n]) => tables[t] !== n);
  if (wrong.length > 0) {
    const list = wrong.map(([t, n]) => `${t}: saved ${n}, restored ${tables[t] ?? 'missing'}`).join('; ');
    throw new BackupError(`Restore verification failed: ${list}.`);
  }
  return true;
}

/** Restores into an existing database; one with tables is refused unless `force` (then the saved objects replace theirs). */
export async function restorePostgres(url: string, file: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const t0 = performance.now();
  const manifest = await checkFile(file, 'postgres');
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((e: Error) => {
    throw new BackupError(`Cannot connect to the target database: ${e.message}`);
  });
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`,
    );
    if (rows[0]!.n > 0 && !opts.force) {
      throw new BackupError(
        `The target database is not empty (${rows[0]!.n} tables). Restore into a new database (createdb), or pass --force to replace its contents.`,
      );
    }
  } finally {
    await client.end();
  }
  const { dbname, env } = libpq(url);
  // One transaction: a restore that fails half-way leaves the target as it was.
  const args = ['--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`];
  if (opts.force) args.unshift('--clean', '--if-exists');
  await runTool('pg_restore', [...args, file], env);
  const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  try {
    const tables = await tableCounts(db);
    return { engine: 'postgres', tables, verified: verify(manifest, tables), durationMs: Math.round(performance.now() - t0) };
  } finally {
    await db.destroy();
  }
}

/**
 * Restores an embedded dump into DATA_DIR/pgdata. The data directory lock keeps a running server
 * out; an existing database is refused unless `force`, and even then it is moved aside
 * (pgdata.replaced-<time>), never deleted.
 */
export async function restorePglite(
  dataDir: string,
  file: string,
  opts: { force?: boolean } = {},
): Promise<RestoreResult & { movedAside: string | null }> {
  const t0 = performance.now();
  const manifest = await checkFile(file, 'pglite');
  const release = lockDataDir(dataDir);
  try {
    const target = join(dataDir, 'pgdata');
    let movedAside: string | null = null;
    if (existsSync(join(target, 'PG_VERSION'))) {
      if (!opts.force) {
        throw new BackupError(
          `${target} already holds a database. Restore into an empty DATA_DIR, or pass --force (the current one is moved aside, not deleted).`,
        );
      }
      movedAside = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(target, movedAside);
    } else {
      await rm(target, { recursive: true, force: true });
    }
    const bytes = await readFile(file);
    const pglite = await PGlite.create(target, {
      extensions: PGLITE_EXTENSIONS,
      loadDataDir: new File([bytes], 'pgdata.tar.gz', { type: 'application/x-gzip' }),
    });
    try {
      const db = new Kysely({ dialect: new PGliteDialect(pglite) });
      const tables = await tableCounts(db);
      await sql`checkpoint`.execute(db);
      await db.destroy();
      return { engine: 'pglite', tables, verified: verify(manifest, tables), movedAside, durationMs: Math.round(performance.now() - t0) };
    } finally {
      if (!pglite.closed) await pglite.close();
    }
  } finally {
    release();
  }
}
