import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Contest fairness (docs/contest.md, "Fairness and abuse"): where registrations and entries
    -- came from, rate-limit windows, flags for review, disqualification, successor rankings.

    -- The client as the server saw it: IP (the proxy's X-Forwarded-For only with TRUST_PROXY),
    -- the device cookie when the client sent one, and a short hash of the user agent.
    alter table contest_participant
      add column client_ip text,
      add column device_id text,
      add column ua_hash text;
    alter table contest_entry
      add column client_ip text,
      add column device_id text,
      add column ua_hash text,
      add column disqualified_at timestamptz,
      add column disqualified_by integer references account (id),
      add column disqualified_reason text,
      add constraint contest_entry_disqualified_check
        check ((disqualified_at is null) = (disqualified_reason is null));

    -- One fixed window per (scope, key), shared by every app instance behind the load balancer.
    create table contest_rate_window (
      scope text not null,
      key text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (scope, key)
    );

    -- Flags are for review: nothing is dropped or blocked because of them.
    create table contest_flag (
      id bigserial primary key,
      round_id integer not null references contest_round (id),
      entry_id bigint references contest_entry (id),
      kind text not null check (kind in
        ('ip_many_entries', 'device_many_entries', 'answers_too_fast', 'entry_too_short', 'regular_intervals')),
      -- What the flag is about: 'entry:<id>', 'ip:<address>' or 'device:<id>'; one flag per kind and subject.
      subject text not null,
      evidence jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'cleared')),
      reviewed_by integer references account (id),
      reviewed_at timestamptz,
      review_note text,
      unique (round_id, kind, subject)
    );

    -- Every frozen version of a round's ranking; a version is never changed, a disqualification
    -- or a reinstatement after the freeze adds the next one, chained by the previous hash.
    create table contest_ranking (
      round_id integer not null references contest_round (id),
      version integer not null check (version >= 1),
      document jsonb not null,
      hash text not null,
      previous_hash text,
      created_by integer references account (id),
      created_at timestamptz not null,
      primary key (round_id, version),
      check ((version = 1) = (previous_hash is null))
    );

    -- Rankings frozen before this migration become their round's version 1, hash unchanged.
    insert into contest_ranking (round_id, version, document, hash, previous_hash, created_at)
      select id, 1, ranking, ranking_hash, null, ranked_at from contest_round where ranking_hash is not null;
  `.execute(db);
}
