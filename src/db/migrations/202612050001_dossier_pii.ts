import { sql, type Kysely } from 'kysely';
import { pii } from '../../lib/pii.js';
import { sealDossiers } from '../../lib/pii-store.js';

// Frozen once landed: add a new migration instead of editing this one.
// The dossier's personal numbers sealed at rest like the accounts' (docs/privacy.md): the applicant
// record, its phone and citizen ID columns, and the phone and ID answers of the online form. Keyed
// hashes stand beside them for the lookups that used the numbers: grouping survey invitations by
// person (`applicant_*_hash`) and the tracking lookup's four-digit check (`lookup_checks`). Existing
// rows are converted in the migration's transaction.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table dossier add column applicant_phone_hash text, add column applicant_citizen_id_hash text,
      add column lookup_checks text[] not null default '{}';
    -- Never searched by: a claim finds the dossier by its code, then compares the numbers.
    drop index if exists dossier_applicant_citizen_idx;
  `.execute(db);
  await sealDossiers(db, pii(), { all: true });
}
