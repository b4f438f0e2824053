import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Every publication of a year is a new version; the highest version is in force.
    create table calendar_year (
      year integer not null check (year between 1900 and 2100),
      version integer not null check (version > 0),
      holidays jsonb not null,
      days_off jsonb not null,
      working_weekends jsonb not null,
      note text,
      published_at timestamptz not null default now(),
      published_by integer references account (id),
      primary key (year, version)
    );

    -- Opening hours of a unit's one-stop desk; units without a row use the default.
    create table unit_office_hours (
      unit_id integer primary key references unit (id),
      hours jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by integer references account (id)
    );
  `.execute(db);
}
