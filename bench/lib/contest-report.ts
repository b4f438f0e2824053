// The contest benchmark's report of the entries: the baselines and each step's requests, the CPU
// of the client, the server and PostgreSQL per request, and the goals.
import { cpus } from 'node:os';
import { STEPS, type ClientResult } from './contest-client.js';
import type { CpuShares } from './cpu-watch.js';
import { int, msf, table } from './report.js';

const GOAL_RATE = 500;
const GOAL_P99 = 200;
const log = (s: string) => console.log(s);

export interface Measured {
  r: ClientResult;
  c: CpuShares;
}

export interface EntriesRun {
  hello: Measured;
  health: Measured;
  contestGet: Measured;
  entries: Measured;
  /** --seconds, --connections, --participants, --questions, the think time and the requests per entry. */
  seconds: number;
  connections: number;
  participants: number;
  questions: number;
  thinkMs: number;
  requestsPerEntry: number;
}

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

export function printEntries(run: EntriesRun) {
  const { hello, health, contestGet } = run;
  const { r, c } = run.entries;
  const { seconds: SECONDS, connections: CONNECTIONS, participants: PARTICIPANTS, questions: QUESTIONS } = run;
  const { thinkMs: THINK_MS, requestsPerEntry: REQUESTS_PER_ENTRY } = run;
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
}
