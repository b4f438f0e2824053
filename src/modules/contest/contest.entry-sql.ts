import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { ContestEntryTable, ContestParticipantTable, DB } from '../../db/types.js';
import type { DrawnQuestion } from '../../domain/contest/draw.js';
import type { RoundRow } from './contest.admin.js';

// The statements of taking part, each doing in one round trip what took two to five (bench/README.md,
// contest: on these machines every round trip costs the server a process wake-up, which dominates
// the cost of the statement itself). Each re-checks in the database what the caller checked on
// data that may be stale, so a stale copy can only send the caller to its slow path, never let a
// write through that the fresh data would refuse.

/** Units a participant is counted under (or a school, counted under its ward or district). */
export const PARTICIPANT_LEVELS = ['commune', 'district', 'department'] as const;

export type Place = { unitCode: string } | { schoolCode: string };

/** What the registration writes besides the contest and the place, as the table has it. */
export type ParticipantValues = Required<
  Pick<
    Insertable<ContestParticipantTable>,
    'name' | 'phone' | 'phone_hash' | 'citizen_id' | 'citizen_id_hash' | 'token_hash' | 'client_ip' | 'device_id' | 'ua_hash'
  >
>;

/** A registration to write: its contest, its place and the row's own values. */
export type Registration = { contestId: number; place: Place; values: ParticipantValues };

/**
 * Registers a batch in one statement (src/lib/batcher.ts): the contest and the unit (or school) of
 * each row are looked up by the insert itself. Returns the new id of each registration, in order,
 * or undefined where nothing was written: the contest or the place does not exist, or the
 * (contest, phone hash) key is taken (also by an earlier row of the same batch); the caller tells
 * which only on that error path.
 */
export async function insertParticipants(db: Kysely<DB>, regs: readonly Registration[]): Promise<(number | undefined)[]> {
  const col = <T>(f: (r: Registration) => T) => regs.map(f);
  const v = (k: keyof ParticipantValues) => col((r) => r.values[k]);
  const r = await sql<{ id: number; token_hash: string }>`
    insert into contest_participant
      (contest_id, name, phone, phone_hash, citizen_id, citizen_id_hash, unit_id, school_id, token_hash, client_ip, device_id, ua_hash)
    select c.id, t.name, t.phone, t.phone_hash, t.citizen_id, t.citizen_id_hash, p.unit_id, p.school_id,
      t.token_hash, t.client_ip, t.device_id, t.ua_hash
    from unnest(${col((r) => r.contestId)}::integer[], ${v('name')}::text[], ${v('phone')}::text[], ${v('phone_hash')}::text[],
        ${v('citizen_id')}::text[], ${v('citizen_id_hash')}::text[], ${col((r) => ('unitCode' in r.place ? r.place.unitCode : null))}::text[],
        ${col((r) => ('schoolCode' in r.place ? r.place.schoolCode : null))}::text[], ${v('token_hash')}::text[],
        ${v('client_ip')}::text[], ${v('device_id')}::text[], ${v('ua_hash')}::text[])
      with ordinality as t(contest_id, name, phone, phone_hash, citizen_id, citizen_id_hash, unit_code, school_code, token_hash,
        client_ip, device_id, ua_hash, ord)
    join contest c on c.id = t.contest_id
    join lateral (
      select u.id as unit_id, null::integer as school_id from unit u
      where u.code = t.unit_code and u.level in (${sql.join(PARTICIPANT_LEVELS)}) and u.valid_to is null
      union all
      select s.unit_id, s.id from school s where s.code = t.school_code
    ) p on true
    order by t.ord
    on conflict (contest_id, phone_hash) do nothing
    returning id, token_hash`.execute(db);
  const ids = new Map(r.rows.map((x) => [x.token_hash, x.id]));
  return regs.map((x) => ids.get(x.values.token_hash));
}

/** What a new entry writes besides its round and start, the client columns as the table has them. */
export type EntryValues = Required<Pick<Insertable<ContestEntryTable>, 'seed' | 'client_ip' | 'device_id' | 'ua_hash'>> & {
  participantId: number;
  questions: DrawnQuestion[];
};

/** A new entry to write: the cached round it was drawn from, its values and its start. */
export type NewEntry = { round: RoundRow; values: EntryValues; now: Date };

/**
 * Creates a batch of entries in one statement (src/lib/batcher.ts), each drawn from `round` (a
 * cached copy) and written only if the round is, in the database, still published, open at the
 * entry's start, of the same contest, question count and time limit. Returns each new id in order,
 * or undefined: the participant already has an entry (also from an earlier row of the batch), or
 * the copy was stale or the round is not open; the caller reads the round afresh to tell.
 */
export async function insertEntriesIfOpen(db: Kysely<DB>, entries: readonly NewEntry[]): Promise<(number | undefined)[]> {
  const col = <T>(f: (e: NewEntry) => T) => entries.map(f);
  const r = await sql<{ id: number; participant_id: number; round_id: number }>`
    insert into contest_entry (round_id, participant_id, seed, questions, started_at, client_ip, device_id, ua_hash)
    select r.id, t.participant_id, t.seed, t.questions, t.started_at, t.client_ip, t.device_id, t.ua_hash
    from unnest(${col((e) => e.round.id)}::integer[], ${col((e) => e.round.contest_id)}::integer[],
        ${col((e) => e.round.question_count)}::integer[], ${col((e) => e.round.time_limit_seconds)}::integer[],
        ${col((e) => e.values.participantId)}::integer[], ${col((e) => e.values.seed)}::text[],
        ${col((e) => JSON.stringify(e.values.questions))}::jsonb[], ${col((e) => e.now.toISOString())}::timestamptz[],
        ${col((e) => e.values.client_ip)}::text[], ${col((e) => e.values.device_id)}::text[], ${col((e) => e.values.ua_hash)}::text[])
      with ordinality as t(round_id, contest_id, question_count, time_limit_seconds, participant_id, seed, questions, started_at,
        client_ip, device_id, ua_hash, ord)
    join contest_round r on r.id = t.round_id and r.state = 'published' and r.contest_id = t.contest_id
      and r.opens_at <= t.started_at and r.closes_at > t.started_at
      and r.question_count = t.question_count and r.time_limit_seconds = t.time_limit_seconds
    order by t.ord
    on conflict (participant_id, round_id) do nothing
    returning id, participant_id, round_id`.execute(db);
  const ids = new Map(r.rows.map((x) => [`${x.participant_id}:${x.round_id}`, x.id]));
  // A participant twice in one batch: the first row is written, the other gets undefined.
  const told = new Set<string>();
  return entries.map((e) => {
    const k = `${e.values.participantId}:${e.round.id}`;
    if (told.has(k)) return undefined;
    told.add(k);
    return ids.get(k);
  });
}

export type AnswerRow = { q: number; c: string[] };

// Changing one's mind is allowed until the time is up: the last answer counts. Rows go in question
// order, so two saves of one entry's sheet lock its answer rows in the same order and cannot
// deadlock (which would be a 500).
const upsertAnswers = (entry: RawBuilder<unknown>, rows: readonly AnswerRow[], now: Date) => sql`
  insert into contest_answer (entry_id, question_id, chosen, answered_at)
  select e.id, (a->>'q')::integer, array(select jsonb_array_elements_text(a->'c')), ${now}::timestamptz
  from ${entry} e, jsonb_array_elements(${JSON.stringify([...rows].sort((x, y) => x.q - y.q))}::jsonb) a
  on conflict (entry_id, question_id) do update set chosen = excluded.chosen, answered_at = excluded.answered_at`;

/**
 * Saves answers while the entry is not submitted: the entry row is locked FOR SHARE and must still
 * be unsubmitted, so no answer lands after the submission. False when it was submitted.
 */
export async function saveAnswers(db: Kysely<DB>, entryId: number, rows: readonly AnswerRow[], now: Date) {
  const entry = sql`(select id from contest_entry where id = ${entryId} and submitted_at is null for share)`;
  const written = await upsertAnswers(entry, rows, now).execute(db);
  return Number(written.numAffectedRows) > 0;
}

/**
 * Submits in one statement: locks the unsubmitted entry, saves the answers sent along and closes
 * the entry. False when it was already submitted (nothing is written then).
 */
export async function submitEntry(db: Kysely<DB>, entryId: number, prediction: number, rows: readonly AnswerRow[], now: Date) {
  // The answers are not returned from here: an answer this statement waited for (its FOR SHARE
  // lock) committed after the statement's snapshot, so only a later statement sees every answer.
  const r = await sql<{ id: number }>`
    with e as (select id from contest_entry where id = ${entryId} and submitted_at is null for update),
    a as (${upsertAnswers(sql`e`, rows, now)})
    update contest_entry c set submitted_at = ${now}::timestamptz, prediction = ${prediction} from e where c.id = e.id
    returning c.id`.execute(db);
  return r.rows.length > 0;
}

/** An answer save or a submission that the checked path would let through, as checkUsual takes it. */
export interface UsualWrite {
  participantId: number;
  entryId: number;
  rows: readonly AnswerRow[];
  now: Date;
  graceMs: number;
}

/**
 * The participant's entry, only if no refusal of the checked path (contest.entries.ts, assertOpen
 * and checkedAnswers) would apply: not submitted, its round published and open, the time not up,
 * each answer a drawn question with only offered options. Whether a `single` question got one
 * option is checked by the caller on the cached bank. Without its locking clause.
 */
const usualEntry = (w: UsualWrite) => sql`
  select e.id, e.round_id, e.questions, e.started_at, r.time_limit_seconds, r.contest_id
  from contest_entry e join contest_round r on r.id = e.round_id
  where e.id = ${w.entryId} and e.participant_id = ${w.participantId} and e.submitted_at is null
    and r.state = 'published' and r.opens_at <= ${w.now}::timestamptz and r.closes_at > ${w.now}::timestamptz
    and ${w.now}::timestamptz <= e.started_at + make_interval(secs => r.time_limit_seconds + ${w.graceMs / 1000}::double precision)
    and not exists (
      select 1 from jsonb_array_elements(${JSON.stringify(w.rows)}::jsonb) a
      where not exists (
        select 1 from jsonb_array_elements(e.questions) d
        where (d->>'questionId')::integer = (a->>'q')::integer and (d->'optionIds') @> (a->'c')))`;

/**
 * The usual answer save in one round trip (usualEntry, locked FOR SHARE as saveAnswers does).
 * False, with nothing written, when the checked path must tell why.
 */
export async function saveAnswersIfOpen(db: Kysely<DB>, w: UsualWrite) {
  const written = await upsertAnswers(sql`(${usualEntry(w)} for share of e)`, w.rows, w.now).execute(db);
  return Number(written.numAffectedRows) > 0;
}

/**
 * The usual submission in one round trip: the entry is closed and the answers sent along saved
 * only if usualEntry finds it. Returns what the entry view needs, or undefined and writes nothing:
 * the caller then takes the checked path, which tells why.
 *
 * The stored answers for the response are read after the entry is locked, in a snapshot of their
 * own (`contest_entry_answers`, migration 202612080001): the statement's snapshot is taken before
 * the lock, and would miss an answer whose save committed while this statement waited for it or
 * just before it took the lock.
 */
export async function submitIfOpen(db: Kysely<DB>, w: UsualWrite & { prediction: number }) {
  const r = await sql<{
    id: number;
    round_id: number;
    questions: DrawnQuestion[];
    started_at: Date;
    time_limit_seconds: number;
    contest_id: number;
    answers: [number, string[]][];
  }>`
    with e as (${usualEntry(w)} for update of e),
    a as (${upsertAnswers(sql`e`, w.rows, w.now)}),
    u as (update contest_entry c set submitted_at = ${w.now}::timestamptz, prediction = ${w.prediction} from e where c.id = e.id)
    select e.*, contest_entry_answers(e.id) as answers from e`.execute(db);
  const e = r.rows[0];
  if (!e) return undefined;
  // The stored answers, overridden by those this statement wrote (which it may not see yet).
  const chosen = new Map(e.answers);
  for (const a of w.rows) chosen.set(a.q, a.c);
  return { ...e, answers: [...chosen].map(([question_id, c]) => ({ question_id, chosen: c })) };
}
