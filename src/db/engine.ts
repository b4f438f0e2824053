import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { lockDataDir } from './datadir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './types.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(join(dataDir, 'pgdata'), {
      extensions: { ltree, pg_trgm, unaccent },
      parsers: { [INT8]: Number, [NUMERIC]: Number, [DATE]: keepText },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      engine: 'pglite',
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
