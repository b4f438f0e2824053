import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, FaqSource, FaqStatus } from '../../db/types.js';
import type { FaqDetail, FaqOfficialRow, FaqSummary } from './faq.schema.js';

type Q = Kysely<DB> | Transaction<DB>;

const summaryColumns = [
  'e.id',
  'e.question_vi',
  'e.question_en',
  'e.needs_confirmation',
  'e.updated_at',
  'u.code as unit_code',
  'u.name_vi as unit_vi',
  'u.name_en as unit_en',
  'f.code as field_code',
  'f.name_vi as field_vi',
  'f.name_en as field_en',
] as const;

function summaries(db: Q) {
  return db
    .selectFrom('faq_entry as e')
    .innerJoin('unit as u', 'u.id', 'e.unit_id')
    .leftJoin('field as f', 'f.code', 'e.field_code')
    .select(summaryColumns);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

function presentSummary(r: SummaryRow): FaqSummary {
  return {
    id: r.id,
    question: { vi: r.question_vi, en: r.question_en },
    unit: { code: r.unit_code, name: { vi: r.unit_vi, en: r.unit_en } },
    field: r.field_code ? { code: r.field_code, name: { vi: r.field_vi ?? '', en: r.field_en ?? '' } } : null,
    needsConfirmation: r.needs_confirmation,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What the in-memory search index is built from (every entry; status is filtered per query). */
export function indexRows(db: Q) {
  return db.selectFrom('faq_entry').select(['id', 'question_vi', 'question_en', 'answer_vi', 'answer_en']).execute();
}

export interface Filters {
  unitPath?: string;
  field?: string;
  procedureId?: number;
  ids?: number[];
}

/** Ids of the published entries passing the filters: ranked ones keep their order, others come most read first. */
export async function publishedIds(db: Q, f: Filters): Promise<number[]> {
  let q = db.selectFrom('faq_entry as e').innerJoin('unit as u', 'u.id', 'e.unit_id').select('e.id').where('e.status', '=', 'published');
  if (f.unitPath) q = q.where(sql<boolean>`u.path <@ ${f.unitPath}::ltree`);
  if (f.field) q = q.where('e.field_code', '=', f.field);
  if (f.procedureId !== undefined) {
    const pid = f.procedureId;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('faq_procedure as fp').select('fp.faq_id').whereRef('fp.faq_id', '=', 'e.id').where('fp.procedure_id', '=', pid)),
    );
  }
  if (f.ids) {
    if (f.ids.length === 0) return [];
    const rank = new Map(f.ids.map((id, i) => [id, i]));
    const rows = await q.where('e.id', 'in', f.ids).execute();
    return rows.map((r) => r.id).sort((a, b) => rank.get(a)! - rank.get(b)!);
  }
  const rows = await q.orderBy('e.view_count', 'desc').orderBy('e.updated_at', 'desc').orderBy('e.id').execute();
  return rows.map((r) => r.id);
}

export async function summariesByIds(db: Q, ids: number[]): Promise<FaqSummary[]> {
  if (ids.length === 0) return [];
  const rows = await summaries(db).where('e.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, presentSummary(r)]));
  return ids.map((id) => byId.get(id)).filter((x): x is FaqSummary => !!x);
}

export async function detail(
  db: Q,
  id: number,
): Promise<(FaqDetail & { unitPath: string; source: FaqSource; sourceRef: string | null }) | undefined> {
  const r = await summaries(db)
    .select([
      'e.answer_vi',
      'e.answer_en',
      'e.confirmation_note',
      'e.status',
      'e.published_at',
      'e.view_count',
      'e.source',
      'e.source_ref',
      'u.path as unit_path',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const procedures = await db
    .selectFrom('faq_procedure as fp')
    .innerJoin('procedure as p', 'p.id', 'fp.procedure_id')
    .select(['p.code', 'p.name_vi', 'p.name_en'])
    .where('fp.faq_id', '=', id)
    .orderBy('p.code')
    .execute();
  return {
    ...presentSummary(r),
    answer: { vi: r.answer_vi, en: r.answer_en },
    confirmationNote: r.confirmation_note,
    procedures: procedures.map((p) => ({ code: p.code, name: { vi: p.name_vi, en: p.name_en } })),
    status: r.status,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    viewCount: r.view_count,
    unitPath: r.unit_path,
    source: r.source,
    sourceRef: r.source_ref,
  };
}

/** Entries of the units under the given paths, for the officials' list, newest change first. */
export async function officialRows(db: Q, paths: string[], f: { status?: FaqStatus; unitPath?: string }, limit: number, offset: number) {
  let q = db
    .selectFrom('faq_entry as e')
    .innerJoin('unit as u', 'u.id', 'e.unit_id')
    .where(
      sql<boolean>`(${sql.join(
        paths.map((p) => sql`u.path <@ ${p}::ltree`),
        sql` or `,
      )})`,
    );
  if (f.status) q = q.where('e.status', '=', f.status);
  if (f.unitPath) q = q.where(sql<boolean>`u.path <@ ${f.unitPath}::ltree`);
  const [{ n }] = await q
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .execute()
    .then((r) => r as [{ n: number }]);
  const rows = await q
    .select([
      'e.id',
      'e.question_vi',
      'e.status',
      'e.needs_confirmation',
      'e.confirmation_note',
      'e.source',
      'e.source_ref',
      'e.updated_at',
      'e.view_count',
      'u.code',
      'u.name_vi',
      'u.name_en',
    ])
    .orderBy('e.updated_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    total: Number(n),
    rows: rows.map((r): FaqOfficialRow => ({
      id: r.id,
      question: r.question_vi,
      unit: { code: r.code, name: { vi: r.name_vi, en: r.name_en } },
      status: r.status,
      needsConfirmation: r.needs_confirmation,
      confirmationNote: r.confirmation_note,
      source: r.source,
      sourceRef: r.source_ref,
      updatedAt: r.updated_at.toISOString(),
      viewCount: r.view_count,
    })),
  };
}

/** Every published entry with its procedure codes, for open data. */
export async function openDataRows(db: Q) {
  return db
    .selectFrom('faq_entry as e')
    .innerJoin('unit as u', 'u.id', 'e.unit_id')
    .select([
      'e.id',
      'e.question_vi',
      'e.question_en',
      'e.answer_vi',
      'e.answer_en',
      'e.field_code',
      'e.needs_confirmation',
      'e.confirmation_note',
      'e.source',
      'e.published_at',
      'e.updated_at',
      'e.view_count',
      'u.code as unit_code',
      'u.name_vi as unit_vi',
      'u.name_en as unit_en',
      (eb) =>
        eb
          .selectFrom('faq_procedure as fp')
          .innerJoin('procedure as p', 'p.id', 'fp.procedure_id')
          .select(sql<string[]>`coalesce(array_agg(p.code order by p.code), '{}')`.as('codes'))
          .whereRef('fp.faq_id', '=', 'e.id')
          .as('procedure_codes'),
    ])
    .where('e.status', '=', 'published')
    .orderBy('e.id')
    .execute();
}

/** The feedback item an entry came from, while it is published (the entry's page links to it). */
export async function publishedFeedbackCode(db: Q, code: string): Promise<string | null> {
  const row = await db.selectFrom('feedback').select('code').where('code', '=', code).where('status', '=', 'published').executeTakeFirst();
  return row?.code ?? null;
}
