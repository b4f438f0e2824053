import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// A participant who lost the registration's cookie (another phone, a cleared browser) gets a
// token for the new device with a code sent by SMS to the registered phone (docs/contest.md,
// "Taking part on another device"). Tokens are only ever added, never replaced, so a process
// that remembers a token-to-participant mapping (contest.cache.ts) is never wrong.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table contest_participant_token (
      token_hash text primary key,
      participant_id integer not null references contest_participant (id) on delete cascade,
      created_at timestamptz not null default now()
    );
    create index contest_participant_token_participant_idx on contest_participant_token (participant_id);
    create table contest_recovery_code (
      id serial primary key,
      participant_id integer not null references contest_participant (id) on delete cascade,
      -- Keyed hash of the participant and the code: a 6-digit code hashed plainly is reversed at once.
      code_hash text not null,
      -- The device that asked (SHA-256 of a random value it holds): only it can use the code, so a
      -- stranger who knows the phone number can neither spend its tries nor replace it.
      device_hash text not null,
      client_ip text,
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      attempts integer not null default 0 check (attempts >= 0),
      used_at timestamptz
    );
    create index contest_recovery_code_participant_idx on contest_recovery_code (participant_id, created_at);
    create index contest_recovery_code_ip_idx on contest_recovery_code (client_ip, created_at);
  `.execute(db);
}
