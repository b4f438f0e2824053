import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Uploaded and generated files, stored by content (src/lib/storage.ts); rows only describe them.
    create table stored_file (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      size integer not null check (size > 0),
      media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
      created_at timestamptz not null default now()
    );

    -- One counter row per receiving agency and day: the row lock makes concurrent codes unique,
    -- and a rolled-back transaction may leave a gap, which the code format tolerates.
    create table dossier_code_counter (
      agency_code text not null,
      day date not null,
      last integer not null check (last between 1 and 9999),
      primary key (agency_code, day)
    );

    create table dossier (
      id bigint generated always as identity primary key,
      -- Null while a draft: the code is given at submission (online) or registration (desk).
      code text unique check (code ~ '^[0-9A-Z.]+-\\d{6}-\\d{4}$'),
      unit_id integer not null references unit (id),
      procedure_id integer not null references procedure (id),
      procedure_version_id integer not null references procedure_version (id),
      channel smallint not null check (channel in (1, 2, 3)),
      -- National status 1-10; null while a draft.
      status smallint check (status between 1 and 10),
      owner_id integer references account (id),
      created_by integer not null references account (id),
      -- Who filed for whom when the applicant did not file themselves: {"by": "relative" | "desk", "relation": text}.
      assisted jsonb,
      applicant jsonb not null,
      applicant_name text not null default '',
      applicant_phone text,
      applicant_citizen_id text,
      form_data jsonb not null default '{}',
      locale text not null default 'vi' check (locale in ('vi', 'en')),
      fee_amount bigint check (fee_amount >= 0),
      fee_basis jsonb,
      submitted_at timestamptz,
      received_at timestamptz,
      due_at timestamptz,
      -- The clock stops while a supplement is awaited: [{"from": iso, "to": iso | null}].
      pauses jsonb not null default '[]',
      finished_at timestamptz,
      idempotency_key text,
      revision integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (created_by, idempotency_key),
      check ((status is null) = (code is null))
    );
    create index dossier_unit_status_idx on dossier (unit_id, status, submitted_at);
    create index dossier_owner_idx on dossier (owner_id, updated_at desc);
    create index dossier_applicant_citizen_idx on dossier (applicant_citizen_id) where owner_id is null;

    create table dossier_document (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      -- Index into the version's documents list; -1 for anything else the applicant adds.
      item integer not null check (item >= -1),
      file_sha256 text references stored_file (sha256),
      file_name text check (length(file_name) <= 200),
      media_type text,
      size integer,
      -- Brought on paper at the desk (no scan).
      paper boolean not null default false,
      -- 0 with the submission; n for the answer to the n-th supplement request.
      round integer not null default 0,
      uploaded_by integer references account (id),
      created_at timestamptz not null default now(),
      check ((file_sha256 is not null) <> paper)
    );
    create index dossier_document_dossier_idx on dossier_document (dossier_id, item);

    -- The dossier's history. Each event carries the hash of the one before it for the same
    -- dossier, so a dossier's record is tamper-evident without one lock for the whole city.
    create table dossier_event (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      at timestamptz not null default now(),
      actor_id integer references account (id),
      actor_role text,
      action text not null,
      from_status smallint,
      to_status smallint,
      note text,
      data jsonb,
      prev_hash text,
      hash text not null
    );
    create index dossier_event_dossier_idx on dossier_event (dossier_id, id);

    create table dossier_supplement (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      round integer not null,
      requested_at timestamptz not null default now(),
      requested_by integer not null references account (id),
      -- [{"item": n, "reason": text}]
      items jsonb not null,
      note text,
      provided_at timestamptz,
      closed_at timestamptz,
      unique (dossier_id, round)
    );

    create table payment (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      unit_id integer not null references unit (id),
      txn_ref text not null unique,
      amount bigint not null check (amount > 0),
      method text not null check (method in ('gateway', 'cash')),
      provider text,
      status text not null check (status in ('pending', 'paid', 'failed', 'cancelled')),
      provider_txn text,
      paid_at timestamptz,
      recorded_by integer references account (id),
      receipt_no text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index payment_dossier_idx on payment (dossier_id);
    create index payment_unit_day_idx on payment (unit_id, paid_at) where status = 'paid';

    -- Durable background work, written in the transaction that causes it (outbox).
    create table job (
      id bigint generated always as identity primary key,
      queue text not null,
      payload jsonb not null,
      run_at timestamptz not null default now(),
      attempts integer not null default 0,
      max_attempts integer not null default 8,
      locked_until timestamptz,
      last_error text,
      done_at timestamptz,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index job_due_idx on job (run_at) where done_at is null and failed_at is null;

    -- The in-app inbox: one row per message to a citizen, in their language, from a versioned template.
    create table notification (
      id bigint generated always as identity primary key,
      account_id integer references account (id),
      dossier_id bigint references dossier (id),
      template text not null,
      template_version integer not null,
      locale text not null,
      subject text not null,
      body text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    create index notification_account_idx on notification (account_id, created_at desc);
  `.execute(db);
}
