// Shared by the webhooks tests (src/modules/webhooks/webhooks.test.ts and webhooks.delivery.test.ts):
// a receiver's check of the signature, a real HTTP endpoint that records deliveries, and the calls
// the tests make on their suite's app.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { enqueueStatusChange, WEBHOOK_QUEUE } from '../../src/modules/webhooks/webhooks.outbox.js';
import type { TestApp } from './app.js';
import { maritalBody } from './dossiers.js';

// What a receiver does (docs/webhooks.md, "Verifying a delivery"): HMAC of "<t>.<raw body>",
// compared in constant time, with t inside a tolerance window against replays.
export function verifySignature(header: string | undefined, rawBody: string, secret: string, toleranceSeconds = 300): boolean {
  let t = NaN;
  const signatures: string[] = [];
  for (const part of String(header ?? '').split(',')) {
    const i = part.indexOf('=');
    const [k, v] = [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    if (k === 't') t = Number(v);
    else if (k === 'v1') signatures.push(v);
  }
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return signatures.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP endpoint on 127.0.0.1 that records deliveries and answers as the test says. */
export class Receiver {
  server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(got);
      const status = this.answer(
        got,
        this.requests.filter((r) => r.headers['x-motcua-delivery'] === got.headers['x-motcua-delivery']).length,
      );
      if (status === 0) return; // never answers: the sender's timeout must fire
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `receiver says ${status}` : 'ok');
    });
  });
  requests: Received[] = [];
  /** Status for the n-th request (1-based) carrying one delivery id. */
  answer: (r: Received, n: number) => number = () => 200;

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/motcua`;
  }
  of(deliveryId: string) {
    return this.requests.filter((r) => r.headers['x-motcua-delivery'] === deliveryId);
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** What a webhooks suite holds once its before() has run. */
export interface WebhookSuite {
  t: TestApp;
  admin: Record<string, string>;
  citizen: Record<string, string>;
  desk: Record<string, string>;
  sha: string;
  receiver: Receiver;
}

/** The calls the webhooks tests make, on the suite that `suite()` gives (read at each call: its app is built in before()). */
export function webhookCalls(suite: () => WebhookSuite) {
  const db = () => suite().t.db;
  const api = (method: 'GET' | 'POST', url: string, who: Record<string, string> = suite().admin, payload?: object) =>
    suite().t.app.inject({ method, url, headers: who, ...(payload ? { payload } : {}) });
  const subscribe = async (name = 'Cổng Dịch vụ công quốc gia', url = suite().receiver.url) => {
    const res = await api('POST', '/api/v1/webhooks', suite().admin, { name, url });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; secret: string; url: string; active: boolean };
  };
  const disableAll = () => db().updateTable('webhook_subscription').set({ active: false }).execute();
  const webhookJobs = () => db().selectFrom('job').selectAll().where('queue', '=', WEBHOOK_QUEUE).orderBy('id').execute();
  // Makes retried jobs due now, as if their backoff had elapsed.
  const makeDue = () =>
    db()
      .updateTable('job')
      .set({ run_at: sql<Date>`now() - interval '1 second'` })
      .where('queue', '=', WEBHOOK_QUEUE)
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .execute();
  const submitted = async () => {
    const res = await api('POST', '/api/v1/dossiers', suite().citizen, maritalBody(suite().sha));
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; code: string };
  };
  /** A received dossier, its status change announced as appendEvent will once it is wired (issue 6). */
  const receivedAndAnnounced = async () => {
    const d = await submitted();
    const rec = await api('POST', `/api/v1/dossiers/${d.id}/receive`, suite().desk, {});
    assert.equal(rec.json().status, 2, rec.body);
    const eventHash = randomBytes(32).toString('hex');
    await db()
      .transaction()
      .execute((trx) => enqueueStatusChange(trx, d.id, { eventHash, action: 'receive', from: 1, to: 2, at: new Date() }));
    return { ...d, eventHash };
  };
  return { api, subscribe, disableAll, webhookJobs, makeDue, submitted, receivedAndAnnounced };
}
