import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';
import { roundView, type ContestAdmin } from './contest.admin.js';
import type { CreateRoundInput, RoundView } from './contest.schema.js';

type Bilingual = { vi: string; en: string };

/**
 * Corrections by the city admin: a contest's or a pool's name at any time (they are labels), a
 * round's window, size and time limit only while it is a draft, since participants plan around a
 * published round and entries depend on it. Every change is audited with what it replaced.
 */
export class ContestEditor {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly admin: ContestAdmin,
  ) {}

  async renameContest(actor: Actor, id: number, title: Bilingual, ctx: AuditContext) {
    await this.admin.assertCityAdmin(actor);
    await this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('contest').select(['title_vi', 'title_en']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('contest_not_found');
      const after = { title_vi: title.vi.trim(), title_en: title.en.trim() };
      await trx.updateTable('contest').set(after).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'contest.rename', entityType: 'contest', entityId: id, before, after });
    });
    return this.admin.contest(id, { drafts: true });
  }

  async renamePool(actor: Actor, poolId: number, name: Bilingual, ctx: AuditContext) {
    await this.admin.assertCityAdmin(actor);
    const pool = await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('contest_pool')
        .select(['name_vi', 'name_en'])
        .where('id', '=', poolId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new AppError('contest_pool_not_found');
      const after = { name_vi: name.vi.trim(), name_en: name.en.trim() };
      const p = await trx.updateTable('contest_pool').set(after).where('id', '=', poolId).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'contest.pool.rename', entityType: 'contest_pool', entityId: poolId, before, after });
      return p;
    });
    // Pool names are shown with the questions the bank cache holds.
    this.admin.cache.invalidateBanks();
    return { id: pool.id, contestId: pool.contest_id, fieldCode: pool.field_code, name: { vi: pool.name_vi, en: pool.name_en } };
  }

  async updateRound(actor: Actor, roundId: number, input: CreateRoundInput, ctx: AuditContext, now = new Date()): Promise<RoundView> {
    await this.admin.assertCityAdmin(actor);
    const opens = new Date(input.opensAt);
    const closes = new Date(input.closesAt);
    const row = await this.db.transaction().execute(async (trx) => {
      const before = await this.draftRound(trx, roundId);
      if (closes <= opens || closes <= now) throw new AppError('contest_round_window_invalid');
      const r = await trx
        .updateTable('contest_round')
        .set({ opens_at: opens, closes_at: closes, question_count: input.questionCount, time_limit_seconds: input.timeLimitSeconds })
        .where('id', '=', roundId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: 'contest.round.update',
        entityType: 'contest_round',
        entityId: roundId,
        before: {
          opensAt: before.opens_at.toISOString(),
          closesAt: before.closes_at.toISOString(),
          questionCount: before.question_count,
          timeLimitSeconds: before.time_limit_seconds,
        },
        after: input,
      });
      return r;
    });
    return roundView(row, now);
  }

  async deleteRound(actor: Actor, roundId: number, ctx: AuditContext): Promise<{ contestId: number }> {
    await this.admin.assertCityAdmin(actor);
    return this.db.transaction().execute(async (trx) => {
      const before = await this.draftRound(trx, roundId);
      await trx.deleteFrom('contest_round').where('id', '=', roundId).execute();
      await recordAudit(trx, ctx, {
        action: 'contest.round.delete',
        entityType: 'contest_round',
        entityId: roundId,
        before: { contestId: before.contest_id, opensAt: before.opens_at.toISOString(), closesAt: before.closes_at.toISOString() },
      });
      return { contestId: before.contest_id };
    });
  }

  /** The round, locked; only a draft can change (a draft has no entries: starting needs a published round). */
  private async draftRound(trx: Kysely<DB>, roundId: number) {
    const r = await trx.selectFrom('contest_round').selectAll().where('id', '=', roundId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('contest_round_not_found');
    if (r.state !== 'draft') throw new AppError('contest_round_not_draft');
    return r;
  }
}
