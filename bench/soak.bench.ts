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
import { DEMO_PASSWORD } from '../src/seed/seed.js';
import { runLoad } from './lib/http-load.js';
import { KeepAlivePool } from './lib/keepalive-pool.js';
import { int, msf } from './lib/report.js';
import { startSoakServer, type SoakServer } from './lib/soak-server.js';
import { printReport, type MemSample } from './lib/soak-report.js';
import { prepareDatabase, readCatalogue } from './lib/soak-setup.js';
import { Recorder, Workload, type Accounts } from './lib/soak-workload.js';

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

function serverCpuMs(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  await prepareDatabase(pgAdmin, BENCH_DB, dbUrl);
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
  const cat = await readCatalogue(dbUrl);

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

  await printReport({
    rec,
    wl,
    srv,
    mem,
    loads,
    maxRss,
    t0,
    warmEnd,
    end,
    measuredS,
    started,
    dropped,
    mainIsolate,
    serverExit,
    snapDir,
    snapshots,
    rate: RATE,
    sampleS: SAMPLE_S,
    dbUrl,
  });
} finally {
  pool?.close();
  if (server) await server.stop();
  if (!opts.keep) await pgAdmin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await pgAdmin.end();
  await rm(dataDir, { recursive: true, force: true });
}
