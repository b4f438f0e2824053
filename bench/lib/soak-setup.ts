// The soak's set-up: its database dropped, created, migrated and seeded (reference data, the demo
// officials and the demo offers: production refuses demo data at start, so they are written here),
// and the catalogue's codes the workload draws from.
import pg from 'pg';
import { openPostgres } from '../../src/db/engine.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedFaq } from '../../src/modules/faq/faq.seed.js';
import { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../../src/seed/seed.js';
import type { Catalogue } from './soak-workload.js';

export async function prepareDatabase(admin: pg.Client, name: string, dbUrl: string) {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const database = await openPostgres(dbUrl, 2);
  try {
    await migrateToLatest(database.db);
    await seedUnits(database.db);
    await seedCalendars(database.db);
    if (await seedCatalogue(database.db)) await seedFaq(database.db);
    await seedDemoAccounts(database.db);
    await seedDemoOffers(database.db);
  } finally {
    await database.close();
  }
}

export async function readCatalogue(dbUrl: string): Promise<Catalogue> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const p = await c.query<{ code: string }>('select code from procedure order by code');
    const f = await c.query<{ code: string }>('select code from field order by code');
    return { procedures: p.rows.map((r) => r.code), fields: f.rows.map((r) => r.code) };
  } finally {
    await c.end();
  }
}
