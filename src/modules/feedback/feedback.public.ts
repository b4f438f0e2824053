// What anyone may read about feedback: published items only, with redacted texts, the unit and
// the dates. The author's name and contact details are never selected here.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { foldText, words } from '../../domain/search-index.js';
import { AppError } from '../../lib/errors.js';
import type { PublicItem, PublicListQuery } from './feedback.schema.js';

export const PAGE_SIZE = 20;

function publicQuery(db: Kysely<DB>) {
  return db
    .selectFrom('feedback as f')
    .innerJoin('unit as u', 'u.id', 'f.unit_id')
    .leftJoin('procedure as p', 'p.id', 'f.procedure_id')
    .select([
      'f.code',
      'f.kind',
      'f.public_title',
      'f.public_content',
      'f.answer_public',
      'f.received_at',
      'f.approved_at',
      'f.answer_by',
      'u.code as unit_code',
      'u.name_vi',
      'u.name_en',
      'p.code as procedure_code',
    ])
    .where('f.status', '=', 'published');
}

type Row = Awaited<ReturnType<ReturnType<typeof publicQuery>['execute']>>[number];

const view = (r: Row): PublicItem => ({
  code: r.code,
  kind: r.kind,
  title: r.public_title,
  question: r.public_content,
  answer: r.answer_public ?? '',
  unit: { code: r.unit_code, name: { vi: r.name_vi, en: r.name_en } },
  procedure: r.procedure_code,
  receivedAt: r.received_at.toISOString(),
  answeredAt: r.approved_at!.toISOString(),
  onTime: r.approved_at! <= r.answer_by,
});

/** Published items, newest first; `q` matches folded words (no diacritics needed), `unit` its subtree. */
export async function publicList(db: Kysely<DB>, q: PublicListQuery) {
  let base = publicQuery(db);
  if (q.kind) base = base.where('f.kind', '=', q.kind);
  if (q.unit) {
    const unit = await db.selectFrom('unit').select('path').where('code', '=', q.unit).executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    base = base.where(sql<boolean>`u.path <@ ${unit.path}::ltree`);
  }
  // Each word must appear as the start of a word of the public texts (folded, like the index).
  for (const w of words(foldText(q.q ?? '')).slice(0, 8)) {
    const escaped = w.replace(/[\\%_]/g, (c) => `\\${c}`);
    base = base.where('f.search_text', 'like', `% ${escaped}%`);
  }
  const page = q.page ?? 1;
  const [rows, total] = await Promise.all([
    base
      .orderBy('f.published_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    base
      .clearSelect()
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), page, pageSize: PAGE_SIZE, items: rows.map(view) };
}

export async function publicItem(db: Kysely<DB>, code: string): Promise<PublicItem> {
  const row = await publicQuery(db).where('f.code', '=', code.trim().toUpperCase()).executeTakeFirst();
  if (!row) throw new AppError('feedback_not_found');
  return view(row);
}

/** Open data rows: every published item, its unit, kind, dates and whether it was answered on time. */
export async function openDataRows(db: Kysely<DB>) {
  const rows = await publicQuery(db).select(['f.published_at']).orderBy('f.published_at').limit(100_000).execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    unitCode: r.unit_code,
    procedureCode: r.procedure_code,
    receivedAt: r.received_at.toISOString(),
    answerDueAt: r.answer_by.toISOString(),
    answeredAt: r.approved_at!.toISOString(),
    publishedAt: (r as Row & { published_at: Date }).published_at.toISOString(),
    onTime: r.approved_at! <= r.answer_by,
  }));
}
