import { sql, type Kysely } from 'kysely';
import { pii } from '../../lib/pii.js';
import { encryptColumns, hashPhoneIdentifiers } from '../../lib/pii-store.js';

// Frozen once landed: add a new migration instead of editing this one.
// Phone and citizen ID numbers of accounts and contest participants encrypted at rest, with a keyed
// hash beside each for lookups and uniqueness (docs/privacy.md). Existing deployments hold them in
// clear: the rows are converted here, with the key from PII_KEYS, in the migration's transaction,
// so no process ever sees a half-converted table.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table account add column phone_hash text, add column citizen_id_hash text;
    alter table account drop constraint if exists account_citizen_id_key;
    alter table contest_participant add column phone_hash text, add column citizen_id_hash text;
    alter table contest_participant drop constraint if exists contest_participant_contest_id_phone_key;
    -- Erasure at the author's request and the retention purge remove a feedback's contact data;
    -- the feedback itself (an answered question, a handled complaint) stays.
    alter table feedback add column contact_erased_at timestamptz;
    alter table feedback drop constraint feedback_contact;
    alter table feedback add constraint feedback_contact
      check (author_phone is not null or author_email is not null or contact_erased_at is not null);
  `.execute(db);
  const cipher = pii();
  // The column list is spelled out (not PII_COLUMNS) so this migration never changes meaning.
  await encryptColumns(db, cipher, [
    { table: 'account', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
    { table: 'account', key: 'id', column: 'citizen_id', kind: 'citizen_id', hash: 'citizen_id_hash' },
    { table: 'contest_participant', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
    { table: 'contest_participant', key: 'id', column: 'citizen_id', kind: 'citizen_id', hash: 'citizen_id_hash' },
  ]);
  await hashPhoneIdentifiers(db, cipher);
  await sql`
    create unique index account_citizen_id_hash_uq on account (citizen_id_hash);
    create index account_phone_hash_idx on account (phone_hash);
    alter table contest_participant alter column phone_hash set not null;
    alter table contest_participant add constraint contest_participant_phone_hash_uq unique (contest_id, phone_hash);
  `.execute(db);
}
