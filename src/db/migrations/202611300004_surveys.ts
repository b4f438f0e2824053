import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Satisfaction surveys over the SIPAS factors (DESIGN §4.6, docs/surveys.md). A city admin
    -- drafts a survey, launches it (the sample is drawn then) and closes it at its end or earlier.
    create table survey (
      id serial primary key,
      title text not null check (length(title) between 1 and 200),
      -- The questionnaire as it was at creation: a later edit of the seed file never changes it.
      questionnaire jsonb not null,
      -- Unit ids covered; null = every unit with a returned dossier in the 12 months before launch.
      unit_ids integer[],
      sample_mode text not null check (sample_mode in ('per_unit', 'total')),
      sample_size integer not null check (sample_size > 0),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      state text not null default 'draft' check (state in ('draft', 'open', 'closed')),
      -- Set at launch: with the population it reproduces the draw (domain/surveys/sampling.ts).
      seed text,
      population integer,
      eligible_from timestamptz,
      created_by integer not null references account (id),
      created_at timestamptz not null default now(),
      launched_by integer references account (id),
      launched_at timestamptz,
      closed_by integer references account (id),
      closed_at timestamptz,
      -- Equal only when a survey is closed before it opened (no answers were possible).
      check (closes_at >= opens_at)
    );

    create table survey_invitation (
      id bigserial primary key,
      survey_id integer not null references survey (id),
      unit_id integer not null references unit (id),
      -- The applicant's latest returned dossier, which the invitation speaks about.
      dossier_id bigint not null references dossier (id),
      -- sha256 of the person's identity (phone, account or citizen ID): one invitation per person.
      applicant_key text not null,
      -- sha256 of the secret token in the link; the token itself is only in the message.
      token_hash text not null unique,
      invited_at timestamptz not null,
      responded_at timestamptz,
      unique (survey_id, applicant_key)
    );
    create index survey_invitation_survey_idx on survey_invitation (survey_id, unit_id);

    -- One response per invitation, enforced by the key.
    create table survey_response (
      invitation_id bigint primary key references survey_invitation (id),
      survey_id integer not null references survey (id),
      unit_id integer not null references unit (id),
      answers jsonb not null,
      submitted_at timestamptz not null
    );
    create index survey_response_survey_idx on survey_response (survey_id, unit_id);
  `.execute(db);
}
