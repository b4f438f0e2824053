import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The city-wide contest "Tìm hiểu dịch vụ công trực tuyến" (DESIGN §4.6, docs/contest.md).
    create table contest (
      id serial primary key,
      title_vi text not null check (length(title_vi) between 1 and 200),
      title_en text not null check (length(title_en) between 1 and 200),
      created_by integer not null references account (id),
      created_at timestamptz not null default now()
    );

    create table contest_round (
      id serial primary key,
      contest_id integer not null references contest (id),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      question_count integer not null check (question_count between 1 and 100),
      time_limit_seconds integer not null check (time_limit_seconds between 10 and 7200),
      state text not null default 'draft' check (state in ('draft', 'published')),
      published_by integer references account (id),
      published_at timestamptz,
      -- Frozen once, at the first request for results after the close; never recomputed.
      ranking jsonb,
      ranking_hash text,
      ranked_at timestamptz,
      check (closes_at > opens_at),
      check ((ranking is null) = (ranking_hash is null))
    );
    create index contest_round_contest_idx on contest_round (contest_id);

    create table contest_pool (
      id serial primary key,
      contest_id integer not null references contest (id),
      field_code text not null references field (code),
      name_vi text not null check (length(name_vi) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200)
    );
    create index contest_pool_contest_idx on contest_pool (contest_id);

    create table contest_question (
      id serial primary key,
      pool_id integer not null references contest_pool (id),
      kind text not null check (kind in ('single', 'multiple')),
      difficulty smallint not null check (difficulty between 1 and 3),
      text_vi text not null,
      text_en text not null,
      -- [{id, vi, en}]; ids are random, given by the server, so they say nothing about correctness.
      options jsonb not null,
      correct text[] not null check (cardinality(correct) >= 1),
      explanation_vi text not null,
      explanation_en text not null,
      procedure_code text,
      created_by integer not null references account (id),
      created_at timestamptz not null default now(),
      check (kind = 'multiple' or cardinality(correct) = 1)
    );
    create index contest_question_pool_idx on contest_question (pool_id);

    create table contest_participant (
      id serial primary key,
      contest_id integer not null references contest (id),
      name text not null,
      phone text not null,
      citizen_id text,
      unit_id integer not null references unit (id),
      -- sha256 of the participant token; the token itself is only given once, at registration.
      token_hash text not null unique,
      registered_at timestamptz not null default now(),
      unique (contest_id, phone)
    );
    create index contest_participant_unit_idx on contest_participant (contest_id, unit_id);

    create table contest_entry (
      id bigserial primary key,
      round_id integer not null references contest_round (id),
      participant_id integer not null references contest_participant (id),
      -- With the question bank it reproduces the draw (domain/contest/draw.ts).
      seed text not null,
      -- [{questionId, optionIds}] in the order shown.
      questions jsonb not null,
      started_at timestamptz not null,
      submitted_at timestamptz,
      prediction integer check (prediction >= 0),
      unique (participant_id, round_id)
    );
    create index contest_entry_round_idx on contest_entry (round_id);

    create table contest_answer (
      entry_id bigint not null references contest_entry (id),
      question_id integer not null references contest_question (id),
      chosen text[] not null,
      answered_at timestamptz not null,
      primary key (entry_id, question_id)
    );
  `.execute(db);
}
