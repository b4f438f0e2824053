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
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  sql,
  type CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPostgres, type Database } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/types.js';
import { contribution } from '../src/domain/stats/contribution.js';
import { parsePeriod } from '../src/domain/stats/periods.js';
import { runScenario } from '../src/modules/stats/scenario/scenario.js';
import { levelOf, officeHoursByUnit, selectFacts, toFacts } from '../src/modules/stats/stats.facts.js';
import { addToGrid, applyGrid, gridKey, type Grid } from '../src/modules/stats/stats.rollup.js';
import type { Report, ReportQuery } from '../src/modules/stats/stats.schema.js';
import { StatsService } from '../src/modules/stats/stats.service.js';
import { seedCalendars, seedUnits } from '../src/seed/seed.js';
import { createServices, type Services } from '../src/services.js';
import { postgresCpuMs } from './lib/measure.js';
import { CITY, DISTRICT, PERIOD, WARD, citySpec } from './lib/report-data.js';
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
const JOB_SAMPLE = 100_000;
const BULK_BATCH = 20_000;

const GOAL_MILLION_MS = 300_000; // the generator's first 1,000,000 dossiers (the setup included) in 5 minutes
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

type ReportFn = (q: ReportQuery, timer?: StatementTimer) => Promise<Report>;

/** A report as the application makes it (StatsService.report, the application's pool). */
const appReport =
  (services: Services, database: Database): ReportFn =>
  (q, timer) =>
    new StatsService(timer ? database.db.withPlugin(timer) : database.db, services.calendar).report(q);

/**
 * The proposed way: the report's statements in one read-only REPEATABLE READ transaction (one
 * snapshot: a roll-up batch committing between the roll-up sums and the tail can neither be counted
 * twice nor missed), with custom plans (the application's pool prepares every statement, and after
 * five runs PostgreSQL may keep a generic plan: for the ltree subtree and date ranges those read far
 * more) and no parallel workers (starting them costs more than these statements on two cores).
 */
const proposedReport =
  (services: Services, database: Database): ReportFn =>
  (q, timer) =>
    database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`set local plan_cache_mode = force_custom_plan`.execute(trx);
        await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
        return new StatsService(timer ? trx.withPlugin(timer) : trx, services.calendar).report(q);
      });

/** Times each statement between Kysely's transformQuery and transformResult (compile, round trip, parsing). */
class StatementTimer implements KyselyPlugin {
  readonly done: { node: RootOperationNode; queryId: QueryId; ms: number }[] = [];
  #open = new Map<QueryId, { node: RootOperationNode; at: number }>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#open.set(args.queryId, { node: args.node, at: performance.now() });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const o = this.#open.get(args.queryId);
    if (o) this.done.push({ node: o.node, queryId: args.queryId, ms: performance.now() - o.at });
    this.#open.delete(args.queryId);
    return args.result;
  }
}

const log = (s: string) => console.log(s);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

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

// ---------------------------------------------------------------- helpers

interface Timed {
  what: string;
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  goal: string;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** `warm` untimed runs, then `reps` timed ones, one after the other. */
async function repeat(what: string, reps: number, op: () => Promise<unknown>, goalMs: number | null, warm = 3): Promise<Timed> {
  for (let i = 0; i < warm; i++) await op();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    await op();
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  const r = { what, n: reps, p50: pct(t, 50), p95: pct(t, 95), min: t[0]!, max: t[t.length - 1]! };
  const goal = goalMs === null ? '' : `< ${goalMs} ms: ${r.p95 < goalMs ? 'PASS' : r.p50 < goalMs ? 'median only' : 'FAIL'}`;
  log(`  ${what}: median ${msf(r.p50)}, p95 ${msf(r.p95)}, min ${msf(r.min)}, max ${msf(r.max)} ${goal}`.trimEnd());
  return { ...r, goal };
}

/** Wall time, this process's CPU and the PostgreSQL server's CPU of `op`. */
async function cpuTimed<T>(op: () => Promise<T>) {
  const c0 = process.cpuUsage();
  const p0 = postgresCpuMs();
  const t0 = performance.now();
  const value = await op();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, nodeMs: (c.user + c.system) / 1000, pgMs: postgresCpuMs() - p0 };
}
const cpuText = (r: { nodeMs: number; pgMs: number }) =>
  `CPU: this process ${secs(r.nodeMs)}${Number.isFinite(r.pgMs) ? `, PostgreSQL ${secs(r.pgMs)}` : ''}`;

async function counts(db: Kysely<DB>) {
  const r = await sql<{ d: number; e: number; u: number; p: number; a: number; sd: number; su: number; sm: number; pending: number }>`
    select (select count(*) from dossier)::int as d, (select count(*) from dossier_event)::int as e,
      (select count(*) from unit)::int as u, (select count(*) from procedure)::int as p, (select count(*) from account)::int as a,
      (select count(*) from stat_dossier_day)::int as sd, (select count(*) from stat_unit_day)::int as su,
      (select count(*) from stat_unit_month)::int as sm,
      (select count(*) from dossier d where d.stat_state < (case when d.finished_at is not null then 2
        when d.received_at is not null then 1 else 0 end))::int as pending`.execute(db);
  return r.rows[0]!;
}

async function sizes(db: Kysely<DB>, tables: string[]) {
  const r = await sql<{ t: string; s: string }>`
    select t, pg_size_pretty(pg_total_relation_size(t::regclass)) as s from unnest(${tables}::text[]) t`.execute(db);
  return r.rows.map((x) => `${x.t} ${x.s}`).join(', ');
}

/**
 * Takes the last `n` dossiers (by id) out of the roll-ups: their counts are subtracted and their
 * stat_state goes back to 0, as if the roll-up job had not reached them yet. One transaction.
 */
async function unroll(services: Services, n: number): Promise<number> {
  const deps = services.stats.deps;
  const cal = await deps.calendar();
  return deps.db.transaction().execute(async (trx) => {
    const hours = await officeHoursByUnit(trx);
    const { rows } = await selectFacts(trx, sql`d.id in (select id from dossier order by id desc limit ${n})`, sql`for update of d`);
    const grid: Grid = new Map();
    for (const r of rows) {
      for (const { day, m } of contribution(toFacts(r, hours), cal, deps.convention, 0, levelOf(r.stat_state))) {
        addToGrid(grid, gridKey(day, r.unit_id, r.procedure_id, r.channel), m, -1);
      }
    }
    await applyGrid(trx, grid);
    await trx
      .updateTable('dossier')
      .set({ stat_state: 0 })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.length;
  });
}

/** Each statement of one report and its time; with --explain, its plan (EXPLAIN ANALYZE, BUFFERS). */
async function statements(db: Kysely<DB>, report: ReportFn, label: string, q: ReportQuery) {
  for (let i = 0; i < 3; i++) await report(q);
  const timer = new StatementTimer();
  const t = performance.now();
  await report(q, timer);
  const total = performance.now() - t;
  const compiled = timer.done.map((d) => ({ q: db.getExecutor().compileQuery(d.node, d.queryId), ms: d.ms }));
  const text = (c: CompiledQuery) => c.sql.replace(/\s+/g, ' ').trim();
  log(`\n  statements of one report: ${label}, ${msf(total)} in all`);
  log(
    table(
      ['statement', 'time'],
      compiled.map((c) => [text(c.q).slice(0, 110) + (text(c.q).length > 110 ? '…' : ''), msf(c.ms)]),
    ),
  );
  if (!opts.explain) return;
  const pool = new pg.Pool({ connectionString: dbUrl, max: 1, options: '-c jit=off' });
  try {
    for (const c of compiled) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${c.q.sql}`, c.q.parameters as unknown[]);
      log(`\n    ${text(c.q).slice(0, 200)}`);
      log(plan.rows.map((r) => `      ${r['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    await pool.end();
  }
}

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
try {
  if (!opts.reuse) {
    const t0 = performance.now();
    await migrateToLatest(db);
    await seedUnits(db);
    await seedCalendars(db);
    log(`migrations and seeds: ${secs(performance.now() - t0)}`);

    const spec = citySpec(DOSSIERS);
    log(
      `generating ${int(DOSSIERS)} dossiers with runScenario (${spec.procedures.length} procedure groups, ` +
        `${spec.dossiers.length} dossier groups, ${spec.period.from}..${spec.period.to}):`,
    );
    const cal = await services.calendar.calendar();
    const t1 = performance.now();
    let next = 0;
    let million: number | null = null;
    const every = Math.max(100_000, Math.ceil(DOSSIERS / 10 / 100_000) * 100_000);
    const gen = await cpuTimed(() =>
      runScenario(db, spec, cal, (done, total) => {
        if (million === null && done >= 1_000_000) million = performance.now() - t1;
        if (done >= next || done === total) {
          const s = (performance.now() - t1) / 1000;
          log(`  ${int(done)} / ${int(total)} dossiers, ${s.toFixed(0)} s, ${int(done / s)}/s, load average ${load()}`);
          next = done + every;
        }
      }),
    );
    const g = gen.value;
    const rate = g.dossiers / (gen.ms / 1000);
    const eventRate = g.events / (gen.ms / 1000);
    // The first million when there is one, else the whole run's rate applied to a million.
    const millionMs = million ?? (1_000_000 / g.dossiers) * gen.ms;
    const genGoal = `1M in ${million === null ? '(at this rate) ' : ''}${secs(millionMs)}, goal < 5 min: ${millionMs < GOAL_MILLION_MS ? 'PASS' : 'FAIL'}`;
    log(
      `generator: ${int(g.dossiers)} dossiers, ${int(g.events)} events, ${int(g.units)} units, ${int(g.procedures)} procedures, ` +
        `${int(g.citizens)} citizens in ${secs(gen.ms)}: ${int(rate)} dossiers/s, ${int(eventRate)} events/s (${genGoal}); ${cpuText(gen)}`,
    );
    steps.push(['generator (runScenario)', secs(gen.ms), `${int(rate)} dossiers/s, ${int(eventRate)} events/s`, cpuText(gen), genGoal]);

    const v1 = await cpuTimed(() => sql`vacuum (analyze)`.execute(db));
    log(`vacuum (analyze) after the load: ${secs(v1.ms)}`);
    steps.push(['vacuum (analyze) after the load', secs(v1.ms), '', '', '']);

    // The job as it runs (batches of 2,000) on a sample, then larger batches for the rest.
    const job = await cpuTimed(() => services.stats.rollUp({ max: Math.min(JOB_SAMPLE, DOSSIERS) }));
    log(
      `roll-up, the job's batches of 2,000: ${int(job.value)} dossiers in ${secs(job.ms)}, ${int(job.value / (job.ms / 1000))}/s; ${cpuText(job)}`,
    );
    steps.push([
      `roll-up (StatsService.rollUp), batch 2,000 (the job's), first ${int(job.value)}`,
      secs(job.ms),
      `${int(job.value / (job.ms / 1000))} dossiers/s`,
      cpuText(job),
      '',
    ]);
    const t2 = performance.now();
    const bulk = await cpuTimed(async () => {
      let rolled = 0;
      for (;;) {
        const n = await services.stats.rollUp({ batch: BULK_BATCH, max: 500_000 });
        rolled += n;
        const s = (performance.now() - t2) / 1000;
        log(`  rolled ${int(job.value + rolled)} dossiers, ${s.toFixed(0)} s, ${int(rolled / s)}/s, load average ${load()}`);
        if (n < 500_000) return rolled;
      }
    });
    const rolled = bulk.value;
    log(
      `roll-up, batches of ${int(BULK_BATCH)}: ${int(rolled)} dossiers in ${secs(bulk.ms)}, ${int(rolled / (bulk.ms / 1000))}/s; ${cpuText(bulk)}`,
    );
    steps.push([
      `roll-up (StatsService.rollUp), batch ${int(BULK_BATCH)}, the other ${int(rolled)}`,
      secs(bulk.ms),
      `${int(rolled / (bulk.ms / 1000))} dossiers/s`,
      cpuText(bulk),
      '',
    ]);
    const v2 = await cpuTimed(() => sql`vacuum (analyze)`.execute(db));
    log(`vacuum (analyze) after the roll-up: ${secs(v2.ms)}`);
    steps.push(['vacuum (analyze) after the roll-up', secs(v2.ms), '', '', '']);
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
    await statements(db, report, `city, ${label}`, cityQ);
    await statements(db, report, `district, ${label}`, districtQ);

    // The tail: the last TAIL dossiers not rolled up yet.
    const un = await cpuTimed(() => unroll(services, TAIL));
    await sql`analyze dossier`.execute(db);
    log(`  took the last ${int(un.value)} dossiers out of the roll-ups in ${secs(un.ms)}`);
    const same = JSON.stringify(await report(cityQ)) === cityReport;
    results.push(await repeat(`city with ${int(un.value)} dossiers not rolled up (the tail)`, REPS, () => report(cityQ), GOAL_CITY));
    results.push(await repeat(`district with the ${int(un.value)}-dossier tail`, REPS * 3, () => report(districtQ), GOAL_LOCAL));
    results.push(await repeat(`ward with the ${int(un.value)}-dossier tail`, REPS * 3, () => report(wardQ), GOAL_LOCAL));
    await statements(db, report, `city with the tail, ${label}`, cityQ);
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
