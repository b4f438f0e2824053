import { AppError } from '../../lib/errors.js';
import { sendStoredFile } from '../../web/download.js';
import { formText, idParam } from '../../web/page-params.js';
import type { App } from '../../web/request-context.js';
import { policies, type Actor } from '../auth/policy.js';
import type { DossierRow } from '../dossiers/dossier.repo.js';
import type { CitizenProcessing } from './citizen.views.js';
import { requestWithdrawal } from './withdrawal.js';

const hide = { hide: true };
const WITHDRAWABLE = [1, 2, 4, 5, 6];

/** What the applicant's dossier page shows of processing. */
export async function citizenProcessing(app: App, actor: Actor | null, d: DossierRow): Promise<CitizenProcessing> {
  const r = await app.services.results.latest(app.services.dossiers.db, d.id);
  const applicant = !!actor && actor.kind !== 'official' && (d.owner_id === actor.accountId || d.created_by === actor.accountId);
  return {
    id: d.id,
    status: d.status,
    revision: d.revision,
    dueAt: d.due_at,
    originalDueAt: d.original_due_at,
    apologyAt: d.apology_at,
    returnedAt: d.returned_at,
    result: r ? { kind: r.kind, medium: r.medium, verify_token: r.verify_token, file_sha256: r.file_sha256 } : null,
    canWithdraw: applicant && WITHDRAWABLE.includes(d.status ?? 0),
  };
}

export async function citizenProcessingRoutes(app: App) {
  const { processing, dossiers } = app.services;

  // The applicant's download of a ready electronic result is its online return (status 10).
  app.get('/dossiers/:id/result.pdf', { config: { policy: policies.authenticated }, schema: hide }, async (req, reply) => {
    const f = await processing.resultFile(req.actor!, idParam(req.params));
    return sendStoredFile(reply, f.bytes, `${f.kind === 'approval' ? 'ket-qua' : 'tu-choi'}-${f.code}.pdf`);
  });

  app.post('/dossiers/:id/withdraw', { config: { policy: policies.citizen }, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rev = formText(body, 'revision', 12);
    try {
      await requestWithdrawal(dossiers, req.actor!, id, /^\d{1,9}$/.test(rev) ? Number(rev) : -1, formText(body, 'reason'));
    } catch (e) {
      if (e instanceof AppError && ['reason_required', 'dossier_conflict', 'invalid_transition'].includes(e.code)) {
        return reply.redirect(`/dossiers/${id}?withdraw_error=${e.code}`, 303);
      }
      throw e;
    }
    return reply.redirect(`/dossiers/${id}?notice=withdrawal`, 303);
  });
}
