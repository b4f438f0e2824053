import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Learning mode for schools (docs/contest.md, "Learning mode"): schools belong to a ward or
    -- district; a teacher's class has a short code for pupils and a secret link for the teacher.
    -- Practice answers live here, apart from the contest tables: they never count for the contest.
    create table school (
      id serial primary key,
      code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9.-]{1,39}$'),
      name_vi text not null check (length(name_vi) between 2 and 200),
      name_en text not null check (length(name_en) between 2 and 200),
      kind text not null check (kind in ('primary', 'lower_secondary', 'upper_secondary')),
      unit_id integer not null references unit (id),
      created_by integer references account (id),
      created_at timestamptz not null default now()
    );
    create index school_unit_idx on school (unit_id);

    create table learn_class (
      id serial primary key,
      school_id integer not null references school (id),
      teacher_name text not null check (length(teacher_name) between 2 and 120),
      name text not null check (length(name) between 1 and 30),
      -- What pupils type: 6 characters from an alphabet without 0/O/1/I.
      code text not null unique check (code ~ '^[A-HJ-NP-Z2-9]{6}$'),
      -- sha256 of the teacher's secret link token; the token is only shown in the link.
      teacher_token_hash text not null unique,
      created_at timestamptz not null default now()
    );
    create index learn_class_school_idx on learn_class (school_id);

    create table learn_pupil (
      id serial primary key,
      class_id integer not null references learn_class (id),
      name text not null check (length(name) between 2 and 120),
      -- sha256 of the token kept in the pupil's HttpOnly cookie (no account).
      token_hash text not null unique,
      joined_at timestamptz not null default now()
    );
    create index learn_pupil_class_idx on learn_pupil (class_id);

    -- Every try is kept (retries are allowed): the first try gives the practice score.
    create table learn_attempt (
      id bigserial primary key,
      pupil_id integer not null references learn_pupil (id),
      lesson_slug text not null,
      question_key text not null,
      chosen text[] not null check (cardinality(chosen) >= 1),
      correct boolean not null,
      answered_at timestamptz not null default now()
    );
    create index learn_attempt_pupil_idx on learn_attempt (pupil_id, lesson_slug, question_key, id);
  `.execute(db);
}
