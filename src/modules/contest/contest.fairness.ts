import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import type { ContestEntries } from './contest.entries.js';
import type { Decision, DisqualifiedView, FlagView, RoundFlags } from './contest.fairness.schema.js';
import { scanFlags, type FlagRules } from './contest.flags.js';

const ADMIN = ['city_admin'] as const;
const MAX_REASON = 1000;

/**
 * Review of a round by the city admin: the flags with their evidence, clearing a flag,
 * disqualifying an entry (and undoing it) with a mandatory reason. Every decision is audited;
 * after the freeze it also adds a successor ranking version (contest.ranking.ts).
 */
export class ContestFairness {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly entries: ContestEntries,
    private readonly rules: FlagRules,
  ) {}

  private async assertCityAdmin(actor: Actor) {
    const city = await this.db.selectFrom('unit').select('path').where('level', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
    assertUnitScope(actor, city.path, ADMIN);
  }

  private async round(roundId: number) {
    const r = await this.db.selectFrom('contest_round').select(['id', 'contest_id']).where('id', '=', roundId).executeTakeFirst();
    if (!r) throw new AppError('contest_round_not_found');
    return r;
  }

  async list(actor: Actor, roundId: number, status: 'open' | 'cleared' | 'all' = 'all'): Promise<RoundFlags> {
    await this.assertCityAdmin(actor);
    await this.round(roundId);
    let q = this.db
      .selectFrom('contest_flag as f')
      .leftJoin('account as a', 'a.id', 'f.reviewed_by')
      .selectAll('f')
      .select('a.full_name as reviewer')
      .where('f.round_id', '=', roundId);
    if (status !== 'all') q = q.where('f.status', '=', status);
    const [flags, dq] = await Promise.all([
      q.orderBy('f.status', 'desc').orderBy('f.id').execute(),
      this.db
        .selectFrom('contest_entry as e')
        .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
        .leftJoin('account as a', 'a.id', 'e.disqualified_by')
        .select(['e.id', 'p.name', 'e.disqualified_reason', 'e.disqualified_at', 'a.full_name'])
        .where('e.round_id', '=', roundId)
        .where('e.disqualified_at', 'is not', null)
        .orderBy('e.id')
        .execute(),
    ]);
    return {
      roundId,
      flags: flags.map((f): FlagView => ({
        id: f.id,
        roundId: f.round_id,
        entryId: f.entry_id,
        kind: f.kind,
        subject: f.subject,
        evidence: f.evidence,
        status: f.status,
        createdAt: f.created_at.toISOString(),
        updatedAt: f.updated_at.toISOString(),
        reviewedBy: f.reviewer,
        reviewedAt: f.reviewed_at?.toISOString() ?? null,
        note: f.review_note,
      })),
      disqualified: dq.map((e): DisqualifiedView => ({
        entryId: e.id,
        participant: e.name,
        reason: e.disqualified_reason!,
        by: e.full_name,
        at: e.disqualified_at!.toISOString(),
      })),
    };
  }

  /** Runs the flag rules over the round now (they also run by themselves at the freeze). */
  async scan(actor: Actor, roundId: number, ctx: AuditContext, now = new Date()) {
    await this.assertCityAdmin(actor);
    await this.round(roundId);
    const flags = await this.db.transaction().execute(async (trx) => {
      const n = await scanFlags(trx, roundId, this.rules, now);
      await recordAudit(trx, ctx, { action: 'contest.flags.scan', entityType: 'contest_round', entityId: roundId, after: { flags: n } });
      return n;
    });
    return { roundId, flags };
  }

  /** Reviewed, nothing wrong (a school's shared address, a quick reader): the flag is closed. */
  async clear(actor: Actor, flagId: number, note: string | undefined, ctx: AuditContext, now = new Date()) {
    await this.assertCityAdmin(actor);
    const text = note?.trim() || null;
    const roundId = await this.db.transaction().execute(async (trx) => {
      const f = await trx
        .selectFrom('contest_flag')
        .select(['id', 'round_id', 'status'])
        .where('id', '=', flagId)
        .forUpdate()
        .executeTakeFirst();
      if (!f) throw new AppError('contest_flag_not_found');
      if (f.status !== 'open') throw new AppError('contest_flag_reviewed');
      await trx
        .updateTable('contest_flag')
        .set({ status: 'cleared', reviewed_by: actor.accountId, reviewed_at: now, review_note: text })
        .where('id', '=', flagId)
        .execute();
      await recordAudit(trx, ctx, { action: 'contest.flag.clear', entityType: 'contest_flag', entityId: flagId, after: { note: text } });
      return f.round_id;
    });
    return roundId;
  }

  disqualify(actor: Actor, entryId: number, reason: string, ctx: AuditContext, now = new Date()) {
    return this.decide(actor, entryId, reason, 'disqualify', ctx, now);
  }

  /** Undoes a disqualification; after the freeze this too is a new ranking version. */
  reinstate(actor: Actor, entryId: number, reason: string, ctx: AuditContext, now = new Date()) {
    return this.decide(actor, entryId, reason, 'reinstate', ctx, now);
  }

  private async decide(
    actor: Actor,
    entryId: number,
    rawReason: string,
    action: 'disqualify' | 'reinstate',
    ctx: AuditContext,
    now: Date,
  ): Promise<Decision & { roundId: number }> {
    await this.assertCityAdmin(actor);
    const reason = rawReason.trim();
    if (!reason) throw new AppError('reason_required');
    if (reason.length > MAX_REASON) throw new AppError('validation_failed');
    return this.db.transaction().execute(async (trx) => {
      const e = await trx
        .selectFrom('contest_entry as e')
        .innerJoin('contest_round as r', 'r.id', 'e.round_id')
        .select(['e.id', 'e.round_id', 'r.contest_id', 'e.disqualified_at', 'e.disqualified_reason'])
        .where('e.id', '=', entryId)
        .forUpdate('e')
        .executeTakeFirst();
      if (!e) throw new AppError('contest_entry_not_found');
      const disqualify = action === 'disqualify';
      if (disqualify && e.disqualified_at) throw new AppError('contest_entry_disqualified');
      if (!disqualify && !e.disqualified_at) throw new AppError('contest_entry_not_disqualified');
      await trx
        .updateTable('contest_entry')
        .set(
          disqualify
            ? { disqualified_at: now, disqualified_by: actor.accountId, disqualified_reason: reason }
            : { disqualified_at: null, disqualified_by: null, disqualified_reason: null },
        )
        .where('id', '=', entryId)
        .execute();
      await recordAudit(trx, ctx, {
        action: `contest.entry.${action}`,
        entityType: 'contest_entry',
        entityId: entryId,
        before: disqualify ? null : { reason: e.disqualified_reason },
        after: { reason },
      });
      const ranking = await this.entries.ranking.successor(
        trx,
        { id: e.round_id, contest_id: e.contest_id },
        { action, entryId, reason },
        ctx,
        now,
      );
      return { roundId: e.round_id, entryId, disqualified: disqualify, ranking };
    });
  }
}
