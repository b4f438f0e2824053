// A benchmark's own database on the PostgreSQL server: dropped, created, migrated, then seeded with
// what that benchmark needs (production refuses demo data at start, so benchmarks write it here).
import type pg from 'pg';
import { openPostgres, type Database } from '../../src/db/engine.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export async function freshDatabase(admin: pg.Client, name: string, dbUrl: string, seed: (db: Database['db']) => Promise<void>) {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const database = await openPostgres(dbUrl, 2);
  try {
    await migrateToLatest(database.db);
    await seed(database.db);
  } finally {
    await database.close();
  }
}
