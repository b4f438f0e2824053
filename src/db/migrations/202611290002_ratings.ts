import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Satisfaction with a returned dossier (DESIGN §4.6): one rating per dossier, which the
    -- applicant may change for 7 days. A "not satisfied" opens a follow-up for the unit's leaders.
    create table dossier_rating (
      dossier_id bigint primary key references dossier (id),
      unit_id integer not null references unit (id),
      procedure_id integer not null references procedure (id),
      overall text not null check (overall in ('very_satisfied', 'satisfied', 'not_satisfied')),
      -- The nine criteria of the evaluation (Decree 61/2018): {"total_time": 0..2, ...}; absent = not answered.
      criteria jsonb not null default '{}',
      comment text check (length(comment) <= 2000),
      -- The official who worked the main step; per-officer figures are for that officer's leaders only.
      officer_id integer references account (id),
      rated_at timestamptz not null,
      updated_at timestamptz not null,
      follow_up_state text check (follow_up_state in ('open', 'closed')),
      follow_up_note text check (length(follow_up_note) <= 2000),
      follow_up_by integer references account (id),
      follow_up_at timestamptz
    );
    create index dossier_rating_unit_idx on dossier_rating (unit_id, rated_at);
    create index dossier_rating_follow_up_idx on dossier_rating (unit_id, rated_at) where follow_up_state = 'open';
  `.execute(db);
}
