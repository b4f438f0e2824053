// Online submission throughput: DossierService.submitNew (validate the form, allocate the code,
// insert the dossier, its documents, the hash-chained event and the notification outbox rows) on
// PostgreSQL against a pgbench baseline of the same two inserts in one transaction, run by this
// script, and on embedded PGlite. Goals (DESIGN.md §6): PostgreSQL >= 30% of the baseline rate with
// p99 < 100 ms at 64 connections; PGlite >= 300 submissions/s.
// Run: npx tsx bench/submission.bench.ts [--engine pglite|postgres|both] [--seconds 15] [--warmup 3]
//        [--citizens 1] [--pool 64] [--keep]
//      BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/): the database motcua_bench
//      there is dropped and created (and dropped again at the end unless --keep); pgbench must be
//      on the PATH or in /usr/lib/postgresql/*/bin. --citizens N spreads the submissions over the
//      demo citizen and N-1 made-up ones (1: the demo citizen files everything); --pool sets the
//      application's PostgreSQL pool (DATABASE_POOL_SIZE), which the 8 or 64 workers share.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres } from '../src/db/engine.js';
import { drive, pgbench, type Run, type Timing } from './lib/measure.js';
import { RUN_HEAD, int, msf, rowCounts, runRows, table } from './lib/report.js';
import { PROCEDURE, UNITS, baselineSql, breakdown, makeServices, prepare, submitter } from './lib/submission-fixture.js';

const { values: opts } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    citizens: { type: 'string', default: '1' },
    pool: { type: 'string', default: '64' },
  },
});
const ENGINE = opts.engine!;
if (!['pglite', 'postgres', 'both'].includes(ENGINE)) throw new Error('--engine must be pglite, postgres or both');
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
/** 1: every submission by the demo citizen (the setting); more: made-up citizens as well, in turn. */
const CITIZENS = Math.max(1, Number(opts.citizens));
/** PostgreSQL connections in the application's pool (DATABASE_POOL_SIZE); the workers share it. */
const POOL = Math.max(1, Number(opts.pool));
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = 'motcua_bench';

const TIMING: Timing = { seconds: SECONDS, warmup: WARMUP };

const GOAL_RATIO = 0.3;
const GOAL_P99_MS = 100;
const GOAL_PGLITE = 300;
const PG_WORKERS = [8, 64];
const PGLITE_WORKERS = [1, 8];

// ---------------------------------------------------------------- PostgreSQL

async function benchPostgres(dataDir: string) {
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  const maxConn = Number((await admin.query<{ m: string }>("select current_setting('max_connections') as m")).rows[0]!.m);
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  const url = u.toString();
  try {
    // Set up on a small pool, closed before pgbench opens its 64 connections (max_connections 100).
    const setup = await openPostgres(url, 4);
    const f = await prepare(setup, CITIZENS);
    const check = makeServices(setup, dataDir, 4);
    await submitter(check, f, 'check')();
    await breakdown(setup, dataDir, f, 'pg');
    const { dossier, event } = baselineSql(f);
    await setup.close();

    const script = join(dataDir, 'submission.pgbench.sql');
    await writeFile(script, `begin;\n${dossier} \\gset\n${event(':id')};\ncommit;\n`);
    const runs: Run[] = [];
    for (const c of PG_WORKERS) {
      if (c + 2 > maxConn) throw new Error(`max_connections ${maxConn} is too low for ${c} clients`);
      runs.push(await pgbench(url, script, c, SECONDS));
    }
    if (POOL + 2 > maxConn) throw new Error(`max_connections ${maxConn} is too low for a pool of ${POOL}`);
    const database = await openPostgres(url, POOL);
    try {
      for (const c of PG_WORKERS) {
        const services = makeServices(database, dataDir, POOL);
        runs.push(await drive('motcua submitNew', c, submitter(services, f, `pg${c}`), TIMING, true));
      }
      const counts = await rowCounts(database);
      const best = Math.max(...runs.filter((r) => r.what.startsWith('baseline')).map((r) => r.rate));
      const at64 = runs.find((r) => r.what === 'motcua submitNew' && r.workers === 64)!;
      const ratio = at64.rate / best;
      console.log(
        `\nPostgreSQL ${version}: ${SECONDS} s after ${WARMUP} s warm-up, ${UNITS} wards, ${CITIZENS} citizen(s), procedure ${PROCEDURE}, pool ${POOL}`,
      );
      console.log(table(RUN_HEAD, runRows(runs)));
      for (const r of runs) if (r.avg !== undefined) console.log(`  pgbench -c ${r.workers}: latency average ${r.avg} ms`);
      console.log(`  rows written: ${counts}`);
      console.log(
        `  goal rate >= ${GOAL_RATIO * 100}% of the best baseline (${int(best)} tx/s): ${int(at64.rate)}/s at 64 = ${(ratio * 100).toFixed(1)}% -> ${ratio >= GOAL_RATIO ? 'PASS' : 'FAIL'}`,
      );
      console.log(`  goal p99 < ${GOAL_P99_MS} ms at 64 connections: ${msf(at64.p99)} -> ${at64.p99 < GOAL_P99_MS ? 'PASS' : 'FAIL'}`);
    } finally {
      await database.close();
    }
  } finally {
    if (!opts.keep) await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
    await admin.end();
  }
}

// ---------------------------------------------------------------- PGlite

async function benchPglite(dataDir: string) {
  const database = await openPglite(join(dataDir, 'pglite'));
  try {
    const f = await prepare(database, CITIZENS);
    await breakdown(database, dataDir, f, 'lite');
    const { dossier, event } = baselineSql(f);
    const runs: Run[] = [];
    runs.push(
      await drive(
        'baseline: the 2 inserts in 1 transaction (Kysely)',
        1,
        () =>
          database.db.transaction().execute(async (trx) => {
            const r = await sql.raw<{ id: number }>(dossier).execute(trx);
            await sql.raw(event(String(r.rows[0]!.id))).execute(trx);
          }),
        TIMING,
      ),
    );
    for (const c of PGLITE_WORKERS) {
      const services = makeServices(database, dataDir, 1);
      runs.push(await drive('motcua submitNew', c, submitter(services, f, `lite${c}`), TIMING));
    }
    const counts = await rowCounts(database);
    console.log(
      `\nPGlite (embedded, in this process): ${SECONDS} s after ${WARMUP} s warm-up, ${UNITS} wards, ${CITIZENS} citizen(s), procedure ${PROCEDURE}`,
    );
    console.log(table(RUN_HEAD, runRows(runs)));
    console.log(`  rows written: ${counts}`);
    for (const r of runs.filter((x) => x.what === 'motcua submitNew')) {
      console.log(`  goal >= ${GOAL_PGLITE}/s with ${r.workers} worker(s): ${int(r.rate)}/s -> ${r.rate >= GOAL_PGLITE ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- main

const dir = await mkdtemp(join(tmpdir(), 'motcua-submission-'));
console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} before the run`,
);
try {
  if (ENGINE !== 'postgres') await benchPglite(dir);
  if (ENGINE !== 'pglite') await benchPostgres(dir);
  console.log(`\npeak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
