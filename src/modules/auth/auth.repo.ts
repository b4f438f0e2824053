import type { Kysely, Transaction } from 'kysely';
import type { DB, Role } from '../../db/types.js';
import type { RoleGrant } from './policy.js';

type Q = Kysely<DB> | Transaction<DB>;

export function findAccountByIdentifier(db: Q, identifier: string) {
  return db
    .selectFrom('account_identifier as i')
    .innerJoin('account as a', 'a.id', 'i.account_id')
    .selectAll('a')
    .where('i.identifier', '=', identifier)
    .executeTakeFirst();
}

export function findAccount(db: Q, id: number) {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listIdentifiers(db: Q, accountId: number) {
  return db.selectFrom('account_identifier').select(['identifier', 'kind']).where('account_id', '=', accountId).orderBy('kind').execute();
}

export async function loadGrants(db: Q, accountId: number): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_assignment as r')
    .innerJoin('unit as u', 'u.id', 'r.unit_id')
    .select(['r.role', 'u.id as unitId', 'u.code as unitCode', 'u.path as unitPath'])
    .where('r.account_id', '=', accountId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, unitId: r.unitId, unitCode: r.unitCode, unitPath: r.unitPath }));
}

export function findSession(db: Q, id: string) {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findActiveToken(db: Q, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}
