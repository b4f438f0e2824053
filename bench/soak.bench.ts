// Soak (issue 10, part 8): a mixed workload for 10 minutes on PostgreSQL against the production
// entry point, with the server's memory sampled from outside. Goals: no error (any status other
// than 2xx/3xx counts), memory flat and under 300 MB RSS.
// Run: npm run bench -- soak [--seconds 600] [--warmup 30] [--rate 40] [--max-inflight 64]
//        [--connections 32] [--pool 10] [--sample 10] [--upload-kb 60] [--db motcua_bench_soak]
//        [--server dist|tsx] [--skip-build] [--server-env K=V ...] [--heap-snapshots dir] [--keep]
//      SOAK_SECONDS sets the default of --seconds. BENCH_DATABASE_URL (default
//      postgres://postgres@127.0.0.1:5432/): the database --db there is dropped, created, migrated
//      and seeded (reference data, the demo officials and the demo offers: production refuses demo
//      data at start, so they are written here), and dropped at the end unless --keep.
//      The server is dist/main.js as `npm run start:prod` runs it (`npm run build` first, unless
//      --skip-build), or src/main.ts under tsx (--server tsx, as `npm start`), with
//      NODE_ENV=production, jobs on, logs at info (read and counted) and --trace-gc (the heap after
//      each full collection). --heap-snapshots: the server also gets
//      --heapsnapshot-signal=SIGUSR2 and writes a snapshot there after the warm-up and at the end.
//      Operations start at random (Poisson) instants at --rate per second, each one from the mix in
//      bench/lib/soak-workload.ts; at most --max-inflight run at once (beyond: counted as dropped).
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { openPostgres } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedFaq } from '../src/modules/faq/faq.seed.js';
import { DEMO_PASSWORD, seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../src/seed/seed.js';
import { runLoad } from './lib/http-load.js';
import { KeepAlivePool } from './lib/keepalive-pool.js';
import { int, msf, table } from './lib/report.js';
import { startSoakServer, type SoakServer } from './lib/soak-server.js';
import { MIX, Recorder, Workload, type Accounts } from './lib/soak-workload.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.SOAK_SECONDS ?? '600' },
    warmup: { type: 'string', default: '30' },
    rate: { type: 'string', default: '40' },
    'max-inflight': { type: 'string', default: '64' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '10' },
    sample: { type: 'string', default: '10' },
    'upload-kb': { type: 'string', default: '60' },
    db: { type: 'string', default: 'motcua_bench_soak' },
    /** dist: dist/main.js, as `npm run start:prod` (built first unless --skip-build); tsx: src/main.ts, as `npm start`. */
    server: { type: 'string', default: 'dist' },
    'skip-build': { type: 'boolean', default: false },
    /** K=V added to the server's environment, for experiments (e.g. MALLOC_ARENA_MAX=2). */
    'server-env': { type: 'string', multiple: true, default: [] },
    'heap-snapshots': { type: 'string' },
    keep: { type: 'boolean', default: false },
    // Accepted and ignored: scripts/bench.mjs passes every benchmark the same extra arguments.
    engine: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const RATE = Number(opts.rate);
const MAX_INFLIGHT = Number(opts['max-inflight']);
const SAMPLE_S = Number(opts.sample);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = opts.db!;
const GOAL_RSS_MB = 300;
const MB = 1024 * 1024;
const log = (s: string) => console.log(s);
const la = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const dbUrl = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
})();

async function prepareDatabase(admin: pg.Client) {
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
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

function serverCpuMs(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den ? num / den : NaN;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MemSample {
  t: number;
  rssMb: number;
  anonMb: number;
  fileMb: number;
  heapMb: number;
  committedMb: number;
  /** Jobs due or retrying (notifications) in the database: the outbox keeps up when this stays flat. */
  jobs: number;
  cpu: number;
  load1: number;
  phase: 'warm-up' | 'soak' | 'after';
}

// ---------------------------------------------------------------- main

const pgAdmin = new pg.Client({ connectionString: BASE_URL });
await pgAdmin.connect();
const version = (await pgAdmin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
const dataDir = await mkdtemp(join(tmpdir(), 'motcua-soak-'));
log(
  `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / MB / 1024)} GB, load average ${la()} before the run, ` +
    `${new Date().toISOString()}; Node ${process.version}, PostgreSQL ${version}, database ${BENCH_DB}`,
);
let server: SoakServer | null = null;
let pool: KeepAlivePool | null = null;
try {
  const dist = opts.server === 'dist';
  if (!dist && opts.server !== 'tsx') throw new Error('--server must be dist or tsx');
  if (dist && !opts['skip-build']) {
    const t = performance.now();
    const b = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('npm run build failed');
    log(`npm run build: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  // Production requires real keys for the sealed personal data; the seeds written here and the
  // server must share them (set before anything in this process reads them).
  const piiKeys = { PII_KEYS: `soak:${randomBytes(32).toString('base64')}`, PII_HASH_KEY: randomBytes(32).toString('base64') };
  Object.assign(process.env, piiKeys);
  await prepareDatabase(pgAdmin);
  const snapDir = opts['heap-snapshots'];
  server = await startSoakServer(
    {
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_HASH_SECRET: randomBytes(16).toString('hex'),
      ...piiKeys,
      DATABASE_URL: dbUrl,
      DATABASE_POOL_SIZE: opts.pool!,
      DATA_DIR: dataDir,
      JOBS: 'on',
      LOG_LEVEL: 'info',
      // The public lookup is limited per client IP like logins; every virtual user is 127.0.0.1.
      LOGIN_RATE_LIMIT: '100000',
      ...Object.fromEntries(opts['server-env']!.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    },
    { dist, nodeFlags: snapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`] : [] },
  );
  const srv = server;
  log(
    `server: ${dist ? 'node dist/main.js' : 'node --import tsx src/main.ts'} (pid ${srv.pid}), RSS at ready ${Math.round(srv.rss().total / MB)} MB`,
  );
  pool = new KeepAlivePool(srv.port, Number(opts.connections));
  const token = async (username: string) => {
    const r = await pool!.request('POST', '/api/v1/auth/token', { username, password: DEMO_PASSWORD });
    if (r.status !== 201) throw new Error(`token for ${username}: ${r.status} ${r.body}`);
    return { authorization: `Bearer ${(JSON.parse(r.body) as { token: string }).token}` };
  };
  const acc: Accounts = {
    citizen: await token('0912345678'),
    desk: await token('desk.quangtrung@demo.motcua.vn'),
    wardSpecialist: await token('specialist.quangtrung@demo.motcua.vn'),
    wardLeader: await token('leader.quangtrung@demo.motcua.vn'),
    districtSpecialist: await token('specialist.hadong@demo.motcua.vn'),
    districtLeader: await token('leader.hadong@demo.motcua.vn'),
  };
  const cat = await (async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const p = await c.query<{ code: string }>('select code from procedure order by code');
      const f = await c.query<{ code: string }>('select code from field order by code');
      return { procedures: p.rows.map((r) => r.code), fields: f.rows.map((r) => r.code) };
    } finally {
      await c.end();
    }
  })();

  // Baseline in the same run: the app's /healthz (its hooks and headers, no statement), closed loop.
  const baseline = await runLoad({ port: srv.port, paths: ['/healthz'], connections: 16, seconds: 5, warmup: 2 });
  log(
    `baseline: the app's GET /healthz, 16 keep-alive connections, 5 s after 2 s: ${int(baseline.rate)}/s, p50 ${msf(baseline.p50)}, p99 ${msf(baseline.p99)}`,
  );

  let rec = new Recorder();
  const wl = new Workload(pool, acc, cat, rec, Number(opts['upload-kb']));
  for (let i = 0; i < 5; i++) await wl.submit(); // a few codes for the first lookups
  if (rec.errorCount) throw new Error(`set-up submissions failed: ${JSON.stringify([...rec.errors])}`);

  // ---------------------------------------------------------------- the soak
  const mem: MemSample[] = [];
  const t0 = performance.now();
  const warmEnd = t0 + WARMUP * 1000;
  const end = warmEnd + SECONDS * 1000;
  let cpuPrev = { at: t0, ms: serverCpuMs(srv.pid) };
  const mainIsolate = () => Object.entries(srv.gcLines).sort((a, b) => b[1] - a[1])[0]?.[0];
  const lastGc = () => srv.gc.filter((g) => g.isolate === mainIsolate()).at(-1);
  const watch = new pg.Client({ connectionString: dbUrl });
  await watch.connect();
  let jobsWaiting = NaN;
  const readJobs = () =>
    watch.query<{ n: number }>('select count(*)::int as n from job where done_at is null and failed_at is null').then(
      (r) => (jobsWaiting = r.rows[0]!.n),
      () => (jobsWaiting = NaN),
    );
  const sample = (phase: MemSample['phase']) => {
    const now = performance.now();
    void readJobs(); // read for the next sample: the loop must not wait on the database
    const ms = serverCpuMs(srv.pid);
    const rss = srv.rss();
    mem.push({
      t: (now - t0) / 1000,
      rssMb: rss.total / MB,
      anonMb: rss.anon / MB,
      fileMb: rss.file / MB,
      heapMb: lastGc()?.heapAfterMb ?? NaN,
      committedMb: lastGc()?.committedMb ?? NaN,
      jobs: jobsWaiting,
      cpu: (ms - cpuPrev.ms) / (now - cpuPrev.at),
      load1: loadavg()[0]!,
      phase,
    });
    cpuPrev = { at: now, ms };
  };
  sample('warm-up');
  const loads: number[] = [];
  let started = 0;
  let dropped = 0;
  let inflight = 0;
  let measuring = false;
  let nextSample = t0 + SAMPLE_S * 1000;
  let next = t0;
  log(
    `\nsoak: ${RATE} operations/s (Poisson arrivals), at most ${MAX_INFLIGHT} at once, ${opts.connections} keep-alive sockets, ` +
      `server pool ${opts.pool}; ${WARMUP} s warm-up, then ${SECONDS} s measured; memory every ${SAMPLE_S} s`,
  );
  let snapshots = 0;
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    if (!measuring && now >= warmEnd) {
      measuring = true;
      rec = new Recorder();
      wl.rec = rec;
      started = 0;
      dropped = 0;
      if (snapDir) {
        process.kill(srv.pid, 'SIGUSR2');
        snapshots++;
      }
    }
    while (next <= now) {
      if (inflight < MAX_INFLIGHT) {
        inflight++;
        started++;
        void wl
          .runOne()
          .catch((e: unknown) => wl.rec.error('the benchmark itself', String((e as Error).stack ?? e).slice(0, 400)))
          .finally(() => inflight--);
      } else dropped++;
      next += (-Math.log(1 - Math.random()) * 1000) / RATE;
    }
    if (now >= nextSample) {
      sample(measuring ? 'soak' : 'warm-up');
      if (measuring) loads.push(loadavg()[0]!);
      nextSample += SAMPLE_S * 1000;
    }
    await sleep(Math.max(1, Math.min(next, nextSample, end) - performance.now()));
  }
  const measuredS = (performance.now() - warmEnd) / 1000;
  const drainFrom = performance.now();
  while (inflight > 0 && performance.now() - drainFrom < 35_000) await sleep(20);
  sample('after');
  if (snapDir) {
    process.kill(srv.pid, 'SIGUSR2');
    snapshots++;
    await sleep(15_000);
  }
  const maxRss = Math.max(...mem.map((m) => m.rssMb));
  await watch.end();
  const serverExit = await srv.stop();
  server = null;

  // ---------------------------------------------------------------- report
  const rows = [...rec.lat.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([name, lat]) => {
      lat.sort((a, b) => a - b);
      const e = rec.errors.get(name)?.n ?? 0;
      return [
        name,
        int(lat.length),
        (lat.length / measuredS).toFixed(2),
        msf(pct(lat, 50)),
        msf(pct(lat, 95)),
        msf(pct(lat, 99)),
        msf(lat.at(-1)!),
        String(e),
      ];
    });
  const requests = [...rec.lat.values()].reduce((a, l) => a + l.length, 0);
  const all = [...rec.lat.values()].flat().sort((a, b) => a - b);
  rows.push([
    'all requests',
    int(requests),
    (requests / measuredS).toFixed(1),
    msf(pct(all, 50)),
    msf(pct(all, 95)),
    msf(pct(all, 99)),
    msf(all.at(-1)!),
    String(rec.errorCount),
  ]);
  log(
    `\nrequests over the ${measuredS.toFixed(0)} s measured (each operation of the mix is one request, or several: a submission is 3, a processing action 2):`,
  );
  log(table(['request', 'count', 'per s', 'p50', 'p95', 'p99', 'max', 'errors'], rows));
  const weights = Object.values(MIX).reduce((a, b) => a + b, 0);
  log(
    `  operations started: ${int(started)} = ${(started / measuredS).toFixed(1)}/s (asked ${RATE}/s); dropped at the in-flight cap: ${dropped}; ` +
      `mix: ${Object.entries(MIX)
        .map(([k, v]) => `${k} ${Math.round((v / weights) * 100)}%`)
        .join(', ')}`,
  );
  log(
    `  pipeline: ${int(wl.submitted)} dossiers submitted in the run, ${int(wl.returned)} results returned, ${wl.returnedToSpecialist} returned by the ward leader to the specialist; ` +
      `waiting at the end: ${Object.entries(wl.queues)
        .map(([k, v]) => `${k} ${v.length}`)
        .join(', ')}; operations with nothing to do at their stage (ran a submission or a receive instead): ${rec.fallbacks}`,
  );
  log(
    `\nerrors (any status other than 2xx/3xx, timeouts, closed sockets): ${rec.errorCount} -> ${rec.errorCount === 0 ? 'PASS' : 'FAIL'} (goal 0)`,
  );
  for (const [name, e] of rec.errors) {
    log(`  ${name}: ${e.n}`);
    for (const x of e.examples) log(`    ${x}`);
  }

  log(
    `\nserver memory (RSS from /proc every ${SAMPLE_S} s, anonymous and file-backed; heap = V8 heap after the last full collection and the heap V8 kept committed then, from --trace-gc; jobs waiting, read 10 s before; CPU = share of one core over the interval):`,
  );
  log(
    table(
      ['t (s)', 'phase', 'RSS MB', 'anon MB', 'file MB', 'heap MB', 'committed', 'jobs waiting', 'server CPU', 'load 1 min'],
      mem.map((m) => [
        m.t.toFixed(0),
        m.phase,
        m.rssMb.toFixed(1),
        m.anonMb.toFixed(1),
        m.fileMb.toFixed(1),
        Number.isFinite(m.heapMb) ? m.heapMb.toFixed(1) : '–',
        Number.isFinite(m.committedMb) ? m.committedMb.toFixed(1) : '–',
        Number.isFinite(m.jobs) ? String(m.jobs) : '–',
        `${Math.round(m.cpu * 100)}%`,
        m.load1.toFixed(2),
      ]),
    ),
  );
  const soakMem = mem.filter((m) => m.phase === 'soak');
  const perMin = (pts: { x: number; y: number }[]) => slope(pts) * 60;
  const rssPts = soakMem.map((m) => ({ x: m.t, y: m.rssMb }));
  const half = rssPts.slice(Math.floor(rssPts.length / 2));
  const gcPts = srv.gc
    .filter((g) => g.isolate === mainIsolate() && g.at >= warmEnd && g.at <= end)
    .map((g) => ({ x: (g.at - t0) / 1000, y: g.heapAfterMb }));
  const first = soakMem[0];
  const last = soakMem.at(-1);
  log(
    `  RSS: ${mem[0]!.rssMb.toFixed(0)} MB at the start of the warm-up, ${first?.rssMb.toFixed(0)} MB at the start of the measured period, ` +
      `${last?.rssMb.toFixed(0)} MB at its end, max ${maxRss.toFixed(0)} MB -> ${maxRss < GOAL_RSS_MB ? 'PASS' : 'FAIL'} (goal < ${GOAL_RSS_MB} MB)`,
  );
  log(
    `  RSS slope over the measured period: ${perMin(rssPts).toFixed(2)} MB/min (${(perMin(rssPts) * 60).toFixed(0)} MB/h); ` +
      `over its second half: ${perMin(half).toFixed(2)} MB/min`,
  );
  log(
    `  heap after full collections: ${gcPts.length} in the measured period, first ${gcPts[0]?.y.toFixed(1) ?? '–'} MB, last ${gcPts.at(-1)?.y.toFixed(1) ?? '–'} MB, ` +
      `slope ${perMin(gcPts).toFixed(2)} MB/min`,
  );
  log(
    `  load average (1 min) during the measured period: min ${Math.min(...loads).toFixed(2)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}; after: ${la()}`,
  );
  log(
    `  server logs: ${int(srv.logs.lines)} lines (${(srv.logs.bytes / MB).toFixed(1)} MB) by level ${JSON.stringify(srv.logs.byLevel)}; ` +
      `stopped with SIGTERM, exit code ${serverExit}${snapDir ? `; ${snapshots} heap snapshots in ${snapDir}` : ''}`,
  );
  const topMsgs = Object.entries(srv.logs.byMsg)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6);
  log(`  most frequent log messages: ${topMsgs.map(([m, n]) => `"${m}" ×${int(n)}`).join(', ')}`);
  for (const l of srv.logs.errors) log(`    ${l}`);
  if (srv.stderr.length) log(`  server stderr:\n    ${srv.stderr.join('\n    ')}`);
  const counts = await (async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const r = await c.query(
        `select (select count(*) from dossier)::int as dossiers, (select count(*) from dossier_event)::int as events,
                (select count(*) from stored_file)::int as files, (select count(*) from job where done_at is not null)::int as jobs_done,
                (select count(*) from job where done_at is null and failed_at is null)::int as jobs_pending,
                (select count(*) from job where failed_at is not null)::int as jobs_failed`,
      );
      return r.rows[0]!;
    } catch (e) {
      return { error: (e as Error).message };
    } finally {
      await c.end();
    }
  })();
  log(`  database after the run: ${JSON.stringify(counts)}`);
} finally {
  pool?.close();
  if (server) await server.stop();
  if (!opts.keep) await pgAdmin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await pgAdmin.end();
  await rm(dataDir, { recursive: true, force: true });
}
