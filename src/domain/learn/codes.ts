import { randomInt } from 'node:crypto';

// Class codes are typed by pupils from a board or a slip of paper: 6 characters from 32 that
// cannot be mistaken for one another (no 0/O, no 1/I). 32^6 ≈ 1.07 billion codes, drawn at random,
// so guessing one among a city's few thousand classes takes about 10^5 tries on average.
export const CLASS_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CLASS_CODE_LENGTH = 6;
const CODE = new RegExp(`^[${CLASS_CODE_ALPHABET}]{${CLASS_CODE_LENGTH}}$`);

export function newClassCode(pick: (n: number) => number = randomInt): string {
  let s = '';
  for (let i = 0; i < CLASS_CODE_LENGTH; i++) s += CLASS_CODE_ALPHABET[pick(CLASS_CODE_ALPHABET.length)];
  return s;
}

/** What the pupil typed, as a code: any case, spaces and dashes ignored; null when it cannot be one. */
export function normalizeClassCode(input: string): string | null {
  const s = input.normalize('NFC').toUpperCase().replace(/[\s-]/g, '');
  return CODE.test(s) ? s : null;
}

/** Shown in two halves ("ABC DEF"), easier to read aloud and to copy. */
export function displayClassCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
