import type { viContestEdit } from './vi.contest-edit.js';

export const enContestEdit: Record<keyof typeof viContestEdit, string> = {
  'contestEdit.rename': 'Rename',
  'contestEdit.contest.title': 'Rename the contest',
  'contestEdit.contest.titleVi': 'Contest name (Vietnamese)',
  'contestEdit.contest.titleEn': 'Contest name (English)',
  'contestEdit.contest.done': 'The contest has been renamed.',
  'contestEdit.pool.title': 'Rename the question pool',
  'contestEdit.pool.done': 'The question pool has been renamed.',
  'contestEdit.save': 'Save',
  'contestEdit.round.edit': 'Change',
  'contestEdit.round.title': 'Change the round (draft)',
  'contestEdit.round.hint': 'Vietnam time. Only a round not yet published can be changed or deleted.',
  'contestEdit.round.done': 'The round has been saved.',
  'contestEdit.round.delete': 'Delete this draft round',
  'contestEdit.round.deleteHint': 'Nobody has taken a draft round; the deletion is recorded in the audit log.',
  'contestEdit.round.deleted': 'The draft round has been deleted.',
  'contestEdit.question.link': 'Add a question',
  'contestEdit.question.title': 'Add a question',
  'contestEdit.question.hint': 'A question added by hand is in use at once (no approval step).',
  'contestEdit.question.done': 'The question has been added.',
};
