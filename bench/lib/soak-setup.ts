// The soak's set-up: its database dropped, created, migrated and seeded (reference data, the demo
// officials and the demo offers: production refuses demo data at start, so they are written here),
// and the catalogue's codes the workload draws from.
import pg from 'pg';
import { seedFaq } from '../../src/modules/faq/faq.seed.js';
import { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../../src/seed/seed.js';
import { freshDatabase } from './bench-database.js';
import type { Catalogue } from './soak-workload.js';

export const prepareDatabase = (admin: pg.Client, name: string, dbUrl: string) =>
  freshDatabase(admin, name, dbUrl, async (db) => {
    await seedUnits(db);
    await seedCalendars(db);
    if (await seedCatalogue(db)) await seedFaq(db);
    await seedDemoAccounts(db);
    await seedDemoOffers(db);
  });

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
