import { pii } from '../../lib/pii.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { charLength, initials, QUESTION_MAX, registrationRefusal } from '../../domain/conferences/rules.js';
import { redactText } from '../../domain/feedback/redact.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import type { ConferenceService } from './conferences.service.js';
import { contact, OFFICIALS, ORGANISERS } from './conferences.service.js';
import type { FaqService } from '../faq/faq.service.js';
import type { ModerationInput, PublicQuestion, QuestionInput, RoomQuestionInput } from './conferences.schema.js';

/** A question's text: trimmed, not empty, at most 2000 characters (each with its own code). */
function questionText(raw: string): string {
  const text = raw.normalize('NFC').trim();
  if (!text) throw new AppError('question_required');
  if (charLength(text) > QUESTION_MAX) throw new AppError('question_too_long');
  return text;
}

/** The text as published: no phone, ID number, e-mail or the asker's own full name. */
export function publicText(body: string, askerName: string | null): string {
  return redactText(body, askerName ? [askerName] : []);
}

/** Questions sent ahead or raised in the room: moderation, support, draft and recorded answers. */
export class QuestionService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly conferences: ConferenceService,
  ) {}

  private async question(conferenceId: number, qid: number) {
    const q = await this.db
      .selectFrom('conference_question')
      .selectAll()
      .where('id', '=', qid)
      .where('conference_id', '=', conferenceId)
      .executeTakeFirst();
    if (!q) throw new AppError('question_not_found');
    return q;
  }

  /** Sent ahead while registration is open; shown publicly only once an official accepts it. */
  async ask(id: number, input: QuestionInput, actor: Actor | null, now = new Date()): Promise<number> {
    const c = await this.conferences.row(id);
    const text = questionText(input.text);
    const who = contact(input);
    // Capacity limits seats, not questions: anyone may ask while registration is open.
    const refusal = registrationRefusal({ status: c.status, registrationClosesAt: c.registration_closes_at, capacity: null }, 0, now);
    if (refusal) throw new AppError(refusal);
    const procedureCode = input.procedureCode?.trim() || null;
    let fieldCode = input.fieldCode?.trim() || null;
    if (procedureCode) {
      const p = await this.db.selectFrom('procedure').select('field_code').where('code', '=', procedureCode).executeTakeFirst();
      if (!p) throw new AppError('unknown_procedure');
      fieldCode ??= p.field_code;
    }
    if (fieldCode && !(await this.db.selectFrom('field').select('code').where('code', '=', fieldCode).executeTakeFirst())) {
      throw new AppError('unknown_field', { field: fieldCode });
    }
    const row = await this.db
      .insertInto('conference_question')
      .values({
        conference_id: id,
        source: 'advance',
        asker_name: who.name,
        asker_phone: pii().encryptNullable(who.phone),
        asker_email: who.email,
        asker_account_id: actor && actor.kind !== 'official' ? actor.accountId : null,
        asker_locale: actor?.locale ?? 'vi',
        body: text,
        procedure_code: procedureCode,
        field_code: fieldCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** +1 by a logged-in citizen, once per question, never on one's own, while the agenda is open. */
  async support(id: number, qid: number, actor: Actor): Promise<number> {
    const c = await this.conferences.row(id);
    const q = await this.question(id, qid);
    if (q.moderation !== 'accepted') throw new AppError('question_not_found');
    if (c.status !== 'scheduled') throw new AppError('conference_not_open');
    if (q.asker_account_id === actor.accountId) throw new AppError('own_question');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('conference_question_support')
          .values({ question_id: qid, account_id: actor.accountId })
          .onConflict((oc) => oc.doNothing())
          .returning('question_id')
          .executeTakeFirst();
        if (!added) throw new AppError('already_supported');
        const r = await trx
          .updateTable('conference_question')
          .set((eb) => ({ supports: eb('supports', '+', 1) }))
          .where('id', '=', qid)
          .returning('supports')
          .executeTakeFirstOrThrow();
        return r.supports;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('already_supported');
      throw e;
    }
  }

  async moderate(actor: Actor, id: number, qid: number, input: ModerationInput, ctx: AuditContext, now = new Date()) {
    const c = await this.conferences.scoped(actor, id, OFFICIALS);
    if (c.status === 'cancelled' || c.status === 'minutes_published') throw new AppError('conference_not_editable');
    const q = await this.question(id, qid);
    const reason = input.reason?.trim() || null;
    if (input.decision === 'decline' && !reason) throw new AppError('reason_required');
    const moderation = input.decision === 'accept' ? 'accepted' : 'declined';
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('conference_question')
        .set({
          moderation,
          decline_reason: moderation === 'declined' ? reason : null,
          // Stored once, when it becomes public, so every page, the API and open data show the same text.
          body_public: moderation === 'accepted' ? publicText(q.body, q.asker_name) : null,
          moderated_by: actor.accountId,
          moderated_at: now,
        })
        .where('id', '=', qid)
        .execute();
      await recordAudit(trx, ctx, {
        action: `conference.question.${moderation === 'accepted' ? 'accept' : 'decline'}`,
        entityType: 'conference_question',
        entityId: qid,
        before: { moderation: q.moderation },
        after: { moderation, reason },
      });
    });
  }

  /** Prepared before the meeting; never public. */
  async draft(actor: Actor, id: number, qid: number, text: string) {
    const c = await this.conferences.scoped(actor, id, OFFICIALS);
    if (c.status === 'cancelled' || c.status === 'minutes_published') throw new AppError('conference_not_editable');
    await this.question(id, qid);
    await this.db
      .updateTable('conference_question')
      .set({ draft_answer: text.trim() || null })
      .where('id', '=', qid)
      .execute();
  }

  /** The answer given in the meeting, recorded after it (before the minutes are published). */
  async answer(actor: Actor, id: number, qid: number, text: string, ctx: AuditContext, now = new Date()) {
    const c = await this.conferences.scoped(actor, id, OFFICIALS);
    if (c.status !== 'held') throw new AppError('conference_not_held');
    const q = await this.question(id, qid);
    if (q.moderation !== 'accepted') throw new AppError('question_not_found');
    const answer = text.trim();
    if (!answer) throw new AppError('answer_required');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('conference_question')
        .set({ answer, answered_by: actor.accountId, answered_at: now })
        .where('id', '=', qid)
        .execute();
      await recordAudit(trx, ctx, {
        action: 'conference.question.answer',
        entityType: 'conference_question',
        entityId: qid,
        before: { answer: q.answer },
        after: { answer },
      });
    });
  }

  /** A question raised in the room, added by an official after the meeting (accepted as it was asked). */
  async addFromRoom(actor: Actor, id: number, input: RoomQuestionInput, ctx: AuditContext, now = new Date()): Promise<number> {
    const c = await this.conferences.scoped(actor, id, OFFICIALS);
    if (c.status !== 'held') throw new AppError('conference_not_held');
    const text = questionText(input.text);
    const answer = input.answer?.trim() || null;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('conference_question')
        .values({
          conference_id: id,
          source: 'room',
          asker_name: input.askerName?.trim() || null,
          body: text,
          body_public: publicText(text, input.askerName?.trim() || null),
          moderation: 'accepted',
          moderated_by: actor.accountId,
          moderated_at: now,
          answer,
          answered_by: answer ? actor.accountId : null,
          answered_at: answer ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: 'conference.question.room',
        entityType: 'conference_question',
        entityId: row.id,
        after: { text, answer },
      });
      return row.id;
    });
  }

  /** Accepted questions, most supported first; answers and commitments only in published minutes. */
  async publicList(id: number, published: boolean, now = new Date()): Promise<PublicQuestion[]> {
    const rows = await this.db
      .selectFrom('conference_question')
      .select(['id', 'source', 'asker_name', 'body', 'body_public', 'procedure_code', 'field_code', 'supports', 'answer'])
      .where('conference_id', '=', id)
      .where('moderation', '=', 'accepted')
      .orderBy('supports', 'desc')
      .orderBy('id')
      .execute();
    const commitments = published ? await this.conferences.commitments.byQuestion(id, now) : new Map();
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      asker: initials(r.asker_name),
      // A row accepted without the column filled (none should be) is still never shown unredacted.
      text: r.body_public ?? publicText(r.body, r.asker_name),
      procedureCode: r.procedure_code,
      fieldCode: r.field_code,
      supports: r.supports,
      answer: published ? r.answer : null,
      commitments: commitments.get(r.id) ?? [],
    }));
  }

  /** Every question, with moderation state and drafts, for the unit's officials. */
  async forOfficials(actor: Actor, id: number) {
    await this.conferences.scoped(actor, id, OFFICIALS);
    return (
      this.db
        .selectFrom('conference_question')
        .select([
          'id',
          'source',
          'asker_name',
          'body',
          'body_public',
          'procedure_code',
          'field_code',
          'moderation',
          'decline_reason',
          'supports',
          'draft_answer',
          'answer',
          'created_at',
        ])
        .where('conference_id', '=', id)
        .orderBy('supports', 'desc')
        .orderBy('id')
        .execute()
        // What is (or, still pending, would be) published, for officials to check before accepting.
        .then((rows) => rows.map((r) => ({ ...r, published_text: r.body_public ?? publicText(r.body, r.asker_name) })))
    );
  }

  /** The FAQ entry made from each question of the conference, by question id. */
  async faqEntries(id: number): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('faq_entry')
      .select(['id', 'source_ref'])
      .where('source', '=', 'conference')
      .where('source_ref', 'like', `${id}:%`)
      .execute();
    return new Map(rows.map((r) => [Number(String(r.source_ref).slice(String(id).length + 1)), r.id]));
  }

  /**
   * An answered question of published minutes becomes a draft FAQ entry of the unit, with the
   * published (redacted) text; a second call returns the same entry.
   */
  async toFaq(actor: Actor, id: number, qid: number, faq: FaqService, ctx: AuditContext): Promise<{ id: number; created: boolean }> {
    const c = await this.conferences.scoped(actor, id, ORGANISERS);
    if (c.status !== 'minutes_published') throw new AppError('minutes_not_published');
    const q = await this.question(id, qid);
    if (q.moderation !== 'accepted') throw new AppError('question_not_found');
    if (!q.answer?.trim()) throw new AppError('answer_required');
    return faq.createFromSource(
      {
        source: 'conference',
        sourceRef: `${id}:${qid}`,
        unitId: c.unit_id,
        question: q.body_public ?? publicText(q.body, q.asker_name),
        answer: q.answer,
        procedureCodes: q.procedure_code ? [q.procedure_code] : [],
        field: q.field_code,
      },
      actor,
      ctx,
    );
  }

  /** Which accepted questions the citizen already supported (to show the button or not). */
  async supportedBy(accountId: number, id: number): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('conference_question_support as s')
      .innerJoin('conference_question as q', 'q.id', 's.question_id')
      .select('s.question_id')
      .where('q.conference_id', '=', id)
      .where('s.account_id', '=', accountId)
      .execute();
    return new Set(rows.map((r) => r.question_id));
  }

  async ownedBy(accountId: number, id: number): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('conference_question')
      .select('id')
      .where('conference_id', '=', id)
      .where('asker_account_id', '=', accountId)
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
