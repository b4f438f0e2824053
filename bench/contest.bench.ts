// The city-wide contest at scale (issue 9, part 6; Hanoi 2019: 600,000 entries in ten days).
// 1. Entries over HTTP on PostgreSQL: virtual participants register, start an entry in a published
//    round, answer each question and submit with a prediction. Goals: >= 500 completed entries/s
//    sustained and p99 < 200 ms for each step, with 2,000 participants at once.
// 2. The ranking of a closed round of 600,000 entries (generated in SQL): freezing it (the first
//    GET .../results), reading it back, and the per-unit leaderboard, with the server's memory.
// Run: npm run bench -- contest [--participants 2000] [--rate 500] [--questions 10] [--bank 60]
//        [--answers each|sheet|with-submit] [--rate-limit on|off] [--servers 1] [--think auto|ms] [--seconds 30] [--warmup 10] [--connections 128] [--pool 10]
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
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../src/db/engine.js';
import { DEMO_PASSWORD } from '../src/seed/seed.js';
import { ANSWER_MODES, runClient, type AnswerMode } from './lib/contest-client.js';
import { generateRound, sqlRankingSketch } from './lib/contest-ranking-data.js';
import { printEntries } from './lib/contest-report.js';
import { startServer, type ServerHandle } from './lib/contest-server.js';
import { call, prepareDatabase, setUpContest } from './lib/contest-setup.js';
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
    /** The contest's rate limiter (one counter upsert per request, batched): on as in production, each participant from its own address. */
    'rate-limit': { type: 'string', default: 'on' },
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
if (opts['rate-limit'] !== 'on' && opts['rate-limit'] !== 'off') throw new Error('--rate-limit must be on or off');
const RATE_LIMIT = opts['rate-limit'] === 'on';
const REQUESTS_PER_ENTRY = { each: QUESTIONS + 3, sheet: 4, 'with-submit': 3 }[ANSWER_MODE];
const RANKING_ENTRIES = Number(opts['ranking-entries']);
// A participant makes QUESTIONS + 3 requests and thinks QUESTIONS + 2 times per entry. `auto`
// offers 10% more than the goal rate, so a server that keeps up shows it.
const THINK_MS =
  opts.think === 'auto' ? Math.round(((PARTICIPANTS / RATE) * 1000) / (QUESTIONS + 2) / 1.1) : Math.max(0, Number(opts.think));
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const BENCH_DB = opts.db!;

const log = (s: string) => console.log(s);
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const dbUrl = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
})();

// ---------------------------------------------------------------- load

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
    forwardedFor: RATE_LIMIT,
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
  else await prepareDatabase(pgAdmin, BENCH_DB, dbUrl);
  server = await startServer(
    {
      NODE_ENV: 'test',
      DATABASE_URL: dbUrl,
      DATABASE_POOL_SIZE: String(POOL),
      DATA_DIR: dataDir,
      JOBS: 'off',
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '100000',
      // Every virtual participant connects from 127.0.0.1: with the limiter on, each says where it
      // comes from in X-Forwarded-For, as the load balancer would in production.
      CONTEST_RATE_LIMIT: RATE_LIMIT ? 'on' : 'off',
      TRUST_PROXY: RATE_LIMIT ? 'true' : 'false',
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
        `answers sent ${ANSWER_MODE} (${REQUESTS_PER_ENTRY} requests per entry), rate limiter ${RATE_LIMIT ? 'on' : 'off'}, ${opts.servers} server process(es), ` +
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

    printEntries({
      hello,
      health,
      contestGet,
      entries: { r, c },
      seconds: SECONDS,
      connections: CONNECTIONS,
      participants: PARTICIPANTS,
      questions: QUESTIONS,
      thinkMs: THINK_MS,
      requestsPerEntry: REQUESTS_PER_ENTRY,
    });
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
