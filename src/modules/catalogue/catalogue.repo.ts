import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { SearchQuery, VersionContent } from './catalogue.schema.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * The version of a procedure in force on `at` (the latest effective_from not after it), as a
 * lateral join: it is looked up through the (procedure_id, effective_from) index for the rows
 * that survive filtering, instead of sorting every version of every procedure.
 */
function withCurrentVersion<O>(qb: SelectQueryBuilder<DB & { p: DB['procedure'] }, 'p', O>, at: string, withContent = false) {
  return qb.innerJoinLateral(
    (eb) =>
      eb
        .selectFrom('procedure_version as pv')
        .select([
          'pv.id',
          'pv.version',
          'pv.effective_from',
          'pv.time_limit_amount',
          'pv.time_limit_unit',
          'pv.fee_amount',
          'pv.online_level',
          'pv.online_mode',
        ])
        .$if(withContent, (q) => q.select('pv.content'))
        .whereRef('pv.procedure_id', '=', 'p.id')
        .where('pv.effective_from', '<=', at)
        .orderBy('pv.effective_from', 'desc')
        .orderBy('pv.version', 'desc')
        .limit(1)
        .as('v'),
    (join) => join.onTrue(),
  );
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
 * Procedures passing the filters. With `ids` (from the search index, best first) only those, in
 * that order; without, the whole catalogue by field and name.
 */
export async function search(db: Q, q: SearchQuery, at: string, ids?: number[]) {
  let query = withCurrentVersion(db.selectFrom('procedure as p'), at)
    .innerJoin('field as f', 'f.code', 'p.field_code')
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
  if (ids) {
    // Keep the index's order: join on the numbered id list (a lone column takes the alias as its name).
    return query
      .innerJoin(sql<{ o: number; ordinality: number }>`unnest(${ids}::int[]) with ordinality`.as('o'), (j) => j.onRef('o.o', '=', 'p.id'))
      .orderBy('o.ordinality')
      .limit(q.limit ?? 20)
      .offset(q.offset ?? 0)
      .execute();
  }
  return query
    .orderBy('f.sort')
    .orderBy('p.name_vi')
    .limit(q.limit ?? 20)
    .offset(q.offset ?? 0)
    .execute();
}

/** What the in-memory search index is built from. */
export function indexRows(db: Q) {
  return db.selectFrom('procedure').select(['id', 'code', 'name_vi', 'name_en', 'summary_vi', 'summary_en']).execute();
}

export type SearchRow = Awaited<ReturnType<typeof search>>[number];

export function findProcedure(db: Q, code: string, at: string) {
  return withCurrentVersion(db.selectFrom('procedure as p'), at, true)
    .innerJoin('field as f', 'f.code', 'p.field_code')
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

/** Every procedure with the content of its version in force on `at`, for export. */
export function exportRows(db: Q, at: string) {
  return withCurrentVersion(db.selectFrom('procedure as p'), at, true)
    .select(['p.code', 'p.field_code', 'p.levels', 'p.name_vi', 'p.name_en', 'p.summary_vi', 'p.summary_en', 'v.content'])
    .orderBy('p.code')
    .execute();
}

/** The columns kept beside a version's JSON content, for filters and reports. */
export function versionColumns(v: VersionContent) {
  return {
    time_limit_amount: v.timeLimit?.amount ?? null,
    time_limit_unit: v.timeLimit?.unit ?? null,
    fee_amount: v.fee?.amount ?? null,
    online_level: v.onlineLevel,
    online_mode: v.onlineMode,
  };
}
