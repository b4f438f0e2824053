import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { drawEntry } from '../../domain/contest/draw.js';
import { isRight } from '../../domain/contest/scoring.js';
import { GRACE_MS, isLate } from '../../domain/contest/timing.js';
import { isValidCitizenId, normalizeName, normalizePhone } from '../../domain/identity.js';
import { randomToken, secureRandomBytes, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { roundPhase, type ContestAdmin, type RoundRow } from './contest.admin.js';
import { DEFAULT_FLAG_RULES, scanFlags, type ClientInfo, type FlagRules } from './contest.flags.js';
import { ContestRanking, contestKeys, type PublishedRanking } from './contest.ranking.js';
import type { EntryResult, EntryView, RegisterInput } from './contest.schema.js';
import { pii } from '../../lib/pii.js';
import { EntryViews, type KnownEntry } from './contest.entry-view.js';
import {
  insertEntriesIfOpen,
  insertParticipants,
  PARTICIPANT_LEVELS,
  saveAnswers,
  submitEntry,
  saveAnswersIfOpen,
  submitIfOpen,
  type AnswerRow,
  type NewEntry,
  type Place,
  type Registration,
} from './contest.entry-sql.js';
import { Batcher } from '../../lib/batcher.js';

/** Where a registration or an entry came from, for the review flags (contest.flags.ts). */
const clientColumns = (c: ClientInfo | null) => ({ client_ip: c?.ip ?? null, device_id: c?.deviceId ?? null, ua_hash: c?.uaHash ?? null });

type EntryRow = Awaited<ReturnType<ContestEntries['entryRow']>>;
type AnswerInput = { questionId: number; chosen: readonly string[] };
type Participant = { id: number; contest_id: number };
/** The answers as rows to store: each option once, and of the same question twice the later. */
const latestAnswers = (inputs: readonly AnswerInput[]): AnswerRow[] =>
  [...new Map(inputs.map((i) => [i.questionId, [...new Set(i.chosen)]]))].map(([q, c]) => ({ q, c }));
/** Taking part: registration, the entry (start, answers, submission) and the results after the close. */
export class ContestEntries {
  readonly ranking: ContestRanking;
  private readonly views: EntryViews;
  // Concurrent registrations and new entries are written together, one statement for many (src/lib/batcher.ts).
  private readonly registrations: Batcher<Registration, number | undefined>;
  private readonly newEntries: Batcher<NewEntry, number | undefined>;

  constructor(
    readonly db: Kysely<DB>,
    private readonly admin: ContestAdmin,
    flagRules: FlagRules = DEFAULT_FLAG_RULES,
  ) {
    this.views = new EntryViews(db, admin.cache);
    this.registrations = new Batcher((regs) => insertParticipants(db, regs));
    this.newEntries = new Batcher((entries) => insertEntriesIfOpen(db, entries));
    this.ranking = new ContestRanking(db, (trx, roundId, now) => scanFlags(trx, roundId, flagRules, now));
  }

  async register(contestId: number, input: RegisterInput, client: ClientInfo | null = null) {
    const name = normalizeName(input.name);
    if (!name) throw new AppError('invalid_name');
    const phone = normalizePhone(input.phone);
    if (!phone) throw new AppError('invalid_phone');
    const citizenId = input.citizenId?.trim() || null;
    if (citizenId && !isValidCitizenId(citizenId)) throw new AppError('invalid_citizen_id');
    if ((input.unitCode === undefined) === (input.schoolCode === undefined)) throw new AppError('contest_unit_or_school');
    const place: Place = input.schoolCode !== undefined ? { schoolCode: input.schoolCode } : { unitCode: input.unitCode! };
    const token = randomToken(32);
    const tokenHash = sha256(token);
    const cipher = pii();
    // The unique (contest, phone hash) key decides, so two registrations racing cannot both succeed.
    const id = await this.registrations.run({
      contestId,
      place,
      values: {
        name,
        phone: cipher.encrypt(phone),
        phone_hash: cipher.hash('phone', phone),
        citizen_id: cipher.encryptNullable(citizenId),
        citizen_id_hash: cipher.hashNullable('citizen_id', citizenId),
        token_hash: tokenHash,
        ...clientColumns(client),
      },
    });
    if (id === undefined) return this.refusedRegistration(contestId, place);
    this.admin.cache.rememberParticipant(tokenHash, { id, contest_id: contestId });
    return { participantId: id, token };
  }

  /** Why the registration wrote nothing, in the order a participant can act on it. */
  private async refusedRegistration(contestId: number, place: Place): Promise<never> {
    await this.admin.contest(contestId, { drafts: false });
    if ('schoolCode' in place) {
      const school = await this.db.selectFrom('school').select('id').where('code', '=', place.schoolCode).executeTakeFirst();
      if (!school) throw new AppError('contest_school_invalid');
    } else {
      const unit = await this.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', place.unitCode)
        .where('level', 'in', PARTICIPANT_LEVELS)
        .where('valid_to', 'is', null)
        .executeTakeFirst();
      if (!unit) throw new AppError('contest_unit_invalid');
    }
    throw new AppError('contest_phone_taken');
  }

  async participant(token: string | undefined) {
    if (!token || token.length > 100) throw new AppError('contest_token_invalid');
    const p = await this.admin.cache.participant(sha256(token));
    if (!p) throw new AppError('contest_token_invalid');
    return p;
  }

  private async publishedRound(roundId: number) {
    const r = await this.db.selectFrom('contest_round').selectAll().where('id', '=', roundId).executeTakeFirst();
    this.admin.cache.putRound(roundId, r);
    // A draft round does not exist for participants.
    if (!r || r.state !== 'published') throw new AppError('contest_round_not_found');
    return r;
  }

  /**
   * Starts the participant's entry in a round, or continues it (refresh, second tab, a second call
   * racing the first): the unique (participant, round) key keeps exactly one, and every caller
   * gets that one.
   */
  async start(
    token: string | undefined,
    roundId: number,
    now = new Date(),
    client: ClientInfo | null = null,
  ): Promise<{ created: boolean; entry: EntryView }> {
    const p = await this.participant(token);
    // The usual case, a first start in an open round, is one statement: drawn from the cached
    // round and bank, written only if the round in the database agrees (insertEntriesIfOpen).
    const cached = await this.admin.cache.round(roundId);
    if (cached && cached.state === 'published' && cached.contest_id === p.contest_id && roundPhase(cached, now) === 'open') {
      const created = await this.createEntry(p.id, cached, now, client);
      if (created) return { created: true, entry: created };
    }
    const round = await this.publishedRound(roundId);
    if (round.contest_id !== p.contest_id) throw new AppError('contest_round_not_found');
    const existing = await this.entryIdOf(p.id, roundId);
    if (existing) return { created: false, entry: await this.view(existing) };
    if (roundPhase(round, now) !== 'open') throw new AppError('contest_round_not_open');
    const created = await this.createEntry(p.id, round, now, client);
    if (created) return { created: true, entry: created };
    // Another request of the same participant created it in between.
    return { created: false, entry: await this.view((await this.entryIdOf(p.id, roundId))!) };
  }

  private async entryIdOf(participantId: number, roundId: number) {
    const e = await this.db
      .selectFrom('contest_entry')
      .select('id')
      .where('participant_id', '=', participantId)
      .where('round_id', '=', roundId)
      .executeTakeFirst();
    return e?.id;
  }

  /** Draws and writes a new entry; undefined if the participant has one or the round is not open in the database. */
  private async createEntry(participantId: number, round: RoundRow, now: Date, client: ClientInfo | null) {
    const bank = await this.admin.bank(round.contest_id);
    const seed = secureRandomBytes(32).toString('hex');
    const questions = drawEntry(
      seed,
      bank.map((q) => ({ id: q.id, optionIds: q.options.map((o) => o.id), poolId: q.pool_id, difficulty: q.difficulty })),
      Math.min(round.question_count, bank.length),
    );
    const id = await this.newEntries.run({ round, values: { participantId, seed, questions, ...clientColumns(client) }, now });
    if (id === undefined) return undefined;
    // Nothing to read back: the entry was just written from these values and has no answers yet.
    return this.view(id, {
      entry: {
        id,
        round_id: round.id,
        started_at: now,
        submitted_at: null,
        prediction: null,
        questions,
        time_limit_seconds: round.time_limit_seconds,
        contest_id: round.contest_id,
      },
      answers: [],
    });
  }

  async entryRow(db: Kysely<DB> | Transaction<DB>, entryId: number, participantId: number, lock = false) {
    let q = db
      .selectFrom('contest_entry as e')
      .innerJoin('contest_round as r', 'r.id', 'e.round_id')
      .select(['e.id', 'e.round_id', 'e.participant_id', 'e.questions', 'e.started_at', 'e.submitted_at', 'e.prediction'])
      .select(['r.state', 'r.opens_at', 'r.closes_at', 'r.time_limit_seconds', 'r.contest_id'])
      .where('e.id', '=', entryId)
      .where('e.participant_id', '=', participantId);
    if (lock) q = q.forUpdate('e');
    const e = await q.executeTakeFirst();
    if (!e) throw new AppError('contest_entry_not_found');
    return e;
  }

  /** The entry as its participant sees it while the round runs (contest.entry-view.ts). */
  view(entryId: number, known?: KnownEntry): Promise<EntryView> {
    return this.views.view(entryId, known);
  }

  /** Refusals common to answering and submitting, in the order a participant can act on them. */
  private assertOpen(e: EntryRow, now: Date) {
    if (e.submitted_at) throw new AppError('contest_already_submitted');
    if (roundPhase(e, now) !== 'open') throw new AppError('contest_round_not_open');
    if (isLate(now, e.started_at, e.time_limit_seconds)) throw new AppError('contest_time_up');
  }

  // Answering and submitting take no transaction. Usually one statement checks everything and
  // writes (saveAnswersIfOpen, submitIfOpen); when it writes nothing, the checked path reads the
  // entry unlocked, tells the refusal, or writes with a statement that re-checks "not submitted"
  // on the row it locks. Either way answers lock the entry FOR SHARE and the submission FOR UPDATE
  // (which waits for the answers being written or makes them write nothing), so an answer can
  // never land after the submission (contest.entry-sql.ts).
  async answer(token: string | undefined, entryId: number, input: AnswerInput, now = new Date()) {
    return (await this.answerMany(token, entryId, [input], now))[0]!;
  }

  /**
   * Several answers in one statement: the sheet posted by the page without JavaScript, or a
   * client saving what changed since its last save. All or nothing: one bad answer refuses the
   * lot. The same question twice keeps the later one, as two single saves would.
   */
  async answerMany(token: string | undefined, entryId: number, inputs: readonly AnswerInput[], now = new Date()) {
    const p = await this.participant(token);
    const rows = latestAnswers(inputs);
    const usual = { participantId: p.id, entryId, rows, now, graceMs: GRACE_MS };
    if (rows.length > 0 && (await this.plausible(p, rows)) && (await saveAnswersIfOpen(this.db, usual))) {
      return rows.map((r) => ({ questionId: r.q, chosen: r.c, answeredAt: now.toISOString() }));
    }
    const e = await this.entryRow(this.db, entryId, p.id);
    this.assertOpen(e, now);
    return this.writeAnswers(e, inputs, now);
  }

  private async writeAnswers(e: EntryRow, inputs: readonly AnswerInput[], now: Date) {
    const rows = await this.checkedAnswers(e, inputs);
    if (rows.length === 0) return [];
    if (!(await saveAnswers(this.db, e.id, rows, now))) throw new AppError('contest_already_submitted');
    return rows.map((r) => ({ questionId: r.q, chosen: r.c, answeredAt: now.toISOString() }));
  }

  /** The answers as rows to store, each checked against the entry's draw. The same question twice keeps the later one. */
  private async checkedAnswers(e: EntryRow, inputs: readonly AnswerInput[]): Promise<AnswerRow[]> {
    const latest = latestAnswers(inputs);
    if (latest.length === 0) return [];
    const drawn = new Map(e.questions.map((q) => [q.questionId, q]));
    const byId = await this.views.drawnQuestions(
      e.contest_id,
      latest.map((a) => a.q).filter((id) => drawn.has(id)),
    );
    for (const { q: questionId, c: chosen } of latest) {
      const d = drawn.get(questionId);
      if (!d) throw new AppError('contest_unknown_question');
      if (chosen.some((c) => !d.optionIds.includes(c))) throw new AppError('contest_option_not_offered');
      if (byId.get(questionId)!.kind === 'single' && chosen.length > 1) throw new AppError('contest_one_option_only');
    }
    return latest;
  }

  /** Closes the entry; answers sent along are saved first (the sheet and its submission in one request). */
  async submit(
    token: string | undefined,
    entryId: number,
    prediction: number,
    now = new Date(),
    answers: readonly AnswerInput[] = [],
  ): Promise<EntryView> {
    const p = await this.participant(token);
    const fast = await this.submitUsual(p, entryId, prediction, now, answers);
    if (fast) return fast;
    const e = await this.entryRow(this.db, entryId, p.id);
    this.assertOpen(e, now);
    const rows = await this.checkedAnswers(e, answers);
    // A second submission racing this one got here first.
    if (!(await submitEntry(this.db, entryId, prediction, rows, now))) throw new AppError('contest_already_submitted');
    return this.view(entryId, { entry: { ...e, submitted_at: now, prediction } });
  }

  /**
   * The usual submission, in one statement (submitIfOpen); undefined when anything may need a
   * refusal, for the checked path above to tell which.
   */
  private async submitUsual(p: Participant, entryId: number, prediction: number, now: Date, answers: readonly AnswerInput[]) {
    const rows = latestAnswers(answers);
    if (!(await this.plausible(p, rows))) return undefined;
    const e = await submitIfOpen(this.db, { participantId: p.id, entryId, prediction, rows, now, graceMs: GRACE_MS });
    return e && this.view(entryId, { entry: { ...e, submitted_at: now, prediction }, answers: e.answers });
  }

  /**
   * Whether the one-statement paths may take these answers, on the cached bank: the single-choice
   * rule, and only options the question has (so the SQL never gets a string the server did not
   * make; the statement still checks they were offered in this entry's draw).
   */
  private async plausible(p: Participant, rows: readonly AnswerRow[]) {
    const { byId } = await this.admin.cache.bank(p.contest_id);
    return rows.every((r) => {
      const q = byId.get(r.q);
      return q !== undefined && (q.kind !== 'single' || r.c.length <= 1) && r.c.every((c) => q.options.some((o) => o.id === c));
    });
  }

  /**
   * The round's frozen ranking, latest version, with the list of versions: version 1 is computed
   * at the first request after the close (flags scanned in the same transaction); later versions
   * only come from a disqualification or reinstatement (contest.ranking.ts).
   */
  async results(roundId: number, now = new Date(), version?: number): Promise<PublishedRanking> {
    const round = await this.publishedRound(roundId);
    if (roundPhase(round, now) !== 'closed') throw new AppError('contest_round_not_closed');
    const done = await this.ranking.published(roundId, version);
    if (done) return done;
    await this.ranking.freeze(round, now);
    return (await this.ranking.published(roundId, version))!;
  }

  /**
   * Freezes every published round that has closed and has no ranking yet (the freeze job); a round
   * another process is freezing right now is left to it. Returns the rounds frozen here.
   */
  async freezeClosedRounds(now = new Date()): Promise<number[]> {
    const rounds = await this.db
      .selectFrom('contest_round as r')
      .select('r.id')
      .where('r.state', '=', 'published')
      .where('r.closes_at', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('contest_ranking as k').select('k.version').whereRef('k.round_id', '=', 'r.id'))),
      )
      .orderBy('r.closes_at')
      .execute();
    const frozen: number[] = [];
    for (const { id } of rounds) {
      try {
        await this.results(id, now);
        frozen.push(id);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'contest_results_pending') throw e;
      }
    }
    return frozen;
  }

  /** A participant's own result after the close: score, rank, and the key with its explanations. */
  async entryResult(token: string | undefined, entryId: number, now = new Date()): Promise<EntryResult> {
    const p = await this.participant(token);
    const e = await this.entryRow(this.db, entryId, p.id);
    const ranking = await this.results(e.round_id, now);
    const [answers, keys] = await Promise.all([
      this.db.selectFrom('contest_answer').select(['question_id', 'chosen']).where('entry_id', '=', entryId).execute(),
      contestKeys(this.db, e.contest_id),
    ]);
    const chosen = new Map(answers.map((a) => [a.question_id, a.chosen]));
    const ranked = await this.ranking.entryOf(e.round_id, ranking.version, entryId);
    const questions = e.questions.map((d) => {
      const k = keys.get(d.questionId)!;
      const mine = chosen.get(d.questionId) ?? [];
      return {
        id: d.questionId,
        chosen: mine,
        correct: k.correct,
        right: isRight(mine, k.correct),
        explanation: { vi: k.explanation_vi, en: k.explanation_en },
        procedureCode: k.procedure_code,
      };
    });
    return { entryId, rank: ranked?.rank ?? null, score: questions.filter((q) => q.right).length, questions };
  }
}
