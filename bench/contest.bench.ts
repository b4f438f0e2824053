// The city-wide contest at scale (issue 9, part 6; Hanoi 2019: 600,000 entries in ten days).
// 1. Entries over HTTP on PostgreSQL: virtual participants register, start an entry in a published
//    round, answer each question and submit with a prediction. Goals: >= 500 completed entries/s
//    sustained and p99 < 200 ms for each step, with 2,000 participants at once.
// 2. The ranking of a closed round of 600,000 entries (generated in SQL): freezing it (the first
//    GET .../results), reading it back, and the per-unit leaderboard, with the server's memory.
// Run: npm run bench -- contest [--participants 2000] [--rate 500] [--questions 10] [--bank 60]
//        [--answers each|sheet|with-submit] [--servers 1] [--think auto|ms] [--seconds 30] [--warmup 10] [--connections 128] [--pool 10]
//        [--only load,ranking] [--ranking-entries 600000] [--db motcua_bench_contest] [--keep] [--reuse] [--profile dir]
//        [--server-heap MB]
//      BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/): the database --db
//      (motcua_bench_contest) there is dropped, created, migrated and seeded, and dropped at the end
//      unless --keep (--reuse: measure on a database kept by an earlier --keep).
//      Three processes: the server (bench/lib/contest-server.ts: buildApp as `npm start` builds it,
//      logger off, jobs off, and a bare Fastify "hello" for the baseline), the load generator
//      (bench/lib/contest-client.ts, keep-alive sockets) and this one, which sets up, watches the
//      CPU of all three and PostgreSQL's, and prints.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_PASSWORD, seedCatalogue, seedDemoAccounts, seedUnits } from '../src/seed/seed.js';
import { ANSWER_MODES, STEPS, runClient, type AnswerMode, type ClientResult } from './lib/contest-client.js';
import { generateRound, sqlRankingSketch } from './lib/contest-ranking-data.js';
import { startServer, type ServerHandle } from './lib/contest-server.js';
import { cpuWatch } from './lib/cpu-watch.js';
import { int, msf, table } from './lib/report.js';

const { values: opts } = parseArgs({
  options: {
    participants: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '500' },
    questions: { type: 'string', default: '10' },
    bank: { type: 'string', default: '60' },
    think: { type: 'string', default: 'auto' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '128' },
    pool: { type: 'string', default: '10' },
    answers: { type: 'string', default: 'each' },
    /** Server processes (node:cluster workers sharing the port), each with its own pool of --pool. */
    servers: { type: 'string', default: '1' },
    only: { type: 'string', default: 'load,ranking' },
    'ranking-entries': { type: 'string', default: '600000' },
    db: { type: 'string', default: 'motcua_bench_contest' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    /** A directory: the server (--servers 1) writes there a V8 CPU profile of the entries' load, baselines left out (open it in Chrome DevTools). */
    profile: { type: 'string' },
    /** MB: the server's V8 heap cap (--max-old-space-size), as docs/operations.md advises operators. */
    'server-heap': { type: 'string' },
    // Accepted and ignored: scripts/bench.mjs passes every benchmark the same extra arguments.
    engine: { type: 'string' },
  },
});
const PARTICIPANTS = Number(opts.participants);
const RATE = Number(opts.rate);
const QUESTIONS = Number(opts.questions);
const BANK = Number(opts.bank);
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = Number(opts.connections);
const POOL = Number(opts.pool);
const ONLY = new Set(opts.only!.split(','));
if (!(ANSWER_MODES as readonly string[]).includes(opts.answers!)) throw new Error(`--answers must be one of ${ANSWER_MODES.join(', ')}`);
const ANSWER_MODE = opts.answers as AnswerMode;
const REQUESTS_PER_ENTRY = { each: QUESTIONS + 3, sheet: 4, 'with-submit': 3 }[ANSWER_MODE];
const RANKING_ENTRIES = Number(opts['ranking-entries']);
// A participant makes QUESTIONS + 3 requests and thinks QUESTIONS + 2 times per entry. `auto`
// offers 10% more than the goal rate, so a server that keeps up shows it.
const THINK_MS =
  opts.think === 'auto' ? Math.round(((PARTICIPANTS / RATE) * 1000) / (QUESTIONS + 2) / 1.1) : Math.max(0, Number(opts.think));
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = opts.db!;
const GOAL_RATE = 500;
const GOAL_P99 = 200;

const log = (s: string) => console.log(s);
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const dbUrl = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
})();

// ---------------------------------------------------------------- HTTP set-up calls

/** One request with node:http (no timeout: freezing a large ranking takes a while); the body read whole. */
function call(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const t = performance.now();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString('utf8'), ms: performance.now() - t }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function api<T>(port: number, method: string, path: string, auth: Record<string, string>, body: unknown, expect: number) {
  const r = await call(port, method, `/api/v1/contest${path}`, body, auth);
  if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

/** A contest with one pool of `bank` questions and one published round, open now, through the admin API. */
async function setUpContest(port: number, admin: Record<string, string>, label: string, bank: number, questions: number) {
  const c = await api<{ id: number }>(
    port,
    'POST',
    '/contests',
    admin,
    { title: { vi: `Cuộc thi đo hiệu năng ${label}`, en: `Benchmark ${label}` } },
    201,
  );
  const p = await api<{ id: number }>(
    port,
    'POST',
    `/contests/${c.id}/pools`,
    admin,
    { fieldCode: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } },
    201,
  );
  for (let i = 0; i < bank; i++) {
    const multiple = i % 3 === 2;
    await api(
      port,
      'POST',
      `/pools/${p.id}/questions`,
      admin,
      {
        kind: multiple ? 'multiple' : 'single',
        difficulty: (i % 3) + 1,
        text: { vi: `Câu hỏi số ${i + 1} về dịch vụ công trực tuyến?`, en: `Question ${i + 1} on online public services?` },
        options: [0, 1, 2, 3].map((o) => ({
          text: { vi: `Phương án ${o + 1}`, en: `Option ${o + 1}` },
          correct: o === 0 || (multiple && o === 2),
        })),
        explanation: { vi: `Giải thích ${i + 1}`, en: `Explanation ${i + 1}` },
      },
      201,
    );
  }
  const r = await api<{ id: number }>(
    port,
    'POST',
    `/contests/${c.id}/rounds`,
    admin,
    {
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      questionCount: questions,
      timeLimitSeconds: 1800,
    },
    201,
  );
  await api(port, 'POST', `/rounds/${r.id}/publish`, admin, undefined, 200);
  return { contestId: c.id, roundId: r.id };
}

// ---------------------------------------------------------------- database

async function prepareDatabase(admin: pg.Client) {
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
  const database = await openPostgres(dbUrl, 2);
  try {
    await migrateToLatest(database.db);
    await seedUnits(database.db);
    await seedCatalogue(database.db);
    await seedDemoAccounts(database.db);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- load

function stepRows(r: ClientResult, seconds: number) {
  return [...STEPS, 'get'].flatMap((s) => {
    const x = r.steps[s];
    if (!x) return [];
    const errors = Object.entries(x.errors)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    return [[s, int(x.n), int(x.n / seconds), msf(x.p50), msf(x.p95), msf(x.p99), msf(x.max), errors || '0']];
  });
}

async function loadRun(server: ServerHandle, port: number, admin: Record<string, string>, unitCodes: string[], run: number) {
  const ids = await setUpContest(port, admin, `tải ${run}`, BANK, QUESTIONS);
  const cpu = cpuWatch({ server: server.pids }, WARMUP, SECONDS);
  const r = await runClient({
    mode: 'entries',
    port,
    ...ids,
    unitCodes,
    participants: PARTICIPANTS,
    connections: CONNECTIONS,
    thinkMs: THINK_MS,
    seconds: SECONDS,
    warmup: WARMUP,
    answerMode: ANSWER_MODE,
    phoneBase: 10_000_000 + run * 5_000_000,
  });
  const c = await cpu;
  return { r, c, ids };
}

async function baseline(server: ServerHandle, port: number, path: string) {
  const cpu = cpuWatch({ server: server.pids }, 3, 10);
  const r = await runClient({ mode: 'loop', port, path, connections: Math.min(CONNECTIONS, 64), seconds: 10, warmup: 3 });
  return { r, c: await cpu };
}

// ---------------------------------------------------------------- main

const pgAdmin = new pg.Client({ connectionString: BASE_URL });
await pgAdmin.connect();
const version = (await pgAdmin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
const dataDir = await mkdtemp(join(tmpdir(), 'motcua-contest-'));
log(
  `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} before the run, ${new Date().toISOString()}; PostgreSQL ${version}, database ${BENCH_DB}`,
);
let server: ServerHandle | null = null;
try {
  if (opts.reuse) log('reusing the database of an earlier run (--reuse)');
  else await prepareDatabase(pgAdmin);
  server = await startServer(
    {
      NODE_ENV: 'test',
      DATABASE_URL: dbUrl,
      DATABASE_POOL_SIZE: String(POOL),
      DATA_DIR: dataDir,
      JOBS: 'off',
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '100000',
      // Per-IP limits on the contest (fairness, issue 9): every virtual participant comes from 127.0.0.1.
      CONTEST_RATE_LIMIT: 'off',
      ...(opts['server-heap'] ? { NODE_OPTIONS: `--max-old-space-size=${Number(opts['server-heap'])}` } : {}),
    },
    opts.profile,
    Number(opts.servers),
  );
  const port = server.port;
  const token = await call(port, 'POST', '/api/v1/auth/token', { username: 'admin@demo.motcua.vn', password: DEMO_PASSWORD });
  if (token.status !== 201) throw new Error(`admin token: ${token.status} ${token.body}`);
  const admin = { authorization: `Bearer ${(JSON.parse(token.body) as { token: string }).token}` };
  const setup = await openPostgres(dbUrl, 2);
  const units = await sql<{
    code: string;
  }>`select code from unit where level in ('commune', 'district') and valid_to is null order by code`.execute(setup.db);
  const unitCodes = units.rows.map((u) => u.code);

  if (ONLY.has('load')) {
    log(
      `\nEntries: ${int(PARTICIPANTS)} participants at once, ${QUESTIONS} questions per entry from a bank of ${BANK}, ` +
        `answers sent ${ANSWER_MODE} (${REQUESTS_PER_ENTRY} requests per entry), ${opts.servers} server process(es), ` +
        `think ${THINK_MS} ms (0.5x-1.5x) between steps, ${CONNECTIONS} keep-alive sockets, server pool ${POOL}; ` +
        `${SECONDS} s after ${WARMUP} s warm-up`,
    );
    const hello = await baseline(server, server.barePort, '/hello');
    const health = await baseline(server, port, '/healthz');
    const ids0 = await setUpContest(port, admin, 'đọc', BANK, QUESTIONS);
    const contestGet = await baseline(server, port, `/api/v1/contest/contests/${ids0.contestId}`);
    if (opts.profile) await server.startProfile();
    const { r, c } = await loadRun(server, port, admin, unitCodes, 1);
    if (opts.profile) log(`server CPU profile of the entries (warm-up included): ${await server.stopProfile()}`);
    const worst = Math.max(...STEPS.filter((s) => r.steps[s]).map((s) => r.steps[s]!.p99));
    const errs = STEPS.reduce((a, s) => a + Object.values(r.steps[s]?.errors ?? {}).reduce((x, y) => x + y, 0), 0);

    log(`\nbaselines (closed loop, ${Math.min(CONNECTIONS, 64)} sockets, 10 s after 3 s):`);
    log(
      table(
        ['what', 'requests', 'per s', 'p50', 'p95', 'p99', 'max', 'errors'],
        [
          ['bare Fastify GET /hello', ...stepRows(hello.r, 10)[0]!.slice(1)],
          ["the app's GET /healthz (its hooks and headers, no statement)", ...stepRows(health.r, 10)[0]!.slice(1)],
          ['GET /api/v1/contest/contests/:id (2 statements)', ...stepRows(contestGet.r, 10)[0]!.slice(1)],
        ],
      ),
    );
    log(`\nentries (${SECONDS} s):`);
    log(table(['step', 'requests', 'per s', 'p50', 'p95', 'p99', 'max', 'errors'], stepRows(r, SECONDS)));
    const offered = PARTICIPANTS / (((QUESTIONS + 2) * THINK_MS) / 1000);
    log(
      `  completed entries: ${int(r.completed)} = ${r.completedRate.toFixed(1)}/s (offered at most ${int(offered)}/s by the think time); ` +
        `${int(r.requestRate)} requests/s; ${r.abandoned} participants gave up after an error; ` +
        `most requests waiting for a socket in the client: ${r.maxQueued}`,
    );
    const share = (x: number) => `${Math.round(x * 100)}%`;
    const cpuLine = (what: string, x: { server: number; postgres: number; machine: number }, client: ClientResult) =>
      `  CPU (${what}, share of one core): client ${share(client.clientCoreShare)} (${client.clientCpuMsPerRequest.toFixed(3)} ms/request), ` +
      `server ${share(x.server)}, PostgreSQL ${share(x.postgres)}; machine busy ${share(x.machine)} of ${cpus().length} cores`;
    log(cpuLine('hello', hello.c, hello.r));
    log(cpuLine('healthz', health.c, health.r));
    log(cpuLine('contest GET', contestGet.c, contestGet.r));
    log(cpuLine('entries', c, r));
    // Per request, CPU time does not depend on how much of the machine others take.
    const per = (x: number, rate: number) => (x * 1000) / rate;
    const sum = r.clientCpuMsPerRequest + per(c.server, r.requestRate) + per(c.postgres, r.requestRate);
    log(
      `  CPU per entries request: client ${r.clientCpuMsPerRequest.toFixed(3)} ms, server ${per(c.server, r.requestRate).toFixed(3)} ms, ` +
        `PostgreSQL ${per(c.postgres, r.requestRate).toFixed(3)} ms; sum ${sum.toFixed(3)} ms -> ${cpus().length} idle cores would carry at most ` +
        `${int((cpus().length * 1000) / sum)} requests/s = ${int((cpus().length * 1000) / sum / REQUESTS_PER_ENTRY)} entries/s (an estimate: no queueing, no kernel time)`,
    );
    for (const [what, b] of [
      ['hello', hello],
      ['healthz', health],
      ['contest GET', contestGet],
    ] as const)
      log(
        `  CPU per ${what} request: client ${b.r.clientCpuMsPerRequest.toFixed(3)} ms, server ${per(b.c.server, b.r.requestRate).toFixed(3)} ms, ` +
          `PostgreSQL ${per(b.c.postgres, b.r.requestRate).toFixed(3)} ms`,
      );
    const ratePass = r.completedRate >= GOAL_RATE;
    log(`  goal >= ${GOAL_RATE} completed entries/s: ${r.completedRate.toFixed(1)}/s -> ${ratePass ? 'PASS' : 'FAIL'}`);
    log(`  goal p99 < ${GOAL_P99} ms for every step: worst ${msf(worst)} -> ${worst < GOAL_P99 ? 'PASS' : 'FAIL'}`);
    if (errs) log(`  !! ${errs} requests did not answer as expected (see the errors column)`);
    const mem = await server.memory();
    log(`  server memory after the load: RSS ${mb(mem.rss)}, heap ${mb(mem.heapUsed)}, peak RSS ${mb(mem.maxRss)}`);
  }

  if (ONLY.has('ranking')) {
    log(`\nRanking: one round of ${int(RANKING_ENTRIES)} entries, ${QUESTIONS} answers each (BENCH DATA, generated in SQL)`);
    const ids = await setUpContest(port, admin, 'xếp hạng', BANK, QUESTIONS);
    const gen = await generateRound(setup, ids, RANKING_ENTRIES, QUESTIONS, log);
    log(`  generated in ${(gen.seconds.participants + gen.seconds.entries + gen.seconds.answers + gen.seconds.analyze).toFixed(1)} s`);
    const before = await server.memory();
    const rows: string[][] = [];
    const timed = async (what: string, path: string) => {
      const m0 = await server!.memory();
      const t0 = performance.now();
      const res = await call(port, 'GET', `/api/v1/contest${path}`).catch((e: Error) => {
        // Out of memory, for one: say how far it got rather than stop without a figure.
        throw new Error(`${what}: failed after ${msf(performance.now() - t0)} (${e.message}); server peak RSS before: ${mb(m0.maxRss)}`);
      });
      const m1 = await server!.memory();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`);
      rows.push([
        what,
        msf(res.ms),
        `${(res.body.length / 1024 / 1024).toFixed(1)} MB`,
        mb(m1.rss),
        mb(m1.maxRss),
        mb(m1.maxRss - m0.maxRss),
      ]);
      log(`  ${what}: ${msf(res.ms)}`);
      return res;
    };
    const frozen = await timed('GET results, first call: computes and freezes the ranking', `/rounds/${ids.roundId}/results`);
    await timed('GET results again (page 1 of the stored ranking)', `/rounds/${ids.roundId}/results`);
    const middle = Math.max(1, Math.ceil(RANKING_ENTRIES / 2000));
    await timed(`GET results?page=${middle} (the middle)`, `/rounds/${ids.roundId}/results?page=${middle}`);
    const text = await timed('GET results/ranking.json (the whole published text)', `/rounds/${ids.roundId}/results/ranking.json`);
    await timed('GET leaderboard/units (districts and departments)', `/rounds/${ids.roundId}/leaderboard/units`);
    await timed('GET leaderboard/units?level=commune', `/rounds/${ids.roundId}/leaderboard/units?level=commune`);
    await timed('GET leaderboard/units?level=school', `/rounds/${ids.roundId}/leaderboard/units?level=school`);
    const ranked = JSON.parse(frozen.body) as {
      actualAllCorrect: number;
      hash: string;
      total: number;
      entries: { entryId: number; rank: number }[];
    };
    const textHash = createHash('sha256').update(text.body, 'utf8').digest('hex');
    log(
      `  published text: ${int(ranked.total)} entries, SHA-256 ${textHash === ranked.hash ? 'equals' : 'DIFFERS FROM'} the published hash`,
    );
    // The plan (bench/README.md): the same order from one SQL statement; it must agree with the frozen one.
    const sketch = await sqlRankingSketch(setup, ids.roundId, 1000);
    const agree =
      sketch.rows[0]?.actual === ranked.actualAllCorrect &&
      sketch.rows.every((x, i) => ranked.entries[i]?.entryId === x.entry_id && ranked.entries[i]?.rank === x.rank);
    log(
      `  sketch of the plan, the ranking in one SQL statement (not the application's code): ${msf(sketch.ms)}; ` +
        `actual all-correct ${sketch.rows[0]?.actual} vs ${ranked.actualAllCorrect} frozen; first ${sketch.rows.length} rows ` +
        `${agree ? 'identical to the frozen ranking' : 'DIFFER from the frozen ranking'}`,
    );
    const size = await sql<{ r: string; a: string }>`select pg_size_pretty(pg_total_relation_size('contest_ranking_entry')) as r,
      pg_size_pretty(pg_total_relation_size('contest_answer')) as a`.execute(setup.db);
    log(
      table(['call', 'time', 'response', 'server RSS after', 'server peak RSS', 'peak grew by'], rows) +
        `\n  server RSS before: ${mb(before.rss)}${opts['server-heap'] ? ` (heap capped at ${opts['server-heap']} MB)` : ''}; ` +
        `the stored ranking: ${size.rows[0]!.r} (contest_ranking_entry with its indexes); contest_answer with its index: ${size.rows[0]!.a}`,
    );
  }
  await setup.close();
} finally {
  await server?.stop();
  if (!opts.keep && !opts.reuse) await pgAdmin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await pgAdmin.end();
  await rm(dataDir, { recursive: true, force: true });
}
