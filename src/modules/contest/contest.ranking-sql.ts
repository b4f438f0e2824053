import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';

/**
 * Ranks a round in the database and writes the version's rows (contest_ranking_entry), so a round
 * of 600,000 entries never comes to Node: the freeze holds one batch at a time whatever the round's
 * size. It is the rule of domain/contest/ranking.ts (finalRanking) and timing.ts, and
 * test/contest/ranking-sql.test.ts holds the two to each other:
 *
 * - score: the drawn questions answered with exactly the key (the rule of scoring.ts);
 * - an entry never submitted closed at its deadline, took the whole limit and has no prediction;
 *   time taken is submission minus start in whole milliseconds, never above the limit;
 * - the actual number is how many entries have every drawn question right;
 * - order: score, distance of the prediction (none last), time taken, closing instant; entries
 *   equal on all four share a rank (1, 2, 2, 4) and are listed by entry id;
 * - an entry already published in an earlier version keeps its published figures (a successor
 *   never rescores it); disqualified entries are left out.
 */
export async function rankRound(
  trx: Transaction<DB>,
  roundId: number,
  version: number,
  timeLimitSeconds: number,
): Promise<{ actualAllCorrect: number; total: number }> {
  const { rows } = await sql<{ actual: number; total: number }>`
    with fresh as (
      -- One pass over the round's answers; the rule goes in the aggregate's filter, where it does
      -- not mislead the planner's estimates (in a WHERE it chose 5 million index lookups).
      select e.id as entry_id,
             count(*) filter (
               where cardinality(a.chosen) = cardinality(q.correct) and a.chosen @> q.correct and a.chosen <@ q.correct
                 and e.questions @> jsonb_build_array(jsonb_build_object('questionId', a.question_id))
             )::int as score,
             jsonb_array_length(e.questions) as drawn,
             case when e.submitted_at is null then null else e.prediction end as prediction,
             case when e.submitted_at is null then ${timeLimitSeconds}::bigint * 1000
                  else greatest(0, least(${timeLimitSeconds}::bigint * 1000,
                    floor(extract(epoch from e.submitted_at) * 1000) - floor(extract(epoch from e.started_at) * 1000)))
             end::int as time_taken_ms,
             date_trunc('milliseconds', coalesce(e.submitted_at, e.started_at + ${timeLimitSeconds}::int * interval '1 second')) as closed_at
      from contest_entry e
      left join contest_answer a on a.entry_id = e.id
      left join contest_question q on q.id = a.question_id
      where e.round_id = ${roundId} and e.disqualified_at is null
      group by e.id
    ), published as (
      select distinct on (entry_id) entry_id, score, prediction, time_taken_ms, submitted_at
      from contest_ranking_entry where round_id = ${roundId} and version < ${version}
      order by entry_id, version desc
    ), inputs as (
      select f.entry_id,
             case when p.entry_id is null then f.score else p.score end as score,
             f.drawn > 0 and (case when p.entry_id is null then f.score else p.score end) = f.drawn as all_correct,
             case when p.entry_id is null then f.prediction else p.prediction end as prediction,
             case when p.entry_id is null then f.time_taken_ms else p.time_taken_ms end as time_taken_ms,
             case when p.entry_id is null then f.closed_at else p.submitted_at end as closed_at
      from fresh f left join published p on p.entry_id = f.entry_id
    ), actual as (
      select count(*) filter (where all_correct)::int as n from inputs
    ), measured as (
      select i.*, case when i.prediction is null then null else abs(i.prediction - a.n) end as distance
      from inputs i cross join actual a
    ), written as (
      insert into contest_ranking_entry
        (round_id, version, position, rank, entry_id, score, prediction, distance, time_taken_ms, submitted_at)
      select ${roundId}::int, ${version}::int,
             row_number() over (order by score desc, distance asc nulls last, time_taken_ms, closed_at, entry_id),
             rank() over (order by score desc, distance asc nulls last, time_taken_ms, closed_at),
             entry_id, score, prediction, distance, time_taken_ms, closed_at
      from measured
      returning 1
    )
    select (select n from actual) as actual, (select count(*)::int from written) as total`.execute(trx);
  // Fresh rows have no statistics yet: without them the leaderboard's join over 600,000 rows
  // was planned as nested loops (9 s instead of 0.9 s). Analyze sees this transaction's rows.
  await sql`analyze contest_ranking_entry`.execute(trx);
  return { actualAllCorrect: Number(rows[0]!.actual), total: Number(rows[0]!.total) };
}

/** Entries of the round left out (disqualified), ascending ids. */
export async function disqualifiedEntries(trx: Transaction<DB>, roundId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('contest_entry')
    .select('id')
    .where('round_id', '=', roundId)
    .where('disqualified_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}
