import { PiiPlugin } from './pii-plugin.js';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { lockDataDir } from './datadir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './types.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** The embedded engine's own handle (its data directory dump for backups); absent on PostgreSQL. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Both engines must hand the app identical values: dates stay 'YYYY-MM-DD' strings (no time zone
// shift), bigint and numeric become numbers (counts and ids stay far below 2^53).
const keepText = (v: string) => v;

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // The app's statements are short index lookups; JIT compilation would cost more than they do
    // (up to 190 ms measured on a capped work-queue count).
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8 || oid === NUMERIC) return Number;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    /* a dropped idle client is replaced on next use */
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }), plugins: [new PiiPlugin()] });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

// Statements per connection kept prepared; past this, new texts run unprepared (the app's set of
// statements is small, so this only guards against unbounded growth).
const MAX_PREPARED = 1000;

/**
 * Runs every statement as a named prepared statement (named by a hash of its text), so the
 * server parses and plans each one once per connection instead of on every call.
 */
const statementNames = new Map<string, string>();

function preparingPool(pool: pg.Pool) {
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    end: () => pool.end(),
    connect: async () => {
      const client = await pool.connect();
      let names = prepared.get(client);
      if (!names) {
        prepared.set(client, (names = new Set()));
        // pg-pool listens for a connection's errors only while it is idle. One lost while a request
        // holds it between statements (a transaction, a server restart or fail-over) emitted an
        // 'error' nobody listened to, which ended the process. Now that request's next statement
        // fails, and the pool drops the connection when it is released.
        client.on('error', () => {});
      }
      const known = names;
      return {
        release: (err?: Error | boolean) => client.release(err),
        query: (text: string, values?: unknown[]) => {
          // Without parameters it may be a script of several statements, which cannot be prepared.
          if (typeof text !== 'string' || !values || values.length === 0) return client.query(text, values);
          let name = statementNames.get(text);
          if (!name) {
            name = `m${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
            if (statementNames.size < 10 * MAX_PREPARED) statementNames.set(text, name);
          }
          if (!known.has(name) && known.size >= MAX_PREPARED) return client.query(text, values);
          known.add(name);
          return client.query({ name, text, values });
        },
      };
    },
  } as unknown as pg.Pool;
}

/** The extensions every embedded database loads (a restored data directory needs the same). */
export const PGLITE_EXTENSIONS = { ltree, pg_trgm, unaccent };

export async function openPglite(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(join(dataDir, 'pgdata'), {
      extensions: PGLITE_EXTENSIONS,
      // Opening a data directory that needs crash recovery arms PostgreSQL's startup-progress
      // timer, which PGlite leaves running: every 10 s, for good, it called into the database and
      // kept the process from ending after close(). Its log lines are not shown by PGlite anyway.
      startParams: [...PGlite.defaultStartParams, '-c', 'log_startup_progress_interval=0'],
      parsers: { [INT8]: Number, [NUMERIC]: Number, [DATE]: keepText },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins: [new PiiPlugin()] });
    return {
      db,
      engine: 'pglite',
      pglite,
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

export function openDatabase(cfg: { databaseUrl: string | null; dataDir: string; poolSize: number }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl, cfg.poolSize) : openPglite(cfg.dataDir);
}
