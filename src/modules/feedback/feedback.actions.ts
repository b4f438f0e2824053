// What officials do with feedback in their units: transfer, reject, ask for information, answer
// (from a template or freely), submit for approval; leaders approve (which publishes) or return.
import { sql } from 'kysely';
import type { FeedbackStatus, Role } from '../../db/types.js';
import { onTime, publishBy } from '../../domain/feedback/deadlines.js';
import { charCount } from '../../domain/feedback/moderation.js';
import { redactText } from '../../domain/feedback/redact.js';
import { AppError } from '../../lib/errors.js';
import { translator, type MessageKey } from '../../web/i18n/index.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, hasUnitScope, type Actor } from '../auth/policy.js';
import { notify } from '../notify/notify.service.js';
import { isTemplateFor } from './answer-templates.js';
import type { ActionInput, QueueItem } from './feedback.schema.js';
import { appendEvent, loadByCode, searchText, type FeedbackRow, type Q } from './feedback.repo.js';
import type { FeedbackService } from './feedback.service.js';

/** Who works feedback in a unit; the city admin works the city's reception. */
export const WORKERS: readonly Role[] = ['desk_officer', 'specialist', 'leader', 'city_admin'];
/** Who approves an answer, which publishes it. */
export const APPROVERS: readonly Role[] = ['leader', 'city_admin'];

const OPEN: readonly FeedbackStatus[] = ['received', 'info_requested', 'answering', 'awaiting_approval'];
const ALLOWED: Record<ActionInput['action'], readonly FeedbackStatus[]> = {
  transfer: ['received', 'info_requested', 'answering'],
  reject: ['received'],
  request_info: ['received', 'answering'],
  answer: ['received', 'answering'],
  approve: ['awaiting_approval'],
  return: ['awaiting_approval'],
};

const text = (s: string | undefined, max: number, empty: 'reason_required' | 'feedback_answer_required' = 'reason_required') => {
  const v = (s ?? '').normalize('NFC').trim();
  if (!v) throw new AppError(empty);
  if (charCount(v) > max) throw new AppError(empty === 'reason_required' ? 'feedback_content_too_long' : 'feedback_answer_too_long');
  return v;
};

/** Open feedback in the units the official works, the most urgent first. */
export async function queue(svc: FeedbackService, actor: Actor, now = new Date()): Promise<QueueItem[]> {
  const paths = actor.roles.filter((g) => WORKERS.includes(g.role)).map((g) => g.unitPath);
  if (paths.length === 0) throw new AppError('forbidden');
  const rows = await svc.db
    .selectFrom('feedback as f')
    .innerJoin('unit as u', 'u.id', 'f.unit_id')
    .select([
      'f.code',
      'f.kind',
      'f.status',
      'f.title',
      'u.code as unit_code',
      'u.name_vi',
      'u.name_en',
      'f.received_at',
      'f.reject_by',
      'f.request_info_by',
      'f.answer_by',
    ])
    .where('f.status', 'in', OPEN)
    .where(
      sql<boolean>`(${sql.join(
        paths.map((p) => sql`u.path <@ ${p}::ltree`),
        sql` or `,
      )})`,
    )
    .orderBy('f.answer_by')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    status: r.status,
    title: r.title,
    unit: { code: r.unit_code, name: { vi: r.name_vi, en: r.name_en } },
    receivedAt: r.received_at.toISOString(),
    rejectBy: r.reject_by.toISOString(),
    requestInfoBy: r.request_info_by.toISOString(),
    answerBy: r.answer_by.toISOString(),
    // Waiting for the author stops the clock: an item waiting is not late.
    late: r.status !== 'info_requested' && r.answer_by < now,
  }));
}

/** Everything about one item for the officials of its unit, author and history included. */
export async function officialView(svc: FeedbackService, actor: Actor, code: string) {
  const f = await loadByCode(svc.db, code);
  assertUnitScope(actor, f.unit_path, WORKERS);
  const [events, attachments, extra] = await Promise.all([
    svc.db
      .selectFrom('feedback_event as e')
      .leftJoin('account as a', 'a.id', 'e.actor_id')
      .select(['e.action', 'e.at', 'e.actor_kind', 'e.to_status', 'e.note', 'a.full_name'])
      .where('e.feedback_id', '=', f.id)
      .orderBy('e.id')
      .execute(),
    svc.db
      .selectFrom('feedback_attachment')
      .select(['id', 'name', 'size', 'media_type'])
      .where('feedback_id', '=', f.id)
      .orderBy('id')
      .execute(),
    svc.db
      .selectFrom('feedback as f')
      .leftJoin('dossier as d', 'd.id', 'f.dossier_id')
      .leftJoin('procedure as p', 'p.id', 'f.procedure_id')
      .select(['d.code as dossier_code', 'p.code as procedure_code', 'p.name_vi as procedure_vi', 'p.name_en as procedure_en'])
      .where('f.id', '=', f.id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    f,
    events,
    attachments,
    extra,
    canApprove: hasUnitScope(actor, f.unit_path, APPROVERS),
  };
}

/** One official action, checked against the item's state and the actor's units, audited. */
export async function act(svc: FeedbackService, actor: Actor, ctx: AuditContext, code: string, input: ActionInput, now = new Date()) {
  const f0 = await loadByCode(svc.db, code);
  assertUnitScope(actor, f0.unit_path, input.action === 'approve' || input.action === 'return' ? APPROVERS : WORKERS);
  if (!ALLOWED[input.action].includes(f0.status)) throw new AppError('feedback_wrong_state');
  const target =
    input.action === 'transfer'
      ? await svc.db
          .selectFrom('unit')
          .select(['id', 'code', 'path'])
          .where('code', '=', input.unit.trim())
          .where('valid_to', 'is', null)
          .executeTakeFirst()
      : undefined;
  if (input.action === 'transfer') {
    if (!target) throw new AppError('unit_not_found');
    if (target.id === f0.unit_id) throw new AppError('feedback_same_unit');
  }
  const due = input.action === 'approve' ? publishBy(now, await svc.clock(f0.unit_code)) : null;
  await svc.db.transaction().execute(async (trx) => {
    const f = await loadByCode(trx, code, true);
    if (!ALLOWED[input.action].includes(f.status)) throw new AppError('feedback_wrong_state');
    const audit = (to: FeedbackStatus, extra: Record<string, unknown> = {}) =>
      recordAudit(
        trx,
        { ...ctx, unitId: ctx.unitId ?? f.unit_id },
        {
          action: `feedback.${input.action}`,
          entityType: 'feedback',
          entityId: f.code,
          before: { status: f.status, unit: f.unit_code },
          after: { status: to, ...extra },
        },
      );
    const by = { actorId: actor.accountId, actorKind: 'official' as const, at: now };
    switch (input.action) {
      case 'transfer': {
        const reason = text(input.reason, 2000);
        await trx.updateTable('feedback').set({ unit_id: target!.id, updated_at: now }).where('id', '=', f.id).execute();
        // Counted as received by the unit it goes to (the figures read unit_id of this event).
        await appendEvent(trx, f, {
          ...by,
          action: 'transfer',
          note: reason,
          unitId: target!.id,
          data: { from: f.unit_code, to: target!.code },
        });
        await audit(f.status, { unit: target!.code, reason });
        return;
      }
      case 'reject': {
        const reason = text(input.reason, 2000);
        await trx.updateTable('feedback').set({ status: 'rejected', reason, updated_at: now }).where('id', '=', f.id).execute();
        await appendEvent(trx, f, { ...by, action: 'reject', to: 'rejected', note: reason, data: { onTime: onTime(now, f.reject_by) } });
        await audit('rejected', { reason });
        await svc.tellAuthor(trx, f, 'feedback.rejected', { reason });
        return;
      }
      case 'request_info': {
        const question = text(input.question, 2000);
        await trx
          .updateTable('feedback')
          .set({ status: 'info_requested', info_question: question, info_requested_at: now, updated_at: now })
          .where('id', '=', f.id)
          .execute();
        await appendEvent(trx, f, {
          ...by,
          action: 'request_info',
          to: 'info_requested',
          note: question,
          data: { onTime: onTime(now, f.request_info_by) },
        });
        await audit('info_requested');
        await svc.tellAuthor(trx, f, 'feedback.info_requested', { reason: question });
        return;
      }
      case 'answer': {
        let body = input.text?.normalize('NFC').trim() ?? '';
        if (input.template) {
          if (!isTemplateFor(f.kind, input.template)) throw new AppError('feedback_template_unknown');
          if (!body) body = translator(f.locale)(`feedback.tpl.${input.template}` as MessageKey);
        }
        body = text(body, 10000, 'feedback_answer_required');
        const to: FeedbackStatus = input.submit ? 'awaiting_approval' : 'answering';
        await trx
          .updateTable('feedback')
          .set({
            status: to,
            answer_text: body,
            answer_public: redactText(body, [f.author_name]),
            answer_template: input.template ?? null,
            answered_by: actor.accountId,
            updated_at: now,
          })
          .where('id', '=', f.id)
          .execute();
        await appendEvent(trx, f, {
          ...by,
          action: input.submit ? 'submit_answer' : 'draft_answer',
          to,
          data: { template: input.template ?? null },
        });
        if (input.submit) {
          await audit(to);
          await tellLeaders(svc, trx, f);
        }
        return;
      }
      case 'approve': {
        const answered = onTime(now, f.answer_by);
        await trx
          .updateTable('feedback')
          .set({
            status: 'published',
            approved_by: actor.accountId,
            approved_at: now,
            publish_by: due!,
            published_at: now,
            search_text: searchText(f.public_title, f.public_content, f.answer_public),
            updated_at: now,
          })
          .where('id', '=', f.id)
          .execute();
        await appendEvent(trx, f, {
          ...by,
          action: 'approve',
          to: 'published',
          data: { onTime: answered, answerBy: f.answer_by.toISOString(), publishBy: due!.toISOString() },
        });
        await audit('published', { onTime: answered });
        await svc.tellAuthor(trx, f, 'feedback.answered');
        return;
      }
      case 'return': {
        const reason = text(input.reason, 2000);
        await trx.updateTable('feedback').set({ status: 'answering', updated_at: now }).where('id', '=', f.id).execute();
        await appendEvent(trx, f, { ...by, action: 'return', to: 'answering', note: reason });
        await audit('answering', { reason });
        return;
      }
    }
  });
}

/** An inbox item for each leader of the unit: an answer awaits approval. */
async function tellLeaders(svc: FeedbackService, trx: Q, f: FeedbackRow) {
  const leaders = await trx
    .selectFrom('role_assignment as r')
    .innerJoin('account as a', 'a.id', 'r.account_id')
    .select(['a.id', 'a.locale'])
    .where('r.unit_id', '=', f.unit_id)
    .where('r.role', 'in', APPROVERS)
    .where('a.disabled_at', 'is', null)
    .execute();
  for (const a of leaders) {
    await notify(
      trx,
      {
        template: 'feedback.awaiting_approval',
        locale: a.locale,
        params: { code: f.code, unit: a.locale === 'en' ? f.unit_en : f.unit_vi, link: `${svc.deps.baseUrl}/work/feedback/${f.code}` },
        accountId: a.id,
        dossierId: null,
        email: null,
        phone: null,
      },
      { email: false, sms: false },
    );
  }
}
