import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson as canonical } from '../../lib/canonical-json.js';
import { sha256 } from '../../lib/crypto.js';
import type { DB } from '../../db/types.js';

/** Who acted: filled at the HTTP edge from the authenticated actor and the request. */
export interface AuditContext {
  actorId: number | null;
  actorRole: string | null;
  unitId: number | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

export const SYSTEM_CONTEXT: AuditContext = { actorId: null, actorRole: 'system', unitId: null, ip: null };

// One lock for the whole chain: each event needs the hash of the one before it.
const AUDIT_LOCK_KEY = 7_260_002;

// What a row looks like after a round trip through jsonb: Dates become strings, undefined vanishes.
const toJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

interface HashInput {
  at: Date;
  actor_id: number | null;
  actor_role: string | null;
  unit_id: number | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string | null;
}

function eventHash(e: HashInput): string {
  return sha256(
    canonical({
      at: e.at.toISOString(),
      actorId: e.actor_id,
      actorRole: e.actor_role,
      unitId: e.unit_id,
      ip: e.ip,
      action: e.action,
      entityType: e.entity_type,
      entityId: e.entity_id,
      before: e.before,
      after: e.after,
      prev: e.prev_hash,
    }),
  );
}

/** Appends an event to the hash chain. Must run inside the transaction that makes the change. */
export async function recordAudit(trx: Transaction<DB>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_event').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row: HashInput = {
    at: new Date(),
    actor_id: ctx.actorId,
    actor_role: ctx.actorRole,
    unit_id: ctx.unitId,
    ip: ctx.ip,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === null ? null : String(entry.entityId),
    before: toJson(entry.before),
    after: toJson(entry.after),
    prev_hash: last?.hash ?? null,
  };
  await trx
    .insertInto('audit_event')
    .values({
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      hash: eventHash(row),
    })
    .execute();
}

export type ChainReport =
  { ok: true; events: number } | { ok: false; events: number; brokenAt: number; reason: 'hash_mismatch' | 'link_mismatch' };

/** Walks the chain in order and names the first event whose content or link does not match. */
export async function verifyAuditChain(db: Kysely<DB>, batch = 2000): Promise<ChainReport> {
  let prev: string | null = null;
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_event').selectAll().where('id', '>', afterId).orderBy('id').limit(batch).execute();
    if (rows.length === 0) return { ok: true, events: count };
    for (const r of rows) {
      count++;
      if (r.prev_hash !== prev) return { ok: false, events: count, brokenAt: r.id, reason: 'link_mismatch' };
      if (eventHash(r) !== r.hash) return { ok: false, events: count, brokenAt: r.id, reason: 'hash_mismatch' };
      prev = r.hash;
      afterId = r.id;
    }
  }
}
