import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { checkForm, type FieldDef } from '../../domain/dossier/form.js';
import { computeFee } from '../../domain/dossier/fees.js';
import { AWAITING_DESK, STATUS, canApply, nextStatus } from '../../domain/dossier/status.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { formatVnd } from '../../lib/money.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import * as repo from './dossier.repo.js';
import { storeUpload } from './dossier.uploads.js';
import { openStep, stepColumns } from '../processing/processing.service.js';
import { resumeAfterSupplement } from '../processing/processing.resume.js';
import { freezeWorkflow, stepDueAt } from '../processing/workflow.resolve.js';
import { startState } from '../../domain/workflow/workflow.js';
import { appointment, checkApplicant, findOffer, type Offer } from './dossier.rules.js';
import type { Applicant, ApplicantInput } from './dossier.schema.js';
import { timeLimitOf, type DossierService, type UploadedFile } from './dossier.service.js';

export const DESK_ROLES = ['desk_officer'] as const;

export interface QueueFilter {
  unitCode?: string | undefined;
  procedure?: string | undefined;
  status?: 1 | 5 | undefined;
  limit?: number | undefined;
}

export interface WalkInInput {
  procedure: string;
  unit: string;
  applicant: ApplicantInput;
  form: Record<string, unknown>;
  exemption: string | null;
  /** Document items brought on paper; scans are attached afterwards like uploads. */
  paperItems: number[];
  channel: 1 | 3;
  /** The applicant's language for the papers and messages (bilingual forms when English). */
  locale?: 'vi' | 'en';
}

type Pause = { from: string; to: string | null };

/** The one-stop desk: reception queue, walk-in registration, and the receive / supplement / refuse decisions. */
export class DeskService {
  constructor(private readonly dossiers: DossierService) {}

  private get db() {
    return this.dossiers.db;
  }

  /** Units where the actor works the desk. */
  deskUnits(actor: Actor) {
    return actor.roles.filter((g) => (DESK_ROLES as readonly string[]).includes(g.role));
  }

  async queue(actor: Actor, f: QueueFilter) {
    const grants = this.deskUnits(actor).filter((g) => !f.unitCode || g.unitCode === f.unitCode);
    if (grants.length === 0) throw new AppError('forbidden');
    // The desk of a unit covers its subtree (ltree containment).
    let q = repo
      .dossierQuery(this.db)
      .where((eb) => eb.or(grants.map((g) => sql<boolean>`${eb.ref('u.path')} <@ ${g.unitPath}::ltree`)))
      .where('d.status', 'in', f.status ? [f.status] : [...AWAITING_DESK]);
    if (f.procedure) q = q.where('p.code', '=', f.procedure);
    return q
      .orderBy('d.submitted_at')
      .limit(f.limit ?? 200)
      .execute();
  }

  private async lockForDesk(trx: Transaction<DB>, actor: Actor, id: number, revision: number | null) {
    const d = await repo.findDossier(trx, id, true);
    assertUnitScope(actor, d.unit_path, DESK_ROLES);
    if (revision !== null && d.revision !== revision) throw new AppError('dossier_conflict');
    return d;
  }

  /** Registers a dossier brought to the desk (or by post): it gets its code at once and then a decision. */
  async walkIn(actor: Actor, input: WalkInInput): Promise<{ id: number; code: string }> {
    const offer = await findOffer(this.db, input.procedure, input.unit, input.channel);
    assertUnitScope(actor, offer.unitPath, DESK_ROLES);
    const isWard = await this.dossiers.wardCheck();
    const { applicant, errors: aErrors } = checkApplicant(input.applicant, false, isWard);
    if (!applicant.citizenId && !aErrors['applicant.citizenId']) aErrors['applicant.citizenId'] = 'field_required';
    // At the desk the officer types what the paper form says; missing answers are on the paper.
    const form = checkForm(offer.content.form as FieldDef[], input.form, { draft: true, isWard });
    const errors = { ...form.errors, ...aErrors } as Record<string, ErrorCode>;
    if (Object.keys(errors).length > 0) throw new AppError('form_invalid', {}, errors);
    for (const i of input.paperItems) if (i < -1 || i >= offer.content.documents.length) throw new AppError('unknown_document_item');
    const now = new Date();
    const code = await repo.allocateCode(this.db, offer.agencyCode, todayInVietnam(now));
    const fee = computeFee(offer.content.fee, form.values, input.exemption, input.channel);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('dossier')
        .values({
          code,
          status: STATUS.submitted,
          unit_id: offer.unitId,
          procedure_id: offer.procedureId,
          procedure_version_id: offer.versionId,
          channel: input.channel,
          owner_id: null,
          created_by: actor.accountId,
          assisted: JSON.stringify({ by: 'desk' }),
          ...repo.personalColumns(applicant, { defs: offer.content.form as FieldDef[], values: form.values }),
          fee_amount: fee.amount,
          fee_basis: JSON.stringify(fee.basis),
          submitted_at: now,
          locale: input.locale ?? 'vi',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.paperItems.length) {
        await trx
          .insertInto('dossier_document')
          .values([...new Set(input.paperItems)].map((item) => ({ dossier_id: row.id, item, paper: true, uploaded_by: actor.accountId })))
          .execute();
      }
      await repo.appendEvent(trx, row.id, {
        actorId: actor.accountId,
        actorRole: 'desk_officer',
        action: 'register',
        from: null,
        to: STATUS.submitted,
        at: now,
        data: { channel: input.channel },
      });
      return { id: row.id, code };
    });
  }

  /** Marks further documents as brought on paper (walk-in, or a supplement brought to the desk). */
  async markPaper(actor: Actor, id: number, items: number[]) {
    await this.db.transaction().execute(async (trx) => {
      const d = await this.lockForDesk(trx, actor, id, null);
      if (!AWAITING_DESK.includes(d.status as 1 | 5)) throw new AppError('invalid_transition');
      const docs = (d.content as Offer['content']).documents;
      for (const i of items) if (i < -1 || i >= docs.length) throw new AppError('unknown_document_item');
      const round = d.status === STATUS.supplement ? await repo.openSupplementRound(trx, id, false) : 0;
      await trx
        .insertInto('dossier_document')
        .values([...new Set(items)].map((item) => ({ dossier_id: id, item, paper: true, round, uploaded_by: actor.accountId })))
        .execute();
      await trx
        .updateTable('dossier')
        .set({ revision: d.revision + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    });
  }

  /** A scan made at the desk (walk-in papers, or a supplement brought in), attached like an upload. */
  async attachScan(actor: Actor, id: number, item: number, file: UploadedFile): Promise<number> {
    const pre = await repo.findDossier(this.db, id);
    assertUnitScope(actor, pre.unit_path, DESK_ROLES);
    const docs = (pre.content as Offer['content']).documents;
    if (item < -1 || item >= docs.length) throw new AppError('unknown_document_item');
    const stored = await storeUpload(this.dossiers, file);
    return this.db.transaction().execute(async (trx) => {
      const d = await this.lockForDesk(trx, actor, id, null);
      if (!AWAITING_DESK.includes(d.status as 1 | 5)) throw new AppError('invalid_transition');
      const round = d.status === STATUS.supplement ? await repo.openSupplementRound(trx, id, false) : 0;
      return repo.addFileDocument(trx, d, { ...stored, item, round, uploadedBy: actor.accountId });
    });
  }

  /** Receives a complete dossier: the appointment from the deadline engine, status 2 (or 6 while the fee is unpaid). */
  async receive(actor: Actor, id: number, revision: number | null, note: string | null) {
    // The calendar is read before the transaction: on the embedded engine a query outside the
    // transaction would wait for the one connection the transaction holds.
    const pre = await repo.findDossier(this.db, id);
    assertUnitScope(actor, pre.unit_path, DESK_ROLES);
    // A supplement asked for during processing: receiving it restarts the clock and the step that asked.
    if (pre.status === STATUS.supplement && pre.workflow) return resumeAfterSupplement(this.dossiers, actor, pre, revision, note);
    const now = new Date();
    const dueAt = await appointment(this.dossiers.deps.calendar, pre.unit_code, timeLimitOf(pre), now);
    const wf = await freezeWorkflow(this.db, pre);
    const first = wf.steps[0]!;
    const firstDue = await stepDueAt(this.dossiers.deps.calendar, first.unitCode, first.allowance, now);
    return this.db.transaction().execute(async (trx) => {
      const d = await this.lockForDesk(trx, actor, id, revision);
      if (!canApply('receive', d.status)) throw new AppError('invalid_transition');
      const paid = await this.dossiers.paidAmount(id, trx);
      const outstanding = d.fee_amount !== null && d.fee_amount > paid;
      const to = nextStatus('receive', d.status, outstanding);
      const flow = startState(outstanding);
      await repo.closeSupplements(trx, id, now);
      await trx
        .updateTable('dossier')
        .set({
          status: to,
          received_at: now,
          due_at: dueAt,
          revision: d.revision + 1,
          updated_at: now,
          workflow: JSON.stringify(wf),
          step_index: flow.step,
          held_status: flow.held,
          ...stepColumns(first, now, firstDue),
        })
        .where('id', '=', id)
        .execute();
      await openStep(trx, id, 0, first, now, firstDue);
      await repo.appendEvent(trx, id, {
        actorId: actor.accountId,
        actorRole: 'desk_officer',
        action: 'receive',
        from: d.status,
        to,
        note,
        at: now,
        data: { dueAt },
      });
      if (to === STATUS.awaitingPayment) {
        await this.tell(trx, d, 'dossier.payment_required', { amount: formatVnd((d.fee_amount ?? 0) - paid, d.locale) });
      } else {
        await this.tell(trx, d, 'dossier.received', { dueDate: dueAt ? formatVn(dueAt, d.locale) : '' });
      }
      return { status: to, dueAt };
    });
  }

  /** Form 02: every missing or incorrect document with its reason, at once; the clock stops if it was running. */
  async requestSupplement(
    actor: Actor,
    id: number,
    revision: number | null,
    items: { item: number; reason: string }[],
    note: string | null,
  ) {
    const clean = items.map((x) => ({ item: x.item, reason: x.reason.trim().slice(0, 500) })).filter((x) => x.reason);
    if (clean.length === 0) throw new AppError('supplement_items_required');
    return this.db.transaction().execute(async (trx) => {
      const d = await this.lockForDesk(trx, actor, id, revision);
      if (!canApply('request_supplement', d.status)) throw new AppError('invalid_transition');
      const docs = (d.content as Offer['content']).documents;
      for (const x of clean) if (x.item < -1 || x.item >= docs.length) throw new AppError('unknown_document_item');
      const now = new Date();
      await repo.closeSupplements(trx, id, now);
      const last = await trx
        .selectFrom('dossier_supplement')
        .select('round')
        .where('dossier_id', '=', id)
        .orderBy('round', 'desc')
        .executeTakeFirst();
      const round = (last?.round ?? 0) + 1;
      await trx
        .insertInto('dossier_supplement')
        .values({ dossier_id: id, round, requested_by: actor.accountId, items: JSON.stringify(clean), note })
        .execute();
      const pauses = (d.pauses as Pause[]) ?? [];
      // Before reception the clock has not started; afterwards the wait does not count.
      if (d.received_at && !pauses.some((p) => p.to === null)) pauses.push({ from: now.toISOString(), to: null });
      await trx
        .updateTable('dossier')
        .set({ status: STATUS.supplement, pauses: JSON.stringify(pauses), revision: d.revision + 1, updated_at: now })
        .where('id', '=', id)
        .execute();
      await repo.appendEvent(trx, id, {
        actorId: actor.accountId,
        actorRole: 'desk_officer',
        action: 'request_supplement',
        from: d.status,
        to: STATUS.supplement,
        note,
        at: now,
        data: { round, items: clean },
      });
      const names = clean.map((x) => (x.item === -1 ? x.reason : docs[x.item]!.name[d.locale] || docs[x.item]!.name.vi)).join('; ');
      await this.tell(trx, d, 'dossier.supplement_requested', { reason: names });
      return { round };
    });
  }

  /** Form 03: refusal with the legal reason; the dossier ends here. */
  async refuse(actor: Actor, id: number, revision: number | null, reason: string, legalBasis: string | null) {
    const why = reason.trim().slice(0, 2000);
    if (!why) throw new AppError('reason_required');
    return this.db.transaction().execute(async (trx) => {
      const d = await this.lockForDesk(trx, actor, id, revision);
      if (!canApply('refuse', d.status)) throw new AppError('invalid_transition');
      const now = new Date();
      await repo.closeSupplements(trx, id, now);
      await trx
        .updateTable('dossier')
        .set({ status: STATUS.refused, finished_at: now, revision: d.revision + 1, updated_at: now })
        .where('id', '=', id)
        .execute();
      await repo.appendEvent(trx, id, {
        actorId: actor.accountId,
        actorRole: 'desk_officer',
        action: 'refuse',
        from: d.status,
        to: STATUS.refused,
        note: why,
        at: now,
        data: { legalBasis },
      });
      await this.tell(trx, d, 'dossier.refused', { reason: why });
    });
  }

  async supplements(id: number) {
    return this.db.selectFrom('dossier_supplement').selectAll().where('dossier_id', '=', id).orderBy('round').execute();
  }

  /** Form 06, the desk register: every dossier the unit's desk registered in a period. */
  async register(
    actor: Actor,
    f: { unitCode: string; from: string; to: string; procedure?: string | undefined; status?: number | undefined; limit?: number },
  ) {
    const unit = await this.db.selectFrom('unit').select(['path']).where('code', '=', f.unitCode).executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    assertUnitScope(actor, unit.path, ['desk_officer', 'leader', 'unit_admin', 'city_admin']);
    let q = repo
      .dossierQuery(this.db)
      .where('u.code', '=', f.unitCode)
      .where('d.submitted_at', '>=', new Date(`${f.from}T00:00:00+07:00`))
      .where('d.submitted_at', '<', new Date(new Date(`${f.to}T00:00:00+07:00`).getTime() + 86_400_000));
    if (f.procedure) q = q.where('p.code', '=', f.procedure);
    if (f.status) q = q.where('d.status', '=', f.status);
    return q
      .orderBy('d.submitted_at')
      .orderBy('d.id')
      .limit(f.limit ?? 5000)
      .execute();
  }

  private tell(trx: Transaction<DB>, d: repo.DossierRow, template: string, params: Record<string, string>) {
    return this.dossiers.deps.notify(
      trx,
      { id: d.id, code: d.code, ownerId: d.owner_id, locale: d.locale, applicant: d.applicant as Applicant },
      template,
      {
        code: d.code ?? '',
        procedure: d.locale === 'en' ? d.procedure_en : d.procedure_vi,
        unit: d.locale === 'en' ? d.unit_en : d.unit_vi,
        ...params,
      },
    );
  }
}

export function formatVn(d: Date, locale: 'vi' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hourCycle: 'h23',
  }).format(d);
}
