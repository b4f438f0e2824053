import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A certificate for a ranked entry of a closed round (docs/contest.md, "Certificates"). The code
    -- printed on it (and in its QR) is random, so certificates cannot be enumerated or guessed.
    create table contest_certificate (
      id serial primary key,
      entry_id bigint not null unique references contest_entry (id),
      code text not null unique check (code ~ '^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$'),
      issued_at timestamptz not null default now()
    );
  `.execute(db);
}
