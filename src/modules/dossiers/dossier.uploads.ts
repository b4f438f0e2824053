import { STATUS, canApply } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';
import { checkUpload } from '../../lib/storage.js';
import type { Actor } from '../auth/policy.js';
import * as repo from './dossier.repo.js';
import type { Offer } from './dossier.rules.js';
import type { DossierService, UploadedFile } from './dossier.service.js';

// Documents of a dossier: attached to a draft, or to an open supplement request.

/** Stores an upload by content and attaches it to a draft's document item (or a supplement round). */
export async function attach(svc: DossierService, actor: Actor, id: number, item: number, file: UploadedFile): Promise<number> {
  const d = await svc.loadDraft(actor, id).catch(async (e) => {
    const row = await repo.findDossier(svc.db, id).catch(() => null);
    if (row && row.owner_id === actor.accountId) return row;
    throw e;
  });
  const supplementing = d.status === STATUS.supplement;
  if (d.status !== null && !supplementing) throw new AppError('not_a_draft');
  const docs = (d.content as Offer['content']).documents;
  if (item !== -1 && (item < 0 || item >= docs.length)) throw new AppError('unknown_document_item');
  const stored = await storeUpload(svc, file);
  return svc.db.transaction().execute(async (trx) => {
    const locked = await repo.findDossier(trx, id, true);
    if (locked.status !== d.status) throw new AppError('dossier_conflict');
    const round = supplementing ? await repo.openSupplementRound(trx, id, true) : 0;
    return repo.addFileDocument(trx, locked, { ...stored, item, round, uploadedBy: actor.accountId });
  });
}

export async function removeDocument(svc: DossierService, actor: Actor, id: number, documentId: number) {
  await svc.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, id, true);
    if (d.created_by !== actor.accountId && d.owner_id !== actor.accountId) throw new AppError('dossier_not_found');
    const doc = await trx
      .selectFrom('dossier_document')
      .select(['round'])
      .where('id', '=', documentId)
      .where('dossier_id', '=', id)
      .executeTakeFirst();
    if (!doc) throw new AppError('not_found');
    // Only what is not yet handed in can be removed: a draft's files, or an open supplement's.
    const editable =
      d.status === null ||
      (d.status === STATUS.supplement && doc.round > 0 && (await repo.openSupplementRound(trx, id, true)) === doc.round);
    if (!editable) throw new AppError('not_a_draft');
    await trx.deleteFrom('dossier_document').where('id', '=', documentId).execute();
  });
}

/** The applicant says the supplement is complete (files uploaded for the open round, or papers to bring). */
export async function provideSupplement(svc: DossierService, actor: Actor, id: number, note: string | null) {
  await svc.db.transaction().execute(async (trx) => {
    const d = await repo.findDossier(trx, id, true);
    if (d.owner_id !== actor.accountId && d.created_by !== actor.accountId) throw new AppError('dossier_not_found');
    if (!canApply('provide_supplement', d.status)) throw new AppError('invalid_transition');
    const round = await repo.openSupplementRound(trx, id, true);
    const uploaded = await trx
      .selectFrom('dossier_document')
      .select('id')
      .where('dossier_id', '=', id)
      .where('round', '=', round)
      .executeTakeFirst();
    if (!uploaded) throw new AppError('supplement_empty');
    await trx
      .updateTable('dossier_supplement')
      .set({ provided_at: new Date() })
      .where('dossier_id', '=', id)
      .where('round', '=', round)
      .execute();
    await trx
      .updateTable('dossier')
      .set({ revision: d.revision + 1, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await repo.appendEvent(trx, id, {
      actorId: actor.accountId,
      actorRole: actor.kind,
      action: 'provide_supplement',
      from: d.status,
      to: d.status,
      note,
      data: { round },
    });
  });
}

/** Checks an upload by its content and stores its bytes (before any transaction: disk writes are slow). */
export async function storeUpload(svc: DossierService, file: UploadedFile) {
  const { name, mediaType } = checkUpload(file.bytes, file.fileName, file.mimeType, svc.deps.uploadMaxBytes);
  return { sha256: await svc.deps.files.put(file.bytes), name, mediaType, size: file.bytes.length };
}
