// What feedback may not contain before anyone reads it (DESIGN §4.6): oversize text is refused,
// never cut short, and abusive words are refused with a reason. Pure; no I/O.
import { foldText, words } from '../search-index.js';
import { ABUSIVE_PHRASES } from './abusive-words.js';

export const FEEDBACK_LIMITS = Object.freeze({ title: 200, content: 5000 });

export type ModerationCode =
  'feedback_title_required' | 'feedback_content_required' | 'feedback_title_too_long' | 'feedback_content_too_long' | 'feedback_abusive';

export type Moderation = { ok: true } | { ok: false; code: ModerationCode; field: 'title' | 'content' };

/** Characters as a reader (and PostgreSQL's length()) counts them: code points after NFC. */
export function charCount(s: string): number {
  return [...s.normalize('NFC')].length;
}

// Folded words joined by single spaces with a space at each end, so " phrase " matches whole words only.
const padded = (s: string) => ` ${words(foldText(s).replace(/\./g, ' ')).join(' ')} `;
const PHRASES = ABUSIVE_PHRASES.map((p) => ` ${p} `);

/** The first abusive phrase in the text (folded), or null. */
export function abusivePhrase(text: string): string | null {
  const hay = padded(text);
  const hit = PHRASES.find((p) => hay.includes(p));
  return hit ? hit.trim() : null;
}

/** Checks a title and content in order: presence, length, then words. */
export function moderate(input: { title: string; content: string }): Moderation {
  const title = input.title.trim();
  const content = input.content.trim();
  if (!title) return { ok: false, code: 'feedback_title_required', field: 'title' };
  if (charCount(title) > FEEDBACK_LIMITS.title) return { ok: false, code: 'feedback_title_too_long', field: 'title' };
  if (!content) return { ok: false, code: 'feedback_content_required', field: 'content' };
  if (charCount(content) > FEEDBACK_LIMITS.content) return { ok: false, code: 'feedback_content_too_long', field: 'content' };
  if (abusivePhrase(title)) return { ok: false, code: 'feedback_abusive', field: 'title' };
  if (abusivePhrase(content)) return { ok: false, code: 'feedback_abusive', field: 'content' };
  return { ok: true };
}

/** Text officials write (answers, reasons) is checked for size only: they are accountable by name. */
export function withinLimit(text: string, max: number): boolean {
  return charCount(text.trim()) <= max;
}
