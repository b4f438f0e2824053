import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/datadir-lock.js';
import type { Database } from './db/engine.js';
import { startBootServer } from './ops/boot-server.js';

// Everything else is imported once the port answers (boot-server.ts): loading the application's
// modules is itself a good part of the start-up.
const load = () =>
  Promise.all([
    import('./app.js'),
    import('./db/engine.js'),
    import('./db/migrate.js'),
    import('./seed/seed.js'),
    import('./modules/faq/faq.seed.js'),
    import('./seed/conferences.js'),
    import('./modules/learn/learn.seed.js'),
    import('./seed/contest.js'),
    import('./modules/processing/sweep.js'),
    import('./modules/stats/stats.job.js'),
    import('./modules/privacy/retention.js'),
    import('./modules/contest/contest.freeze-job.js'),
  ]);

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
  // The port answers from the first moment (/readyz 503 until the app takes over), see boot-server.ts.
  const boot = config.port === 0 ? null : await startBootServer(config.port, config.host);
  // A stop asked for during the start: on PostgreSQL every step is transactional, so leaving at
  // once is safe; the embedded database is left only between steps, closed properly.
  let database: Database | null = null;
  let stopAsked = false;
  const bootStop = (signal: string) => {
    console.error(`${signal} during start-up: stopping`);
    if (config.databaseUrl) process.exit(0);
    stopAsked = true;
  };
  const onBootSignal = (signal: NodeJS.Signals) => bootStop(signal);
  process.on('SIGTERM', onBootSignal);
  process.on('SIGINT', onBootSignal);
  const step = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    if (boot) boot.phase = phase;
    const out = await fn();
    if (stopAsked) {
      await database?.close();
      process.exit(0);
    }
    return out;
  };
  const [
    { buildApp },
    { openDatabase },
    { migrateToLatest },
    { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits },
    { seedFaq },
    { seedDemoConferences },
    { seedDemoSchools },
    { seedDemoContest },
    { startDeadlineSweep },
    { startStatsRollup },
    { startRetentionPurge },
    { startContestFreeze },
  ] = await step('loading', load);
  try {
    database = await step('opening_database', () => openDatabase(config));
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const db = database;
  const applied = await step('migrating', () => migrateToLatest(db.db));
  const { units, catalogue, demo } = await step('seeding', async () => {
    const units = await seedUnits(db.db);
    await seedCalendars(db.db);
    const catalogue = await seedCatalogue(db.db);
    // The FAQ links to procedures: it loads after the catalogue (and only when there is one).
    if (catalogue) await seedFaq(db.db);
    const demo = config.demoData ? await seedDemoAccounts(db.db) : 0;
    if (config.demoData) await seedDemoOffers(db.db);
    if (config.demoData) await seedDemoConferences(db.db);
    if (config.demoData) await seedDemoSchools(db.db);
    return { units, catalogue, demo };
  });
  const app = await step('building', () => buildApp(config, db));
  // Uploads whose write a killed process left unfinished: never referenced, so simply removed.
  const unfinished = (await app.services.files.sweepUnfinished?.()) ?? 0;
  if (unfinished > 0) app.log.warn({ removed: unfinished }, 'unfinished uploads removed');
  // The demo contest is made through the services (audited, as an admin would), so after the app.
  if (config.demoData) await step('seeding', () => seedDemoContest(app.services));
  if (config.jobs) {
    // Embedded: this process holds the data directory alone, so leases left in it are a dead
    // process's (kill -9 mid-delivery); on PostgreSQL other instances may be running, so a dead
    // one's jobs come back when their lease (JOB_LEASE_SECONDS) runs out.
    const released = database.engine === 'pglite' ? await app.jobs.releaseAllLeases() : 0;
    if (released > 0) app.log.warn({ released }, 'jobs claimed by a process that died were released');
    app.jobs.start();
    app.addHook('onClose', startDeadlineSweep(app));
    app.addHook('onClose', startStatsRollup(app));
    app.addHook('onClose', startRetentionPurge(app));
    app.addHook('onClose', startContestFreeze(app));
  }
  app.log.info({ engine: db.engine, migrations: applied, unitsSeeded: units, catalogue, demoAccountsSeeded: demo }, 'database ready');

  // SIGTERM (docs/operations-backup.md): /readyz turns 503 at once; after SHUTDOWN_DRAIN_SECONDS
  // the listening socket closes and idle connections with it; in-flight requests and the job in
  // flight finish, the jobs claimed but not started go back to pending; then the database closes.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const t = performance.now();
    app.lifecycle.phase = 'draining';
    app.log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down');
    // Which part is still running when the timeout strikes: what an operator needs to know.
    const pending = { jobs: true, http: true, database: true };
    setTimeout(() => {
      app.log.error(
        { timeoutMs: config.shutdownTimeoutMs, unfinished: Object.keys(pending).filter((k) => pending[k as keyof typeof pending]) },
        'shutdown timed out: exiting with requests or jobs unfinished',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
    const http = app.close().then(() => (pending.http = false));
    // The listening socket is closed and idle keep-alive connections with it; a connection that
    // carries no request (opened ahead by a client or a proxy and never used) would hold the
    // close until the timeout, so once the last in-flight answer has gone, what is left is cut.
    const cut = app.lifecycle.idle().then(() => app.server.closeAllConnections());
    await Promise.all([app.jobs.stop().then(() => (pending.jobs = false)), http, cut]);
    await db.close();
    pending.database = false;
    app.log.info({ shutdownMs: Math.round(performance.now() - t) }, 'stopped');
    process.exit(0);
  };
  process.off('SIGTERM', onBootSignal);
  process.off('SIGINT', onBootSignal);
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await boot?.close();
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ startupMs: Math.round(performance.now() - t0), url: config.baseUrl }, 'motcua is serving');
}

await main();
