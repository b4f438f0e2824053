import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// The stored answers of an entry, read in a snapshot of their own. The one-statement submission
// (contest.entry-sql.ts, submitIfOpen) calls it after locking the entry: a subquery would read in
// the statement's snapshot, taken before the lock, and miss an answer that committed in between.
// A VOLATILE function takes a fresh snapshot for each query it runs; PL/pgSQL, because a SQL
// function could be inlined into the calling statement.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function contest_entry_answers(p_entry bigint) returns json
    language plpgsql volatile as $$
    begin
      return (
        select coalesce(json_agg(json_build_array(a.question_id, a.chosen)), '[]'::json)
        from contest_answer a where a.entry_id = p_entry
      );
    end
    $$;
  `.execute(db);
}
