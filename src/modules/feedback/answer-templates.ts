// Answer templates per kind: the texts are in the i18n files (feedback.tpl.<id>), in both
// languages; the answer is written in the author's language. Officials edit them before sending.
import type { FeedbackKind } from '../../db/types.js';

export const ANSWER_TEMPLATES = {
  question: ['question.guide', 'question.documents', 'question.online'],
  regulation: ['regulation.explained', 'regulation.forwarded', 'regulation.accepted'],
  conduct: ['conduct.verified', 'conduct.not_verified', 'conduct.apology'],
} as const satisfies Record<FeedbackKind, readonly string[]>;

export type AnswerTemplateId = (typeof ANSWER_TEMPLATES)[FeedbackKind][number];

export function isTemplateFor(kind: FeedbackKind, id: string): id is AnswerTemplateId {
  return (ANSWER_TEMPLATES[kind] as readonly string[]).includes(id);
}
