import type { Kysely, Transaction } from 'kysely';
import type { DB, FaqStatus, Role } from '../../db/types.js';
import { SearchIndex } from '../../domain/search-index.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import * as repo from './faq.repo.js';
import {
  FAQ_PAGE_SIZE,
  type FaqDetail,
  type FaqInput,
  type FaqOfficialQuery,
  type FaqPage,
  type FaqSearchQuery,
  type FaqText,
  type FromSource,
} from './faq.schema.js';

/** Who may write a unit's FAQ: its leaders and administrators, or a city administrator. */
export const FAQ_EDITORS: readonly Role[] = ['leader', 'unit_admin', 'city_admin'];

// Another instance may edit entries; rebuilding the index this often bounds the difference.
const INDEX_TTL_MS = 10_000;

const textOf = (t: FaqText) => (typeof t === 'string' ? { vi: t, en: null } : { vi: t.vi, en: t.en ?? null });
const blankToNull = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

/** The audit trail's view of an actor when the caller has no request at hand. */
export function actorContext(actor: Actor, unitId: number | null = null): AuditContext {
  const grant = actor.roles.find((g) => FAQ_EDITORS.includes(g.role));
  return { actorId: actor.accountId, actorRole: grant?.role ?? actor.kind, unitId: unitId ?? grant?.unitId ?? null, ip: null };
}

export class FaqService {
  #index: SearchIndex | null = null;
  #indexBuiltAt = 0;

  constructor(private readonly db: Kysely<DB>) {}

  /** Questions are ranked in memory like the catalogue (docs/decisions/0002): a few thousand entries fit easily. */
  private async index(): Promise<SearchIndex> {
    if (!this.#index || Date.now() - this.#indexBuiltAt > INDEX_TTL_MS) {
      const rows = await repo.indexRows(this.db);
      this.#index = new SearchIndex(
        rows.map((r) => ({
          id: r.id,
          code: `faq-${r.id}`,
          names: [r.question_vi, r.question_en].filter((n): n is string => !!n),
          summary: `${r.answer_vi} ${r.answer_en ?? ''}`,
        })),
      );
      this.#indexBuiltAt = Date.now();
    }
    return this.#index;
  }

  private changed() {
    this.#index = null;
  }

  private async unitByCode(db: Kysely<DB> | Transaction<DB>, code: string) {
    const u = await db.selectFrom('unit').select(['id', 'code', 'path']).where('code', '=', code).executeTakeFirst();
    if (!u) throw new AppError('unit_not_found');
    return u;
  }

  /** Published entries matching the words (without diacritics too) and filters, best first, a page at a time. */
  async search(q: FaqSearchQuery): Promise<FaqPage> {
    const page = q.page ?? 1;
    const filters: repo.Filters = {};
    if (q.unit) filters.unitPath = (await this.unitByCode(this.db, q.unit)).path;
    if (q.field) {
      const f = await this.db.selectFrom('field').select('code').where('code', '=', q.field).executeTakeFirst();
      if (!f) throw new AppError('field_not_found');
      filters.field = q.field;
    }
    if (q.procedure) {
      const p = await this.db.selectFrom('procedure').select('id').where('code', '=', q.procedure).executeTakeFirst();
      if (!p) throw new AppError('procedure_not_found');
      filters.procedureId = p.id;
    }
    const text = q.q?.trim();
    if (text) filters.ids = (await this.index()).search(text);
    const ids = await repo.publishedIds(this.db, filters);
    const slice = ids.slice((page - 1) * FAQ_PAGE_SIZE, page * FAQ_PAGE_SIZE);
    return { total: ids.length, page, pageSize: FAQ_PAGE_SIZE, entries: await repo.summariesByIds(this.db, slice) };
  }

  /** A published entry for the public; each reading counts a view. */
  async publicDetail(id: number, countView = true): Promise<FaqDetail> {
    const d = await repo.detail(this.db, id);
    if (!d || d.status !== 'published') throw new AppError('faq_not_found');
    if (countView) {
      await this.db
        .updateTable('faq_entry')
        .set((eb) => ({ view_count: eb('view_count', '+', 1) }))
        .where('id', '=', id)
        .execute();
      d.viewCount++;
    }
    const { unitPath: _p, source, sourceRef, ...pub } = d;
    // The citizen's question is linked while it is public (a reopened item is not, for a while).
    const fromFeedback = source === 'feedback' && sourceRef ? await repo.publishedFeedbackCode(this.db, sourceRef) : null;
    return { ...pub, fromFeedback };
  }

  /** Any entry the official may edit (drafts and archived ones too). */
  async officialDetail(actor: Actor, id: number) {
    const d = await repo.detail(this.db, id);
    if (!d) throw new AppError('faq_not_found');
    assertUnitScope(actor, d.unitPath, FAQ_EDITORS);
    return d;
  }

  /** Published entries linked to a procedure, for its page. */
  async forProcedure(code: string) {
    const p = await this.db.selectFrom('procedure').select('id').where('code', '=', code).executeTakeFirst();
    if (!p) return [];
    return repo.summariesByIds(this.db, (await repo.publishedIds(this.db, { procedureId: p.id })).slice(0, 20));
  }

  /** The entries of the units the official may edit. */
  async officialList(actor: Actor, q: FaqOfficialQuery) {
    const paths = actor.roles.filter((g) => FAQ_EDITORS.includes(g.role)).map((g) => g.unitPath);
    if (paths.length === 0) throw new AppError('forbidden');
    const page = q.page ?? 1;
    const unitPath = q.unit ? (await this.unitByCode(this.db, q.unit)).path : undefined;
    const r = await repo.officialRows(this.db, paths, { status: q.status, unitPath }, FAQ_PAGE_SIZE, (page - 1) * FAQ_PAGE_SIZE);
    return { ...r, page, pageSize: FAQ_PAGE_SIZE };
  }

  private async procedureIds(trx: Transaction<DB>, codes: string[]): Promise<number[]> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) return [];
    const rows = await trx.selectFrom('procedure').select(['id', 'code']).where('code', 'in', unique).execute();
    const missing = unique.find((c) => !rows.some((r) => r.code === c));
    if (missing) throw new AppError('faq_unknown_procedure', { code: missing }, { procedureCodes: 'faq_unknown_procedure' });
    return rows.map((r) => r.id);
  }

  private async checkField(trx: Transaction<DB>, field: string | null | undefined) {
    if (!field) return null;
    const f = await trx.selectFrom('field').select('code').where('code', '=', field).executeTakeFirst();
    if (!f) throw new AppError('field_not_found');
    return field;
  }

  private async link(trx: Transaction<DB>, faqId: number, procedureIds: number[]) {
    await trx.deleteFrom('faq_procedure').where('faq_id', '=', faqId).execute();
    if (procedureIds.length > 0)
      await trx
        .insertInto('faq_procedure')
        .values(procedureIds.map((procedure_id) => ({ faq_id: faqId, procedure_id })))
        .execute();
  }

  /** The columns an official's form sets, the same for a new entry and an edit. */
  private async columns(trx: Transaction<DB>, unitId: number, input: FaqInput) {
    return {
      unit_id: unitId,
      field_code: await this.checkField(trx, input.field),
      question_vi: input.questionVi.trim(),
      question_en: blankToNull(input.questionEn),
      answer_vi: input.answerVi.trim(),
      answer_en: blankToNull(input.answerEn),
      needs_confirmation: input.needsConfirmation ?? false,
      confirmation_note: input.needsConfirmation ? blankToNull(input.confirmationNote) : null,
    };
  }

  /** A new draft written by an official of the unit (or above). */
  async create(actor: Actor, input: FaqInput, ctx: AuditContext): Promise<number> {
    const unit = await this.unitByCode(this.db, input.unit);
    assertUnitScope(actor, unit.path, FAQ_EDITORS);
    const id = await this.db.transaction().execute(async (trx) => {
      const values = await this.columns(trx, unit.id, input);
      const procedures = await this.procedureIds(trx, input.procedureCodes);
      const row = await trx
        .insertInto('faq_entry')
        .values({
          ...values,
          source: 'manual',
          source_ref: null,
          created_by: actor.accountId,
          updated_by: actor.accountId,
          published_at: null,
          confirmed_by: null,
          confirmed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.link(trx, row.id, procedures);
      await recordAudit(trx, ctx, {
        action: 'faq.create',
        entityType: 'faq_entry',
        entityId: row.id,
        after: { ...values, procedureCodes: input.procedureCodes },
      });
      return row.id;
    });
    this.changed();
    return id;
  }

  /** Edits an entry in place, whatever its status; moving it to another unit needs scope over both. */
  async update(actor: Actor, id: number, input: FaqInput, ctx: AuditContext): Promise<void> {
    const before = await this.officialDetail(actor, id);
    const unit = await this.unitByCode(this.db, input.unit);
    assertUnitScope(actor, unit.path, FAQ_EDITORS);
    await this.db.transaction().execute(async (trx) => {
      const values = await this.columns(trx, unit.id, input);
      const procedures = await this.procedureIds(trx, input.procedureCodes);
      await trx
        .updateTable('faq_entry')
        .set({ ...values, updated_by: actor.accountId, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await this.link(trx, id, procedures);
      const { viewCount: _v, unitPath: _p, ...prior } = before;
      await recordAudit(trx, ctx, {
        action: 'faq.update',
        entityType: 'faq_entry',
        entityId: id,
        before: prior,
        after: { ...values, procedureCodes: input.procedureCodes },
      });
    });
    this.changed();
  }

  /** draft|archived -> published, draft|published -> archived. */
  async setStatus(actor: Actor, id: number, to: Exclude<FaqStatus, 'draft'>, ctx: AuditContext): Promise<void> {
    const d = await this.officialDetail(actor, id);
    if (d.status === to) throw new AppError('faq_invalid_transition', { from: d.status, to });
    const now = new Date();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('faq_entry')
        .set({ status: to, updated_by: actor.accountId, updated_at: now, ...(to === 'published' ? { published_at: now } : {}) })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, {
        action: `faq.${to === 'published' ? 'publish' : 'archive'}`,
        entityType: 'faq_entry',
        entityId: id,
        before: { status: d.status },
        after: { status: to },
      });
    });
    this.changed();
  }

  /** The unit confirms the answer against the rules in force: the public notice goes away. */
  async confirm(actor: Actor, id: number, ctx: AuditContext): Promise<void> {
    const d = await this.officialDetail(actor, id);
    if (!d.needsConfirmation) throw new AppError('faq_already_confirmed');
    const now = new Date();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('faq_entry')
        .set({
          needs_confirmation: false,
          confirmation_note: null,
          confirmed_by: actor.accountId,
          confirmed_at: now,
          updated_by: actor.accountId,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, {
        action: 'faq.confirm',
        entityType: 'faq_entry',
        entityId: id,
        before: { note: d.confirmationNote },
        after: { needsConfirmation: false },
      });
    });
    this.changed();
  }

  /**
   * Turns an answered feedback item or a conference question into an entry (a draft unless
   * `publish`). Calling it again for the same source and reference returns the same entry.
   */
  async createFromSource(input: FromSource, actor: Actor | null, ctx?: AuditContext): Promise<{ id: number; created: boolean }> {
    const unit = await this.db.selectFrom('unit').select(['id', 'path']).where('id', '=', input.unitId).executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    // The seed loads as the system; everyone else needs the unit's editing scope.
    if (actor) assertUnitScope(actor, unit.path, FAQ_EDITORS);
    else if (input.source !== 'seed') throw new AppError('unauthenticated');
    const ref = String(input.sourceRef).slice(0, 100);
    const audit = ctx ?? (actor ? actorContext(actor, unit.id) : { actorId: null, actorRole: 'system', unitId: unit.id, ip: null });
    const question = textOf(input.question);
    const answer = textOf(input.answer);
    const result = await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('faq_entry')
        .select('id')
        .where('source', '=', input.source)
        .where('source_ref', '=', ref)
        .executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
      const procedures = await this.procedureIds(trx, input.procedureCodes);
      const now = new Date();
      const values = {
        unit_id: unit.id,
        field_code: await this.checkField(trx, input.field),
        question_vi: question.vi.trim(),
        question_en: blankToNull(question.en),
        answer_vi: answer.vi.trim(),
        answer_en: blankToNull(answer.en),
        status: input.publish ? ('published' as const) : ('draft' as const),
        needs_confirmation: input.needsConfirmation ?? false,
        confirmation_note: input.needsConfirmation ? blankToNull(input.confirmationNote) : null,
        source: input.source,
        source_ref: ref,
      };
      const row = await trx
        .insertInto('faq_entry')
        .values({
          ...values,
          created_by: actor?.accountId ?? null,
          updated_by: actor?.accountId ?? null,
          published_at: input.publish ? now : null,
          confirmed_by: null,
          confirmed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.link(trx, row.id, procedures);
      await recordAudit(trx, audit, {
        action: 'faq.create',
        entityType: 'faq_entry',
        entityId: row.id,
        after: { ...values, procedureCodes: input.procedureCodes },
      });
      return { id: row.id, created: true };
    });
    if (result.created) this.changed();
    return result;
  }

  /** The entry made from a feedback item or conference question, if there is one. */
  async entryForSource(source: FromSource['source'], ref: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('faq_entry')
      .select('id')
      .where('source', '=', source)
      .where('source_ref', '=', ref)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** Units with published entries, for the public filter. */
  answeringUnits() {
    return this.db
      .selectFrom('unit as u')
      .select(['u.code', 'u.name_vi', 'u.name_en'])
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('faq_entry as e').select('e.id').whereRef('e.unit_id', '=', 'u.id').where('e.status', '=', 'published')),
      )
      .orderBy('u.path')
      .execute();
  }

  openData() {
    return repo.openDataRows(this.db);
  }

  /** Units an official may file entries under: each unit of a grant and the units directly below it. */
  async editableUnits(actor: Actor) {
    const ids = actor.roles.filter((g) => FAQ_EDITORS.includes(g.role)).map((g) => g.unitId);
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('unit')
      .select(['code', 'name_vi', 'name_en', 'path'])
      .where((eb) => eb.or([eb('id', 'in', ids), eb('parent_id', 'in', ids)]))
      .where('valid_to', 'is', null)
      .orderBy('path')
      .execute();
  }
}
