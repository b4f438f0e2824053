import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- FAQ / knowledge base (DESIGN §4.6): questions that citizens ask, answered by the unit that
    -- owns them, linked to the procedures they are about and shown on those procedures' pages.
    create table faq_entry (
      id integer generated always as identity primary key,
      unit_id integer not null references unit (id),
      field_code text references field (code),
      question_vi text not null check (length(question_vi) between 5 and 500),
      question_en text check (length(question_en) <= 500),
      answer_vi text not null check (length(answer_vi) between 1 and 10000),
      answer_en text check (length(answer_en) <= 10000),
      status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
      -- An answer the unit must still confirm against the rules in force; shown with a notice.
      needs_confirmation boolean not null default false,
      confirmation_note text check (length(confirmation_note) <= 1000),
      -- Where the entry came from. source_ref names the feedback item or conference question as
      -- plain text on purpose: those tables live in other modules and may be archived separately.
      source text not null check (source in ('seed', 'feedback', 'conference', 'manual')),
      source_ref text check (length(source_ref) <= 100),
      view_count integer not null default 0,
      created_by integer references account (id),
      created_at timestamptz not null default now(),
      updated_by integer references account (id),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      confirmed_by integer references account (id),
      confirmed_at timestamptz
    );
    -- One entry per feedback item or conference question: turning it into an FAQ twice is a no-op.
    create unique index faq_entry_source_idx on faq_entry (source, source_ref) where source_ref is not null;
    create index faq_entry_unit_idx on faq_entry (unit_id, status);

    create table faq_procedure (
      faq_id integer not null references faq_entry (id) on delete cascade,
      procedure_id integer not null references procedure (id),
      primary key (faq_id, procedure_id)
    );
    create index faq_procedure_procedure_idx on faq_procedure (procedure_id);
  `.execute(db);
}
