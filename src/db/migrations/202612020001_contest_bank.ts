import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The question bank's life cycle (docs/contest.md): generated questions start as drafts for the
    -- admin to review; only active ones are drawn; a question already drawn is retired, not deleted.
    alter table contest_question
      add column status text not null default 'active' check (status in ('draft', 'active', 'retired')),
      add column updated_at timestamptz not null default now();
    create index contest_question_status_idx on contest_question (pool_id, status);
    -- "Has this question been drawn?" (it can then no longer be edited or deleted) without scanning
    -- every entry: entries' questions @> [{"questionId": n}].
    create index contest_entry_questions_idx on contest_entry using gin (questions jsonb_path_ops);

    -- An uploaded import waiting for the admin's confirmation: the parsed rows and their report.
    create table contest_import (
      id serial primary key,
      contest_id integer not null references contest (id),
      file_name text not null,
      -- [{row, field, kind, ...}] as parsed; written to the bank only on confirmation.
      rows jsonb not null,
      -- [{row, column, reason}]; empty when every row is valid.
      problems jsonb not null,
      created_by integer not null references account (id),
      created_at timestamptz not null default now(),
      confirmed_at timestamptz
    );
    create index contest_import_contest_idx on contest_import (contest_id);
  `.execute(db);
}
