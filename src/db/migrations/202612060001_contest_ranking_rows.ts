import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// A frozen ranking is stored as one row per entry instead of one jsonb document: a round of the
// 2019 size (600,000 entries) made a 90 MB document that every results call parsed whole. The
// version row keeps the rest of the hashed document; the hash is unchanged, because the text is
// rebuilt from the rows exactly (contest.ranking-text.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table contest_ranking_entry (
      round_id integer not null,
      version integer not null,
      position integer not null check (position >= 1),
      rank integer not null check (rank >= 1 and rank <= position),
      entry_id integer not null,
      score integer not null,
      prediction integer,
      distance integer,
      time_taken_ms integer not null,
      submitted_at timestamptz not null,
      primary key (round_id, version, position)
    );
    -- No foreign keys: the rows are written by one statement from contest_entry, in the transaction
    -- that writes their version, and never change; checking them cost 15 s of a 75 s freeze of
    -- 600,000 entries (bench/README.md, contest).
    -- One entry's place (its result page, its certificate).
    create unique index contest_ranking_entry_entry_idx on contest_ranking_entry (round_id, version, entry_id);
    alter table contest_ranking add column entry_count integer;
  `.execute(db);
  await splitRankingDocuments(db);
  // The round's copy of its latest ranking is dropped: contest_ranking holds every version, and a
  // second copy of the figures is one more place to keep in step.
  await sql`
    alter table contest_ranking alter column entry_count set not null;
    alter table contest_round drop column ranking, drop column ranking_hash, drop column ranked_at;
  `.execute(db);
}

/** Moves the entries of every ranking still stored whole into rows; exported for its test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function splitRankingDocuments(db: Kysely<any>): Promise<void> {
  await sql`
    insert into contest_ranking_entry
      (round_id, version, position, rank, entry_id, score, prediction, distance, time_taken_ms, submitted_at)
    select r.round_id, r.version, x.position::int, (x.e ->> 'rank')::int, (x.e ->> 'entryId')::int, (x.e ->> 'score')::int,
           (x.e ->> 'prediction')::int, (x.e ->> 'distance')::int, (x.e ->> 'timeTakenMs')::int, (x.e ->> 'submittedAt')::timestamptz
    from contest_ranking r
    cross join lateral jsonb_array_elements(r.document -> 'entries') with ordinality as x (e, position)
    where r.document ? 'entries';
    update contest_ranking
      set entry_count = jsonb_array_length(document -> 'entries'), document = document - 'entries'
      where document ? 'entries';
  `.execute(db);
}
