// Formats of the identifiers citizens and businesses use. Pure functions, no I/O.

/**
 * Province codes that open a 12-digit citizen ID (Circular 07/2016/TT-BCA, Annex I): the province
 * where the birth was registered. 001 is Hà Nội.
 */
const PROVINCE_CODES = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
]);

export function isValidCitizenId(id: string): boolean {
  return /^\d{12}$/.test(id) && PROVINCE_CODES.has(id.slice(0, 3));
}

/** The province of birth registration encoded in a valid citizen ID. */
export function citizenIdProvince(id: string): string | null {
  return isValidCitizenId(id) ? id.slice(0, 3) : null;
}

/** Shows only the last three digits: public pages never show a full ID. */
export function maskCitizenId(id: string): string {
  return `${'•'.repeat(Math.max(0, id.length - 3))}${id.slice(-3)}`;
}

/**
 * Vietnamese mobile numbers since the 2018 renumbering: 10 digits, 03/05/07/08/09. Accepts +84 and
 * spaces or dots as typed, returns the national form (0xxxxxxxxx) or null.
 */
export function normalizePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+84')
    ? `0${compact.slice(3)}`
    : compact.startsWith('84') && compact.length === 11
      ? `0${compact.slice(2)}`
      : compact;
  return /^0[35789]\d{8}$/.test(national) ? national : null;
}

export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (email.length > 254) return null;
  return /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(email)
    ? email
    : null;
}

/**
 * Enterprise/tax codes: 10 digits, or 10 digits, a dash and 3 digits for a dependent unit. The
 * tenth digit is a check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3; 10 - sum mod 11).
 */
export function normalizeTaxCode(input: string): string | null {
  const code = input.replace(/\s/g, '');
  const m = /^(\d{10})(?:-(\d{3}))?$/.exec(code);
  if (!m) return null;
  const digits = m[1]!;
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const check = 10 - (sum % 11);
  if (check === 10 || check !== Number(digits[9])) return null;
  return code;
}

/** Names of people and organisations: letters with any diacritics, digits, common punctuation. */
export function normalizeName(input: string): string | null {
  const name = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length < 2 || name.length > 120) return null;
  return /^[\p{L}\p{M}\d .,'&()/-]+$/u.test(name) ? name : null;
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export function isAcceptablePassword(pw: string): boolean {
  return pw.length >= MIN_PASSWORD_LENGTH && pw.length <= MAX_PASSWORD_LENGTH;
}
