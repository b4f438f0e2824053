import { sql } from 'kysely';
import type { FieldDef } from '../../domain/dossier/form.js';
import { checkForm } from '../../domain/dossier/form.js';
import { computeFee } from '../../domain/dossier/fees.js';
import { STATUS } from '../../domain/dossier/status.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import type { Actor } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import * as repo from './dossier.repo.js';
import { appointment, checkApplicant, onlineDossierColumns } from './dossier.rules.js';
import type { NewDossierBody } from './dossier.schema.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import type { DossierService } from './dossier.service.js';
import { decryptAccount } from '../../lib/pii-store.js';

export interface SubmitResult {
  id: number;
  code: string | null;
  created: boolean;
  /** When a dossier received now would be due; null for drafts, replays and procedures without a confirmed limit. */
  expectedDueAt: Date | null;
}

/**
 * The API's one-call submission: create, attach already uploaded files and submit, in one
 * transaction. The same idempotency key from the same account returns the first dossier.
 */
export async function submitNew(
  svc: DossierService,
  actor: Actor,
  body: NewDossierBody,
  idempotencyKey: string | null,
): Promise<SubmitResult> {
  const offer = await svc.offer(body.procedure, body.unit, 2);
  const isWard = await svc.wardCheck();
  const self = !body.onBehalf;
  if (body.submit && !body.declaration) throw new AppError('declaration_required');
  // One read for the account and for an earlier request with the same idempotency key.
  const pre = await svc.db
    .selectFrom('account as a')
    // Stored keys are never empty, so without a key the join finds nothing.
    .leftJoin('dossier as d', (j) => j.on('d.created_by', '=', actor.accountId).on('d.idempotency_key', '=', idempotencyKey ?? ''))
    .select(['a.full_name', 'a.citizen_id', 'a.phone', 'a.email', 'd.id as seen_id', 'd.code as seen_code'])
    .where('a.id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  if (pre.seen_id) return { id: pre.seen_id, code: pre.seen_code, created: false, expectedDueAt: null };
  const account = decryptAccount(pre);
  const input = self
    ? {
        name: account.full_name,
        citizenId: account.citizen_id,
        phone: body.applicant?.phone ?? account.phone,
        email: body.applicant?.email ?? account.email,
        address: body.applicant?.address ?? null,
      }
    : body.applicant;
  const draft = !body.submit;
  const { applicant, errors: aErrors } = checkApplicant(input, draft, isWard);
  const form = checkForm(offer.content.form as FieldDef[], body.form ?? {}, { draft, isWard });
  const errors = { ...form.errors, ...aErrors } as Record<string, ErrorCode>;
  if (Object.keys(errors).length > 0) throw new AppError('form_invalid', {}, errors);
  const docs = body.documents ?? [];
  for (const doc of docs) if (doc.item !== -1 && doc.item >= offer.content.documents.length) throw new AppError('unknown_document_item');
  if (body.submit) {
    const have = new Set(docs.map((x) => x.item));
    const missing = offer.content.documents.flatMap((doc, i) =>
      doc.required !== false && !have.has(i) ? [doc.name[actor.locale] || doc.name.vi] : [],
    );
    if (missing.length > 0) throw new AppError('documents_missing', { items: missing.join('; ') });
  }
  const now = new Date();
  const expectedDue = body.submit ? await appointment(svc.deps.calendar, offer.unitCode, offer.timeLimit, now) : null;
  const code = body.submit ? await repo.allocateCode(svc.db, offer.agencyCode, todayInVietnam(now)) : null;
  const fee = computeFee(offer.content.fee, form.values, body.exemption ?? null, 2);
  try {
    return await svc.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('dossier')
        .values({
          code,
          status: code ? STATUS.submitted : null,
          ...onlineDossierColumns(offer, actor, body.onBehalf, applicant, form.values),
          fee_amount: code ? fee.amount : null,
          fee_basis: JSON.stringify(code ? fee.basis : { kind: 'draft', exemption: body.exemption ?? null }),
          submitted_at: code ? now : null,
          idempotency_key: idempotencyKey,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (docs.length) {
        // Type and size come from the stored file; a reference to a file never uploaded inserts nothing.
        const values = sql.join(docs.map((x, i) => sql`(${i}::int, ${x.item}::int, ${x.sha256}::text, ${x.name}::text)`));
        const inserted = await sql`
          insert into dossier_document (dossier_id, item, file_sha256, file_name, media_type, size, uploaded_by)
          select ${row.id}, v.item, v.sha, v.name, sf.media_type, sf.size, ${actor.accountId}
          from (values ${values}) as v (ord, item, sha, name) join stored_file sf on sf.sha256 = v.sha
          order by v.ord
          returning 1`.execute(trx);
        if (inserted.rows.length !== docs.length) throw new AppError('file_not_uploaded');
      }
      await repo.appendEvent(trx, row.id, {
        actorId: actor.accountId,
        actorRole: actor.kind,
        action: code ? 'submit' : 'draft_created',
        from: null,
        to: code ? STATUS.submitted : null,
        at: now,
        first: true,
      });
      if (code) {
        await svc.deps.notify(
          trx,
          // Filed for someone else: the filer's inbox hears about it until the applicant claims it.
          { id: row.id, code, ownerId: actor.accountId, locale: actor.locale, applicant },
          'dossier.submitted',
          { procedure: offer.procedureName[actor.locale], unit: offer.unitName[actor.locale] },
        );
      }
      return { id: row.id, code, created: true, expectedDueAt: expectedDue };
    });
  } catch (e) {
    // Two requests with one key racing: the loser's insert hits the unique key; answer with the winner.
    if (idempotencyKey && isUniqueViolation(e)) {
      const seen = await svc.db
        .selectFrom('dossier')
        .select(['id', 'code'])
        .where('created_by', '=', actor.accountId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (seen) return { id: seen.id, code: seen.code, created: false, expectedDueAt: null };
    }
    throw e;
  }
}
