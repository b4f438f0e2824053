import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { TimeUnit } from '../../domain/calendar/deadline.js';
import { checkForm, type FieldDef, type FormValues } from '../../domain/dossier/form.js';
import { computeFee } from '../../domain/dossier/fees.js';
import { STATUS } from '../../domain/dossier/status.js';
import { isValidCitizenId } from '../../domain/identity.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { type FileStore } from '../../lib/storage.js';
import type { Actor } from '../auth/policy.js';
import { canSeeDossier } from '../processing/processing.access.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { todayInVietnam } from '../units/units.service.js';
import * as repo from './dossier.repo.js';
import { appointment, checkApplicant, checkChannel, loadOffer, onlineDossierColumns, type Offer } from './dossier.rules.js';
import type { Applicant, NewDossierBody, UpdateDraftBody } from './dossier.schema.js';
import { presentDossier } from './dossier.present.js';
import { submitNew, type SubmitResult } from './dossier.submit-new.js';
import * as uploads from './dossier.uploads.js';
import { decryptAccount } from '../../lib/pii-store.js';

/** Inside the transaction of a change: tells the applicant (inbox, e-mail, SMS) through the outbox. */
export type DossierNotifier = (
  trx: Transaction<DB>,
  d: { id: number; code: string | null; ownerId: number | null; locale: 'vi' | 'en'; applicant: Applicant },
  template: string,
  params: Record<string, string>,
) => Promise<void>;

export interface UploadedFile {
  bytes: Buffer;
  fileName: string;
  mimeType: string | undefined;
}

export interface DossierDeps {
  db: Kysely<DB>;
  calendar: CalendarService;
  files: FileStore;
  uploadMaxBytes: number;
  notify: DossierNotifier;
}

const WARD_CACHE_MS = 60_000;
// A unit admin's change to what the unit offers reaches submissions within this time.
const OFFER_CACHE_MS = 30_000;

export class DossierService {
  #wards: { at: number; set: Set<string> } | null = null;
  #offers = new Map<string, { at: number; offer: Promise<Offer> }>();
  constructor(readonly deps: DossierDeps) {}

  get db() {
    return this.deps.db;
  }

  async wardCheck(): Promise<(code: string) => boolean> {
    if (!this.#wards || Date.now() - this.#wards.at > WARD_CACHE_MS) {
      const rows = await this.db.selectFrom('unit').select('code').where('level', '=', 'commune').where('valid_to', 'is', null).execute();
      this.#wards = { at: Date.now(), set: new Set(rows.map((r) => r.code)) };
    }
    const set = this.#wards.set;
    return (code) => set.has(code);
  }

  /** The procedure version and terms a unit offers today, cached briefly: every submission needs them. */
  async offer(procedureCode: string, unitCode: string, channel: 1 | 2 | 3): Promise<Offer> {
    const key = `${procedureCode}|${unitCode}`;
    let hit = this.#offers.get(key);
    if (!hit || Date.now() - hit.at > OFFER_CACHE_MS) {
      if (this.#offers.size > 10_000) this.#offers.clear();
      hit = { at: Date.now(), offer: loadOffer(this.db, procedureCode, unitCode) };
      // A failed lookup (unknown code) is not kept.
      hit.offer.catch(() => this.#offers.delete(key));
      this.#offers.set(key, hit);
    }
    return checkChannel(await hit.offer, channel);
  }

  /** Who may see a dossier: its owner, whoever filed it, and officials whose unit covers it. */
  canView(actor: Actor | null, d: { owner_id: number | null; created_by: number; unit_path: string; workflow: unknown }): boolean {
    return canSeeDossier(actor, d);
  }

  async load(actor: Actor | null, id: number) {
    const d = await repo.findDossier(this.db, id);
    if (!this.canView(actor, d)) throw new AppError('dossier_not_found');
    return d;
  }

  async view(actor: Actor | null, id: number) {
    const d = await this.load(actor, id);
    const [documents, events, paid] = await Promise.all([
      repo.listDocuments(this.db, id),
      repo.listEvents(this.db, id),
      this.paidAmount(id),
    ]);
    const expected =
      d.status === null || d.status === STATUS.submitted || d.status === STATUS.supplement
        ? await appointment(this.deps.calendar, d.unit_code, timeLimitOf(d), new Date()).catch(() => null)
        : null;
    return presentDossier(d, documents, events, paid, expected);
  }

  async paidAmount(dossierId: number, db: Kysely<DB> | Transaction<DB> = this.db): Promise<number> {
    const r = await db
      .selectFrom('payment')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('paid'))
      .where('dossier_id', '=', dossierId)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow();
    return Number(r.paid);
  }

  async listMine(actor: Actor, limit = 50) {
    return repo
      .dossierQuery(this.db)
      .where((eb) => eb.or([eb('d.owner_id', '=', actor.accountId), eb('d.created_by', '=', actor.accountId)]))
      .orderBy('d.updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** A new draft for the actor (for themselves, or for someone else when `onBehalf` is given). */
  async createDraft(actor: Actor, body: NewDossierBody): Promise<number> {
    const offer = await this.offer(body.procedure, body.unit, 2);
    const isWard = await this.wardCheck();
    const self = !body.onBehalf;
    const account = decryptAccount(
      await this.db
        .selectFrom('account')
        .select(['full_name', 'citizen_id', 'phone', 'email', 'locale'])
        .where('id', '=', actor.accountId)
        .executeTakeFirstOrThrow(),
    );
    const applicantInput =
      body.applicant ??
      (self ? { name: account.full_name, citizenId: account.citizen_id, phone: account.phone, email: account.email } : undefined);
    const { applicant } = checkApplicant(applicantInput, true, isWard);
    if (self) {
      // Applying for oneself: the name and ID come from the account, not from the form.
      applicant.name = account.full_name;
      applicant.citizenId = account.citizen_id;
    }
    const form = checkForm(offer.content.form as FieldDef[], body.form ?? {}, { draft: true, isWard });
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('dossier')
        .values({
          ...onlineDossierColumns(offer, actor, body.onBehalf, applicant, form.values),
          fee_basis: JSON.stringify({ kind: 'draft', exemption: body.exemption ?? null }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await repo.appendEvent(trx, row.id, {
        actorId: actor.accountId,
        actorRole: actor.kind,
        action: 'draft_created',
        from: null,
        to: null,
      });
      return row.id;
    });
  }

  async loadDraft(actor: Actor, id: number, trx?: Transaction<DB>) {
    const d = await repo.findDossier(trx ?? this.db, id, !!trx);
    if (d.created_by !== actor.accountId) throw new AppError('dossier_not_found');
    return d;
  }

  /** Saves what was typed, problems and all: a draft keeps everything (resumable on any device). */
  async saveDraft(actor: Actor, id: number, body: UpdateDraftBody) {
    const isWard = await this.wardCheck();
    return this.db.transaction().execute(async (trx) => {
      const d = await this.loadDraft(actor, id, trx);
      if (d.status !== null) throw new AppError('not_a_draft');
      const self = d.assisted === null;
      const prev = d.applicant as Applicant;
      const form = checkForm((d.content as Offer['content']).form as FieldDef[], body.form ?? (d.form_data as object), {
        draft: true,
        isWard,
      });
      const { applicant, errors } = checkApplicant(body.applicant ?? prev, true, isWard);
      if (self) {
        applicant.name = prev.name;
        applicant.citizenId = prev.citizenId;
      }
      const feeBasis = body.exemption !== undefined ? { kind: 'draft', exemption: body.exemption } : d.fee_basis;
      await trx
        .updateTable('dossier')
        .set({
          ...repo.personalColumns(applicant, { defs: (d.content as Offer['content']).form as FieldDef[], values: form.values }),
          fee_basis: JSON.stringify(feeBasis),
          revision: d.revision + 1,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      return { errors: { ...form.errors, ...errors } as Record<string, ErrorCode> };
    });
  }

  /** Everything that stops a draft from being submitted, per field; empty when it can go. */
  async problems(d: repo.DossierRow): Promise<{ errors: Record<string, ErrorCode>; missing: number[] }> {
    const isWard = await this.wardCheck();
    const content = d.content as Offer['content'];
    const form = checkForm(content.form as FieldDef[], d.form_data, { draft: false, isWard });
    const { errors } = checkApplicant(d.applicant as Applicant, false, isWard);
    const docs = await repo.listDocuments(this.db, d.id);
    const have = new Set(docs.map((x) => x.item));
    const missing = content.documents.flatMap((doc, i) => (doc.required !== false && !have.has(i) ? [i] : []));
    return { errors: { ...form.errors, ...errors } as Record<string, ErrorCode>, missing };
  }

  /**
   * Submits a draft: validation, code, first event and notification in one transaction. A second
   * submit of the same draft (double click, retry) returns the dossier already submitted.
   */
  async submit(actor: Actor, id: number, declaration: boolean): Promise<{ id: number; code: string; created: boolean }> {
    const d = await this.loadDraft(actor, id);
    if (d.status !== null) return { id, code: d.code!, created: false };
    if (!declaration) throw new AppError('declaration_required');
    const { errors, missing } = await this.problems(d);
    if (Object.keys(errors).length > 0) throw new AppError('form_invalid', {}, errors);
    if (missing.length > 0) {
      const content = d.content as Offer['content'];
      throw new AppError('documents_missing', {
        items: missing.map((i) => content.documents[i]!.name[actor.locale] || content.documents[i]!.name.vi).join('; '),
      });
    }
    const now = new Date();
    const code = await repo.allocateCode(this.db, d.unit_code, todayInVietnam(now));
    return this.db.transaction().execute(async (trx) => {
      const locked = await repo.findDossier(trx, id, true);
      if (locked.status !== null) return { id, code: locked.code!, created: false };
      if (locked.revision !== d.revision) throw new AppError('dossier_conflict');
      await this.finishSubmission(trx, actor, locked, code, now);
      return { id, code, created: true };
    });
  }

  private async finishSubmission(trx: Transaction<DB>, actor: Actor, d: repo.DossierRow, code: string, now: Date) {
    const content = d.content as Offer['content'];
    const draftBasis = (d.fee_basis ?? {}) as { exemption?: string | null };
    const fee = computeFee(content.fee, d.form_data as FormValues, draftBasis.exemption ?? null, 2);
    await trx
      .updateTable('dossier')
      .set({
        code,
        status: STATUS.submitted,
        submitted_at: now,
        fee_amount: fee.amount,
        fee_basis: JSON.stringify(fee.basis),
        revision: d.revision + 1,
        updated_at: now,
      })
      .where('id', '=', d.id)
      .execute();
    await repo.appendEvent(trx, d.id, {
      actorId: actor.accountId,
      actorRole: actor.kind,
      action: 'submit',
      from: null,
      to: STATUS.submitted,
      at: now,
    });
    const applicant = d.applicant as Applicant;
    await this.deps.notify(trx, { id: d.id, code, ownerId: d.owner_id ?? d.created_by, locale: d.locale, applicant }, 'dossier.submitted', {
      code,
      procedure: d.locale === 'en' ? d.procedure_en : d.procedure_vi,
      unit: d.locale === 'en' ? d.unit_en : d.unit_vi,
    });
  }

  /** The applicant takes a dossier filed for them (by a relative or at the desk) into their account. */
  async claim(actor: Actor, code: string): Promise<number> {
    const account = decryptAccount(
      await this.db.selectFrom('account').select(['citizen_id']).where('id', '=', actor.accountId).executeTakeFirstOrThrow(),
    );
    return this.db.transaction().execute(async (trx) => {
      const d = await repo.findByCode(trx, code);
      if (!d || !account.citizen_id || !isValidCitizenId(account.citizen_id) || d.applicant_citizen_id !== account.citizen_id)
        throw new AppError('claim_not_allowed');
      if (d.owner_id === actor.accountId) return d.id;
      if (d.owner_id !== null) throw new AppError('claim_not_allowed');
      await trx
        .updateTable('dossier')
        .set({ owner_id: actor.accountId, revision: d.revision + 1, updated_at: new Date() })
        .where('id', '=', d.id)
        .where('owner_id', 'is', null)
        .execute();
      await repo.appendEvent(trx, d.id, { actorId: actor.accountId, actorRole: actor.kind, action: 'claim', from: d.status, to: d.status });
      return d.id;
    });
  }

  attach(actor: Actor, id: number, item: number, file: UploadedFile): Promise<number> {
    return uploads.attach(this, actor, id, item, file);
  }

  removeDocument(actor: Actor, id: number, documentId: number): Promise<void> {
    return uploads.removeDocument(this, actor, id, documentId);
  }

  provideSupplement(actor: Actor, id: number, note: string | null): Promise<void> {
    return uploads.provideSupplement(this, actor, id, note);
  }

  /**
   * The API's one-call submission: create, attach already uploaded files and submit, in one
   * transaction. The same idempotency key from the same account returns the first dossier.
   */
  submitNew(actor: Actor, body: NewDossierBody, idempotencyKey: string | null): Promise<SubmitResult> {
    return submitNew(this, actor, body, idempotencyKey);
  }

  async file(actor: Actor | null, id: number, documentId: number) {
    const d = await this.load(actor, id);
    const doc = await this.db
      .selectFrom('dossier_document')
      .select(['file_sha256', 'file_name', 'media_type'])
      .where('id', '=', documentId)
      .where('dossier_id', '=', d.id)
      .executeTakeFirst();
    if (!doc?.file_sha256) throw new AppError('not_found');
    return {
      bytes: await this.deps.files.get(doc.file_sha256),
      name: doc.file_name ?? 'document',
      mediaType: doc.media_type ?? 'application/octet-stream',
    };
  }
}

export function timeLimitOf(d: {
  time_limit_amount: number | null;
  time_limit_unit: string | null;
}): { amount: number; unit: TimeUnit } | null {
  return d.time_limit_amount === null || d.time_limit_unit === null
    ? null
    : { amount: d.time_limit_amount, unit: d.time_limit_unit as TimeUnit };
}
