import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A pupil or teacher registers with their school (docs/contest.md, "Registration"): unit_id
    -- stays the school's ward or district, so every per-unit count is unchanged; school_id adds
    -- the per-school leaderboard.
    alter table contest_participant add column school_id integer references school (id);
    create index contest_participant_school_idx on contest_participant (school_id) where school_id is not null;
  `.execute(db);
}
