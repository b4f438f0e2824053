import { STATUS } from '../../domain/dossier/status.js';
import type { FrozenWorkflow } from '../../domain/workflow/workflow.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../auth/policy.js';
import * as repo from '../dossiers/dossier.repo.js';
import type { DossierService, UploadedFile } from '../dossiers/dossier.service.js';
import { storeUpload } from '../dossiers/dossier.uploads.js';
import { canSeeDossier, isOfficialAt } from './processing.access.js';

/**
 * A document an official adds while processing (an appraisal, a verification record), passed on
 * with the dossier: the officials of the unit holding the step may attach while it is being worked.
 */
export async function attachWorkDocument(dossiers: DossierService, actor: Actor, id: number, file: UploadedFile): Promise<number> {
  const pre = await repo.findDossier(dossiers.db, id);
  if (!canSeeDossier(actor, pre)) throw new AppError('dossier_not_found');
  const wf = pre.workflow as FrozenWorkflow | null;
  const step = wf && pre.step_index !== null ? wf.steps[pre.step_index]! : null;
  if (!step || !isOfficialAt(actor, step.unitId, ['specialist', 'leader', 'desk_officer'])) throw new AppError('forbidden');
  const stored = await storeUpload(dossiers, file);
  const now = new Date();
  return dossiers.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, id, true);
    if (d.step_index !== pre.step_index || (d.status !== STATUS.received && d.status !== STATUS.processing)) {
      throw new AppError('invalid_transition');
    }
    const docId = await repo.addFileDocument(trx, d, { ...stored, item: -1, round: 0, uploadedBy: actor.accountId });
    await repo.appendEvent(trx, id, {
      actorId: actor.accountId,
      actorRole: step.role,
      action: 'attach',
      from: d.status,
      to: d.status,
      at: now,
      data: { documentId: docId, name: stored.name, step: pre.step_index },
    });
    return docId;
  });
}
