import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Feedback and questions (phản ánh, kiến nghị, PAKN; DESIGN §4.6). Codes PAKN-yyMMdd-nnnnn,
    -- numbered per Vietnam day across the city, distinct from dossier codes.
    create table feedback_code_counter (
      day date primary key,
      last integer not null check (last between 1 and 99999)
    );

    create table feedback (
      id bigint generated always as identity primary key,
      code text not null unique,
      -- sha256 of the secret in the author's follow link; the secret itself is never stored.
      key_hash text not null,
      kind text not null check (kind in ('question', 'regulation', 'conduct')),
      status text not null check (status in ('received', 'rejected', 'info_requested', 'answering', 'awaiting_approval', 'published')),
      title text not null check (length(title) between 1 and 200),
      content text not null check (length(content) between 1 and 5000),
      -- The texts as they may be published: personal data redacted when received.
      public_title text not null,
      public_content text not null,
      author_name text not null check (length(author_name) between 1 and 200),
      author_phone text check (length(author_phone) <= 20),
      author_email text check (length(author_email) <= 254),
      author_account_id integer references account (id),
      locale text not null check (locale in ('vi', 'en')),
      -- The unit handling it now (transfers change it); what the author named stays in about_unit_id.
      unit_id integer not null references unit (id),
      about_unit_id integer references unit (id),
      dossier_id bigint references dossier (id),
      procedure_id integer references procedure (id),
      received_at timestamptz not null,
      reject_by timestamptz not null,
      request_info_by timestamptz not null,
      answer_by timestamptz not null,
      -- The answer clock: from the receipt or the reopening, minus the waits for the author's reply.
      answer_from timestamptz not null,
      waits jsonb not null default '[]',
      info_question text check (length(info_question) <= 2000),
      info_requested_at timestamptz,
      reason text check (length(reason) <= 2000),
      answer_text text check (length(answer_text) <= 10000),
      answer_public text,
      answer_template text,
      answered_by integer references account (id),
      approved_by integer references account (id),
      approved_at timestamptz,
      publish_by timestamptz,
      published_at timestamptz,
      reopen_count smallint not null default 0,
      -- Reopened at most once, whatever the application does.
      constraint feedback_reopen_once check (reopen_count between 0 and 1),
      constraint feedback_contact check (author_phone is not null or author_email is not null),
      search_text text not null default '',
      updated_at timestamptz not null
    );
    create index feedback_unit_status_idx on feedback (unit_id, status, answer_by);
    create index feedback_published_idx on feedback (published_at desc) where status = 'published';

    -- Every state change, by whom and when; the figures are counted from here per unit.
    create table feedback_event (
      id bigint generated always as identity primary key,
      feedback_id bigint not null references feedback (id),
      at timestamptz not null,
      unit_id integer not null references unit (id),
      actor_id integer references account (id),
      actor_kind text not null check (actor_kind in ('author', 'official', 'system')),
      action text not null,
      from_status text,
      to_status text,
      note text,
      data jsonb
    );
    create index feedback_event_feedback_idx on feedback_event (feedback_id, id);
    create index feedback_event_unit_idx on feedback_event (unit_id, action, at);

    -- One rating per answer: round 0 for the first answer, 1 after the reopening.
    create table feedback_rating (
      feedback_id bigint not null references feedback (id),
      round smallint not null check (round between 0 and 1),
      rating text not null check (rating in ('satisfied', 'not_satisfied')),
      rated_at timestamptz not null,
      primary key (feedback_id, round)
    );

    -- Files sent with the feedback or the author's reply; never public.
    create table feedback_attachment (
      id bigint generated always as identity primary key,
      feedback_id bigint not null references feedback (id),
      file_sha256 text not null references stored_file (sha256),
      name text not null,
      media_type text not null,
      size integer not null,
      uploaded_at timestamptz not null
    );
    create index feedback_attachment_idx on feedback_attachment (feedback_id);
  `.execute(db);
}
