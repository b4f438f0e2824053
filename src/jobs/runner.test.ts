import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, testDatabase } from '../../test/helpers/db.js';
import type { Database } from '../db/engine.js';
import { backoffMs, enqueue, JobRunner, PermanentJobError, type JobLog } from './runner.js';

function quietLog(): JobLog & { entries: { level: string; obj: object; msg?: string | undefined }[] } {
  const entries: { level: string; obj: object; msg?: string | undefined }[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
  };
}

describe(`job runner (${ENGINE})`, () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());

  const jobsOf = (queue: string) => database.db.selectFrom('job').selectAll().where('queue', '=', queue).orderBy('id').execute();
  // Makes retried jobs due now, as if their backoff had elapsed.
  const makeDue = (queue: string) =>
    database.db
      .updateTable('job')
      .set({ run_at: sql<Date>`now() - interval '1 second'` })
      .where('queue', '=', queue)
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .execute();

  test('backoff doubles from 10 s, is capped at 1 h, and has at most 25 % jitter', () => {
    assert.equal(
      backoffMs(1, () => 0),
      10_000,
    );
    assert.equal(
      backoffMs(2, () => 0),
      20_000,
    );
    assert.equal(
      backoffMs(4, () => 0),
      80_000,
    );
    assert.equal(
      backoffMs(30, () => 0),
      3_600_000,
    );
    assert.equal(
      backoffMs(1, () => 1),
      7_500,
    );
    for (let i = 0; i < 100; i++) {
      const d = backoffMs(3);
      assert.ok(d >= 30_000 && d <= 40_000, String(d));
    }
  });

  test('every committed job runs exactly once, with its payload, in run_at order', async () => {
    const runner = new JobRunner(database.db, quietLog(), { batch: 3 });
    const seen: { payload: unknown; id: number; attempts: number }[] = [];
    runner.register('t.once', async (payload, job) => {
      seen.push({ payload, id: job.id, attempts: job.attempts });
    });
    const ids = await database.db.transaction().execute(async (trx) => {
      const out: number[] = [];
      for (let i = 0; i < 7; i++) out.push(await enqueue(trx, 't.once', { n: i, text: 'Hồ sơ số ' + i }));
      return out;
    });
    const later = await enqueue(database.db, 't.once', { n: 'later' }, { runAt: new Date(Date.now() + 3_600_000) });

    assert.equal(await runner.runUntilIdle(), 7);
    assert.equal(await runner.runOnce(), 0);
    assert.deepEqual(
      seen.map((s) => s.id),
      ids,
    );
    assert.deepEqual(seen[2]!.payload, { n: 2, text: 'Hồ sơ số 2' });
    assert.ok(seen.every((s) => s.attempts === 1));
    const rows = await jobsOf('t.once');
    for (const r of rows.filter((r) => r.id !== later)) {
      assert.ok(r.done_at, `job ${r.id} done`);
      assert.equal(r.attempts, 1);
      assert.equal(r.locked_until, null);
      assert.equal(r.last_error, null);
    }
    const future = rows.find((r) => r.id === later)!;
    assert.equal(future.done_at, null);
    assert.equal(future.attempts, 0, 'a job due later is not claimed');
  });

  test('a failing job is retried with growing backoff, then marked failed after max_attempts', async () => {
    const log = quietLog();
    const runner = new JobRunner(database.db, log);
    let runs = 0;
    runner.register('t.flaky', async (_payload, job) => {
      runs++;
      throw new Error(`SMTP down (attempt ${job.attempts})`);
    });
    const id = await enqueue(database.db, 't.flaky', { x: 1 }, { maxAttempts: 3 });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      assert.equal(await runner.runOnce(), 1);
      const [job] = await jobsOf('t.flaky');
      const now = Number((await sql<{ t: number }>`select extract(epoch from now()) * 1000 as t`.execute(database.db)).rows[0]!.t);
      assert.equal(job!.id, id);
      assert.equal(job!.attempts, attempt);
      assert.equal(job!.locked_until, null);
      assert.equal(job!.failed_at, null);
      assert.match(job!.last_error!, new RegExp(`SMTP down \\(attempt ${attempt}\\)`));
      const delay = new Date(job!.run_at).getTime() - now;
      delays.push(delay);
      const base = 10_000 * 2 ** (attempt - 1);
      assert.ok(delay >= base * 0.75 - 1000 && delay <= base + 1000, `attempt ${attempt}: retry in ${delay} ms`);
      assert.equal(await runner.runOnce(), 0, 'not retried before its backoff');
      await makeDue('t.flaky');
    }
    assert.ok(delays[1]! > delays[0]!);

    assert.equal(await runner.runOnce(), 1);
    const [job] = await jobsOf('t.flaky');
    assert.equal(job!.attempts, 3);
    assert.ok(job!.failed_at, 'failed after max_attempts');
    assert.equal(job!.done_at, null);
    assert.match(job!.last_error!, /attempt 3/);
    await makeDue('t.flaky');
    assert.equal(await runner.runUntilIdle(), 0, 'a failed job is never run again');
    assert.equal(runs, 3);
    assert.ok(log.entries.some((e) => e.level === 'error' && e.msg === 'job failed for good'));
  });

  test('a PermanentJobError fails the job at once', async () => {
    const runner = new JobRunner(database.db, quietLog());
    runner.register('t.permanent', async () => {
      throw new PermanentJobError('not a Vietnamese mobile number');
    });
    await enqueue(database.db, 't.permanent', {});
    await runner.runUntilIdle();
    const [job] = await jobsOf('t.permanent');
    assert.equal(job!.attempts, 1);
    assert.ok(job!.failed_at);
    assert.match(job!.last_error!, /not a Vietnamese mobile number/);
  });

  test('a job enqueued in a rolled-back transaction never runs', async () => {
    const runner = new JobRunner(database.db, quietLog());
    let runs = 0;
    runner.register('t.rollback', async () => {
      runs++;
    });
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await enqueue(trx, 't.rollback', { doomed: true });
        throw new Error('the dossier change failed');
      }),
      /the dossier change failed/,
    );
    assert.equal(await runner.runUntilIdle(), 0);
    assert.equal(runs, 0);
    assert.equal((await jobsOf('t.rollback')).length, 0);
  });

  test('a job whose worker died (lease expired) is claimed again; a live lease is respected', async () => {
    const runner = new JobRunner(database.db, quietLog());
    const attempts: number[] = [];
    runner.register('t.lease', async (_p, job) => {
      attempts.push(job.attempts);
    });
    const id = await enqueue(database.db, 't.lease', {});
    // Another worker claimed it and is still within its lease.
    await database.db
      .updateTable('job')
      .set({ attempts: 1, locked_until: sql<Date>`now() + interval '5 minutes'` })
      .where('id', '=', id)
      .execute();
    assert.equal(await runner.runOnce(), 0);
    // That worker crashed: the lease runs out.
    await database.db
      .updateTable('job')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();
    assert.equal(await runner.runOnce(), 1);
    assert.deepEqual(attempts, [2]);
    const [job] = await jobsOf('t.lease');
    assert.ok(job!.done_at);
  });

  test('releaseAllLeases frees the jobs of a worker that died, and only pending ones', async () => {
    const runner = new JobRunner(database.db, quietLog());
    const ran: number[] = [];
    runner.register('t.lease-dead', async (p) => {
      ran.push((p as { n: number }).n);
    });
    const held = await enqueue(database.db, 't.lease-dead', { n: 1 });
    const done = await enqueue(database.db, 't.lease-dead', { n: 2 });
    await database.db
      .updateTable('job')
      .set({ attempts: 1, locked_until: sql<Date>`now() + interval '5 minutes'` })
      .where('id', 'in', [held, done])
      .execute();
    await database.db
      .updateTable('job')
      .set({ done_at: sql<Date>`now()` })
      .where('id', '=', done)
      .execute();
    assert.equal(await runner.runOnce(), 0, 'a live lease keeps the job');
    // (Jobs of other tests in this database may be released too: at least ours.)
    assert.ok((await runner.releaseAllLeases()) >= 1);
    assert.equal(await runner.runOnce(), 1);
    assert.deepEqual(ran, [1]);
    const finished = await database.db.selectFrom('job').select('locked_until').where('id', '=', done).executeTakeFirstOrThrow();
    assert.ok(finished.locked_until, 'a finished job is left as it was');
  });

  test('only registered queues are claimed', async () => {
    const runner = new JobRunner(database.db, quietLog());
    runner.register('t.mine', async () => {});
    await enqueue(database.db, 't.someone-else', {});
    await enqueue(database.db, 't.mine', {});
    assert.equal(await runner.runUntilIdle(), 1);
    const [other] = await jobsOf('t.someone-else');
    assert.equal(other!.attempts, 0);
    assert.throws(() => runner.register('t.mine', async () => {}), /already registered/);
  });

  test('start() polls; stop() waits for the batch in flight', async () => {
    const runner = new JobRunner(database.db, quietLog(), { pollMs: 20 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    runner.register('t.loop', async () => {
      started();
      await gate;
    });
    runner.start();
    await enqueue(database.db, 't.loop', {});
    await running;
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(stopped, false, 'stop() waits for the handler');
    release();
    await stopping;
    const [job] = await jobsOf('t.loop');
    assert.ok(job!.done_at, 'the in-flight job was finished, not abandoned');
    await enqueue(database.db, 't.loop', {});
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await jobsOf('t.loop'))[1]!.attempts, 0, 'no polling after stop()');
  });

  test('stop() hands back the jobs of the batch that had not started: pending again at once, their attempt not counted', async () => {
    const runner = new JobRunner(database.db, quietLog(), { pollMs: 20 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const ran: number[] = [];
    runner.register('t.release', async (payload) => {
      ran.push((payload as { n: number }).n);
      started();
      await gate;
    });
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 4; n++) await enqueue(trx, 't.release', { n });
    });
    runner.start();
    await running;
    const claimed = await jobsOf('t.release');
    assert.equal(claimed.filter((j) => j.locked_until !== null).length, 4, 'one round claimed the whole batch');
    const stopping = runner.stop();
    release();
    await stopping;
    assert.deepEqual(ran, [0], 'nothing started after stop()');
    const jobs = await jobsOf('t.release');
    assert.ok(jobs[0]!.done_at, 'the job in flight was finished');
    for (const j of jobs.slice(1)) {
      assert.equal(j.done_at, null);
      assert.equal(j.locked_until, null, 'no lease left to wait out');
      assert.equal(j.attempts, 0);
    }
    // Another worker takes them at once.
    const next = new JobRunner(database.db, quietLog());
    next.register('t.release', async (payload) => void ran.push((payload as { n: number }).n));
    assert.equal(await next.runOnce(), 3);
    assert.deepEqual(ran, [0, 1, 2, 3]);
  });

  test('two runners on PostgreSQL never run the same job twice', async (t) => {
    if (database.engine !== 'postgres') {
      t.skip('needs PostgreSQL: set TEST_DATABASE_URL (PGlite is a single session, so there is no concurrency to test)');
      return;
    }
    const N = 200;
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < N; i++) await enqueue(trx, 't.race', { i });
    });
    const runs = new Map<number, number>();
    const byRunner = [0, 0];
    const runners = [0, 1].map((k) => {
      const r = new JobRunner(database.db, quietLog(), { pollMs: 5, batch: 4 });
      r.register('t.race', async (_p, job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        byRunner[k]!++;
        await new Promise((res) => setTimeout(res, Math.random() * 3));
      });
      return r;
    });
    for (const r of runners) r.start();
    const deadline = Date.now() + 30_000;
    while ([...runs.keys()].length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(runners.map((r) => r.stop()));

    assert.equal(runs.size, N, 'every job ran');
    assert.ok(
      [...runs.values()].every((n) => n === 1),
      'no job ran twice',
    );
    assert.ok(byRunner[0]! > 0 && byRunner[1]! > 0, `both runners took work: ${byRunner.join(' / ')}`);
    const rows = await jobsOf('t.race');
    assert.ok(rows.every((r) => r.done_at && r.attempts === 1));
  });
});
