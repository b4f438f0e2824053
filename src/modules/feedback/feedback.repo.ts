import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, FeedbackStatus } from '../../db/types.js';
import { toVnDate } from '../../domain/calendar/index.js';
import { foldText, words } from '../../domain/search-index.js';
import { AppError } from '../../lib/errors.js';

export type Q = Kysely<DB> | Transaction<DB>;

export type FeedbackRow = Awaited<ReturnType<typeof loadByCode>>;

/** A feedback item with its unit; `lock` for an update inside a transaction. */
export async function loadByCode(db: Q, code: string, lock = false) {
  let q = db
    .selectFrom('feedback as f')
    .innerJoin('unit as u', 'u.id', 'f.unit_id')
    .selectAll('f')
    .select(['u.code as unit_code', 'u.path as unit_path', 'u.name_vi as unit_vi', 'u.name_en as unit_en'])
    .where('f.code', '=', code.trim().toUpperCase());
  if (lock) q = q.forUpdate('f');
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('feedback_not_found');
  return row;
}

export async function appendEvent(
  trx: Q,
  f: { id: number; unit_id: number; status: FeedbackStatus },
  e: {
    action: string;
    to?: FeedbackStatus | null;
    actorId: number | null;
    actorKind: 'author' | 'official' | 'system';
    note?: string | null;
    data?: unknown;
    at: Date;
    unitId?: number;
  },
) {
  await trx
    .insertInto('feedback_event')
    .values({
      feedback_id: f.id,
      at: e.at,
      unit_id: e.unitId ?? f.unit_id,
      actor_id: e.actorId,
      actor_kind: e.actorKind,
      action: e.action,
      from_status: f.status,
      to_status: e.to === undefined ? f.status : e.to,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })
    .execute();
}

/** Folded words of the public texts, for searching without diacritics. */
export function searchText(...texts: (string | null)[]): string {
  return ` ${words(foldText(texts.filter(Boolean).join(' '))).join(' ')} `;
}

/** The next code of the Vietnam day, outside any transaction (a failed submission leaves a gap). */
export async function allocateCode(db: Kysely<DB>, now: Date): Promise<string> {
  const day = toVnDate(now);
  const row = await sql<{ last: number }>`
    insert into feedback_code_counter (day, last) values (${day}, 1)
    on conflict (day) do update set last = feedback_code_counter.last + 1
    where feedback_code_counter.last < 99999
    returning last`.execute(db);
  const last = row.rows[0]?.last;
  if (last === undefined) throw new AppError('daily_sequence_exhausted');
  return `PAKN-${day.slice(2).replace(/-/g, '')}-${String(last).padStart(5, '0')}`;
}
