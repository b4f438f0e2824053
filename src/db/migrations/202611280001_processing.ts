import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Processing after reception (DESIGN §4.3). The dossier row holds where it is now, so a work
    -- queue is one index range; dossier_step holds every hand-over for the control sheet (form 05).
    alter table dossier
      -- The procedure's workflow as it was at reception, with each step's unit resolved.
      add column workflow jsonb,
      add column step_index smallint,
      add column step_unit_id integer references unit (id),
      add column step_role text check (step_role in ('desk_officer', 'specialist', 'leader')),
      add column assignee_id integer references account (id),
      add column step_started_at timestamptz,
      add column step_due_at timestamptz,
      -- The status to go back to when a payment (6) or a declined withdrawal (7) ends.
      add column held_status smallint check (held_status between 1 and 10),
      -- What the processing officer proposes to the signing leader: {"decision", "reason", "by"}.
      add column proposal jsonb,
      add column outcome text check (outcome in ('approved', 'rejected')),
      -- Form 04: the appointment before the apology, and when the apology was issued (once).
      add column original_due_at timestamptz,
      add column apology_at timestamptz,
      add column returned_at timestamptz,
      add column return_method text check (return_method in ('desk', 'post', 'online')),
      add column return_tracking text,
      -- The deadline sweep warns once before the deadline and escalates once after it.
      add column warned_at timestamptz,
      add column escalated_at timestamptz;

    -- Work queues: a unit's open dossiers by appointment. Every filter column is included, so a
    -- queue page and its capped counts read the index alone however long the queue is; the
    -- procedure filter has its own range. step_role follows step_unit_id (both are set together),
    -- which the planner learns from the extended statistics.
    create index dossier_work_queue_idx on dossier (step_unit_id, due_at, id)
      include (step_role, assignee_id, procedure_id, status, channel) where step_unit_id is not null;
    create index dossier_work_queue_procedure_idx on dossier (step_unit_id, procedure_id, due_at, id)
      include (step_role, assignee_id) where step_unit_id is not null;
    create statistics dossier_step_unit_role_stats (dependencies) on step_unit_id, step_role from dossier;
    create index dossier_assignee_idx on dossier (assignee_id, due_at) where assignee_id is not null;
    create index dossier_open_due_idx on dossier (due_at) where step_unit_id is not null;

    create table dossier_step (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      seq integer not null,
      step_index smallint not null,
      step_key text not null,
      unit_id integer not null references unit (id),
      role text not null,
      assignee_id integer references account (id),
      started_at timestamptz not null,
      -- {"amount": n, "unit": "hours" | "working_days"}
      allowance jsonb not null,
      due_at timestamptz,
      finished_at timestamptz,
      finished_by integer references account (id),
      outcome text,
      note text,
      unique (dossier_id, seq)
    );

    -- The result of a dossier: an electronic document signed by the system's key, or a paper result.
    create table dossier_result (
      id bigint generated always as identity primary key,
      dossier_id bigint not null references dossier (id),
      kind text not null check (kind in ('approval', 'rejection')),
      medium text not null check (medium in ('electronic', 'paper')),
      file_sha256 text references stored_file (sha256),
      -- Printed in the QR code: opens the public verification page for this document.
      verify_token text not null unique,
      key_id text,
      signature text,
      issued_at timestamptz not null,
      issued_by integer not null references account (id),
      reason text,
      check ((medium = 'electronic') = (file_sha256 is not null)),
      check ((file_sha256 is null) = (signature is null))
    );
    create index dossier_result_dossier_idx on dossier_result (dossier_id);
    create index dossier_result_file_idx on dossier_result (file_sha256);

    -- Public keys of every key that ever signed a result, so old documents stay verifiable after a rotation.
    create table signing_key (
      id text primary key,
      algorithm text not null check (algorithm = 'ed25519'),
      public_key text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );

    -- Other systems (the national portal, a district's own software) told of every status change.
    create table webhook_subscription (
      id integer generated always as identity primary key,
      name text not null,
      url text not null,
      secret text not null,
      active boolean not null default true,
      created_by integer references account (id),
      created_at timestamptz not null default now()
    );

    create table webhook_delivery (
      id bigint generated always as identity primary key,
      subscription_id integer not null references webhook_subscription (id),
      event_id text not null,
      dossier_id bigint references dossier (id),
      attempts integer not null default 0,
      status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      unique (subscription_id, event_id)
    );
  `.execute(db);
}
