import { isCiphertext, pii, type PiiCipher } from './pii.js';

/**
 * Personal data inside records that are not one column per value: the applicant of a dossier (a
 * JSON object), the answers of its online form (a JSON object whose phone and citizen ID fields
 * are known from the procedure's form definition), and plain text columns read by many queries.
 * Values are sealed here on the way in and opened by the database plugin on the way out
 * (src/db/pii-plugin.ts), so the many pages that read a dossier never see a ciphertext.
 */

/** Keys of the applicant object that hold personal numbers. */
export const APPLICANT_SECRET_KEYS = ['phone', 'citizenId'] as const;

/** The last four digits of each factor a tracking lookup accepts, as keyed hashes (the lookup's check). */
export function lookupChecks(cipher: PiiCipher, ...factors: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const f of factors) {
    const digits = f?.replace(/\D/g, '') ?? '';
    if (digits.length >= 4) out.push(cipher.hash('lookup_check', digits.slice(-4)));
  }
  return out;
}

/** The tracking check as typed (four digits), hashed the way `lookupChecks` stored it. */
export function lookupCheckHash(check: string, cipher = pii()): string {
  return cipher.hash('lookup_check', check);
}

/**
 * A stored string that is not personal but looks like a ciphertext (someone typed one) is sealed
 * too, so that everything looking like a ciphertext in these records really is one and opens back
 * to what was typed.
 */
function sealString(v: unknown, secret: boolean, cipher: PiiCipher): unknown {
  if (typeof v !== 'string' || v === '') return v;
  return secret || isCiphertext(v) ? cipher.encrypt(v) : v;
}

function openString(v: unknown, cipher: PiiCipher): unknown {
  return typeof v === 'string' && isCiphertext(v) ? cipher.decrypt(v) : v;
}

/** The applicant object as stored: phone and citizen ID sealed, the rest as given. */
export function sealApplicant<T extends object>(a: T, cipher = pii()): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = sealString(v, (APPLICANT_SECRET_KEYS as readonly string[]).includes(k), cipher);
  return out as T;
}

/** The form-field shape this needs (src/domain/dossier/form.ts FieldDef). */
interface FieldShape {
  name: string;
  type: string;
  fields?: FieldShape[];
}

const SECRET_FIELD_TYPES = new Set(['phone', 'citizen_id']);

function sealValues(defs: readonly FieldShape[], values: Record<string, unknown>, cipher: PiiCipher): Record<string, unknown> {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const def = byName.get(k);
    if (Array.isArray(v))
      out[k] = v.map((row) =>
        row && typeof row === 'object' ? sealValues(def?.fields ?? [], row as Record<string, unknown>, cipher) : row,
      );
    else out[k] = sealString(v, def !== undefined && SECRET_FIELD_TYPES.has(def.type), cipher);
  }
  return out;
}

/** A form's answers as stored: the values of phone and citizen ID fields (in groups too) sealed. */
export function sealForm(defs: readonly FieldShape[] | null | undefined, values: object, cipher = pii()): Record<string, unknown> {
  return sealValues(defs ?? [], values as Record<string, unknown>, cipher);
}

/** Opens every sealed value of a stored applicant or form (top level and group rows). */
export function openRecord(value: unknown, cipher: PiiCipher): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out[k] = v.map((row) => (row && typeof row === 'object' ? openRecord(row, cipher) : openString(row, cipher)));
    else out[k] = openString(v, cipher);
  }
  return out;
}

export function openText(value: unknown, cipher: PiiCipher): unknown {
  return openString(value, cipher);
}
