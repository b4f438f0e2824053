import type { Kysely, Transaction } from 'kysely';
import type { DB, UnitLevel, UnitRow } from '../../db/types.js';

type Q = Kysely<DB> | Transaction<DB>;

export function findByCode(db: Q, code: string) {
  return db.selectFrom('unit').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Units in force on `at` (valid_from <= at < valid_to), optionally one level or under one parent. */
export function listValid(db: Q, at: string, filter: { level?: UnitLevel | undefined; parentId?: number | undefined }) {
  let q = db
    .selectFrom('unit')
    .selectAll()
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]));
  if (filter.level) q = q.where('level', '=', filter.level);
  if (filter.parentId !== undefined) q = q.where('parent_id', '=', filter.parentId);
  return q.orderBy('path').execute();
}

export function childCodes(db: Q, parentId: number, at: string) {
  return db
    .selectFrom('unit')
    .select('code')
    .where('parent_id', '=', parentId)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .orderBy('path')
    .execute();
}

export function succession(db: Q, unitId: number, direction: 'predecessors' | 'successors') {
  const [self, other] =
    direction === 'predecessors' ? (['successor_id', 'predecessor_id'] as const) : (['predecessor_id', 'successor_id'] as const);
  return db
    .selectFrom('unit_succession as s')
    .innerJoin('unit as u', 'u.id', `s.${other}`)
    .select(['u.code', 's.kind', 's.effective_date'])
    .where(`s.${self}`, '=', unitId)
    .orderBy('u.code')
    .execute();
}

export function insertUnit(db: Q, row: Omit<UnitRow, 'id' | 'created_at'>) {
  return db.insertInto('unit').values(row).returningAll().executeTakeFirstOrThrow();
}

export function countValidByLevel(db: Q, at: string) {
  return db
    .selectFrom('unit')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .groupBy('level')
    .execute();
}
