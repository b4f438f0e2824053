import { AppError } from '../../lib/errors.js';
import { translator, type Locale, type MessageKey } from '../../web/i18n/index.js';
import { keyProblem } from './contest.bank.js';
import { policies } from '../auth/policy.js';
import type { PageError, RoundForm } from './contest.admin-views.js';
import type { CreateQuestionInput, CreateRoundInput } from './contest.schema.js';
import type { EditForm } from './contest.bank-views.js';
import { MAX_OPTIONS } from './contest.sheet.js';
import { formText } from '../../web/page-params.js';

export const ADMIN = { policy: policies.official('city_admin') };
export const PAGE = { config: ADMIN, schema: { hide: true } };

/** Errors a page shows in place (with their HTTP status); anything else is the error page. */
export function shown(e: unknown): AppError {
  if (
    e instanceof AppError &&
    (e.code.startsWith('contest_') ||
      ['validation_failed', 'unknown_field', 'file_empty', 'file_too_large', 'file_required'].includes(e.code))
  )
    return e;
  throw e;
}
export const asError = (e: AppError | undefined): PageError =>
  e ? { message: `err.${e.code}` as MessageKey, params: e.params } : undefined;

export const vnInstant = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local);
export const vnLocal = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
export const int = (s: string) => (/^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : NaN);

export function list(body: unknown, name: string, max = 300): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '').slice(0, max);
}

/** A round's form fields as posted (kept to show them again on an error). */
export const roundFormOf = (body: unknown): RoundForm => ({
  opensAt: formText(body, 'opensAt', 40),
  closesAt: formText(body, 'closesAt', 40),
  questionCount: formText(body, 'questionCount', 10),
  minutes: formText(body, 'minutes', 10),
});

/** The round form as the service takes it: Vietnamese local times, minutes to seconds. */
export function roundInput(round: RoundForm): CreateRoundInput {
  const count = int(round.questionCount);
  const seconds = int(round.minutes) * 60;
  const opens = vnInstant(round.opensAt);
  const closes = vnInstant(round.closesAt);
  if (!(count >= 1 && count <= 100) || !(seconds >= 60 && seconds <= 7200)) throw new AppError('validation_failed');
  if (Number.isNaN(Date.parse(opens)) || Number.isNaN(Date.parse(closes))) throw new AppError('contest_round_window_invalid');
  return { opensAt: opens, closesAt: closes, questionCount: count, timeLimitSeconds: seconds };
}

/** The question form as posted (kept to show it again on an error). */
export const editFormOfBody = (body: unknown): EditForm => ({
  kind: formText(body, 'kind', 10),
  difficulty: formText(body, 'difficulty', 2),
  textVi: formText(body, 'textVi', 1000),
  textEn: formText(body, 'textEn', 1000),
  options: Array.from({ length: MAX_OPTIONS }, (_, i) => ({
    vi: formText(body, `option${i + 1}Vi`, 500),
    en: formText(body, `option${i + 1}En`, 500),
    correct: formText(body, `option${i + 1}Correct`, 2) === '1',
  })),
  explanationVi: formText(body, 'explanationVi', 2000),
  explanationEn: formText(body, 'explanationEn', 2000),
  procedureCode: formText(body, 'procedureCode', 20),
});

export function editInput(f: EditForm): CreateQuestionInput {
  const options = f.options.filter((o) => o.vi.trim() !== '' || o.en.trim() !== '');
  const texts = [f.textVi, f.textEn, f.explanationVi, f.explanationEn, ...options.flatMap((o) => [o.vi, o.en])];
  if (
    texts.some((x) => x.trim() === '') ||
    options.length < 2 ||
    !['single', 'multiple'].includes(f.kind) ||
    !['1', '2', '3'].includes(f.difficulty)
  )
    throw new AppError('validation_failed');
  if (f.procedureCode.trim() !== '' && !/^(\d\.\d{6}|L\.\d{6})$/.test(f.procedureCode.trim()))
    throw new AppError('contest_unknown_procedure', { code: f.procedureCode.trim().slice(0, 20) });
  return {
    kind: f.kind as 'single' | 'multiple',
    difficulty: Number(f.difficulty),
    text: { vi: f.textVi, en: f.textEn },
    options: options.map((o) => ({ text: { vi: o.vi, en: o.en }, correct: o.correct })),
    explanation: { vi: f.explanationVi, en: f.explanationEn },
    ...(f.procedureCode.trim() ? { procedureCode: f.procedureCode.trim() } : {}),
  };
}

/** editInput, with a wrong key refused in the admin's words rather than the API's code. */
export function checkedInput(form: EditForm, locale: Locale): CreateQuestionInput {
  const input = editInput(form);
  const problem = keyProblem(input.kind, input.options.filter((o) => o.correct).length);
  if (problem) throw new AppError('contest_question_invalid', { detail: translator(locale)(`contestBank.reason.${problem}`) });
  return input;
}
