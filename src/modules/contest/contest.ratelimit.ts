import { sql, type Kysely } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContestAction, ContestFairnessConfig } from '../../config.js';
import type { DB } from '../../db/types.js';
import { normalizePhone } from '../../domain/identity.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { Batcher } from '../../lib/batcher.js';
import type { App } from '../../web/request-context.js';
import type { ClientInfo } from './contest.flags.js';
import { pii } from '../../lib/pii.js';

export interface RateCheck {
  scope: string;
  key: string;
  limit: number;
}

const PURGE_EVERY_MS = 3_600_000;
const KEEP_MS = 86_400_000;

/**
 * Fixed-window counters in the database, so every app instance behind the load balancer counts
 * against the same window. Refused requests count too, so hammering does not shorten the wait.
 *
 * The checks of concurrent requests are written together (src/lib/batcher.ts): one upsert for many
 * requests instead of one each, which was an extra statement on every contest request. The count
 * stays exact: a key seen n times in a batch adds n, and the i-th of them is told the count it
 * would have seen alone.
 */
export class ContestRateLimiter {
  private lastPurge = 0;
  private readonly batcher = new Batcher((batch: readonly (readonly RateCheck[])[]) => this.count(batch, new Date()), 1000);

  constructor(
    private readonly db: Kysely<DB>,
    private readonly windowSeconds: number,
  ) {}

  /** Counts the request; 0 when every check is within its limit, else the seconds until its window ends. */
  hit(checks: readonly RateCheck[]): Promise<number> {
    if (checks.length === 0) return Promise.resolve(0);
    return this.batcher.run(checks);
  }

  /** One statement for the batch; each waiter's seconds to wait, in order. */
  private async count(batch: readonly (readonly RateCheck[])[], now: Date): Promise<number[]> {
    const windowMs = this.windowSeconds * 1000;
    const id = (c: { scope: string; key: string }) => `${c.scope}\u0000${c.key}`;
    const added = new Map<string, { scope: string; key: string; n: number }>();
    for (const checks of batch)
      for (const c of checks) {
        const k = added.get(id(c));
        if (k) k.n++;
        else added.set(id(c), { scope: c.scope, key: c.key, n: 1 });
      }
    // One order for every process, so two batches never wait for each other's rows in a cycle.
    const rows = [...added.values()].sort((a, b) =>
      a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    // A window starts at the key's first request (not on the clock's minute), so a burst cannot
    // get twice the limit by straddling a boundary.
    const expired = new Date(now.getTime() - windowMs);
    // Arrays, not a VALUES list: one statement text whatever the batch size, so it stays prepared.
    const result = await sql<{ scope: string; key: string; hits: number; window_start: Date }>`
      insert into contest_rate_window as w (scope, key, window_start, hits)
      select t.scope, t.key, ${now}, t.n
      from unnest(${rows.map((r) => r.scope)}::text[], ${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.n)}::int[])
        with ordinality as t(scope, key, n, ord)
      order by t.ord
      on conflict (scope, key) do update set
        hits = case when w.window_start > ${expired} then w.hits + excluded.hits else excluded.hits end,
        window_start = case when w.window_start > ${expired} then w.window_start else excluded.window_start end
      returning scope, key, hits, window_start`.execute(this.db);
    this.purge(now);
    // The count each request of the batch sees: the key's count before the batch, plus its place.
    const seen = new Map<string, { hits: number; ends: number }>();
    for (const r of result.rows) {
      const a = added.get(id(r))!;
      seen.set(id(r), { hits: r.hits - a.n, ends: new Date(r.window_start).getTime() + windowMs });
    }
    return batch.map((checks) => {
      let wait = 0;
      for (const c of checks) {
        const s = seen.get(id(c))!;
        s.hits++;
        if (s.hits > c.limit) wait = Math.max(wait, Math.max(1, Math.ceil((s.ends - now.getTime()) / 1000)));
      }
      return wait;
    });
  }

  // Windows of keys not seen for a day are dead weight: dropped at most once an hour per process,
  // beside the counting, which must not wait for a delete of many rows. A failed purge is tried
  // again with the next batch; nothing depends on it but the table's size.
  private purge(now: Date) {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    this.db
      .deleteFrom('contest_rate_window')
      .where('window_start', '<', new Date(now.getTime() - KEEP_MS))
      .execute()
      .catch(() => {
        this.lastPurge = 0;
      });
  }
}

/** A random id in an HttpOnly cookie: the same browser across participants shows up as one device. */
export const DEVICE_COOKIE = 'contest_device';
const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The client of a contest request; sets the device cookie on first contact. The device id is
 * recorded only when the client sent the cookie back (a client keeping no cookies has none).
 */
export function clientInfo(req: FastifyRequest, reply: FastifyReply): ClientInfo {
  const carried = req.cookies[DEVICE_COOKIE];
  const known = typeof carried === 'string' && DEVICE_ID.test(carried);
  if (!known) {
    reply.setCookie(DEVICE_COOKIE, randomToken(16), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 365 * 86400,
    });
  }
  const ua = req.headers['user-agent'];
  return { ip: req.ip, deviceId: known ? carried : null, uaHash: ua ? sha256(ua).slice(0, 16) : null };
}

/**
 * preHandler for a participant action: counts it per client IP (req.ip honours X-Forwarded-For
 * only with TRUST_PROXY) and per phone (the registration's phone, or the participant token that
 * stands for it), and refuses with 429 contest_rate_limited and Retry-After over the limit.
 */
export function contestRateLimit(
  app: App,
  action: ContestAction,
  cfg: ContestFairnessConfig = app.config.contestFairness,
  // The participant pages keep the token in a cookie, not in the header.
  tokenOf: (req: FastifyRequest) => string | undefined = (req) => {
    const v = req.headers['x-contest-token'];
    return typeof v === 'string' ? v : undefined;
  },
) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!cfg.rateLimit) return;
    const checks: RateCheck[] = [{ scope: `${action}:ip`, key: req.ip, limit: cfg.perIp[action] }];
    const body = req.body as { phone?: unknown } | undefined;
    const token = tokenOf(req);
    const phone =
      action === 'register' || action === 'recover' ? (typeof body?.phone === 'string' ? normalizePhone(body.phone) : null) : null;
    // Keyed hash for a phone: a plain sha256 of a 10-digit number is reversed by trying them all.
    let who = phone ? `phone:${pii().hash('phone', phone)}` : null;
    if (!who && token) {
      // All the tokens of a participant (one per device, contest.recovery.ts) share one window.
      const p = token.length <= 100 ? await app.services.contestAdmin.cache.participant(sha256(token)) : undefined;
      who = p ? `participant:${p.id}` : `token:${token}`;
    }
    // Hashed: the table holds no phone number or token in clear.
    if (who) checks.push({ scope: `${action}:phone`, key: sha256(who), limit: cfg.perPhone[action] });
    const wait = await app.services.contestRate.hit(checks);
    // Retry-After is set from `seconds` where the refusal is answered (web/http-errors.tsx).
    if (wait > 0) throw new AppError('contest_rate_limited', { seconds: wait });
  };
}
