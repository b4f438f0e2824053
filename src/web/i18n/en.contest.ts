import type { viContest } from './vi.contest.js';

export const enContest: Record<keyof typeof viContest, string> = {
  'err.contest_not_found': 'Contest not found.',
  'err.contest_round_not_found': 'Contest round not found.',
  'err.contest_pool_not_found': 'Question pool not found.',
  'err.contest_round_not_draft': 'The round has been published and can no longer be changed.',
  'err.contest_round_window_invalid': 'The round must close after it opens and after now.',
  'err.contest_not_enough_questions': 'Not enough questions: {needed} needed, {available} available.',
  'err.contest_question_invalid': 'The question is not valid: {detail}',
  'err.contest_unknown_procedure': 'No procedure has the code {code}.',
  'err.contest_round_not_open': 'This round is not open. Please check its dates.',
  'err.contest_round_not_closed': 'Results are published once the round has closed.',
  'err.contest_phone_taken': 'This phone number is already registered. Each person registers once.',
  'err.contest_unit_invalid': 'Please choose your ward, commune, district or department.',
  'err.contest_token_invalid': 'Your participant code is not valid. Please register or open the contest page again.',
  'err.contest_entry_not_found': 'Entry not found.',
  'err.contest_already_submitted': 'This entry has been submitted. Each person takes each round once.',
  'err.contest_time_up': 'Time is up. This answer was not recorded.',
  'err.contest_unknown_question': 'This question is not part of your entry.',
  'err.contest_option_not_offered': 'The chosen option is not one of this question’s options.',
  'err.contest_one_option_only': 'Choose only one option for this question.',
};
