import { performance } from 'node:perf_hooks';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/datadir-lock.js';
import { openDatabase } from './db/engine.js';
import { migrateToLatest } from './db/migrate.js';
import { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from './seed/seed.js';
import { seedFaq } from './modules/faq/faq.seed.js';
import { seedDemoConferences } from './seed/conferences.js';
import { seedDemoSchools } from './modules/learn/learn.seed.js';
import { seedDemoContest } from './seed/contest.js';
import { startDeadlineSweep } from './modules/processing/sweep.js';
import { startStatsRollup } from './modules/stats/stats.job.js';
import { startRetentionPurge } from './modules/privacy/retention.js';

async function main() {
  const t0 = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let database;
  try {
    database = await openDatabase(config);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const applied = await migrateToLatest(database.db);
  const units = await seedUnits(database.db);
  await seedCalendars(database.db);
  const catalogue = await seedCatalogue(database.db);
  // The FAQ links to procedures: it loads after the catalogue (and only when there is one).
  if (catalogue) await seedFaq(database.db);
  const demo = config.demoData ? await seedDemoAccounts(database.db) : 0;
  if (config.demoData) await seedDemoOffers(database.db);
  if (config.demoData) await seedDemoConferences(database.db);
  if (config.demoData) await seedDemoSchools(database.db);
  const app = await buildApp(config, database);
  // The demo contest is made through the services (audited, as an admin would), so after the app.
  if (config.demoData) await seedDemoContest(app.services);
  if (config.jobs) {
    app.jobs.start();
    app.addHook('onClose', startDeadlineSweep(app));
    app.addHook('onClose', startStatsRollup(app));
    app.addHook('onClose', startRetentionPurge(app));
  }
  app.log.info({ engine: database.engine, migrations: applied, unitsSeeded: units, catalogue, demoAccountsSeeded: demo }, 'database ready');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ startupMs: Math.round(performance.now() - t0), url: config.baseUrl }, 'motcua is serving');
}

await main();
