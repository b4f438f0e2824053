import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { STATUS } from '../../domain/dossier/status.js';
import { loadQuestionnaire, type Questionnaire } from '../../domain/surveys/questionnaire.js';
import { drawSample, groupApplicants, type SamplePlan } from '../../domain/surveys/sampling.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { formatDate } from '../../web/i18n/index.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { notify, type NotifyChannels } from '../notify/notify.service.js';
import { MAX_SAMPLE, type CreateSurveyInput, type SurveyPhase, type SurveyView } from './surveys.schema.js';

const ADMIN = ['city_admin'] as const;
/** Who counts as a recent user of the service (SIPAS): a result returned in the last 12 months. */
export const ELIGIBLE_MONTHS = 12;

export type SurveyRow = Awaited<ReturnType<SurveyService['row']>>;

/** Where a survey stands at `now`: an open survey whose window has passed is closed. */
export function phaseOf(s: { state: string; opens_at: Date; closes_at: Date }, now = new Date()): SurveyPhase {
  if (s.state === 'draft') return 'draft';
  if (s.state === 'closed' || now >= s.closes_at) return 'closed';
  return now < s.opens_at ? 'scheduled' : 'open';
}

export function monthsBefore(d: Date, months: number): Date {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() - months);
  return x;
}

/** SIPAS-style surveys: drafts, the launch with its random sample and invitations, the close. */
export class SurveyService {
  readonly questionnaire: Questionnaire = loadQuestionnaire();

  constructor(
    readonly db: Kysely<DB>,
    private readonly baseUrl: string,
    private readonly channels: NotifyChannels,
  ) {}

  async row(id: number) {
    const s = await this.db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw new AppError('survey_not_found');
    return s;
  }

  private async cityPath(actor: Actor) {
    const city = await this.db.selectFrom('unit').select('path').where('level', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
    assertUnitScope(actor, city.path, ADMIN);
    return city.path;
  }

  async create(actor: Actor, input: CreateSurveyInput, ctx: AuditContext, now = new Date()): Promise<SurveyView> {
    await this.cityPath(actor);
    if (!Number.isInteger(input.sampleSize) || input.sampleSize < 1 || input.sampleSize > MAX_SAMPLE)
      throw new AppError('survey_sample_size_invalid', { max: MAX_SAMPLE });
    const opens = new Date(input.opensAt);
    const closes = new Date(input.closesAt);
    if (Number.isNaN(+opens) || Number.isNaN(+closes)) throw new AppError('invalid_date');
    if (closes <= opens || closes <= now) throw new AppError('survey_window_invalid');
    const codes = [...new Set(input.units ?? [])];
    let unitIds: number[] | null = null;
    if (codes.length > 0) {
      const units = await this.db.selectFrom('unit').select(['id', 'code', 'path']).where('code', 'in', codes).execute();
      const missing = codes.find((c) => !units.some((u) => u.code === c));
      if (missing) throw new AppError('unit_not_found', { code: missing.slice(0, 40) });
      for (const u of units) assertUnitScope(actor, u.path, ADMIN);
      unitIds = units.map((u) => u.id).sort((a, b) => a - b);
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const s = await trx
        .insertInto('survey')
        .values({
          title: input.title.trim() || 'SIPAS',
          questionnaire: JSON.stringify(this.questionnaire),
          unit_ids: unitIds,
          sample_mode: input.sampleMode,
          sample_size: input.sampleSize,
          opens_at: opens,
          closes_at: closes,
          created_by: actor.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'survey.create', entityType: 'survey', entityId: s.id, after: { ...input, units: codes } });
      return s.id;
    });
    return this.view(actor, id);
  }

  async list(actor: Actor, now = new Date()): Promise<SurveyView[]> {
    await this.cityPath(actor);
    const rows = await this.db.selectFrom('survey').select('id').orderBy('id', 'desc').limit(200).execute();
    return Promise.all(rows.map((r) => this.present(r.id, now)));
  }

  async view(actor: Actor, id: number, now = new Date()): Promise<SurveyView> {
    await this.cityPath(actor);
    return this.present(id, now);
  }

  /** The survey as the API shows it (no personal data; the seed is published with the results). */
  async present(id: number, now = new Date()): Promise<SurveyView> {
    const s = await this.row(id);
    const [units, counts] = await Promise.all([
      s.unit_ids
        ? this.db.selectFrom('unit').select(['code', 'name_vi', 'name_en']).where('id', 'in', s.unit_ids).orderBy('code').execute()
        : null,
      this.db
        .selectFrom('survey_invitation')
        .select((eb) => [eb.fn.countAll<string>().as('invited'), eb.fn.count<string>('responded_at').as('responded')])
        .where('survey_id', '=', id)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      id: s.id,
      title: s.title,
      phase: phaseOf(s, now),
      units: units?.map((u) => ({ code: u.code, name: { vi: u.name_vi, en: u.name_en } })) ?? null,
      sampleMode: s.sample_mode,
      sampleSize: s.sample_size,
      opensAt: s.opens_at.toISOString(),
      closesAt: s.closes_at.toISOString(),
      launchedAt: s.launched_at?.toISOString() ?? null,
      closedAt: s.closed_at?.toISOString() ?? null,
      population: s.population,
      invited: Number(counts.invited),
      responded: Number(counts.responded),
      seed: s.seed,
    };
  }

  /** Applicants whose result was returned in the 12 months before `now`, in the covered units. */
  private async population(trx: Transaction<DB>, unitIds: number[] | null, from: Date, now: Date) {
    let q = trx
      .selectFrom('dossier')
      .select(['id', 'unit_id', 'returned_at', 'applicant_phone_hash', 'owner_id', 'applicant_citizen_id_hash'])
      .where('status', '=', STATUS.returned)
      .where('returned_at', '>=', from)
      .where('returned_at', '<', now);
    if (unitIds) q = q.where('unit_id', 'in', unitIds);
    const rows = await q.execute();
    return groupApplicants(
      rows.map((d) => ({
        dossierId: d.id,
        unitId: d.unit_id,
        returnedAt: d.returned_at!,
        // Persons are told apart by the keyed hashes: a year of dossiers is not decrypted to count them.
        phone: d.applicant_phone_hash,
        accountId: d.owner_id,
        citizenId: d.applicant_citizen_id_hash,
      })),
    );
  }

  /**
   * Draws the sample and sends the invitations, all in one transaction: either everyone drawn is
   * invited (inbox, e-mail, SMS as their dossier had them) or nobody is and the survey stays a draft.
   */
  async launch(actor: Actor, id: number, ctx: AuditContext, now = new Date()) {
    await this.cityPath(actor);
    await this.db.transaction().execute(async (trx) => {
      const s = await trx.selectFrom('survey').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!s) throw new AppError('survey_not_found');
      if (s.state !== 'draft') throw new AppError('survey_not_draft');
      if (s.closes_at <= now) throw new AppError('survey_window_invalid');
      const from = monthsBefore(now, ELIGIBLE_MONTHS);
      const people = await this.population(trx, s.unit_ids, from, now);
      if (people.length === 0) throw new AppError('survey_no_applicants');
      const seed = randomBytes(32).toString('hex');
      const plan: SamplePlan = { mode: s.sample_mode, size: s.sample_size };
      const drawn = drawSample(people, plan, seed);
      const dossiers = await this.dossiers(
        trx,
        drawn.map((p) => p.dossierId),
      );
      for (const p of drawn) {
        const token = randomToken(32);
        await trx
          .insertInto('survey_invitation')
          .values({
            survey_id: id,
            unit_id: p.unitId,
            dossier_id: p.dossierId,
            applicant_key: sha256(`${id}:${p.key}`),
            token_hash: sha256(token),
            invited_at: now,
          })
          .execute();
        const d = dossiers.get(p.dossierId)!;
        const en = d.locale === 'en';
        const applicant = (d.applicant ?? {}) as { email?: string | null; phone?: string | null };
        await notify(
          trx,
          {
            template: 'survey.invite',
            locale: d.locale,
            params: {
              unit: en ? d.unit_en : d.unit_vi,
              procedure: en ? d.name_en : d.name_vi,
              link: `${this.baseUrl}/survey/${token}`,
              dueDate: formatDate(s.closes_at, d.locale),
            },
            accountId: d.owner_id,
            dossierId: null,
            email: applicant.email ?? null,
            phone: applicant.phone ?? d.applicant_phone,
          },
          this.channels,
        );
      }
      await trx
        .updateTable('survey')
        .set({ state: 'open', seed, population: people.length, eligible_from: from, launched_by: actor.accountId, launched_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, {
        action: 'survey.launch',
        entityType: 'survey',
        entityId: id,
        after: { seed, population: people.length, invited: drawn.length, eligibleFrom: from.toISOString() },
      });
    });
    return this.present(id, now);
  }

  private async dossiers(trx: Transaction<DB>, ids: number[]) {
    const out = new Map<
      number,
      {
        owner_id: number | null;
        locale: 'vi' | 'en';
        applicant: unknown;
        applicant_phone: string | null;
        name_vi: string;
        name_en: string;
        unit_vi: string;
        unit_en: string;
      }
    >();
    // In slices: a city-wide sample can be thousands of ids.
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await trx
        .selectFrom('dossier as d')
        .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
        .innerJoin('unit as u', 'u.id', 'd.unit_id')
        .select(['d.id', 'd.owner_id', 'd.locale', 'd.applicant', 'd.applicant_phone', 'p.name_vi', 'p.name_en'])
        .select(['u.name_vi as unit_vi', 'u.name_en as unit_en'])
        .where('d.id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  /** Ends the survey now; responses are refused from then on and the results become public. */
  async close(actor: Actor, id: number, ctx: AuditContext, now = new Date()) {
    await this.cityPath(actor);
    await this.db.transaction().execute(async (trx) => {
      const s = await trx.selectFrom('survey').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!s) throw new AppError('survey_not_found');
      const phase = phaseOf(s, now);
      if (phase === 'draft') throw new AppError('survey_not_launched');
      if (s.state === 'closed') throw new AppError('survey_closed');
      // A survey closed before its opening keeps an empty window rather than one ending before it starts.
      const closesAt = s.closes_at < now ? s.closes_at : now < s.opens_at ? s.opens_at : now;
      await trx
        .updateTable('survey')
        .set({ state: 'closed', closes_at: closesAt, closed_by: actor.accountId, closed_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, {
        action: 'survey.close',
        entityType: 'survey',
        entityId: id,
        before: { closesAt: s.closes_at.toISOString() },
        after: { closesAt: closesAt.toISOString() },
      });
    });
    return this.present(id, now);
  }

  /** Units that have returned dossiers in the 12 months before `now` (the default coverage). */
  async unitsWithReturns(now = new Date()) {
    const r = await sql<{ code: string; name_vi: string; name_en: string; n: number }>`
      select u.code, u.name_vi, u.name_en, count(*)::int as n from dossier d join unit u on u.id = d.unit_id
      where d.status = ${STATUS.returned} and d.returned_at >= ${monthsBefore(now, ELIGIBLE_MONTHS)} and d.returned_at < ${now}
      group by 1, 2, 3 order by 1`.execute(this.db);
    return r.rows;
  }
}
