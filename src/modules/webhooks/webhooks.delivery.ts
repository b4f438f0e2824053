import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { PermanentJobError, type JobInfo, type JobLog, type JobRunner } from '../../jobs/runner.js';
import { recordAudit, SYSTEM_CONTEXT } from '../audit/audit.js';
import { DOSSIER_KEYS, EVENT_KEYS, STATUS_CHANGED, WEBHOOK_QUEUE } from './webhooks.outbox.js';

// Delivery of the jobs written by enqueueStatusChange. At least once: a crash between the POST and
// the job being marked done repeats the POST with the same X-Motcua-Delivery, which receivers use
// to de-duplicate (docs/webhooks.md). The signature and the subscription's URL are read at
// delivery time, so a rotated secret or a disabled subscription applies to pending retries too.

export const USER_AGENT = 'motcua-webhooks/1';
const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of a failing receiver's answer is kept for the administrator. */
const SNIPPET_BYTES = 300;

export interface WebhookDeps {
  db: Kysely<DB>;
  log?: JobLog;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Per attempt, connection and body included (default 10 s). */
  timeoutMs?: number;
}

/** The X-Motcua-Signature value: HMAC-SHA256 over "<t>.<body>" with the subscription's secret. */
export function signatureHeader(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The keys a receiver reads first come first; keys added later (not yet documented) follow. */
function ordered(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

/** The request body: the stored event in the documented key order. Same bytes on every retry. */
export function eventBody(event: Record<string, unknown>): string {
  const top = ordered(event, EVENT_KEYS);
  if (isRecord(top.dossier)) top.dossier = ordered(top.dossier, DOSSIER_KEYS);
  return JSON.stringify(top);
}

function parsePayload(raw: unknown): { subscriptionId: number; dossierId: number | null; event: Record<string, unknown>; eventId: string } {
  if (!isRecord(raw) || !Number.isInteger(raw.subscriptionId) || !isRecord(raw.event)) throw new PermanentJobError('malformed job payload');
  const eventId = raw.event.id;
  if (typeof eventId !== 'string' || eventId === '') throw new PermanentJobError('malformed job payload: event id missing');
  const dossierId = Number.isInteger(raw.dossierId) ? (raw.dossierId as number) : null;
  return { subscriptionId: raw.subscriptionId as number, dossierId, event: raw.event, eventId };
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, a TLS error) in the cause.
  const cause = err?.cause ? `: ${err.cause.code ?? err.cause.message ?? ''}` : '';
  return `${err?.message ?? String(e)}${cause}`.slice(0, 500);
}

async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The status is what matters; an unreadable body only loses the snippet.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, SNIPPET_BYTES)).replace(/\s+/g, ' ').trim();
}

export function registerWebhookJobs(runner: JobRunner, deps: WebhookDeps): void {
  const { db, log } = deps;
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const record = (
    p: { subscriptionId: number; eventId: string; dossierId: number | null },
    job: JobInfo,
    outcome: { statusCode: number | null; error: string | null; delivered: boolean },
  ) =>
    db
      .insertInto('webhook_delivery')
      .values({
        subscription_id: p.subscriptionId,
        event_id: p.eventId,
        dossier_id: p.dossierId,
        attempts: job.attempts,
        status_code: outcome.statusCode,
        last_error: outcome.error,
        delivered_at: outcome.delivered ? sql<Date>`now()` : null,
      })
      .onConflict((oc) =>
        oc.columns(['subscription_id', 'event_id']).doUpdateSet({
          attempts: job.attempts,
          status_code: outcome.statusCode,
          last_error: outcome.error,
          // A late failure report (from a worker whose lease ran out) never un-delivers an event.
          delivered_at: sql<Date>`coalesce(webhook_delivery.delivered_at, excluded.delivered_at)`,
        }),
      )
      .execute();

  runner.register(WEBHOOK_QUEUE, async (raw, job) => {
    const p = parsePayload(raw);
    const sub = await db
      .selectFrom('webhook_subscription as s')
      .leftJoin('webhook_delivery as w', (j) => j.onRef('w.subscription_id', '=', 's.id').on('w.event_id', '=', p.eventId))
      .select(['s.url', 's.secret', 's.active', 'w.delivered_at'])
      .where('s.id', '=', p.subscriptionId)
      .executeTakeFirst();
    if (!sub || !sub.active) {
      log?.info({ job: job.id, subscription: p.subscriptionId, event: p.eventId }, 'webhook dropped: subscription disabled or gone');
      return;
    }
    // Delivered by an earlier run whose completion was not recorded (crash, lease expiry).
    if (sub.delivered_at) return;

    const body = eventBody(p.event);
    const t = Math.floor(Date.now() / 1000);
    let res: Response;
    try {
      res = await doFetch(sub.url, {
        method: 'POST',
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          'X-Motcua-Event': typeof p.event.type === 'string' ? p.event.type : STATUS_CHANGED,
          'X-Motcua-Delivery': p.eventId,
          'X-Motcua-Signature': signatureHeader(sub.secret, body, t),
        },
        // A redirect would send the signed event somewhere the administrator did not register.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const error = describeFetchError(e, timeoutMs);
      await record(p, job, { statusCode: null, error, delivered: false });
      throw new Error(error);
    }

    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => {});
      await record(p, job, { statusCode: res.status, error: null, delivered: true });
      return;
    }
    const snippet = await readSnippet(res);
    const error = `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`;
    await record(p, job, { statusCode: res.status, error, delivered: false });
    if (res.status === 410) {
      // 410 Gone: the receiver says this endpoint will never take events again. Disable the
      // subscription (audited) so its other pending jobs are dropped instead of retried for a day.
      await db.transaction().execute(async (trx) => {
        const off = await trx
          .updateTable('webhook_subscription')
          .set({ active: false })
          .where('id', '=', p.subscriptionId)
          .where('active', '=', true)
          .executeTakeFirst();
        if (Number(off.numUpdatedRows) > 0) {
          await recordAudit(trx, SYSTEM_CONTEXT, {
            action: 'webhook.disable',
            entityType: 'webhook_subscription',
            entityId: p.subscriptionId,
            before: { active: true },
            after: { active: false, reason: 'receiver answered 410 Gone' },
          });
        }
      });
      throw new PermanentJobError(`${error}; subscription ${p.subscriptionId} disabled`);
    }
    // Every other answer is retried with the runner's backoff, 4xx included: a 401 after a secret
    // rotation or a 404 during a receiver's deployment are fixed on their side within the day.
    throw new Error(error);
  });
}
