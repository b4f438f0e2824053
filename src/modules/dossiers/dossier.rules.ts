import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { computeDue, type TimeUnit } from '../../domain/calendar/deadline.js';
import { AppError } from '../../lib/errors.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { todayInVietnam } from '../units/units.service.js';
import { isValidCitizenId, normalizeEmail, normalizeName, normalizePhone } from '../../domain/identity.js';
import type { FieldDef, FieldProblem, FormValues } from '../../domain/dossier/form.js';
import type { Actor } from '../auth/policy.js';
import { personalColumns } from './dossier.repo.js';
import type { Applicant, ApplicantInput } from './dossier.schema.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface Offer {
  /** False when the unit does not handle the procedure at all. */
  offered: boolean;
  procedureName: { vi: string; en: string };
  unitName: { vi: string; en: string };
  unitId: number;
  unitCode: string;
  unitPath: string;
  agencyCode: string;
  procedureId: number;
  versionId: number;
  onlineLevel: number | null;
  content: VersionContent;
  timeLimit: { amount: number; unit: TimeUnit } | null;
}

/** The procedure version in force today at a unit that offers it, or a clear refusal. */
export async function findOffer(db: Q, procedureCode: string, unitCode: string, channel: 1 | 2 | 3): Promise<Offer> {
  return checkChannel(await loadOffer(db, procedureCode, unitCode), channel);
}

/** Refuses a unit that does not handle the procedure, or not online when the channel is online. */
export function checkChannel(offer: Offer, channel: 1 | 2 | 3): Offer {
  if (!offer.offered) throw new AppError('procedure_not_offered');
  if (channel === 2 && (offer.onlineLevel ?? 0) < 3) throw new AppError('procedure_not_offered_online');
  return offer;
}

/** What a unit offers of a procedure today (also when it offers nothing: `offered` is false). */
export async function loadOffer(db: Q, procedureCode: string, unitCode: string): Promise<Offer> {
  const today = todayInVietnam();
  const row = await db
    .selectFrom('procedure as p')
    .innerJoin('unit as u', (j) => j.on('u.code', '=', unitCode).on('u.valid_to', 'is', null))
    .leftJoin('unit_procedure as up', (j) => j.onRef('up.procedure_id', '=', 'p.id').onRef('up.unit_id', '=', 'u.id'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('procedure_version as pv')
          .select(['pv.id', 'pv.content', 'pv.time_limit_amount', 'pv.time_limit_unit'])
          .whereRef('pv.procedure_id', '=', 'p.id')
          .where('pv.effective_from', '<=', today)
          .orderBy('pv.effective_from', 'desc')
          .orderBy('pv.version', 'desc')
          .limit(1)
          .as('v'),
      (j) => j.onTrue(),
    )
    .select([
      'p.id as procedure_id',
      'p.name_vi',
      'p.name_en',
      'u.name_vi as unit_vi',
      'u.name_en as unit_en',
      'u.id as unit_id',
      'u.code as unit_code',
      'u.path',
      'up.unit_id as offered',
      'up.online_level',
      'v.id as version_id',
      'v.content',
      'v.time_limit_amount',
      'v.time_limit_unit',
    ])
    .where('p.code', '=', procedureCode)
    .executeTakeFirst();
  if (!row) {
    const exists = await db.selectFrom('procedure').select('id').where('code', '=', procedureCode).executeTakeFirst();
    throw new AppError(exists ? 'unit_not_found' : 'procedure_not_found');
  }
  return {
    offered: row.offered !== null,
    procedureName: { vi: row.name_vi, en: row.name_en },
    unitName: { vi: row.unit_vi, en: row.unit_en },
    unitId: row.unit_id,
    unitCode: row.unit_code,
    unitPath: row.path,
    agencyCode: row.unit_code,
    procedureId: row.procedure_id,
    versionId: row.version_id,
    onlineLevel: row.online_level,
    content: row.content as VersionContent,
    timeLimit:
      row.time_limit_amount === null || row.time_limit_unit === null
        ? null
        : { amount: row.time_limit_amount, unit: row.time_limit_unit as TimeUnit },
  };
}

/** The appointment for a dossier received at `at`, from the working-day calendar and the unit's office hours. */
export async function appointment(
  calendar: CalendarService,
  unitCode: string,
  timeLimit: { amount: number; unit: TimeUnit } | null,
  at: Date,
  pauses: { from: Date; to: Date | null }[] = [],
): Promise<Date | null> {
  if (!timeLimit) return null;
  const [cal, { hours }] = await Promise.all([calendar.calendar(), calendar.officeHours(unitCode)]);
  return computeDue({
    receivedAt: at,
    amount: timeLimit.amount,
    unit: timeLimit.unit,
    calendar: cal,
    hours,
    pauses,
    convention: calendar.convention,
    now: at,
  }).dueAt;
}

/** Normalizes the applicant's details; problems are reported per field (`applicant.phone`, ...). */
export function checkApplicant(input: ApplicantInput | undefined, draft: boolean, isWard: (c: string) => boolean) {
  const errors: Record<string, FieldProblem | 'invalid_name'> = {};
  const i = input ?? {};
  const rawName = (i.name ?? '').trim();
  const name = rawName ? normalizeName(rawName) : null;
  if (!name && (rawName || !draft)) errors['applicant.name'] = rawName ? 'invalid_name' : 'field_required';
  const rawId = (i.citizenId ?? '').replace(/\s/g, '');
  if (rawId && !isValidCitizenId(rawId)) errors['applicant.citizenId'] = 'invalid_citizen_id';
  const phone = i.phone?.trim() ? normalizePhone(i.phone) : null;
  if (i.phone?.trim() && !phone) errors['applicant.phone'] = 'invalid_phone';
  if (!phone && !i.phone?.trim() && !draft) errors['applicant.phone'] = 'field_required';
  const email = i.email?.trim() ? normalizeEmail(i.email) : null;
  if (i.email?.trim() && !email) errors['applicant.email'] = 'invalid_email';
  const ward = i.address?.ward.trim() ?? '';
  if (ward && !isWard(ward)) errors['applicant.address.ward'] = 'ward_not_found';
  const applicant: Applicant = {
    name: name ?? rawName.slice(0, 120),
    citizenId: rawId || null,
    phone: phone ?? (i.phone?.trim() || null),
    email: email ?? (i.email?.trim() || null),
    address: ward || i.address?.street.trim() ? { ward, street: (i.address?.street ?? '').trim().slice(0, 200) } : null,
  };
  return { applicant, errors };
}

/** The columns of a dossier filed online, by the actor for themselves or for someone else. */
export function onlineDossierColumns(
  offer: Offer,
  actor: Actor,
  onBehalf: { relation: string } | undefined,
  applicant: Applicant,
  values: FormValues,
) {
  return {
    unit_id: offer.unitId,
    procedure_id: offer.procedureId,
    procedure_version_id: offer.versionId,
    channel: 2 as const,
    // Filed for someone else: nobody owns it until the applicant claims it.
    owner_id: onBehalf ? null : actor.accountId,
    created_by: actor.accountId,
    assisted: onBehalf ? JSON.stringify({ by: 'relative', relation: onBehalf.relation.trim() }) : null,
    ...personalColumns(applicant, { defs: offer.content.form as FieldDef[], values }),
    locale: actor.locale,
  };
}
