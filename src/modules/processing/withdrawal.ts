import { transition, WorkflowError, type FrozenWorkflow } from '../../domain/workflow/workflow.js';
import type { StatusCode } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../auth/policy.js';
import * as repo from '../dossiers/dossier.repo.js';
import type { DossierService } from '../dossiers/dossier.service.js';

/** The applicant asks to withdraw (status 7); the receiving unit accepts (8) or declines (back to where it was). */
export async function requestWithdrawal(dossiers: DossierService, actor: Actor, id: number, revision: number, reason: string) {
  const why = reason.trim().slice(0, 2000);
  const now = new Date();
  return dossiers.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, id, true);
    if (d.owner_id !== actor.accountId && d.created_by !== actor.accountId) throw new AppError('dossier_not_found');
    // Only the owner learns that a reason is missing: another caller must not tell the dossier exists.
    if (!why) throw new AppError('reason_required');
    if (d.revision !== revision) throw new AppError('dossier_conflict');
    if (d.status === null) throw new AppError('invalid_transition');
    const kinds = ((d.workflow as FrozenWorkflow | null)?.steps ?? []).map((s) => s.kind);
    let next;
    try {
      next = transition(
        kinds,
        { status: d.status as StatusCode, step: d.step_index, held: d.held_status as StatusCode | null },
        'withdraw_request',
      );
    } catch (e) {
      if (e instanceof WorkflowError) throw new AppError('invalid_transition');
      throw e;
    }
    await trx
      .updateTable('dossier')
      .set({ status: next.status, held_status: next.held, revision: d.revision + 1, updated_at: now })
      .where('id', '=', id)
      .execute();
    await repo.appendEvent(trx, id, {
      actorId: actor.accountId,
      actorRole: 'applicant',
      action: 'withdraw_request',
      from: d.status,
      to: next.status,
      note: why,
      at: now,
    });
    return { status: next.status, revision: d.revision + 1 };
  });
}
