import { isRealDate } from '../../lib/dates.js';
import { isValidCitizenId, normalizeEmail, normalizePhone } from '../identity.js';

/** The field shapes of a procedure version's online form (catalogue.schema.ts FormField). */
export interface SimpleFieldDef {
  name: string;
  type: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'address' | 'citizen_id' | 'phone' | 'email';
  required?: boolean;
  options?: { value: string }[];
}
export interface GroupFieldDef {
  name: string;
  type: 'group';
  required?: boolean;
  fields: SimpleFieldDef[];
}
export type FieldDef = SimpleFieldDef | GroupFieldDef;

export type FieldProblem =
  | 'field_required'
  | 'invalid_date'
  | 'invalid_number'
  | 'invalid_option'
  | 'invalid_citizen_id'
  | 'invalid_phone'
  | 'invalid_email'
  | 'text_too_long'
  | 'ward_not_found'
  | 'too_many_rows';

export type Address = { ward: string; street: string };
export type FieldValue = string | number | Address;
export type FormValues = Record<string, FieldValue | Record<string, FieldValue>[]>;

export const MAX_GROUP_ROWS = 20;
const MAX_TEXT = 200;
const MAX_TEXTAREA = 2000;

export interface FormCheck {
  values: FormValues;
  /** Path (`name`, `addr.ward`, `group.0.name`) -> problem. */
  errors: Record<string, FieldProblem>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.normalize('NFC').trim() : typeof v === 'number' ? String(v) : '');

/** dd/mm/yyyy as typed, or ISO as a date input sends it; returns ISO or null. */
export function parseFormDate(s: string): string | null {
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : s;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isRealDate(iso) ? iso : null;
}

function checkSimple(
  f: SimpleFieldDef,
  raw: unknown,
  path: string,
  errors: Record<string, FieldProblem>,
  opts: { draft: boolean; isWard: (code: string) => boolean },
): FieldValue | undefined {
  if (f.type === 'address') {
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const ward = str(o.ward);
    const street = str(o.street);
    if (!ward && !street) {
      if (f.required && !opts.draft) errors[`${path}.ward`] = 'field_required';
      return undefined;
    }
    if (street.length > MAX_TEXT) errors[`${path}.street`] = 'text_too_long';
    if (!ward) {
      if (!opts.draft) errors[`${path}.ward`] = 'field_required';
    } else if (!opts.isWard(ward)) errors[`${path}.ward`] = 'ward_not_found';
    if (!street && f.required && !opts.draft) errors[`${path}.street`] = 'field_required';
    return { ward, street };
  }
  const s = str(raw);
  if (s === '') {
    if (f.required && !opts.draft) errors[path] = 'field_required';
    return undefined;
  }
  switch (f.type) {
    case 'text':
    case 'textarea':
      if (s.length > (f.type === 'text' ? MAX_TEXT : MAX_TEXTAREA)) errors[path] = 'text_too_long';
      return s;
    case 'number': {
      const n = Number(s.replace(',', '.'));
      if (!/^-?\d+([.,]\d+)?$/.test(s) || !Number.isFinite(n) || Math.abs(n) > 1e12) errors[path] = 'invalid_number';
      return n;
    }
    case 'date': {
      const d = parseFormDate(s);
      if (!d) errors[path] = 'invalid_date';
      return d ?? s;
    }
    case 'select':
      if (!(f.options ?? []).some((o) => o.value === s)) errors[path] = 'invalid_option';
      return s;
    case 'citizen_id': {
      const id = s.replace(/\s/g, '');
      if (!isValidCitizenId(id)) errors[path] = 'invalid_citizen_id';
      return id;
    }
    case 'phone': {
      const p = normalizePhone(s);
      if (!p) errors[path] = 'invalid_phone';
      return p ?? s;
    }
    case 'email': {
      const e = normalizeEmail(s);
      if (!e) errors[path] = 'invalid_email';
      return e ?? s;
    }
  }
}

/**
 * Checks what an applicant typed against the form of a procedure version. Drafts keep whatever
 * was typed (so nothing is lost) and skip the "required" check; unknown keys are dropped.
 */
export function checkForm(
  fields: readonly FieldDef[],
  data: unknown,
  opts: { draft: boolean; isWard: (code: string) => boolean },
): FormCheck {
  const input = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const values: FormValues = {};
  const errors: Record<string, FieldProblem> = {};
  for (const f of fields) {
    if (f.type === 'group') {
      const rows = Array.isArray(input[f.name]) ? (input[f.name] as unknown[]) : [];
      if (rows.length > MAX_GROUP_ROWS) errors[f.name] = 'too_many_rows';
      const kept: Record<string, FieldValue>[] = [];
      for (const row of rows.slice(0, MAX_GROUP_ROWS)) {
        const r = (row && typeof row === 'object' ? row : {}) as Record<string, unknown>;
        // A row left entirely blank is not an answer: it is dropped rather than reported.
        if (f.fields.every((sf) => (sf.type === 'address' ? !str((r[sf.name] as Address | undefined)?.ward) : str(r[sf.name]) === '')))
          continue;
        const out: Record<string, FieldValue> = {};
        for (const sf of f.fields) {
          const v = checkSimple(sf, r[sf.name], `${f.name}.${kept.length}.${sf.name}`, errors, opts);
          if (v !== undefined) out[sf.name] = v;
        }
        kept.push(out);
      }
      if (kept.length === 0 && f.required && !opts.draft) errors[`${f.name}.0.${f.fields[0]!.name}`] = 'field_required';
      values[f.name] = kept;
    } else {
      const v = checkSimple(f, input[f.name], f.name, errors, opts);
      if (v !== undefined) values[f.name] = v;
    }
  }
  return { values, errors };
}
