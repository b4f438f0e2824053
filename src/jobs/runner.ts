import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/types.js';

// Durable background work (DESIGN.md §2): a job row is written in the same transaction as the
// change that causes it (outbox), so a rolled-back change never runs its job and a committed one
// always does, at least once. Workers claim due rows with FOR UPDATE SKIP LOCKED and a lease
// (locked_until); a worker that dies mid-job loses its lease and the job is claimed again. So
// handlers must be idempotent, or make a repeat recognisable (see notify.service.ts).

type Q = Kysely<DB> | Transaction<DB>;

/** The part of a pino/Fastify logger the runner uses. */
export interface JobLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobInfo {
  id: number;
  queue: string;
  /** Including this run: 1 on the first run. */
  attempts: number;
  maxAttempts: number;
}

export type JobHandler = (payload: unknown, job: JobInfo) => Promise<void>;

export interface JobRunnerOptions {
  /** Pause between polls when no job was due (default 1000 ms). */
  pollMs?: number;
  /** Jobs claimed per round (default 10). */
  batch?: number;
  /** Lease on a claimed job; after it the job may be claimed again (default 300 s). A handler is given up on after this long. */
  lockSeconds?: number;
}

/** Thrown by a handler when retrying cannot help (bad payload, invalid address): the job fails at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_CAP_MS = 60 * 60 * 1000;

/**
 * Delay before the next attempt after `attempts` failed runs: 10 s * 2^(attempts-1), capped at
 * 1 h, minus up to 25 % jitter so that jobs that failed together do not retry together.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 - 0.25 * random()));
}

interface ClaimedJob {
  id: number;
  queue: string;
  payload: unknown;
  run_at: Date;
  attempts: number;
  max_attempts: number;
}

const MAX_ERROR_LENGTH = 2000;

function describeError(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

class HandlerTimeout extends Error {
  override name = 'HandlerTimeout';
}

export class JobRunner {
  readonly #db: Kysely<DB>;
  readonly #log: JobLog;
  readonly #pollMs: number;
  readonly #batch: number;
  readonly #lockSeconds: number;
  readonly #handlers = new Map<string, JobHandler>();
  #running = false;
  /** Set by stop(): the claimed jobs not started yet are handed back instead of run. */
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<unknown> | null = null;

  constructor(db: Kysely<DB>, log: JobLog, opts: JobRunnerOptions = {}) {
    this.#db = db;
    this.#log = log;
    this.#pollMs = opts.pollMs ?? 1000;
    this.#batch = opts.batch ?? 10;
    this.#lockSeconds = opts.lockSeconds ?? 300;
    if (!(this.#batch >= 1) || !(this.#lockSeconds > 0) || !(this.#pollMs >= 0)) throw new Error('JobRunner: invalid options');
  }

  register(queue: string, handler: JobHandler): void {
    if (this.#handlers.has(queue)) throw new Error(`JobRunner: a handler for queue "${queue}" is already registered`);
    this.#handlers.set(queue, handler);
  }

  get queues(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Polls until stop(): a round starts only after the previous one finished, at once when it was full. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    const tick = async () => {
      this.#timer = null;
      let processed = 0;
      const round = this.runOnce().then(
        (n) => (processed = n),
        (e: unknown) => this.#log.error({ err: e }, 'job runner: polling failed'),
      );
      this.#inFlight = round;
      await round;
      this.#inFlight = null;
      if (this.#running) this.#timer = setTimeout(() => void tick(), processed >= this.#batch ? 0 : this.#pollMs);
    };
    this.#timer = setTimeout(() => void tick(), 0);
  }

  /**
   * Stops polling and waits for the job in flight to finish; the jobs of its batch not started yet
   * go back to pending at once (other workers, or this one after a restart, take them without
   * waiting for their lease to run out).
   */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#inFlight;
  }

  /**
   * Frees every lease at once, making the jobs they hold claimable now. Only for a process that
   * knows it is the sole worker: on the embedded engine the data-directory lock guarantees it, so
   * any lease found at boot belongs to a process that died (kill -9, power loss) mid-job, and
   * waiting out its lease would only delay those messages. Returns the number of jobs freed.
   */
  async releaseAllLeases(): Promise<number> {
    const r = await this.#db
      .updateTable('job')
      .set({ locked_until: null })
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('locked_until', 'is not', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Claims the due jobs of the registered queues (up to one batch), runs them, and returns how many it processed. */
  async runOnce(): Promise<number> {
    const jobs = await this.#claim();
    let started = 0;
    for (const job of jobs) {
      if (this.#stopping) break;
      started++;
      await this.#run(job);
    }
    if (started < jobs.length) await this.#release(jobs.slice(started));
    return started;
  }

  /** Runs rounds until none finds a due job (jobs retried later are not waited for); returns the number processed. */
  async runUntilIdle(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const n = await this.runOnce();
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  // One statement, so one short transaction of its own: the row locks taken by SKIP LOCKED are
  // held only while the lease is written, and a concurrent worker skips those rows instead of
  // waiting. The lease (locked_until) then keeps the job from other workers while it runs outside
  // any transaction; PGlite (one session, no concurrency) relies on the lease alone. The claiming
  // CTE is MATERIALIZED so the planner cannot run the locking subquery more than once.
  async #claim(): Promise<ClaimedJob[]> {
    const queues = this.queues;
    if (queues.length === 0) return [];
    const { rows } = await sql<ClaimedJob>`
      with due as materialized (
        select id from job
        where done_at is null and failed_at is null and run_at <= now()
          and (locked_until is null or locked_until < now())
          and queue in (${sql.join(queues)})
        order by run_at, id
        limit ${this.#batch}
        for update skip locked
      )
      update job set locked_until = now() + make_interval(secs => ${this.#lockSeconds}), attempts = job.attempts + 1
      from due where job.id = due.id
      returning job.id, job.queue, job.payload, job.run_at, job.attempts, job.max_attempts
    `.execute(this.#db);
    return rows.sort((a, b) => new Date(a.run_at).getTime() - new Date(b.run_at).getTime() || a.id - b.id);
  }

  // Undoes the claim of jobs that never ran: no lease, and the attempt it counted is given back.
  // Matching the attempt count leaves alone a job someone else claimed since (cannot happen while
  // our lease holds, but costs nothing).
  async #release(jobs: ClaimedJob[]): Promise<void> {
    try {
      for (const job of jobs) {
        await this.#db
          .updateTable('job')
          .set({ locked_until: null, attempts: job.attempts - 1 })
          .where('id', '=', job.id)
          .where('attempts', '=', job.attempts)
          .where('done_at', 'is', null)
          .where('failed_at', 'is', null)
          .execute();
      }
      this.#log.info({ jobs: jobs.map((j) => j.id) }, 'job runner: stopping, claimed jobs released');
    } catch (e) {
      // Their lease runs out on its own; they are only delayed.
      this.#log.error({ err: e }, 'job runner: could not release claimed jobs');
    }
  }

  async #run(job: ClaimedJob): Promise<void> {
    const handler = this.#handlers.get(job.queue);
    const info: JobInfo = { id: job.id, queue: job.queue, attempts: job.attempts, maxAttempts: job.max_attempts };
    let error: unknown = null;
    try {
      if (!handler) throw new PermanentJobError(`no handler for queue "${job.queue}"`);
      await this.#withTimeout(handler(job.payload, info));
    } catch (e) {
      error = e ?? new Error('handler threw a nullish value');
    }
    // The finishing update matches the attempt count written by our claim: if our lease ran out
    // and another worker claimed the job meanwhile, its outcome is the one that counts.
    const mine = this.#db.updateTable('job').where('id', '=', job.id).where('attempts', '=', job.attempts).where('done_at', 'is', null);
    try {
      if (error === null) {
        await mine.set({ done_at: sql<Date>`now()`, locked_until: null, last_error: null }).execute();
        return;
      }
      const message = describeError(error);
      if (error instanceof PermanentJobError || job.attempts >= job.max_attempts) {
        await mine.set({ failed_at: sql<Date>`now()`, locked_until: null, last_error: message }).execute();
        this.#log.error({ job: info, error: message }, 'job failed for good');
      } else {
        const delay = backoffMs(job.attempts);
        await mine
          .set({ run_at: sql<Date>`now() + make_interval(secs => ${delay / 1000})`, locked_until: null, last_error: message })
          .execute();
        this.#log.warn({ job: info, error: message, retryInMs: delay }, 'job failed, will retry');
      }
    } catch (e) {
      // The lease expires on its own, so the job will be claimed again.
      this.#log.error({ job: info, err: e }, 'job runner: could not record the outcome of a job');
    }
  }

  #withTimeout(p: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeout(`handler took longer than ${this.#lockSeconds} s`)), this.#lockSeconds * 1000);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Writes a job in the caller's transaction (outbox): it becomes visible to workers only when that
 * transaction commits, and disappears with it on rollback. Returns the job id.
 */
export async function enqueue(trx: Q, queue: string, payload: unknown, opts: { runAt?: Date; maxAttempts?: number } = {}): Promise<number> {
  const row = await trx
    .insertInto('job')
    .values({
      queue,
      payload: JSON.stringify(payload ?? null),
      ...(opts.runAt ? { run_at: opts.runAt } : {}),
      ...(opts.maxAttempts !== undefined ? { max_attempts: opts.maxAttempts } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
