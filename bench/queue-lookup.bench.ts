// Work queue and public lookup over HTTP with 1,000,000 dossiers in PostgreSQL (issue 6). Goals
// (DESIGN.md §6): work-queue page p95 < 50 ms with 100,000 open dossiers in the unit; public lookup
// p99 < 20 ms and at least 30% of the rate of a bare Fastify "hello" route measured in the same run.
// Run: npm run bench -- queue-lookup [--seconds 12] [--warmup 3] [--connections 16] [--pool 10]
//        [--keep] [--reuse] [--only hello,lookup,queue]
//      BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/): the database
//      motcua_bench_queue there is dropped, created, migrated, seeded and filled with generated
//      dossiers (bench/lib/queue-lookup-data.ts: BENCH DATA, made-up people and event hashes), and
//      dropped at the end unless --keep; --reuse measures a database kept by an earlier --keep.
//      The application (buildApp, as `npm start` builds it, logger off, jobs off) and a bare Fastify
//      instance listen in this process; the load generator (bench/lib/http-load.ts) is a child
//      process with keep-alive connections.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { pii } from '../src/lib/pii.js';
import { lookupChecks } from '../src/lib/pii-fields.js';
import type { DB } from '../src/db/types.js';
import { findDossier } from '../src/modules/tracking/tracking.service.js';
import { workQueue, type QueueFilter } from '../src/modules/processing/work-queue.js';
import { DEMO_PASSWORD, seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../src/seed/seed.js';
import { runLoad, type LoadResult } from './lib/http-load.js';
import { QUEUE, QUEUE_UNIT, TOTAL, generate } from './lib/queue-lookup-data.js';
import { int, msf, table } from './lib/report.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    pool: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    only: { type: 'string', default: 'hello,lookup,queue' },
    // Accepted and ignored: scripts/bench.mjs passes every benchmark the same extra arguments.
    engine: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = Number(opts.connections);
const POOL = Number(opts.pool);
const ONLY = new Set(opts.only!.split(','));
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = 'motcua_bench_queue';
const LOOKUP_CODES = 20_000;

const GOAL_QUEUE_P95 = 50;
const GOAL_LOOKUP_P99 = 20;
const GOAL_LOOKUP_RATIO = 0.3;

const log = (s: string) => console.log(s);

// ---------------------------------------------------------------- database

const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
const dbUrl = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
})();
const dataDir = await mkdtemp(join(tmpdir(), 'motcua-queue-lookup-'));

console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} before the run; PostgreSQL ${version}, database ${BENCH_DB}`,
);

async function prepareDatabase() {
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
  const database = await openPostgres(dbUrl, 2);
  try {
    const t0 = performance.now();
    await migrateToLatest(database.db);
    await seedUnits(database.db);
    await seedCalendars(database.db);
    await seedCatalogue(database.db);
    await seedDemoAccounts(database.db);
    await seedDemoOffers(database.db);
    log(`migrations and seeds: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    log(`generating ${int(TOTAL)} dossiers (BENCH DATA: made-up applicants, event hashes chained by SQL, not the application's):`);
    const t1 = performance.now();
    const g = await generate(database, log);
    const total = (performance.now() - t1) / 1000;
    const size = await sql<{ d: string; e: string }>`select pg_size_pretty(pg_total_relation_size('dossier')) as d,
      pg_size_pretty(pg_total_relation_size('dossier_event')) as e`.execute(database.db);
    log(
      `generated ${int(g.dossiers)} dossiers and ${int(g.events)} events in ${total.toFixed(1)} s ` +
        `(dossier ${size.rows[0]!.d}, dossier_event ${size.rows[0]!.e} with indexes)`,
    );
    return total;
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- helpers

interface Measured extends LoadResult {
  what: string;
  goal: string;
}

function statusText(s: Record<string, number>) {
  const bad = Object.entries(s).filter(([k]) => k !== '200');
  return bad.length ? bad.map(([k, v]) => `${k}×${v}`).join(' ') : '';
}

async function measure(
  what: string,
  port: number,
  paths: string[],
  headers: Record<string, string>,
  goal: (r: LoadResult) => string,
): Promise<Measured> {
  const r = await runLoad({ port, paths, headers, connections: CONNECTIONS, seconds: SECONDS, warmup: WARMUP });
  const m = { ...r, what, goal: goal(r) };
  console.log(
    `  ${what}: ${int(r.rate)}/s p50 ${msf(r.p50)} p95 ${msf(r.p95)} p99 ${msf(r.p99)} ${statusText(r.statuses)} ${m.goal}`.trimEnd(),
  );
  return m;
}

/** Logs in through the login form as a browser does and returns the cookie header. */
async function sessionCookie(app: FastifyInstance, identifier: string) {
  const jar = new Map<string, string>();
  const keep = (res: { cookies: { name: string; value: string }[] }) => {
    for (const c of res.cookies) jar.set(c.name, c.value);
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await app.inject({ method: 'GET', url: '/login' });
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, identifier, password: DEMO_PASSWORD }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login as ${identifier}: ${res.statusCode}`);
  keep(res);
  return header();
}

async function bearer(app: FastifyInstance, username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username, password: DEMO_PASSWORD } });
  if (res.statusCode !== 201) throw new Error(`token for ${username}: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement `run` issues, with what to look out for. */
async function explain(label: string, run: (db: Kysely<DB>) => Promise<unknown>) {
  const captured: CompiledQuery[] = [];
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  try {
    await run(db);
    console.log(`\n  plans: ${label}`);
    for (const q of captured) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
      const lines = plan.rows.map((r) => r['QUERY PLAN']);
      const flags: string[] = [];
      for (const l of lines) {
        const seq = /Seq Scan on (\w+).*rows=(\d+) loops/.exec(l);
        if (seq && ['dossier', 'dossier_event'].includes(seq[1]!)) flags.push(`SEQ SCAN on ${seq[1]}`);
        const sort = /Sort .*actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(l);
        if (/^\s*(->\s*)?Sort /.test(l) && sort && Number(sort[1]) > 1000) flags.push(`sorts ${sort[1]} rows`);
      }
      console.log(`    ${q.sql.replace(/\s+/g, ' ').slice(0, 160)}${q.sql.length > 160 ? '…' : ''}`);
      console.log(lines.map((l) => `      ${l}`).join('\n'));
      if (flags.length) console.log(`    !! ${flags.join('; ')}`);
    }
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------- main

let generation: number | null = null;
try {
  if (opts.reuse) {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DB]);
    if (!exists.rowCount) throw new Error(`--reuse: no database ${BENCH_DB}; run once with --keep`);
    log('reusing the database of an earlier run (--reuse)');
  } else {
    generation = await prepareDatabase();
  }

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    DATABASE_POOL_SIZE: String(POOL),
    DATA_DIR: dataDir,
    LOGIN_RATE_LIMIT: '100000',
    JOBS: 'off',
    LOG_LEVEL: 'warn',
  });
  const database = await openPostgres(dbUrl, POOL);
  const app = await buildApp(config, database, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  // The baseline: a bare Fastify instance, no plugins or hooks, in the same process.
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.address() as { port: number }).port;

  try {
    const db = database.db;
    const counts = await sql<{ d: number; q: number; e: number }>`select (select count(*) from dossier)::int as d,
      (select count(*) from dossier d join unit u on u.id = d.step_unit_id where u.code = ${QUEUE_UNIT})::int as q,
      (select count(*) from dossier_event)::int as e`.execute(db);
    const c = counts.rows[0]!;
    log(`\ndatabase: ${int(c.d)} dossiers, ${int(c.e)} events, ${int(c.q)} open at a step of ${QUEUE_UNIT}`);
    if (c.d < TOTAL || c.q < QUEUE) log('  !! fewer dossiers than the benchmark generates');

    // Lookup targets: random existing codes with the right second factor (the phone's last four
    // digits, or the citizen ID's when there is no phone or for a third of them).
    const targets = await sql<{ code: string; check: string }>`
      select code, right(case when applicant_phone is null or id % 3 = 0 then applicant_citizen_id else applicant_phone end, 4) as check
      from dossier where code is not null order by random() limit ${LOOKUP_CODES}`.execute(db);
    // The generated rows hold the numbers in clear (a bulk load, before `pii:rotate`) and no
    // lookup hashes; the targets get theirs, as a sealed submission would have written them.
    for (const t of targets.rows)
      await sql`update dossier set lookup_checks = ${lookupChecks(pii(), t.check)} where code = ${t.code}`.execute(db);
    const lookupQs = targets.rows.map((t) => `code=${encodeURIComponent(t.code)}&check=${t.check}`);
    // The procedure filter: the most common procedure in the queue (about 1/31 of it).
    const proc = await sql<{ code: string; n: number }>`
      select p.code, count(*)::int as n from dossier d join procedure p on p.id = d.procedure_id join unit u on u.id = d.step_unit_id
      where u.code = ${QUEUE_UNIT} group by p.code order by 2 desc limit 1`.execute(db);
    const procedure = proc.rows[0]!;

    const leaderToken = await bearer(app, 'leader.hadong@demo.motcua.vn');
    const specialistToken = await bearer(app, 'specialist.hadong@demo.motcua.vn');
    const leaderCookie = await sessionCookie(app, 'leader.hadong@demo.motcua.vn');
    const specialistCookie = await sessionCookie(app, 'specialist.hadong@demo.motcua.vn');
    const asLeader = { authorization: `Bearer ${leaderToken}` };
    const asSpecialist = { authorization: `Bearer ${specialistToken}` };
    const pageLeader = { cookie: leaderCookie };
    const pageSpecialist = { cookie: specialistCookie };

    const u = `unit=${QUEUE_UNIT}`;
    const queueRuns: [string, string, Record<string, string>][] = [
      ['API queue, leader, page 1 (whole unit)', `/api/v1/work/queue?${u}`, asLeader],
      ['API queue, leader, page 2', `/api/v1/work/queue?${u}&page=2`, asLeader],
      [`API queue, leader, procedure ${procedure.code}`, `/api/v1/work/queue?${u}&procedure=${procedure.code}`, asLeader],
      ['API queue, specialist, page 1', `/api/v1/work/queue?${u}`, asSpecialist],
      ['page /work, leader, page 1 (whole unit)', `/work?${u}`, pageLeader],
      ['page /work, leader, page 2', `/work?${u}&page=2`, pageLeader],
      [`page /work, leader, procedure ${procedure.code}`, `/work?${u}&procedure=${procedure.code}`, pageLeader],
      ['page /work, specialist, page 1', `/work?${u}`, pageSpecialist],
      ['page /work, specialist, page 2', `/work?${u}&page=2`, pageSpecialist],
    ];

    // Each target answers 200 before it is loaded; a missing page is reported and skipped.
    const check = async (url: string, headers: Record<string, string>) => (await app.inject({ method: 'GET', url, headers })).statusCode;
    for (const q of lookupQs.slice(0, 50)) {
      const s = await check(`/api/v1/lookup?${q}`, {});
      if (s !== 200) throw new Error(`lookup ${q}: ${s}`);
    }

    const results: Measured[] = [];
    console.log(`\nHTTP: ${CONNECTIONS} connections, ${SECONDS} s after ${WARMUP} s warm-up each, application pool ${POOL}`);
    let baseline = NaN;
    if (ONLY.has('hello')) {
      const r = await measure('baseline: bare Fastify GET /hello', barePort, ['/hello'], {}, () => '');
      baseline = r.rate;
      results.push(r);
    }
    if (ONLY.has('lookup')) {
      const lookupGoal = (r: LoadResult) => {
        const ratio = r.rate / baseline;
        const p99ok = r.p99 < GOAL_LOOKUP_P99;
        return `goal p99 < ${GOAL_LOOKUP_P99} ms: ${p99ok ? 'PASS' : 'FAIL'}; ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}% of baseline (goal >= ${GOAL_LOOKUP_RATIO * 100}%): ${ratio >= GOAL_LOOKUP_RATIO ? 'PASS' : 'FAIL'}` : ''}`;
      };
      results.push(
        await measure(
          `API GET /api/v1/lookup (${int(lookupQs.length)} codes)`,
          port,
          lookupQs.map((q) => `/api/v1/lookup?${q}`),
          {},
          lookupGoal,
        ),
      );
      results.push(
        await measure(
          `page GET /lookup (${int(lookupQs.length)} codes)`,
          port,
          lookupQs.map((q) => `/lookup?${q}`),
          {},
          lookupGoal,
        ),
      );
    }
    const missing: string[] = [];
    if (ONLY.has('queue')) {
      for (const [what, url, headers] of queueRuns) {
        const s = await check(url, headers);
        if (s !== 200) {
          missing.push(`${what} (${url}): ${s}`);
          continue;
        }
        results.push(
          await measure(what, port, [url], headers, (r) => `goal p95 < ${GOAL_QUEUE_P95} ms: ${r.p95 < GOAL_QUEUE_P95 ? 'PASS' : 'FAIL'}`),
        );
      }
    }

    console.log(
      `\nPostgreSQL ${version}, ${int(c.d)} dossiers, ${int(c.q)} in the queue of ${QUEUE_UNIT}; ${CONNECTIONS} connections, ${SECONDS} s each`,
    );
    console.log(
      table(
        ['what', 'per s', 'p50', 'p95', 'p99', 'max', 'KB/resp', 'non-200', 'client CPU ms/req', 'goal'],
        results.map((r) => [
          r.what,
          int(r.rate),
          msf(r.p50),
          msf(r.p95),
          msf(r.p99),
          msf(r.max),
          (r.bytesPerResponse / 1024).toFixed(1),
          statusText(r.statuses) || '0',
          r.clientCpuMs.toFixed(3),
          r.goal,
        ]),
      ),
    );
    for (const m of missing) console.log(`  not measured, did not answer 200: ${m}`);
    if (generation !== null) console.log(`  generation of the ${int(TOTAL)} dossiers took ${generation.toFixed(1)} s (BENCH DATA)`);

    // Plans of the statements behind the two endpoints.
    const leader = (await app.services.auth.actorFromToken(leaderToken))!;
    const specialist = (await app.services.auth.actorFromToken(specialistToken))!;
    const q = (f: QueueFilter) => (d: Kysely<DB>) => workQueue(d, leader, { unit: QUEUE_UNIT, ...f });
    await explain('work queue, leader, page 1', q({}));
    await explain('work queue, leader, page 2', q({ page: 2 }));
    await explain(`work queue, leader, procedure ${procedure.code}`, q({ procedure: procedure.code }));
    await explain('work queue, specialist, page 1', (d) => workQueue(d, specialist, { unit: QUEUE_UNIT }));
    const one = targets.rows[0]!;
    // The one statement a lookup runs: the dossier and, with the right factor, its public events.
    await explain(`lookup ${one.code}`, (d) => findDossier(d, one.code, one.check));
  } finally {
    await app.close();
    await bare.close();
    await database.close();
  }
  console.log(`\npeak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  if (!opts.keep && !opts.reuse) await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
