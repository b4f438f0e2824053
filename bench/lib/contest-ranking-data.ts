// BENCH DATA for the contest ranking at city scale: participants, entries and answers of one round
// written straight into PostgreSQL with generate_series (not through the application), the way a
// ten-day round of 600,000 entries would leave them. Each entry draws `questions` distinct
// questions of the bank with their option ids (like draw.ts, but not its HMAC order), answers each
// right with probability 0.85 (otherwise one option picked by the entry's id, which may still be
// right), starts inside the round's window, and 95% are submitted 30-600 s later with a prediction
// (the other 5% ran out of time). Made-up names and phones (08xxxxxxxx), token hashes that no
// token produces.
import { sql } from 'kysely';
import type { Database } from '../../src/db/engine.js';
import { pii } from '../../src/lib/pii.js';
import { encryptColumns, PII_COLUMNS } from '../../src/lib/pii-store.js';

export interface RankingData {
  participants: number;
  entries: number;
  answers: number;
  seconds: { participants: number; entries: number; answers: number; analyze: number };
}

export async function generateRound(
  database: Database,
  ids: { contestId: number; roundId: number },
  n: number,
  questions: number,
  log: (s: string) => void,
): Promise<RankingData> {
  const db = database.db;
  const { contestId, roundId } = ids;
  const t = () => performance.now();
  const secs = (a: number) => (performance.now() - a) / 1000;
  // The round ran for the ten days before now; it closed a minute ago.
  await sql`update contest_round set opens_at = now() - interval '10 days 1 minute', closes_at = now() - interval '1 minute'
            where id = ${roundId}`.execute(db);
  const units = await sql<{
    id: number;
  }>`select id from unit where level in ('commune', 'district') and valid_to is null order by id`.execute(db);
  const unitIds = units.rows.map((u) => u.id);

  let a = t();
  await sql`
    insert into contest_participant (contest_id, name, phone, phone_hash, citizen_id, unit_id, token_hash, registered_at)
    select ${contestId}, 'Người Thi Thử ' || g, '08' || lpad(g::text, 8, '0'), 'plain-' || g, null,
           (${unitIds}::int[])[1 + (g::bigint * 7919) % ${unitIds.length}], md5('rank-' || ${roundId} || '-' || g) || md5('bench-' || g),
           now() - interval '10 days'
    from generate_series(1, ${n}) g`.execute(db);
  // Written in clear by SQL for speed, then encrypted (and hashed) as the app would have stored them.
  await encryptColumns(
    db,
    pii(),
    PII_COLUMNS.filter((c) => c.table === 'contest_participant'),
  );
  const tParticipants = secs(a);
  log(`  ${n.toLocaleString('en-US')} participants: ${tParticipants.toFixed(1)} s`);

  a = t();
  // The bank with each question's option ids, numbered 0..B-1 for the draw below.
  await sql`drop table if exists bench_bank_t`.execute(db);
  await sql`
    create unlogged table bench_bank_t as
    select (row_number() over (order by q.id) - 1)::int as i, q.id,
           (select jsonb_agg(o -> 'id') from jsonb_array_elements(q.options) o) as option_ids, q.correct
    from contest_question q join contest_pool p on p.id = q.pool_id where p.contest_id = ${contestId}`.execute(db);
  const bank = Number((await sql<{ n: number }>`select count(*)::int as n from bench_bank_t`.execute(db)).rows[0]!.n);
  if (bank < questions) throw new Error(`the bank has ${bank} questions, fewer than ${questions}`);
  await sql`
    insert into contest_entry (round_id, participant_id, seed, questions, started_at, submitted_at, prediction)
    select ${roundId}, p.id, md5('seed-' || p.id),
           (select jsonb_agg(jsonb_build_object('questionId', b.id, 'optionIds', b.option_ids) order by j)
              from generate_series(0, ${questions - 1}) j join bench_bank_t b on b.i = (p.k * 7 + j) % ${bank}),
           s.started_at,
           case when p.k % 20 <> 0 then s.started_at + (30 + (p.k * 37) % 570) * interval '1 second' end,
           case when p.k % 20 <> 0 then (p.k * 104729) % ${n} end
    from (select id, row_number() over (order by id) as k from contest_participant where contest_id = ${contestId}) p
    cross join lateral (select now() - interval '10 days' + (p.k * 1.4) * interval '1 second' as started_at) s`.execute(db);
  const tEntries = secs(a);
  log(`  ${n.toLocaleString('en-US')} entries: ${tEntries.toFixed(1)} s`);

  a = t();
  const answers = await sql`
    insert into contest_answer (entry_id, question_id, chosen, answered_at)
    select e.id, b.id,
           case when (e.id * 31 + q.j) % 100 < 85 then b.correct else array[b.option_ids ->> ((e.id % 4)::int)] end,
           -- 14-26 s between answers, uneven as people are: evenly spaced answers are what the
           -- flag scan reports as a script (every entry of the first runs was flagged).
           e.started_at + (q.j * 20 + (e.id * 7 + q.j * 5) % 13 - 6) * interval '1 second'
    from contest_entry e
    cross join lateral jsonb_array_elements(e.questions) with ordinality as q(d, j)
    join bench_bank_t b on b.id = (q.d ->> 'questionId')::int
    where e.round_id = ${roundId}`.execute(db);
  const tAnswers = secs(a);
  const answerCount = Number(answers.numAffectedRows ?? 0);
  log(`  ${answerCount.toLocaleString('en-US')} answers: ${tAnswers.toFixed(1)} s`);
  await sql`drop table bench_bank_t`.execute(db);
  a = t();
  await sql`analyze contest_participant, contest_entry, contest_answer`.execute(db);
  const tAnalyze = secs(a);
  return {
    participants: n,
    entries: n,
    answers: answerCount,
    seconds: { participants: tParticipants, entries: tEntries, answers: tAnswers, analyze: tAnalyze },
  };
}

/**
 * A sketch of the plan, not the application's ranking: the same order computed by PostgreSQL in
 * one statement (score by set equality of chosen and key, the distance to the actual number of
 * all-correct entries, time taken capped at the limit, then the closing instant; `rank()` shares
 * ties). Returns its time, the actual number and the first `top` rows to compare with the frozen
 * ranking.
 */
export async function sqlRankingSketch(database: Database, roundId: number, top: number) {
  const t0 = performance.now();
  const r = await sql<{ entry_id: number; rank: number; score: number; actual: number }>`
    with s as (
      select e.id, e.prediction, e.started_at, e.submitted_at, jsonb_array_length(e.questions) as n,
             count(*) filter (where a.chosen @> q.correct and a.chosen <@ q.correct)::int as score
      from contest_entry e
      left join contest_answer a on a.entry_id = e.id
      left join contest_question q on q.id = a.question_id
      where e.round_id = ${roundId}
      group by e.id
    ), t as (select count(*) filter (where n > 0 and score = n)::int as actual from s),
    l as (select make_interval(secs => time_limit_seconds) as lim from contest_round where id = ${roundId}),
    ranked as (
      select s.id as entry_id, s.score, t.actual,
             rank() over (order by s.score desc,
                                   case when s.submitted_at is not null then abs(s.prediction - t.actual) end asc nulls last,
                                   least(coalesce(s.submitted_at, s.started_at + l.lim) - s.started_at, l.lim),
                                   coalesce(s.submitted_at, s.started_at + l.lim))::int as rank
      from s, t, l
    )
    select entry_id, rank, score, actual, count(*) over ()::int as total from ranked order by rank, entry_id limit ${top}`.execute(
    database.db,
  );
  return { ms: performance.now() - t0, rows: r.rows };
}
