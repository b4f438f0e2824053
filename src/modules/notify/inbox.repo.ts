import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

// The in-app inbox: a citizen reads only their own notifications. Every query is scoped by
// account_id, so an id from another account behaves as if it did not exist.

type Q = Kysely<DB> | Transaction<DB>;

export const INBOX_MAX_LIMIT = 100;

export interface InboxItem {
  id: number;
  dossierId: number | null;
  template: string;
  locale: 'vi' | 'en';
  subject: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

/** Newest first; limit is clamped to 1..100. */
export async function listInbox(db: Q, accountId: number, page: { limit: number; offset: number }): Promise<InboxItem[]> {
  const limit = Math.min(INBOX_MAX_LIMIT, Math.max(1, Math.trunc(page.limit) || 1));
  const offset = Math.max(0, Math.trunc(page.offset) || 0);
  const rows = await db
    .selectFrom('notification')
    .select(['id', 'dossier_id', 'template', 'locale', 'subject', 'body', 'created_at', 'read_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dossierId: r.dossier_id,
    template: r.template,
    locale: r.locale,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

export async function unreadCount(db: Q, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the account's own notifications read; false when it is not theirs or does not exist. Idempotent. */
export async function markRead(db: Q, accountId: number, id: number): Promise<boolean> {
  const row = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks all of the account's notifications read; returns how many were unread. */
export async function markAllRead(db: Q, accountId: number): Promise<number> {
  const res = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
