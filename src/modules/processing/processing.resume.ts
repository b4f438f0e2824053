import { transition, type FrozenWorkflow } from '../../domain/workflow/workflow.js';
import { STATUS, type StatusCode } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { formatVn } from '../dossiers/desk.service.js';
import * as repo from '../dossiers/dossier.repo.js';
import { appointment } from '../dossiers/dossier.rules.js';
import type { Applicant } from '../dossiers/dossier.schema.js';
import { timeLimitOf, type DossierService } from '../dossiers/dossier.service.js';
import { openStep, stepColumns } from './processing.service.js';
import { stepDueAt } from './workflow.resolve.js';

type Pause = { from: string; to: string | null };

/**
 * The desk receives the supplement asked for during processing: the pause ends, the appointment
 * moves by the paused time (pause subtracted, the national convention), and the step that asked
 * starts again with a fresh allowance.
 */
export async function resumeAfterSupplement(
  dossiers: DossierService,
  actor: Actor,
  pre: repo.DossierRow,
  revision: number | null,
  note: string | null,
) {
  assertUnitScope(actor, pre.unit_path, ['desk_officer']);
  const wf = pre.workflow as FrozenWorkflow;
  const next = transition(
    wf.steps.map((s) => s.kind),
    { status: pre.status as StatusCode, step: pre.step_index, held: pre.held_status as StatusCode | null },
    'resume',
  );
  const step = wf.steps[next.step!]!;
  const now = new Date();
  const { pauses, dueAt } = await endPause(dossiers, pre, now);
  const calendar = dossiers.deps.calendar;
  const stepDue = await stepDueAt(calendar, step.unitCode, step.allowance, now);
  return dossiers.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, pre.id, true);
    if ((revision !== null && d.revision !== revision) || d.revision !== pre.revision) throw new AppError('dossier_conflict');
    await repo.closeSupplements(trx, d.id, now);
    await trx
      .updateTable('dossier')
      .set({
        status: next.status,
        held_status: next.held,
        pauses: JSON.stringify(pauses),
        due_at: dueAt,
        revision: d.revision + 1,
        updated_at: now,
        ...stepColumns(step, now, stepDue),
        // The same step starts again: it stays with whoever was working it.
        assignee_id: d.assignee_id,
      })
      .where('id', '=', d.id)
      .execute();
    await openStep(trx, d.id, next.step!, step, now, stepDue, d.assignee_id);
    await repo.appendEvent(trx, d.id, {
      actorId: actor.accountId,
      actorRole: 'desk_officer',
      action: 'resume',
      from: STATUS.supplement,
      to: next.status,
      note,
      at: now,
      data: { dueAt, toStep: next.step },
    });
    await dossiers.deps.notify(
      trx,
      { id: d.id, code: d.code, ownerId: d.owner_id, locale: d.locale, applicant: d.applicant as Applicant },
      'dossier.received',
      {
        procedure: d.locale === 'en' ? d.procedure_en : d.procedure_vi,
        unit: d.locale === 'en' ? d.unit_en : d.unit_vi,
        dueDate: dueAt ? formatVn(dueAt, d.locale) : '',
      },
    );
    return { status: next.status as number, dueAt };
  });
}

/**
 * Ends the open pause at `now` and moves the appointment by the paused time (pause subtracted,
 * the national convention). Reads the calendar: call it before the transaction.
 */
export async function endPause(
  dossiers: DossierService,
  pre: repo.DossierRow,
  now: Date,
): Promise<{ pauses: Pause[]; dueAt: Date | null }> {
  const pauses = ((pre.pauses as Pause[]) ?? []).map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p));
  if (!pre.received_at) return { pauses, dueAt: pre.due_at };
  const recomputed = await appointment(
    dossiers.deps.calendar,
    pre.unit_code,
    timeLimitOf(pre),
    pre.received_at,
    pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null })),
  );
  // An apology (form 04) already moved the appointment: the pause never brings it earlier.
  const dueAt = recomputed && pre.due_at && pre.apology_at && pre.due_at > recomputed ? pre.due_at : recomputed;
  return { pauses, dueAt };
}
