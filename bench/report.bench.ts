// Reports at city scale (issue 7): a year of a city the size of Hanoi, 3,000,000 dossiers with full
// histories made by the scenario generator (every life played through the domain rules), rolled up,
// then the periodic report measured with warm caches. Goals: the generator makes 1,000,000 dossiers
// in under 5 minutes; the city-wide half-year report < 500 ms; a district or ward report < 50 ms.
// Run: npm run bench -- report [--dossiers 3000000] [--reps 30] [--tail 10000] [--keep] [--reuse]
//        [--proposed] [--explain]
//      BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/): the database
//      motcua_bench_report there is dropped, created, migrated, seeded with the units and calendars
//      and filled by runScenario with the spec of bench/lib/report-data.ts (BENCH DATA), and dropped
//      at the end unless --keep; --reuse measures a database kept by an earlier --keep.
// The roll-up: the job's own batch (2,000) for the first 100,000 dossiers, to give its rate at this
// size, then batches of 20,000 for the rest. VACUUM (ANALYZE) after the load and after the roll-up,
// as autovacuum would (it may be off on the benchmark server).
// The tail: the last --tail dossiers (by id) are taken out of the roll-ups again (their counts
// subtracted, stat_state 0), so the report adds them from the dossier table as it does for dossiers
// the job has not reached; the job then rolls them again. Both reports must give the same figures.
// --proposed: afterwards, measures the changes proposed for the report engine: each report's
// statements in one transaction as proposedReport() runs them, then also with the index of PROPOSED
// (created here, dropped at the end). --explain: the plans of the city report's statements
// (EXPLAIN ANALYZE with the parameters in place, so custom plans even where the application's
// prepared statements would use a generic one).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/engine.js';
import { parsePeriod } from '../src/domain/stats/periods.js';
import type { ReportQuery } from '../src/modules/stats/stats.schema.js';
import { createServices } from '../src/services.js';
import { CITY, DISTRICT, PERIOD, WARD } from './lib/report-data.js';
import { counts, fill, sizes, unroll } from './lib/report-database.js';
import { appReport, proposedReport, statements, type ReportFn } from './lib/report-statements.js';
import { cpuText, cpuTimed, load, repeat, secs, type Timed } from './lib/report-timing.js';
import { int, msf, table } from './lib/report.js';

const { values: opts } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '3000000' },
    reps: { type: 'string', default: '30' },
    tail: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    proposed: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    // Accepted and ignored: scripts/bench.mjs passes every benchmark the same extra arguments.
    engine: { type: 'string' },
  },
});
const DOSSIERS = Number(opts.dossiers);
const REPS = Number(opts.reps);
const TAIL = Number(opts.tail);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = 'motcua_bench_report';

const GOAL_CITY = 500;
const GOAL_LOCAL = 50;

/**
 * Indexes proposed for src/db/migrations/202611290001_statistics.ts (measured with --proposed): the
 * day table by unit, so a district or ward reads its own rows at the edges of the period instead of
 * every unit's. (The covering index of open dossiers, the paused ones' and the withdrawals' event
 * index, proposed by the first run of this benchmark, are in the migration now.)
 */
const PROPOSED: [string, string][] = [
  ['bench_unit_day_unit_idx', 'create index if not exists bench_unit_day_unit_idx on stat_unit_day (unit_id, day)'],
];

const log = (s: string) => console.log(s);

const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
const settings = (
  await admin.query<{ name: string; setting: string; unit: string | null }>(
    "select name, setting, unit from pg_settings where name in ('shared_buffers', 'autovacuum', 'max_wal_size', 'work_mem') order by name",
  )
).rows
  .map((r) => `${r.name} ${r.unit === '8kB' ? `${(Number(r.setting) * 8) / 1024} MB` : `${r.setting}${r.unit ?? ''}`}`)
  .join(', ');
const dbUrl = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
})();
log(`${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${load()} before the run`);
log(`PostgreSQL ${version} (${settings}), database ${BENCH_DB}`);

// ---------------------------------------------------------------- main

if (!opts.reuse) {
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
} else {
  const exists = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DB]);
  if (!exists.rowCount) throw new Error(`--reuse: no database ${BENCH_DB}; run once with --keep`);
}

const database = await openPostgres(dbUrl, 4);
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: dbUrl, JOBS: 'off', LOG_LEVEL: 'silent' });
const services = createServices(config, database);
const db = database.db;
const steps: string[][] = [];
const explainUrl = opts.explain ? dbUrl : null;
try {
  if (!opts.reuse) {
    await fill(db, services, DOSSIERS, steps);
  } else {
    log('reusing the database of an earlier run (--reuse)');
    const n = await services.stats.rollUp();
    if (n) log(`  rolled ${int(n)} dossiers left pending`);
  }

  const c = await counts(db);
  log(
    `\ndatabase: ${int(c.d)} dossiers, ${int(c.e)} events, ${int(c.u)} units, ${int(c.p)} procedures, ${int(c.a)} accounts; ` +
      `roll-ups: ${int(c.sd)} rows by day × unit × procedure × channel, ${int(c.su)} by day × unit, ${int(c.sm)} by month × unit; ${int(c.pending)} pending`,
  );
  log(`sizes with indexes: ${await sizes(db, ['dossier', 'dossier_event', 'stat_dossier_day', 'stat_unit_day', 'stat_unit_month'])}`);

  const period = parsePeriod(PERIOD);
  const asMigrated = appReport(services, database);
  const cityQ: ReportQuery = { unit: CITY, period: PERIOD };
  const districtQ: ReportQuery = { unit: DISTRICT, period: PERIOD, subtree: 'true' };
  const wardQ: ReportQuery = { unit: WARD, period: PERIOD };
  const cityReport = JSON.stringify(await asMigrated(cityQ));
  {
    const r = await asMigrated(cityQ);
    const d = await asMigrated(districtQ);
    log(
      `\n${CITY} ${PERIOD} (${period.from}..${period.to}): received ${int(r.received.total)} (online ${int(r.received.online)}), ` +
        `finished ${int(r.finished.total)} (${r.onTimeRate}% on time), in progress ${int(r.inProgress.total)} (overdue ${int(r.inProgress.overdue)}), ` +
        `carried over ${int(r.received.carriedOver)}, ${r.units.length} child units; ${DISTRICT}: received ${int(d.received.total)}, ${d.units.length} wards`,
    );
  }

  /** The measurements: city, district, ward, a field filter, then the same with a tail not rolled up. */
  async function measureAll(label: string, report: ReportFn): Promise<{ results: Timed[]; same: boolean }> {
    log(
      `\nmeasurements (${label}): ${REPS} timed runs (x3 for the district and ward) after 3 untimed, one at a time, load average ${load()}`,
    );
    const results: Timed[] = [];
    results.push(await repeat(`city ${CITY} ${PERIOD} with its subtree (${int(c.u)} units)`, REPS, () => report(cityQ), GOAL_CITY));
    results.push(await repeat(`district ${DISTRICT} (Hà Đông) with its wards`, REPS * 3, () => report(districtQ), GOAL_LOCAL));
    results.push(await repeat(`ward ${WARD} (Quang Trung)`, REPS * 3, () => report(wardQ), GOAL_LOCAL));
    results.push(
      await repeat(`city, field civil_status (reads stat_dossier_day)`, REPS, () => report({ ...cityQ, field: 'civil_status' }), null),
    );
    const same0 = JSON.stringify(await report(cityQ)) === cityReport;
    await statements(db, report, `city, ${label}`, cityQ, explainUrl);
    await statements(db, report, `district, ${label}`, districtQ, explainUrl);

    // The tail: the last TAIL dossiers not rolled up yet.
    const un = await cpuTimed(() => unroll(services, TAIL));
    await sql`analyze dossier`.execute(db);
    log(`  took the last ${int(un.value)} dossiers out of the roll-ups in ${secs(un.ms)}`);
    const same = JSON.stringify(await report(cityQ)) === cityReport;
    results.push(await repeat(`city with ${int(un.value)} dossiers not rolled up (the tail)`, REPS, () => report(cityQ), GOAL_CITY));
    results.push(await repeat(`district with the ${int(un.value)}-dossier tail`, REPS * 3, () => report(districtQ), GOAL_LOCAL));
    results.push(await repeat(`ward with the ${int(un.value)}-dossier tail`, REPS * 3, () => report(wardQ), GOAL_LOCAL));
    await statements(db, report, `city with the tail, ${label}`, cityQ, explainUrl);
    const re = await cpuTimed(() => services.stats.rollUp());
    log(`  the roll-up job (batch 2,000) rolled them again: ${int(re.value)} dossiers in ${secs(re.ms)}; ${cpuText(re)}`);
    steps.push([
      `roll-up (StatsService.rollUp), batch 2,000, a ${int(re.value)}-dossier tail (${label})`,
      secs(re.ms),
      `${int(re.value / (re.ms / 1000))} dossiers/s`,
      cpuText(re),
      '',
    ]);
    const sameAfter = JSON.stringify(await report(cityQ)) === cityReport;
    log(
      `  figures: ${same0 ? 'equal to' : 'DIFFERENT FROM'} the application's; with the tail ${same ? 'equal' : 'DIFFERENT'}; ` +
        `rolled again ${sameAfter ? 'equal' : 'DIFFERENT'}`,
    );
    return { results, same: same0 && same && sameAfter };
  }

  const plain = await measureAll('the schema as migrated', asMigrated);

  // Baselines, measured in the same run: what reading the dossiers themselves costs.
  const from = new Date(`${period.from}T00:00:00+07:00`);
  const to = new Date(new Date(`${period.to}T00:00:00+07:00`).getTime() + 86_400_000);
  const baselines: Timed[] = [];
  baselines.push(
    await repeat('baseline: select count(*) from dossier', REPS, () => sql`select count(*) from dossier`.execute(db), null, 2),
  );
  baselines.push(
    await repeat(
      'baseline: naive city report, one aggregate over the dossiers (no working-day classification)',
      REPS,
      () =>
        sql`
        select count(*) filter (where received_at >= ${from} and received_at < ${to}) as received,
          count(*) filter (where received_at >= ${from} and received_at < ${to} and channel = 2) as online,
          count(*) filter (where finished_at >= ${from} and finished_at < ${to} and status in (9, 10)) as finished,
          count(*) filter (where finished_at >= ${from} and finished_at < ${to} and status in (9, 10) and finished_at <= due_at) as on_time,
          count(*) filter (where received_at < ${from} and (finished_at is null or finished_at >= ${from})) as carried_over,
          count(*) filter (where received_at < ${to} and (finished_at is null or finished_at >= ${to})) as in_progress,
          count(*) filter (where received_at < ${to} and (finished_at is null or finished_at >= ${to}) and due_at < ${to}) as overdue
        from dossier`.execute(db),
      null,
      2,
    ),
  );

  const proposed: [string, Awaited<ReturnType<typeof measureAll>>][] = [];
  if (opts.proposed) {
    const inOne = proposedReport(services, database);
    proposed.push(['proposed transaction: ', await measureAll('each report in one transaction (proposedReport)', inOne)]);
    const t = performance.now();
    for (const [, ddl] of PROPOSED) await sql.raw(ddl).execute(db);
    await sql`vacuum (analyze) stat_unit_day`.execute(db);
    log(
      `\nproposed index created (and vacuum analyze) in ${secs(performance.now() - t)}: ` +
        (await sizes(
          db,
          PROPOSED.map(([n]) => n),
        )),
    );
    try {
      proposed.push(['proposed transaction + index: ', await measureAll('in one transaction, with the proposed index', inOne)]);
    } finally {
      for (const [n] of PROPOSED) await sql.raw(`drop index if exists ${n}`).execute(db);
    }
  }

  log(`\nPostgreSQL ${version}, ${cpus().length} cores, load average ${load()}; ${int(c.d)} dossiers, ${int(c.e)} events`);
  if (steps.length) log(table(['step', 'time', 'rate', 'CPU', 'goal'], steps));
  const rows = (label: string, rs: Timed[]) =>
    rs.map((r) => [`${label}${r.what}`, String(r.n), msf(r.p50), msf(r.p95), msf(r.min), msf(r.max), r.goal]);
  log(
    table(
      ['report (StatsService.report)', 'runs', 'median', 'p95', 'min', 'max', 'goal (p95)'],
      [...rows('', plain.results), ...rows('', baselines), ...proposed.flatMap(([label, p]) => rows(label, p.results))],
    ),
  );
  if (!plain.same || proposed.some(([, p]) => !p.same)) {
    process.exitCode = 1;
    log('  !! a report gave different figures (with the tail, or the proposed way)');
  }
  log(`\npeak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await database.close();
  if (!opts.keep && !opts.reuse) await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.end();
}
