import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table field (
      code text primary key,
      name_vi text not null,
      name_en text not null,
      sort integer not null default 0
    );

    create table procedure (
      id integer generated always as identity primary key,
      -- National code (d.dddddd) where one exists; local procedures get 'L.' codes.
      code text not null unique check (code ~ '^(\\d\\.\\d{6}|L\\.\\d{6})$'),
      field_code text not null references field (code),
      levels text[] not null check (levels <@ array['city', 'department', 'district', 'commune']::text[] and cardinality(levels) > 0),
      name_vi text not null,
      name_en text not null,
      summary_vi text not null default '',
      summary_en text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index procedure_field_idx on procedure (field_code);
    -- Text search ranks in an in-memory index (src/domain/search-index.ts, see docs/decisions/0002).

    -- A procedure's rules change by decision; each change is a version with an effective date.
    -- Dossiers will reference the version they were submitted under.
    create table procedure_version (
      id integer generated always as identity primary key,
      procedure_id integer not null references procedure (id),
      version integer not null check (version > 0),
      effective_from date not null,
      content jsonb not null,
      time_limit_amount integer check (time_limit_amount >= 0),
      time_limit_unit text check (time_limit_unit in ('working_days', 'hours', 'days', 'months')),
      fee_amount bigint check (fee_amount >= 0),
      online_level smallint check (online_level between 1 and 4),
      online_mode text check (online_mode in ('full', 'partial', 'none')),
      published_at timestamptz not null default now(),
      published_by integer references account (id),
      unique (procedure_id, version),
      check ((time_limit_amount is null) = (time_limit_unit is null))
    );
    create index procedure_version_current_idx on procedure_version (procedure_id, effective_from desc);

    -- Which units offer which procedures, at which online level.
    create table unit_procedure (
      unit_id integer not null references unit (id),
      procedure_id integer not null references procedure (id),
      online_level smallint check (online_level between 1 and 4),
      online_mode text check (online_mode in ('full', 'partial', 'none')),
      primary key (unit_id, procedure_id)
    );
    create index unit_procedure_procedure_idx on unit_procedure (procedure_id);
  `.execute(db);
}
