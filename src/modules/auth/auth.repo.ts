import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { RoleGrant } from './policy.js';
import { pii } from '../../lib/pii.js';

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

/** The account's login names as the person typed them: a phone decrypted from the account row. */
export async function listIdentifiers(db: Q, accountId: number) {
  const rows = await db
    .selectFrom('account_identifier as i')
    .innerJoin('account as a', 'a.id', 'i.account_id')
    .select(['i.identifier', 'i.kind', 'a.phone'])
    .where('i.account_id', '=', accountId)
    .orderBy('i.kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, identifier: r.kind === 'phone' ? (pii().decryptNullable(r.phone) ?? '') : r.identifier }));
}

// Every request with a session or a token needs the account and its grants: one statement for
// all three, since it runs before every authenticated page and API call.
const grantsJson = sql<RoleGrant[]>`coalesce((select json_agg(json_build_object(
    'role', r.role, 'unitId', u.id, 'unitCode', u.code, 'unitPath', u.path::text) order by r.id)
  from role_assignment r join unit u on u.id = r.unit_id where r.account_id = a.id), '[]'::json)`;

/** A session with its account and the account's grants. */
export function findSessionActor(db: Q, id: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('account as a', 'a.id', 's.account_id')
    .select([
      's.expires_at',
      's.last_seen_at',
      'a.id as account_id',
      'a.kind',
      'a.full_name',
      'a.locale',
      'a.disabled_at',
      grantsJson.as('grants'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** An unrevoked, unexpired API token with its account and the account's grants. */
export function findTokenActor(db: Q, tokenHash: string) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('account as a', 'a.id', 't.account_id')
    .select(['t.id', 't.last_used_at', 'a.id as account_id', 'a.kind', 'a.full_name', 'a.locale', 'a.disabled_at', grantsJson.as('grants')])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', new Date())
    .executeTakeFirst();
}
