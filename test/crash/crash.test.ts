import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { TestSmtp } from '../helpers/smtp.js';
import { checkAfterCrashes } from './checks.js';
import { call, freshTarget, Incarnations, Relay, seededRandom, sleep, type Target } from './harness.js';
import { Workload, tokenFor } from './workload.js';

// Crash safety (issue 10, docs/crash-safety.md): the real server, on a fresh database, serves
// concurrent citizens and desk officers over HTTP and is killed with SIGKILL at random moments:
// once while it delivers an e-mail (the recipient's server has stored the message, its 250 reply
// not yet sent), once just after a submission committed (its 201 never reaches the client), the
// others after a random stretch of work; it is restarted on the same data each time. Then every acknowledged
// submission and desk action must be there, whole; nothing unacknowledged half-written; a retry
// with the same Idempotency-Key returns the first dossier; and each notification reaches the
// recipient once, once copies with the same Message-ID are folded as mail systems do.
// Runs on the engine of the run (PGlite, or PostgreSQL with TEST_DATABASE_URL); `npm run
// test:crash` runs both. CRASH_SEED repeats a run's choices; CRASH_KILLS sets the number of kills.

const ENGINE = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const KILLS = Math.max(2, Number(process.env.CRASH_KILLS ?? 3));
const CITIZENS = 3;
const DESKS = 2;
const progress = (m: string) =>
  process.env.CRASH_VERBOSE === '1' && process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${m}\n`);

test(`kill -9 at random moments loses nothing acknowledged and half-writes nothing (${ENGINE})`, { timeout: 400_000 }, async () => {
  const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : randomInt(2 ** 31);
  console.log(`# crash test (${ENGINE}): seed ${seed} (CRASH_SEED=${seed} repeats its choices), ${KILLS} kills`);
  const rand = seededRandom(seed);
  const smtp = new TestSmtp();
  await smtp.start();
  let target: Target | null = null;
  let inc: Incarnations | null = null;
  let relay: Relay | null = null;
  try {
    target = await freshTarget(ENGINE, process.env.CRASH_FROM_EMPTY === '1');
    inc = new Incarnations({
      DEMO_DATA: 'true',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '100000',
      ...target.env,
    });
    const server = inc;
    await server.boot();
    progress(`booted in ${server.bootMs.at(-1)} ms`);
    const citizen = await tokenFor(server.url, DEMO.citizen, DEMO_PASSWORD);
    const desk = await tokenFor(server.url, DEMO.deskQuangTrung, DEMO_PASSWORD);
    const relayed = new Relay(() => server.port);
    relay = relayed;
    await relayed.start();
    const viaRelay = `http://127.0.0.1:${relayed.port}`;
    const w = new Workload(() => viaRelay, rand);
    // The Message-ID of the e-mail whose delivery the kill interrupted; whether a 201 was swallowed.
    let caught: string | null = null;
    let answerCut = false;

    // How each kill is timed, in an order drawn from the seed: 'mail' while an e-mail is being
    // delivered, 'answer' just after a submission committed (its 201 swallowed by the relay),
    // 'timer' after a random stretch of work.
    const kinds = ['mail', 'answer', ...Array<string>(KILLS - 2).fill('timer')].sort(() => rand() - 0.5);
    for (let k = 0; k < KILLS; k++) {
      if (k > 0) await server.boot();
      progress(`round ${k} (${kinds[k]}): booted in ${server.bootMs.at(-1)} ms; ${w.submissions.length} submissions so far`);
      w.running = true;
      const clients = [...Array.from({ length: CITIZENS }, () => w.citizen(citizen)), ...Array.from({ length: DESKS }, () => w.desk(desk))];
      // Some acknowledged work in every round, however loaded the machine (rounds end on work
      // done, not on a clock), then a random stretch more before the kill.
      const acked = () => w.submissions.filter((s) => s.ack !== null).length;
      const before = { subs: acked(), desk: w.deskAcks.length };
      const until = Date.now() + 60_000;
      while ((acked() < before.subs + 2 || w.deskAcks.length < before.desk + 1) && Date.now() < until) await sleep(50);
      await sleep(kinds[k] === 'timer' ? rand() * 2000 : rand() * 500);
      if (kinds[k] !== 'timer') {
        await new Promise<void>((resolve) => {
          const fallback = setTimeout(resolve, 20_000);
          const done = () => {
            smtp.onMessage = null;
            relayed.cut = null;
            void server.killNow();
            clearTimeout(fallback);
            resolve();
          };
          if (kinds[k] === 'mail') {
            smtp.onMessage = (mail) => {
              // The message is stored, its 250 not yet sent: the worker cannot have recorded it.
              caught = mail.messageId ?? '?';
              done();
            };
          } else {
            relayed.cut = (chunk) => {
              // The dossier is committed (the server is answering); the client will never know.
              if (!chunk.includes('"created":true')) return false;
              answerCut = true;
              done();
              return true;
            };
          }
        });
      }
      await server.killNow();
      w.running = false;
      await Promise.all(clients);
      progress(`round ${k}: killed; ${w.pending.length} unanswered`);
    }
    assert.ok(caught, 'one kill fell between an e-mail accepted and its job marked done');
    assert.ok(answerCut, 'one kill fell between a committed submission and its answer');
    const copies = (id: string) => smtp.messages.filter((m) => m.mail.messageId === id).length;

    await server.boot();
    progress(`final boot in ${server.bootMs.at(-1)} ms`);
    // Every submission that got no answer is sent again, with its key, until it gets one.
    const unanswered = w.pending.splice(0);
    for (const s of unanswered) await w.submit(citizen, s);
    // And every answered one once more: the same dossier must come back, never a second one.
    let replays = 0;
    for (const s of w.submissions) {
      if (s.ack === null || unanswered.includes(s)) continue;
      const r = await w.submit(citizen, s);
      assert.equal(r.status, 200, `a replay of ${s.key} answers 200, not ${r.status}`);
      replays++;
    }
    const ids = new Set(w.submissions.map((s) => s.ack!.id));

    // Wait until the citizen's mailbox holds every notification of these dossiers.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const inbox: { id: number; dossierId: number | null }[] = [];
      for (let offset = 0; ; offset += 100) {
        const r = await call(`${server.url}/api/v1/me/notifications?limit=100&offset=${offset}`, { headers: citizen });
        const items = (r.body as { items: typeof inbox }).items;
        inbox.push(...items);
        if (items.length < 100) break;
      }
      // Message-IDs are <notification-<id>@<site host>>: the part before the host names the message.
      const seen = new Set(smtp.messages.map((m) => (m.mail.messageId ?? '').split('@')[0]));
      const waiting = inbox.filter((n) => n.dossierId !== null && ids.has(n.dossierId) && !seen.has(`<notification-${n.id}`));
      // ...and the interrupted one again (its job is claimed anew at boot, or when its lease runs out).
      if ((waiting.length === 0 && copies(caught) >= 2) || Date.now() > deadline) break;
      await sleep(300);
    }
    progress('deliveries awaited');
    await server.stop();

    const database = await target.open();
    let report;
    try {
      report = await checkAfterCrashes(database, target.filesDir, w, smtp.messages);
    } finally {
      await database.close();
    }
    const ackedCount = w.submissions.filter((s) => s.ack !== null).length;
    console.log(
      [
        `# crash test (${ENGINE}) seed ${seed}: kills ${server.kills} (one during an e-mail delivery, one swallowing a submission's answer), boots ${server.boots}` +
          ` (${server.bootMs.map((ms) => (ms / 1000).toFixed(1)).join(' s, ')} s)`,
        `#   submissions: ${w.submissions.length} made, ${ackedCount - unanswered.length} acknowledged between kills, ${w.citizenCut} attempts cut by a kill;` +
          ` ${unanswered.length} left by the last kill completed after the restart; ${w.retries} resends of a submission with its key` +
          ` after no answer (${w.retriesFoundCommitted} found the dossier already committed);` +
          ` ${replays} acknowledged ones replayed with their key -> same dossier`,
        `#   desk actions: ${w.deskAcks.length} acknowledged, ${w.deskUnanswered} unanswered, ${w.deskRejected} refused as conflicts`,
        `#   stored: ${report.dossiers} dossiers, ${report.documents} documents, ${report.events} events, ${report.notifications} notifications;` +
          ` code gaps ${report.codeGaps}; unfinished uploads removed at boot ${server.logged('unfinished uploads removed', 'removed')},` +
          ` left ${report.tmpLeftovers}; jobs of a dead process released at boot ${server.logged('jobs claimed by a process that died were released', 'released')}`,
        `#   lost: ${report.lost}, duplicates: ${report.duplicates}, notifications expected/delivered: ${report.emailExpected}/${report.emailDelivered}` +
          ` (${report.emailRaw} copies received, ${report.emailRaw - report.emailDelivered} redeliveries folded by Message-ID;` +
          ` the one interrupted by the kill: ${caught}, ${copies(caught)} copies)`,
      ].join('\n'),
    );
    assert.deepEqual(w.unexpected, [], 'every request got a correct answer or none');
    assert.deepEqual(report.problems, []);
    assert.equal(server.kills, KILLS);
    assert.ok(w.deskAcks.length >= KILLS, 'the run did real work');
    assert.ok(w.retriesFoundCommitted >= 1, 'the submission whose answer was lost was retried and found committed');
    assert.equal(report.lost, 0);
    assert.equal(report.duplicates, 0);
    assert.equal(report.emailDelivered, report.emailExpected);
    assert.equal(copies(caught), 2, `the message caught by the kill (${caught}) was sent again, once, and folded by its Message-ID`);
  } catch (e) {
    if (inc?.server) console.error(inc.server.output().slice(-4000));
    throw e;
  } finally {
    smtp.onMessage = null;
    await inc?.stop();
    await relay?.stop();
    await smtp.stop();
    await target?.cleanup();
  }
});
