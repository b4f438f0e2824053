// The contest benchmark's load generator, in its own process (runClient forks it): virtual
// participants that each register, start an entry in the published round, answer every question
// and submit with a prediction, then start over as a new participant; every request goes over a
// shared pool of keep-alive sockets (keepalive-pool.ts). Between two steps a participant "thinks"
// for a random time around `thinkMs` (uniform 0.5x-1.5x), so 2,000 participants make a steady
// stream rather than 2,000 requests at once. Also a closed-loop mode without thinking for the
// baseline (`GET` one path as fast as the sockets allow).
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { KeepAlivePool, type Reply } from './keepalive-pool.js';

export const STEPS = ['register', 'start', 'answer', 'answers', 'submit'] as const;
/**
 * How a participant sends answers: `each` saves every answer as it is chosen (the page's script,
 * QUESTIONS + 3 requests), `sheet` saves the whole sheet in one PUT before submitting (4 requests),
 * `with-submit` sends the sheet with the submission, as the page without JavaScript does (3).
 */
export const ANSWER_MODES = ['each', 'sheet', 'with-submit'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];
export type Step = (typeof STEPS)[number];

export interface EntriesSpec {
  mode: 'entries';
  port: number;
  contestId: number;
  roundId: number;
  unitCodes: string[];
  participants: number;
  connections: number;
  thinkMs: number;
  seconds: number;
  warmup: number;
  answerMode: AnswerMode;
  /** First phone number used (as an integer after the leading 0), so runs on one contest never collide. */
  phoneBase: number;
  /** Each participant sends its own X-Forwarded-For address (the server trusts the proxy), so per-IP limits apply as in production. */
  forwardedFor: boolean;
}

export interface LoopSpec {
  mode: 'loop';
  port: number;
  path: string;
  connections: number;
  seconds: number;
  warmup: number;
}

export interface StepStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses other than the expected 200/201, by status and error code. */
  errors: Record<string, number>;
}

export interface ClientResult {
  /** Entries whose submission answered 200 inside the measured period. */
  completed: number;
  completedRate: number;
  requests: number;
  requestRate: number;
  steps: Record<string, StepStats>;
  /** CPU of this process over the measured period: per request (ms) and as a share of one core. */
  clientCpuMsPerRequest: number;
  clientCoreShare: number;
  /** Most requests ever waiting for a free socket in the client (its own queue). */
  maxQueued: number;
  /** Participants that gave up after an error (they start over as new participants). */
  abandoned: number;
  /** Participants active at the end of the measured period. */
  active: number;
}

function pct(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

function stats(lat: number[], errors: Record<string, number>): StepStats {
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: lat.at(-1) ?? NaN, errors };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Recorder {
  lat = new Map<string, number[]>();
  errors = new Map<string, Record<string, number>>();
  completed = 0;
  cpu0: NodeJS.CpuUsage | null = null;
  at0 = 0;
  cpu: NodeJS.CpuUsage | null = null;
  at1 = 0;
  maxQueued = 0;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  inWindow(now: number) {
    if (now < this.from) return false;
    if (now > this.to) {
      if (!this.cpu && this.cpu0) {
        this.cpu = process.cpuUsage(this.cpu0);
        this.at1 = now;
      }
      return false;
    }
    if (!this.cpu0) {
      this.cpu0 = process.cpuUsage();
      this.at0 = now;
    }
    return true;
  }

  record(step: string, started: number, r: Reply | Error, ok: number[]) {
    const now = performance.now();
    if (!this.inWindow(now)) return;
    const good = !(r instanceof Error) && ok.includes(r.status);
    if (good) {
      let l = this.lat.get(step);
      if (!l) this.lat.set(step, (l = []));
      l.push(now - started);
      return;
    }
    const e = this.errors.get(step) ?? {};
    const key = r instanceof Error ? r.message : `${r.status} ${/"code":"([a-z_]+)"/.exec(r.body)?.[1] ?? ''}`.trim();
    e[key] = (e[key] ?? 0) + 1;
    this.errors.set(step, e);
  }
}

async function runEntries(spec: EntriesSpec): Promise<ClientResult> {
  const pool = new KeepAlivePool(spec.port, spec.connections);
  const start = performance.now();
  const rec = new Recorder(start + spec.warmup * 1000, start + (spec.warmup + spec.seconds) * 1000);
  let phone = spec.phoneBase;
  let abandoned = 0;
  let active = 0;
  const think = () => sleep(spec.thinkMs * (0.5 + Math.random()));
  const step = async (
    name: Step,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    ok: number[],
    method: 'POST' | 'PUT' = 'POST',
  ) => {
    const t = performance.now();
    let r: Reply | Error;
    try {
      r = await pool.request(method, path, body, headers);
    } catch (e) {
      r = e as Error;
    }
    if (pool.queued > rec.maxQueued) rec.maxQueued = pool.queued;
    rec.record(name, t, r, ok);
    if (r instanceof Error || !ok.includes(r.status)) return null;
    return JSON.parse(r.body) as Record<string, unknown>;
  };

  const participant = async (i: number) => {
    // Spread the first arrivals over the warm-up (or one think time), not all at once.
    await sleep(Math.random() * Math.max(spec.warmup * 1000 * 0.8, spec.thinkMs));
    while (performance.now() < rec.to) {
      active++;
      const done = await oneEntry(i);
      active--;
      if (!done) abandoned++;
    }
  };

  const oneEntry = async (i: number): Promise<boolean> => {
    const n = phone++;
    const from: Record<string, string> = spec.forwardedFor
      ? { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }
      : {};
    const reg = await step(
      'register',
      `/api/v1/contest/contests/${spec.contestId}/participants`,
      { name: `Người Thi Thử ${n}`, phone: `09${String(n).padStart(8, '0')}`, unitCode: spec.unitCodes[(i + n) % spec.unitCodes.length] },
      from,
      [201],
    );
    if (!reg) return false;
    const auth = { ...from, 'x-contest-token': reg.token as string };
    await think();
    const entry = (await step('start', `/api/v1/contest/rounds/${spec.roundId}/start`, undefined, auth, [201])) as {
      entryId: number;
      questions: { id: number; kind: string; options: { id: string }[] }[];
    } | null;
    if (!entry) return false;
    // Answers are random, so scores spread; a multiple-choice question gets one or two options.
    const sheet = entry.questions.map((q) => {
      const opts = q.options.map((o) => o.id).sort(() => Math.random() - 0.5);
      return { questionId: q.id, chosen: q.kind === 'multiple' && Math.random() < 0.5 ? opts.slice(0, 2) : opts.slice(0, 1) };
    });
    // The participant reads and chooses for as long in every mode; only the requests differ.
    for (const a of sheet) {
      await think();
      if (spec.answerMode !== 'each') continue;
      if (!(await step('answer', `/api/v1/contest/entries/${entry.entryId}/answers`, a, auth, [200]))) return false;
    }
    if (spec.answerMode === 'sheet') {
      if (!(await step('answers', `/api/v1/contest/entries/${entry.entryId}/answers`, { answers: sheet }, auth, [200], 'PUT')))
        return false;
    }
    await think();
    const s = await step(
      'submit',
      `/api/v1/contest/entries/${entry.entryId}/submit`,
      { prediction: Math.floor(Math.random() * 5000), ...(spec.answerMode === 'with-submit' ? { answers: sheet } : {}) },
      auth,
      [200],
    );
    if (!s) return false;
    if (rec.inWindow(performance.now())) rec.completed++;
    return true;
  };

  await Promise.all(Array.from({ length: spec.participants }, (_, i) => participant(i)));
  pool.close();
  return result(rec, spec.seconds, abandoned, active);
}

async function runLoop(spec: LoopSpec): Promise<ClientResult> {
  const pool = new KeepAlivePool(spec.port, spec.connections);
  const start = performance.now();
  const rec = new Recorder(start + spec.warmup * 1000, start + (spec.warmup + spec.seconds) * 1000);
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < rec.to) {
        const t = performance.now();
        let r: Reply | Error;
        try {
          r = await pool.request('GET', spec.path);
        } catch (e) {
          r = e as Error;
        }
        rec.record('get', t, r, [200]);
      }
    }),
  );
  pool.close();
  return result(rec, spec.seconds, 0, 0);
}

function result(rec: Recorder, seconds: number, abandoned: number, active: number): ClientResult {
  rec.inWindow(rec.to + 1);
  const steps: Record<string, StepStats> = {};
  let requests = 0;
  for (const name of new Set([...rec.lat.keys(), ...rec.errors.keys()])) {
    const s = stats(rec.lat.get(name) ?? [], rec.errors.get(name) ?? {});
    steps[name] = s;
    requests += s.n + Object.values(s.errors).reduce((a, b) => a + b, 0);
  }
  const cpuMs = rec.cpu ? (rec.cpu.user + rec.cpu.system) / 1000 : NaN;
  const wallMs = rec.at1 - rec.at0;
  return {
    completed: rec.completed,
    completedRate: rec.completed / seconds,
    requests,
    requestRate: requests / seconds,
    steps,
    clientCpuMsPerRequest: cpuMs / requests,
    clientCoreShare: cpuMs / wallMs,
    maxQueued: rec.maxQueued,
    abandoned,
    active,
  };
}

/** Runs the load in a child process and returns its figures. */
export function runClient(spec: EntriesSpec | LoopSpec): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ClientResult | null = null;
    child.on('message', (m) => {
      result = m as ClientResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`contest client exited with ${code}`))));
    child.send(spec);
  });
}

if (process.argv.includes('--child')) {
  process.once('message', (spec: EntriesSpec | LoopSpec) => {
    void (spec.mode === 'entries' ? runEntries(spec) : runLoop(spec)).then((r) => {
      process.send!(r, () => process.exit(0));
    });
  });
}
