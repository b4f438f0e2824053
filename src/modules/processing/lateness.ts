import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { STATUS, type StatusCode } from '../../domain/dossier/status.js';
import type { FrozenWorkflow } from '../../domain/workflow/workflow.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../auth/policy.js';
import { formatVn } from '../dossiers/desk.service.js';
import * as repo from '../dossiers/dossier.repo.js';
import type { Applicant } from '../dossiers/dossier.schema.js';
import type { DossierService } from '../dossiers/dossier.service.js';
import { notify } from '../notify/notify.service.js';
import { isOfficialAt } from './processing.access.js';
import { DUE_SOON_MS } from './work-queue.js';

const OPEN: readonly StatusCode[] = [STATUS.received, STATUS.processing, STATUS.supplement, STATUS.awaitingPayment];

/**
 * Form 04: the unit that will miss the appointment apologises and sets a new one, before the
 * appointment passes and only once (Decree 61/2018 Art. 19; Circular 01/2018 form 04).
 */
export async function apologize(dossiers: DossierService, actor: Actor, id: number, revision: number, reason: string, newDueAt: Date) {
  const why = reason.trim().slice(0, 2000);
  if (!why) throw new AppError('reason_required');
  const now = new Date();
  return dossiers.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, id, true);
    const wf = d.workflow as FrozenWorkflow | null;
    const step = wf && d.step_index !== null ? wf.steps[d.step_index] : null;
    const allowed =
      isOfficialAt(actor, d.unit_id, ['desk_officer', 'leader', 'specialist']) ||
      (!!step && isOfficialAt(actor, step.unitId, ['leader', 'specialist']));
    if (!allowed) throw new AppError(canSee(actor, d) ? 'forbidden' : 'dossier_not_found');
    if (d.revision !== revision) throw new AppError('dossier_conflict');
    if (!OPEN.includes(d.status as StatusCode) || !d.due_at) throw new AppError('invalid_transition');
    if (d.apology_at) throw new AppError('apology_already_issued');
    if (d.due_at <= now) throw new AppError('apology_too_late');
    if (!(newDueAt > d.due_at)) throw new AppError('apology_date_invalid');
    await trx
      .updateTable('dossier')
      .set({
        original_due_at: d.due_at,
        due_at: newDueAt,
        apology_at: now,
        escalated_at: null,
        warned_at: null,
        revision: d.revision + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await repo.appendEvent(trx, id, {
      actorId: actor.accountId,
      actorRole: actor.roles.find((g) => g.unitId === (step?.unitId ?? d.unit_id))?.role ?? 'leader',
      action: 'apologize',
      from: d.status,
      to: d.status,
      note: why,
      at: now,
      data: { originalDueAt: d.due_at, dueAt: newDueAt },
    });
    await dossiers.deps.notify(
      trx,
      { id, code: d.code, ownerId: d.owner_id, locale: d.locale, applicant: d.applicant as Applicant },
      'dossier.delayed',
      {
        procedure: d.locale === 'en' ? d.procedure_en : d.procedure_vi,
        unit: d.locale === 'en' ? d.unit_en : d.unit_vi,
        reason: why,
        dueDate: formatVn(newDueAt, d.locale),
      },
    );
    return { dueAt: newDueAt, revision: d.revision + 1 };
  });
}

function canSee(actor: Actor, d: repo.DossierRow) {
  return actor.roles.some((g) => d.unit_path === g.unitPath || d.unit_path.startsWith(`${g.unitPath}.`));
}

/**
 * The deadline sweep, run periodically: officials holding a dossier due within a day are warned
 * once; an overdue dossier is escalated once to the leaders of the unit holding it (and its holder
 * told). Rows are claimed with SKIP LOCKED and marked in the same statement, so two processes
 * never warn twice.
 */
export async function sweepDeadlines(db: Kysely<DB>, baseUrl: string, now = new Date(), batch = 500) {
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  const open = [STATUS.received, STATUS.processing] as number[];
  return db.transaction().execute(async (trx) => {
    const warned = await sql<Claimed>`
      update dossier d set warned_at = ${now}
      where d.id in (
        select id from dossier where step_unit_id is not null and warned_at is null and escalated_at is null
          and due_at >= ${now} and due_at < ${soon} and status = any(${open})
        order by due_at limit ${batch} for update skip locked)
      returning d.id, d.code, d.due_at, d.step_unit_id, d.step_role, d.assignee_id, d.procedure_id`.execute(trx);
    const escalated = await sql<Claimed>`
      update dossier d set escalated_at = ${now}
      where d.id in (
        select id from dossier where step_unit_id is not null and escalated_at is null
          and due_at < ${now} and status = any(${open})
        order by due_at limit ${batch} for update skip locked)
      returning d.id, d.code, d.due_at, d.step_unit_id, d.step_role, d.assignee_id, d.procedure_id`.execute(trx);
    let messages = 0;
    const tell = async (
      accountId: number,
      locale: 'vi' | 'en',
      template: 'work.due_soon' | 'work.overdue' | 'work.escalated',
      c: Claimed,
      holder = '',
    ) => {
      const names = await trx
        .selectFrom(['procedure as p', 'unit as u'])
        .select(['p.name_vi', 'p.name_en', 'u.name_vi as unit_vi', 'u.name_en as unit_en'])
        .where('p.id', '=', c.procedure_id)
        .where('u.id', '=', c.step_unit_id)
        .executeTakeFirstOrThrow();
      await notify(
        trx,
        {
          template,
          locale,
          params: {
            code: c.code,
            procedure: locale === 'en' ? names.name_en : names.name_vi,
            unit: locale === 'en' ? names.unit_en : names.unit_vi,
            dueDate: formatVn(c.due_at, locale),
            link: `${baseUrl}/work/dossiers/${c.id}`,
            holder,
          },
          accountId,
          dossierId: c.id,
          email: null,
          phone: null,
        },
        { email: false, sms: false },
      );
      messages++;
    };
    for (const c of warned.rows) for (const a of await holders(trx, c)) await tell(a.id, a.locale, 'work.due_soon', c);
    for (const c of escalated.rows) {
      const hs = await holders(trx, c);
      for (const a of hs) await tell(a.id, a.locale, 'work.overdue', c);
      const leaders = await trx
        .selectFrom('role_assignment as r')
        .innerJoin('account as a', 'a.id', 'r.account_id')
        .select(['a.id', 'a.locale'])
        .where('r.unit_id', '=', c.step_unit_id)
        .where('r.role', '=', 'leader')
        .where('a.disabled_at', 'is', null)
        .execute();
      const holderName = c.assignee_id ? hs.map((h) => h.full_name).join(', ') : '-';
      for (const a of leaders) await tell(a.id, a.locale, 'work.escalated', c, holderName);
    }
    return { warned: warned.rows.length, escalated: escalated.rows.length, messages };
  });
}

interface Claimed {
  id: number;
  code: string;
  due_at: Date;
  step_unit_id: number;
  step_role: string;
  assignee_id: number | null;
  procedure_id: number;
}

/** Who holds a dossier: its assignee, or everyone with the step's role in the step's unit. */
async function holders(trx: Kysely<DB>, c: Claimed) {
  const q = trx.selectFrom('account as a').select(['a.id', 'a.locale', 'a.full_name']).where('a.disabled_at', 'is', null);
  if (c.assignee_id) return q.where('a.id', '=', c.assignee_id).execute();
  return q
    .innerJoin('role_assignment as r', 'r.account_id', 'a.id')
    .where('r.unit_id', '=', c.step_unit_id)
    .where('r.role', '=', c.step_role as 'specialist')
    .execute();
}
