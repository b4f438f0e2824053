import { sql, type Kysely } from 'kysely';
import type { DB, RatingOverall } from '../../db/types.js';
import { STATUS } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { notify } from '../notify/notify.service.js';
import { rate, resolveQuery } from '../stats/stats.report.js';
import type { TrackingService } from '../tracking/tracking.service.js';
import { CRITERIA, type RatingInput, type RatingView, type SatisfactionQuery } from './ratings.schema.js';

/** How long the applicant may change a rating after giving it. */
export const CHANGE_WINDOW_MS = 7 * 86_400_000;

type Row = {
  dossier_id: number;
  overall: RatingOverall;
  criteria: unknown;
  comment: string | null;
  rated_at: Date;
  updated_at: Date;
};

const view = (code: string, r: Row): RatingView => ({
  code,
  overall: r.overall,
  criteria: r.criteria as Record<string, number>,
  comment: r.comment,
  ratedAt: r.rated_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  changeableUntil: new Date(r.rated_at.getTime() + CHANGE_WINDOW_MS).toISOString(),
});

/** Satisfaction with returned dossiers: the applicant's rating, the leaders' follow-up, the figures. */
export class RatingService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly tracking: TrackingService,
    private readonly baseUrl: string,
  ) {}

  /** The dossier behind a code and second factor (the lookup's own checks and failure limits). */
  async dossier(code: string, check: string) {
    const v = await this.tracking.lookup(code, check);
    const d = await this.db
      .selectFrom('dossier as d')
      .innerJoin('unit as u', 'u.id', 'd.unit_id')
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .select([
        'd.id',
        'd.code',
        'd.status',
        'd.unit_id',
        'd.procedure_id',
        'u.name_vi as unit_vi',
        'u.name_en as unit_en',
        'p.name_vi',
        'p.name_en',
      ])
      .where('d.code', '=', v.code)
      .executeTakeFirstOrThrow();
    const rating = await this.db.selectFrom('dossier_rating').selectAll().where('dossier_id', '=', d.id).executeTakeFirst();
    return { d, rating: rating ? view(d.code!, rating) : null };
  }

  /** Gives or changes the rating of a returned dossier; a "not satisfied" tells the unit's leaders. */
  async rate(input: RatingInput, now = new Date()): Promise<RatingView> {
    const { d } = await this.dossier(input.code, input.check);
    if (d.status !== STATUS.returned) throw new AppError('rating_not_open');
    const criteria = Object.fromEntries(CRITERIA.filter((c) => input.criteria?.[c] !== undefined).map((c) => [c, input.criteria![c]!]));
    const comment = input.comment?.trim().slice(0, 2000) || null;
    return this.db.transaction().execute(async (trx) => {
      const prior = await trx.selectFrom('dossier_rating').selectAll().where('dossier_id', '=', d.id).forUpdate().executeTakeFirst();
      if (prior && now.getTime() - prior.rated_at.getTime() > CHANGE_WINDOW_MS) throw new AppError('rating_locked');
      const unhappy = input.overall === 'not_satisfied';
      // A follow-up once opened stays until a leader closes it; a new "not satisfied" reopens it.
      const followUp = unhappy ? 'open' : (prior?.follow_up_state ?? null);
      const officer = await trx
        .selectFrom('dossier_step')
        .select('finished_by')
        .where('dossier_id', '=', d.id)
        .where('role', '=', 'specialist')
        .where('finished_by', 'is not', null)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const values = {
        overall: input.overall,
        criteria: JSON.stringify(criteria),
        comment,
        updated_at: now,
        follow_up_state: followUp,
        ...(unhappy && prior?.follow_up_state === 'closed' ? { follow_up_note: null, follow_up_by: null, follow_up_at: null } : {}),
      };
      const row = prior
        ? await trx.updateTable('dossier_rating').set(values).where('dossier_id', '=', d.id).returningAll().executeTakeFirstOrThrow()
        : await trx
            .insertInto('dossier_rating')
            .values({
              ...values,
              dossier_id: d.id,
              unit_id: d.unit_id,
              procedure_id: d.procedure_id,
              officer_id: officer?.finished_by ?? null,
              rated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
      if (unhappy && prior?.overall !== 'not_satisfied') await this.tellLeaders(trx, d, comment);
      return view(d.code!, row);
    });
  }

  private async tellLeaders(trx: Kysely<DB>, d: Awaited<ReturnType<RatingService['dossier']>>['d'], comment: string | null) {
    const leaders = await trx
      .selectFrom('role_assignment as r')
      .innerJoin('account as a', 'a.id', 'r.account_id')
      .select(['a.id', 'a.locale'])
      .where('r.unit_id', '=', d.unit_id)
      .where('r.role', '=', 'leader')
      .where('a.disabled_at', 'is', null)
      .execute();
    for (const a of leaders) {
      await notify(
        trx,
        {
          template: 'rating.not_satisfied',
          locale: a.locale,
          params: {
            code: d.code!,
            procedure: a.locale === 'en' ? d.name_en : d.name_vi,
            unit: a.locale === 'en' ? d.unit_en : d.unit_vi,
            comment: comment ?? '-',
            link: `${this.baseUrl}/work/follow-ups`,
          },
          accountId: a.id,
          dossierId: d.id,
          email: null,
          phone: null,
        },
        { email: false, sms: false },
      );
    }
  }

  /** Open follow-ups ("not satisfied") in the units the leader leads, oldest first. */
  async followUps(actor: Actor) {
    const paths = actor.roles.filter((g) => g.role === 'leader').map((g) => g.unitPath);
    if (paths.length === 0) throw new AppError('forbidden');
    return sql<{
      dossier_id: number;
      code: string;
      unit_vi: string;
      unit_en: string;
      comment: string | null;
      rated_at: Date;
      criteria: unknown;
    }>`
      select r.dossier_id, d.code, u.name_vi as unit_vi, u.name_en as unit_en, r.comment, r.rated_at, r.criteria
      from dossier_rating r join dossier d on d.id = r.dossier_id join unit u on u.id = r.unit_id
      where r.follow_up_state = 'open' and (${sql.join(
        paths.map((p) => sql`u.path <@ ${p}::ltree`),
        sql` or `,
      )})
      order by r.rated_at limit 200`
      .execute(this.db)
      .then((r) => r.rows);
  }

  /** A leader of the unit (or above) records what was done and closes the follow-up. */
  async closeFollowUp(actor: Actor, dossierId: number, note: string, now = new Date()) {
    const r = await this.db
      .selectFrom('dossier_rating as r')
      .innerJoin('unit as u', 'u.id', 'r.unit_id')
      .select(['r.follow_up_state', 'u.path'])
      .where('r.dossier_id', '=', dossierId)
      .executeTakeFirst();
    if (!r || r.follow_up_state !== 'open') throw new AppError('follow_up_not_found');
    assertUnitScope(actor, r.path, ['leader']);
    // Checked after the scope: another unit's leader learns nothing from a missing note.
    const text = note.trim().slice(0, 2000);
    if (!text) throw new AppError('reason_required');
    await this.db
      .updateTable('dossier_rating')
      .set({ follow_up_state: 'closed', follow_up_note: text, follow_up_by: actor.accountId, follow_up_at: now })
      .where('dossier_id', '=', dossierId)
      .execute();
  }

  /** Ratings given in the period, per unit below and per procedure; public (no officer, no comment). */
  async figures(q: SatisfactionQuery) {
    const r = await resolveQuery(this.db, q);
    const scope = r.subtree ? sql`u.path <@ ${r.unit.path}::ltree` : sql`u.id = ${r.unit.id}`;
    const rows = await sql<{ unit_id: number; procedure_id: number; overall: RatingOverall; criteria: Record<string, number> }>`
      select r.unit_id, r.procedure_id, r.overall, r.criteria from dossier_rating r join unit u on u.id = r.unit_id
      where ${scope} and r.rated_at >= ${new Date(`${r.period.from}T00:00:00+07:00`)}
        and r.rated_at < ${new Date(new Date(`${r.period.to}T00:00:00+07:00`).getTime() + 86_400_000)}`.execute(this.db);
    const tally = () => ({ total: 0, very_satisfied: 0, satisfied: 0, not_satisfied: 0 });
    const all = tally();
    const crit = Object.fromEntries(CRITERIA.map((c) => [c, { answers: 0, sum: 0 }]));
    for (const x of rows.rows) {
      all.total++;
      all[x.overall]++;
      for (const [k, v] of Object.entries(x.criteria ?? {})) {
        const c = crit[k];
        if (!c) continue;
        c.answers++;
        c.sum += v;
      }
    }
    return {
      unit: { code: r.unit.code, name: { vi: r.unit.name_vi, en: r.unit.name_en } },
      period: { from: r.period.from, to: r.period.to },
      ratings: all.total,
      verySatisfied: all.very_satisfied,
      satisfied: all.satisfied,
      notSatisfied: all.not_satisfied,
      satisfiedRate: rate(all.very_satisfied + all.satisfied, all.total),
      criteria: Object.fromEntries(
        Object.entries(crit).map(([k, c]) => [
          k,
          { answers: c.answers, average: c.answers ? Math.round((c.sum / c.answers) * 100) / 100 : null },
        ]),
      ),
    };
  }

  /** Per officer, for the leaders of the unit (or above) only. */
  async officers(actor: Actor, q: SatisfactionQuery) {
    const r = await resolveQuery(this.db, q);
    assertUnitScope(actor, r.unit.path, ['leader']);
    const rows = await sql<{ officer_id: number; full_name: string; total: number; not_satisfied: number }>`
      select r.officer_id, a.full_name, count(*)::int as total, count(*) filter (where r.overall = 'not_satisfied')::int as not_satisfied
      from dossier_rating r join unit u on u.id = r.unit_id join account a on a.id = r.officer_id
      where u.path <@ ${r.unit.path}::ltree and r.rated_at >= ${new Date(`${r.period.from}T00:00:00+07:00`)}
        and r.rated_at < ${new Date(new Date(`${r.period.to}T00:00:00+07:00`).getTime() + 86_400_000)}
      group by 1, 2 order by 2`.execute(this.db);
    return rows.rows.map((x) => ({
      officerId: x.officer_id,
      name: x.full_name,
      ratings: x.total,
      notSatisfied: x.not_satisfied,
      satisfiedRate: rate(x.total - x.not_satisfied, x.total),
    }));
  }
}
