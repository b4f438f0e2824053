import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { SearchQuery } from './catalogue.schema.js';

type Q = Kysely<DB> | Transaction<DB>;

/** The version of each procedure in force on `at`: the latest effective_from not after it. */
export function currentVersions(db: Q, at: string) {
  return db
    .selectFrom('procedure_version as v')
    .selectAll('v')
    .distinctOn('v.procedure_id')
    .where('v.effective_from', '<=', at)
    .orderBy('v.procedure_id')
    .orderBy('v.effective_from', 'desc')
    .orderBy('v.version', 'desc');
}

const summaryColumns = [
  'p.id',
  'p.code',
  'p.field_code',
  'p.levels',
  'p.name_vi',
  'p.name_en',
  'p.summary_vi',
  'p.summary_en',
  'f.name_vi as field_vi',
  'f.name_en as field_en',
  'v.time_limit_amount',
  'v.time_limit_unit',
  'v.fee_amount',
  'v.online_level',
  'v.online_mode',
] as const;

/**
 * Search ranks an exact code first, then names containing the words, then names that are close
 * (typos: trigram word similarity), then summaries. Text is folded (case, diacritics, đ) on both
 * sides, so "xac nhan cu tru" finds "Xác nhận thông tin về cư trú".
 */
export async function search(db: Q, q: SearchQuery, at: string) {
  const text = q.q?.trim() ?? '';
  let query = db
    .selectFrom('procedure as p')
    .innerJoin('field as f', 'f.code', 'p.field_code')
    .innerJoin(currentVersions(db, at).as('v'), 'v.procedure_id', 'p.id')
    .select(summaryColumns);
  if (q.field) query = query.where('p.field_code', '=', q.field);
  if (q.level) query = query.where(sql<boolean>`${q.level} = any(p.levels)`);
  if (q.unit) {
    const unit = q.unit;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('unit_procedure as up')
          .innerJoin('unit as u', 'u.id', 'up.unit_id')
          .select('up.unit_id')
          .whereRef('up.procedure_id', '=', 'p.id')
          .where('u.code', '=', unit),
      ),
    );
  }
  if (q.online === 'full' || q.online === 'partial') query = query.where('v.online_mode', '=', q.online);
  if (q.online === '3') query = query.where('v.online_level', '>=', 3);
  if (q.online === '4') query = query.where('v.online_level', '=', 4);
  if (!text) {
    return query
      .orderBy('f.sort')
      .orderBy('p.name_vi')
      .limit(q.limit ?? 20)
      .offset(q.offset ?? 0)
      .execute();
  }
  const folded = sql<string>`fold_text(${text})`;
  const score = sql<number>`(
      case when p.code = ${text} then 1000 else 0 end
    + case when p.search_name = ${folded} or p.search_name_en = ${folded} then 500 else 0 end
    + case when p.search_name like '%' || ${folded} || '%' or p.search_name_en like '%' || ${folded} || '%' then 200 else 0 end
    + 100 * greatest(word_similarity(${folded}, p.search_name), word_similarity(${folded}, p.search_name_en))
    + case when p.search_summary like '%' || ${folded} || '%' then 20 else 0 end
    + 150 * (
        select coalesce(avg(case when ' ' || p.search_name || ' ' like '% ' || w || ' %' or ' ' || p.search_name_en || ' ' like '% ' || w || ' %' then 1 else 0 end), 0)
        from unnest(regexp_split_to_array(${folded}, '[^[:alnum:]]+')) as w
        where w <> ''
      )
  )`;
  return query
    .select(score.as('score'))
    .where((eb) =>
      eb.or([
        eb('p.code', '=', text),
        sql<boolean>`${folded} <% p.search_name`,
        sql<boolean>`${folded} <% p.search_name_en`,
        sql<boolean>`p.search_summary like '%' || ${folded} || '%'`,
      ]),
    )
    .orderBy('score', 'desc')
    .orderBy('p.name_vi')
    .limit(q.limit ?? 20)
    .offset(q.offset ?? 0)
    .execute();
}

export type SearchRow = Awaited<ReturnType<typeof search>>[number];

export function findProcedure(db: Q, code: string, at: string) {
  return db
    .selectFrom('procedure as p')
    .innerJoin('field as f', 'f.code', 'p.field_code')
    .innerJoin(currentVersions(db, at).as('v'), 'v.procedure_id', 'p.id')
    .select([...summaryColumns, 'v.version', 'v.effective_from', 'v.content'])
    .where('p.code', '=', code)
    .executeTakeFirst();
}

export function offeringUnits(db: Q, procedureId: number, at: string) {
  return db
    .selectFrom('unit_procedure as up')
    .innerJoin('unit as u', 'u.id', 'up.unit_id')
    .select(['u.id', 'u.code', 'u.name_vi', 'u.name_en', 'u.level', 'u.path', 'up.online_level', 'up.online_mode'])
    .where('up.procedure_id', '=', procedureId)
    .where('u.valid_from', '<=', at)
    .where((eb) => eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>', at)]))
    .orderBy('u.path')
    .execute();
}

export function listFields(db: Q) {
  return db
    .selectFrom('field as f')
    .leftJoin('procedure as p', 'p.field_code', 'f.code')
    .select(['f.code', 'f.name_vi', 'f.name_en', (eb) => eb.fn.count<number>('p.id').as('procedures')])
    .groupBy(['f.code', 'f.name_vi', 'f.name_en', 'f.sort'])
    .orderBy('f.sort')
    .execute();
}
