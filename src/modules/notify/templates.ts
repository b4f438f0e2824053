// Messages to citizens about their dossiers, in both languages. Rules for the wording:
// - plain, polite Vietnamese that an elderly reader understands: "Ông/Bà", short sentences, one
//   thing to do at a time, no jargon or abbreviations;
// - full diacritics everywhere, SMS included (sent as Unicode SMS: 70 characters a part, so the
//   SMS text stays short and names the dossier by its code only);
// - {placeholders} are filled with values already formatted for the locale by the caller:
//   code, procedure, unit (the office's name), dueDate (e.g. 05/12/2026), reason (an officer's
//   text), amount (e.g. 150.000 đồng), link (an absolute URL to the dossier), holder (the
//   official holding an overdue dossier, in messages to leaders).
// Change a text => bump its version: the inbox row records which version a citizen received.

import { PROCESSING_TEMPLATES } from './templates.processing.js';
import { SURVEY_TEMPLATES } from './templates.surveys.js';
import { CONFERENCE_TEMPLATES } from './templates.conferences.js';
import { FEEDBACK_TEMPLATES } from './templates.feedback.js';
import { CONTEST_TEMPLATES } from './templates.contest.js';
import { DOSSIER_TEMPLATES } from './templates.dossier.js';
import { DOSSIER_OUTCOME_TEMPLATES } from './templates.dossier-outcome.js';

export type Locale = 'vi' | 'en';

export interface MessageTexts {
  subject: string;
  body: string;
  sms: string;
}

export interface TemplateDefinition {
  version: number;
  vi: MessageTexts;
  en: MessageTexts;
}

export const TEMPLATES = {
  ...PROCESSING_TEMPLATES,
  ...SURVEY_TEMPLATES,
  ...CONFERENCE_TEMPLATES,
  ...FEEDBACK_TEMPLATES,
  ...CONTEST_TEMPLATES,
  ...DOSSIER_TEMPLATES,
  ...DOSSIER_OUTCOME_TEMPLATES,
} as const satisfies Record<string, TemplateDefinition>;

export type TemplateKey = keyof typeof TEMPLATES;

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type LocalePlaceholders<K extends TemplateKey, L extends Locale> = Placeholders<
  (typeof TEMPLATES)[K][L]['subject'] | (typeof TEMPLATES)[K][L]['body'] | (typeof TEMPLATES)[K][L]['sms']
>;

/** The parameters a template needs, for callers who want the check at compile time. */
export type TemplateParams<K extends TemplateKey> = Record<LocalePlaceholders<K, 'vi'> | LocalePlaceholders<K, 'en'>, string>;

// Compile-time check: both languages of a template use the same placeholders.
type Mismatched = {
  [K in TemplateKey]: [LocalePlaceholders<K, 'vi'>] extends [LocalePlaceholders<K, 'en'>]
    ? [LocalePlaceholders<K, 'en'>] extends [LocalePlaceholders<K, 'vi'>]
      ? never
      : K
    : K;
}[TemplateKey];
const _samePlaceholders: [Mismatched] extends [never] ? true : Mismatched = true;
void _samePlaceholders;

export interface RenderedMessage {
  subject: string;
  body: string;
  sms: string;
  version: number;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.hasOwn(TEMPLATES, key);
}

/**
 * Fills a template. A placeholder without a value throws (a programming error, caught by the
 * caller's tests, never a message with "{code}" in it); extra parameters are ignored. Values are
 * inserted once (a "{x}" inside a value stays as typed) and the result is NFC-normalised so that
 * decomposed diacritics from pasted text count as one character each in an SMS.
 */
export function renderTemplate(key: TemplateKey, locale: Locale, params: Readonly<Record<string, string>>): RenderedMessage {
  if (!isTemplateKey(key)) throw new TemplateError(`unknown message template "${String(key)}"`);
  const template: TemplateDefinition = TEMPLATES[key];
  if (locale !== 'vi' && locale !== 'en') throw new TemplateError(`unknown locale "${String(locale)}" for template "${key}"`);
  const texts = template[locale];
  const fill = (text: string) =>
    text
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = Object.hasOwn(params, name) ? params[name] : undefined;
        if (typeof value !== 'string') throw new TemplateError(`template "${key}" (${locale}) needs the parameter {${name}}`);
        return value;
      })
      .normalize('NFC');
  return { subject: fill(texts.subject), body: fill(texts.body), sms: fill(texts.sms), version: template.version };
}
