import { sql, type Kysely } from 'kysely';
import { pii } from '../../lib/pii.js';
import { encryptColumns, sealSmsRecipients } from '../../lib/pii-store.js';

// Frozen once landed: add a new migration instead of editing this one.
// The last phone numbers kept in clear are sealed (docs/privacy.md): the contact of a feedback's
// author, of a conference registrant and of a conference question's asker, and the recipient of
// every SMS job. One registration per phone and conference now holds on the keyed hash.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The checks on the number's shape were written for the plaintext; the app checks it before sealing.
    alter table feedback drop constraint if exists feedback_author_phone_check;
    alter table conference_registration drop constraint if exists conference_registration_phone_check;
    drop index if exists conference_registration_phone_uq;
    alter table conference_registration add column phone_hash text;
  `.execute(db);
  const cipher = pii();
  // Spelled out (not PII_COLUMNS) so this migration never changes meaning.
  await encryptColumns(db, cipher, [
    { table: 'feedback', key: 'id', column: 'author_phone', kind: 'phone', hash: null },
    { table: 'conference_registration', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
    { table: 'conference_question', key: 'id', column: 'asker_phone', kind: 'phone', hash: null },
  ]);
  await sealSmsRecipients(db, cipher);
  await sql`
    create unique index conference_registration_phone_hash_uq on conference_registration (conference_id, phone_hash);
  `.execute(db);
}
