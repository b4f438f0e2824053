// An answered question becomes an FAQ entry (issue 8): only the public, redacted texts travel,
// never the author's name or contact, and the entry starts as a draft the unit reviews and publishes.
import { charCount } from '../../domain/feedback/moderation.js';
import { redactText } from '../../domain/feedback/redact.js';
import { AppError } from '../../lib/errors.js';
import type { AuditContext } from '../audit/audit.js';
import { assertUnitScope, hasUnitScope, type Actor } from '../auth/policy.js';
import { FAQ_EDITORS, type FaqService } from '../faq/faq.service.js';
import { loadByCode, type FeedbackRow, type Q } from './feedback.repo.js';
import type { ToFaqInput, ToFaqResult } from './feedback.schema.js';

/** The FAQ's own limits (faq_entry checks them too). */
const QUESTION = { min: 5, max: 500 };
const ANSWER_MAX = 10000;

export interface FaqDraft {
  question: string;
  answer: string;
  procedureCodes: string[];
}

/** What the officials' page offers: the entry already made, or the prefilled form. */
export type FaqOffer = { entryId: number } | { entryId: null; draft: FaqDraft };

// The public texts were redacted when written; redacting again costs nothing and also covers
// whatever an official types into the form.
const clean = (s: string, f: FeedbackRow) => redactText(s.normalize('NFC').trim(), [f.author_name]).trim();

/** Title and content as one question, cut at a word (with "…") when longer than the FAQ allows. */
export function joinQuestion(title: string, content: string): string {
  const joined = !content ? title : /[.?!:…]$/.test(title) ? `${title} ${content}` : `${title}. ${content}`;
  if (charCount(joined) <= QUESTION.max) return joined;
  const head = [...joined].slice(0, QUESTION.max - 1).join('');
  return `${head.replace(/\s+\S*$/, '') || head}…`;
}

export async function faqDraft(db: Q, f: FeedbackRow): Promise<FaqDraft> {
  const p = f.procedure_id
    ? await db.selectFrom('procedure').select('code').where('id', '=', f.procedure_id).executeTakeFirst()
    : undefined;
  return {
    question: joinQuestion(clean(f.public_title, f), clean(f.public_content, f)),
    answer: clean(f.answer_public ?? '', f),
    procedureCodes: p ? [p.code] : [],
  };
}

/** For the detail page: null unless the item is published and the official may write the unit's FAQ. */
export async function faqOffer(db: Q, faq: FaqService, actor: Actor, f: FeedbackRow): Promise<FaqOffer | null> {
  if (!hasUnitScope(actor, f.unit_path, FAQ_EDITORS)) return null;
  const entryId = await faq.entryForSource('feedback', f.code);
  if (entryId !== null) return { entryId };
  if (f.status !== 'published') return null;
  return { entryId: null, draft: await faqDraft(db, f) };
}

/**
 * Makes (or finds) the FAQ entry of a published item, for the unit's leaders and administrators.
 * Texts left out come from the item's public texts; an item already turned keeps its entry.
 */
export async function toFaq(
  db: Q,
  faq: FaqService,
  actor: Actor,
  ctx: AuditContext,
  code: string,
  input: ToFaqInput,
): Promise<ToFaqResult> {
  const f = await loadByCode(db, code);
  assertUnitScope(actor, f.unit_path, FAQ_EDITORS);
  const existing = await faq.entryForSource('feedback', f.code);
  if (existing !== null) return { id: existing, created: false, editUrl: `/work/faq/${existing}/edit` };
  if (f.status !== 'published') throw new AppError('feedback_wrong_state');
  const draft = await faqDraft(db, f);
  const question = input.question !== undefined ? clean(input.question, f) : draft.question;
  const answer = input.answer !== undefined ? clean(input.answer, f) : draft.answer;
  const qLen = charCount(question);
  if (qLen < QUESTION.min || qLen > QUESTION.max) throw new AppError('validation_failed', {}, { question: 'validation_failed' });
  if (!answer || charCount(answer) > ANSWER_MAX) throw new AppError('validation_failed', {}, { answer: 'validation_failed' });
  const r = await faq.createFromSource(
    {
      source: 'feedback',
      sourceRef: f.code,
      unitId: f.unit_id,
      question,
      answer,
      procedureCodes: input.procedureCodes ?? draft.procedureCodes,
    },
    actor,
    { ...ctx, unitId: ctx.unitId ?? f.unit_id },
  );
  return { ...r, editUrl: `/work/faq/${r.id}/edit` };
}
