import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Dialogue conferences (hội nghị đối thoại, DESIGN §4.6): a unit schedules one, people register
    -- and send questions ahead, the minutes publish each question's answer and the commitments made.
    create table conference (
      id bigint generated always as identity primary key,
      unit_id integer not null references unit (id),
      topic text not null check (length(topic) between 1 and 300),
      description text not null default '' check (length(description) <= 5000),
      starts_at timestamptz not null,
      place text not null check (length(place) between 1 and 300),
      chair text not null check (length(chair) between 1 and 200),
      -- Leaders attending: [{"name": ..., "title": ...}], in the order the unit lists them.
      leaders jsonb not null default '[]',
      registration_closes_at timestamptz not null,
      capacity integer check (capacity between 1 and 100000),
      status text not null default 'scheduled' check (status in ('scheduled', 'held', 'minutes_published', 'cancelled')),
      cancel_reason text check (length(cancel_reason) <= 2000),
      held_at timestamptz,
      minutes_published_at timestamptz,
      cancelled_at timestamptz,
      created_by integer not null references account (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (registration_closes_at <= starts_at),
      check (status <> 'cancelled' or cancel_reason is not null),
      check (status <> 'minutes_published' or minutes_published_at is not null)
    );
    create index conference_unit_idx on conference (unit_id, starts_at);
    create index conference_starts_idx on conference (starts_at);

    create table conference_registration (
      id bigint generated always as identity primary key,
      conference_id bigint not null references conference (id),
      full_name text not null check (length(full_name) between 1 and 200),
      phone text check (phone ~ '^0[0-9]{9}$'),
      email text check (length(email) <= 254),
      organisation text check (length(organisation) <= 300),
      account_id integer references account (id),
      locale text not null default 'vi' check (locale in ('vi', 'en')),
      created_at timestamptz not null default now(),
      check (phone is not null or email is not null)
    );
    -- One seat per phone (and per e-mail) per conference, whatever the race.
    create unique index conference_registration_phone_uq on conference_registration (conference_id, phone);
    create unique index conference_registration_email_uq on conference_registration (conference_id, lower(email));

    create table conference_question (
      id bigint generated always as identity primary key,
      conference_id bigint not null references conference (id),
      -- 'advance': sent before the meeting; 'room': raised in the room and added by an official.
      source text not null check (source in ('advance', 'room')),
      -- Shown publicly as initials only; contact details are for notifying the asker, never shown.
      asker_name text check (length(asker_name) <= 200),
      asker_phone text,
      asker_email text,
      asker_account_id integer references account (id),
      asker_locale text not null default 'vi' check (asker_locale in ('vi', 'en')),
      body text not null check (length(body) between 1 and 2000),
      procedure_code text references procedure (code),
      field_code text references field (code),
      moderation text not null default 'pending' check (moderation in ('pending', 'accepted', 'declined')),
      decline_reason text check (length(decline_reason) <= 2000),
      moderated_by integer references account (id),
      moderated_at timestamptz,
      supports integer not null default 0,
      draft_answer text check (length(draft_answer) <= 10000),
      answer text check (length(answer) <= 10000),
      answered_by integer references account (id),
      answered_at timestamptz,
      created_at timestamptz not null default now(),
      check (moderation <> 'declined' or decline_reason is not null)
    );
    create index conference_question_conf_idx on conference_question (conference_id, moderation, supports desc, id);

    -- One +1 per account and question; the count on the question is kept in the same transaction.
    create table conference_question_support (
      question_id bigint not null references conference_question (id),
      account_id integer not null references account (id),
      created_at timestamptz not null default now(),
      primary key (question_id, account_id)
    );

    create table conference_commitment (
      id bigint generated always as identity primary key,
      conference_id bigint not null references conference (id),
      question_id bigint not null references conference_question (id),
      what text not null check (length(what) between 1 and 2000),
      responsible text not null check (length(responsible) between 1 and 300),
      responsible_unit_id integer references unit (id),
      due_date date not null,
      status text not null default 'open' check (status in ('open', 'in_progress', 'done')),
      evidence text check (length(evidence) <= 5000),
      evidence_url text check (length(evidence_url) <= 1000),
      done_at timestamptz,
      created_by integer not null references account (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status <> 'done' or (evidence is not null and done_at is not null))
    );
    create index conference_commitment_conf_idx on conference_commitment (conference_id, question_id);
    create index conference_commitment_open_idx on conference_commitment (due_date) where status <> 'done';

    -- The public history of a commitment: every change, dated, with who made it.
    create table conference_commitment_event (
      id bigint generated always as identity primary key,
      commitment_id bigint not null references conference_commitment (id),
      at timestamptz not null default now(),
      actor_id integer not null references account (id),
      status text not null check (status in ('open', 'in_progress', 'done')),
      note text check (length(note) <= 5000),
      evidence_url text check (length(evidence_url) <= 1000)
    );
    create index conference_commitment_event_idx on conference_commitment_event (commitment_id, id);
  `.execute(db);
}
