import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create extension if not exists ltree;
    create extension if not exists unaccent;
    create extension if not exists pg_trgm;

    -- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it
    -- safe for expression indexes. Vietnamese search folds case and diacritics (đ -> d included).
    create function fold_text(text) returns text
      language sql immutable parallel safe strict
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

    create table app_setting (
      key text primary key,
      value text not null
    );

    create table unit (
      id integer generated always as identity primary key,
      code text not null unique,
      name_vi text not null,
      name_en text not null,
      level text not null check (level in ('city', 'department', 'district', 'commune')),
      kind text not null,
      parent_id integer references unit (id),
      path ltree not null unique,
      valid_from date not null,
      valid_to date,
      created_at timestamptz not null default now(),
      check (valid_to is null or valid_to > valid_from),
      check ((level = 'city') = (parent_id is null))
    );
    create index unit_path_gist on unit using gist (path);
    create index unit_parent_idx on unit (parent_id);
    create index unit_name_trgm on unit using gin (fold_text(name_vi) gin_trgm_ops);

    create table unit_succession (
      predecessor_id integer not null references unit (id),
      successor_id integer not null references unit (id),
      kind text not null check (kind in ('merge', 'split', 'rename')),
      effective_date date not null,
      primary key (predecessor_id, successor_id)
    );

    create table account (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('citizen', 'business', 'official')),
      full_name text not null,
      phone text,
      email text,
      username text,
      citizen_id text unique,
      tax_code text unique,
      password_hash text not null,
      locale text not null default 'vi' check (locale in ('vi', 'en')),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (kind <> 'business' or tax_code is not null)
    );

    -- One namespace for every login name (phone, e-mail, tax code, username), so a login is never ambiguous.
    create table account_identifier (
      identifier text primary key,
      account_id integer not null references account (id) on delete cascade,
      kind text not null check (kind in ('phone', 'email', 'tax_code', 'username'))
    );
    create index account_identifier_account_idx on account_identifier (account_id);

    create table role_assignment (
      id integer generated always as identity primary key,
      account_id integer not null references account (id) on delete cascade,
      role text not null check (role in ('desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin')),
      unit_id integer not null references unit (id),
      created_at timestamptz not null default now(),
      created_by integer references account (id),
      unique (account_id, role, unit_id)
    );
    create index role_assignment_unit_idx on role_assignment (unit_id);

    create table session (
      id text primary key,
      account_id integer not null references account (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index session_account_idx on session (account_id);

    create table api_token (
      id integer generated always as identity primary key,
      account_id integer not null references account (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_token_account_idx on api_token (account_id);

    create table audit_event (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor_id integer,
      actor_role text,
      unit_id integer,
      ip text,
      action text not null,
      entity_type text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      prev_hash text,
      hash text not null unique
    );
    create index audit_event_entity_idx on audit_event (entity_type, entity_id);
  `.execute(db);
}
