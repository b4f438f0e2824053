// Personal data removed from text before it is published (DESIGN §4.6): phone numbers, citizen
// ID numbers (12 digits) and old ID card numbers (9 digits), e-mail addresses. Dates, dossier
// codes, amounts of money and procedure codes (1.004873) are kept. Pure; no I/O.

/** What replaces a removed item: the same in every language, so a reader sees something was there. */
export const REDACTED = '[***]';

export type RedactedKind = 'email' | 'phone' | 'citizen_id' | 'name';

// A run must not continue a word, a number or a code on either side ("H26-261127-0001").
const BEFORE = String.raw`(?<![\p{L}\p{N}@]|[\p{L}\p{N}][.\-/])`;
const AFTER = String.raw`(?![.\-/]?[\p{L}\p{N}])`;
// Amounts: a number followed by a currency word is money, never a phone or an ID.
const MONEY_AFTER = String.raw`(?!\s*(?:đồng|đ|vnđ|vnd|dong)(?![\p{L}]))`;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 0 / 84 / +84, then digits that may be grouped by one space, dot or dash.
const PHONE = new RegExp(`${BEFORE}(?:\\+84|84|0)(?:[ .\\-]?\\d){8,10}${AFTER}${MONEY_AFTER}`, 'gu');
const ID = new RegExp(`${BEFORE}(?:\\d{12}|\\d{9})${AFTER}${MONEY_AFTER}`, 'gu');

/** True for the digit strings of Vietnamese mobile and fixed-line numbers, national or international. */
export function isVietnamesePhone(digits: string): boolean {
  const national = digits.startsWith('84') ? `0${digits.slice(2)}` : digits;
  // Mobiles 03/05/07/08/09 + 8 digits; fixed lines 02 + 9 digits (area code + subscriber).
  return /^0[35789]\d{8}$/.test(national) || /^02\d{9}$/.test(national);
}

export interface Redaction {
  text: string;
  removed: Partial<Record<RedactedKind, number>>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every phone number, ID number and e-mail address in `text` by REDACTED, and the
 * names given (the author's, as typed in the form). A name of one word is left alone: "Hoa"
 * alone is also a word of ordinary text ("Hoa Kỳ").
 */
export function redact(text: string, opts: { names?: readonly string[] } = {}): Redaction {
  const removed: Partial<Record<RedactedKind, number>> = {};
  const count = (k: RedactedKind) => (removed[k] = (removed[k] ?? 0) + 1);
  let named = text.normalize('NFC');
  for (const raw of opts.names ?? []) {
    const parts = raw.normalize('NFC').trim().split(/\s+/).filter(Boolean);
    if (parts.length < 2) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${parts.map(escape).join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
    named = named.replace(re, () => {
      count('name');
      return REDACTED;
    });
  }
  const out = named
    .replace(EMAIL, () => {
      count('email');
      return REDACTED;
    })
    .replace(PHONE, (m) => {
      if (!isVietnamesePhone(m.replace(/\D/g, ''))) return m;
      count('phone');
      return REDACTED;
    })
    .replace(ID, () => {
      count('citizen_id');
      return REDACTED;
    });
  return { text: out, removed };
}

/** The published form of a text. */
export function redactText(text: string, names: readonly string[] = []): string {
  return redact(text, { names }).text;
}
