import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { GRACE_MS } from '../../domain/contest/timing.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { writeQuestion } from './contest.bank.js';
import { ContestCache } from './contest.cache.js';
import type {
  ContestView,
  CreateContestInput,
  CreatePoolInput,
  CreateQuestionInput,
  CreateRoundInput,
  RoundPhase,
  RoundView,
} from './contest.schema.js';

const ADMIN = ['city_admin'] as const;

export type RoundRow = {
  id: number;
  contest_id: number;
  state: string;
  opens_at: Date;
  closes_at: Date;
  question_count: number;
  time_limit_seconds: number;
};

/** Where a round stands at `now`: answers are taken only while it is open. */
export function roundPhase(r: { state: string; opens_at: Date; closes_at: Date }, now = new Date()): RoundPhase {
  if (r.state === 'draft') return 'draft';
  if (now >= r.closes_at) return 'closed';
  return now < r.opens_at ? 'scheduled' : 'open';
}

export const roundView = (r: RoundRow, now = new Date()): RoundView => ({
  id: r.id,
  contestId: r.contest_id,
  phase: roundPhase(r, now),
  opensAt: r.opens_at.toISOString(),
  closesAt: r.closes_at.toISOString(),
  questionCount: r.question_count,
  timeLimitSeconds: r.time_limit_seconds,
  graceSeconds: GRACE_MS / 1000,
});

/** The contest's administration by the city admin: contest, rounds, question pools, questions, publication. */
export class ContestAdmin {
  /** Shared with ContestEntries: whoever writes a question must call `cache.invalidateBanks()`. */
  readonly cache: ContestCache;

  constructor(readonly db: Kysely<DB>) {
    this.cache = new ContestCache(db);
  }

  async assertCityAdmin(actor: Actor) {
    const city = await this.db.selectFrom('unit').select('path').where('level', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
    assertUnitScope(actor, city.path, ADMIN);
  }

  async createContest(actor: Actor, input: CreateContestInput, ctx: AuditContext): Promise<ContestView> {
    await this.assertCityAdmin(actor);
    const id = await this.db.transaction().execute(async (trx) => {
      const c = await trx
        .insertInto('contest')
        .values({ title_vi: input.title.vi.trim(), title_en: input.title.en.trim(), created_by: actor.accountId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'contest.create', entityType: 'contest', entityId: c.id, after: input });
      return c.id;
    });
    return this.contest(id, { drafts: true });
  }

  /** The contest with its rounds; the public sees published rounds only. */
  async contest(id: number, opts: { drafts: boolean }, now = new Date()): Promise<ContestView> {
    const c = await this.db.selectFrom('contest').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw new AppError('contest_not_found');
    let q = this.db.selectFrom('contest_round').selectAll().where('contest_id', '=', id);
    if (!opts.drafts) q = q.where('state', '=', 'published');
    const rounds = await q.orderBy('opens_at').orderBy('id').execute();
    return { id: c.id, title: { vi: c.title_vi, en: c.title_en }, rounds: rounds.map((r) => roundView(r, now)) };
  }

  async createRound(actor: Actor, contestId: number, input: CreateRoundInput, ctx: AuditContext, now = new Date()): Promise<RoundView> {
    await this.assertCityAdmin(actor);
    await this.contest(contestId, { drafts: true });
    const opens = new Date(input.opensAt);
    const closes = new Date(input.closesAt);
    if (closes <= opens || closes <= now) throw new AppError('contest_round_window_invalid');
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('contest_round')
        .values({
          contest_id: contestId,
          opens_at: opens,
          closes_at: closes,
          question_count: input.questionCount,
          time_limit_seconds: input.timeLimitSeconds,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'contest.round.create', entityType: 'contest_round', entityId: r.id, after: input });
      return r;
    });
    return roundView(row, now);
  }

  async createPool(actor: Actor, contestId: number, input: CreatePoolInput, ctx: AuditContext) {
    await this.assertCityAdmin(actor);
    await this.contest(contestId, { drafts: true });
    const field = await this.db.selectFrom('field').select('code').where('code', '=', input.fieldCode).executeTakeFirst();
    if (!field) throw new AppError('unknown_field', { field: input.fieldCode.slice(0, 60) });
    return this.db.transaction().execute(async (trx) => {
      const p = await trx
        .insertInto('contest_pool')
        .values({ contest_id: contestId, field_code: input.fieldCode, name_vi: input.name.vi.trim(), name_en: input.name.en.trim() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'contest.pool.create', entityType: 'contest_pool', entityId: p.id, after: input });
      return { id: p.id, contestId: p.contest_id, fieldCode: p.field_code, name: { vi: p.name_vi, en: p.name_en } };
    });
  }

  async createQuestion(actor: Actor, poolId: number, input: CreateQuestionInput, ctx: AuditContext) {
    await this.assertCityAdmin(actor);
    const pool = await this.db.selectFrom('contest_pool').select('id').where('id', '=', poolId).executeTakeFirst();
    if (!pool) throw new AppError('contest_pool_not_found');
    const rights = input.options.filter((o) => o.correct).length;
    if (rights === 0) throw new AppError('contest_question_invalid', { detail: 'no correct option' });
    if (input.kind === 'single' && rights > 1)
      throw new AppError('contest_question_invalid', { detail: 'single choice with several correct options' });
    if (input.procedureCode) {
      const p = await this.db.selectFrom('procedure').select('id').where('code', '=', input.procedureCode).executeTakeFirst();
      if (!p) throw new AppError('contest_unknown_procedure', { code: input.procedureCode });
    }
    const q = await this.db.transaction().execute(async (trx) => {
      const written = await writeQuestion(trx, poolId, input, 'active', actor.accountId);
      await recordAudit(trx, ctx, {
        action: 'contest.question.create',
        entityType: 'contest_question',
        entityId: written.id,
        after: input,
      });
      return written;
    });
    this.cache.invalidateBanks();
    return {
      id: q.id,
      poolId,
      kind: input.kind,
      difficulty: input.difficulty,
      options: q.options,
    };
  }

  /**
   * Questions a round can draw from: the active questions of the contest's pools (not drafts, not
   * retired); cached, see contest.cache.ts.
   */
  async bank(contestId: number) {
    return (await this.cache.bank(contestId)).questions;
  }

  async publish(actor: Actor, roundId: number, ctx: AuditContext, now = new Date()): Promise<RoundView> {
    await this.assertCityAdmin(actor);
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('contest_round').selectAll().where('id', '=', roundId).forUpdate().executeTakeFirst();
      if (!r) throw new AppError('contest_round_not_found');
      if (r.state !== 'draft') throw new AppError('contest_round_not_draft');
      if (r.closes_at <= now) throw new AppError('contest_round_window_invalid');
      const available = await trx
        .selectFrom('contest_question as q')
        .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('p.contest_id', '=', r.contest_id)
        .where('q.status', '=', 'active')
        .executeTakeFirstOrThrow();
      if (Number(available.n) < r.question_count)
        throw new AppError('contest_not_enough_questions', { needed: r.question_count, available: Number(available.n) });
      const u = await trx
        .updateTable('contest_round')
        .set({ state: 'published', published_by: actor.accountId, published_at: now })
        .where('id', '=', roundId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: 'contest.round.publish',
        entityType: 'contest_round',
        entityId: roundId,
        after: { state: 'published' },
      });
      return u;
    });
    return roundView(row, now);
  }
}
