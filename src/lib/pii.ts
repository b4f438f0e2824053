import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Application-level encryption of personal data at rest (Decree 13/2023/ND-CP): phone numbers and
 * citizen ID numbers are stored as AES-256-GCM ciphertext `v1:<kid>:<iv>:<ct+tag>` (base64url), so
 * a database dump, a backup or a replica does not expose them; a keyed HMAC-SHA256 of the
 * normalised value is stored beside for lookups and unique constraints. docs/privacy.md.
 */

export class PiiKeyError extends Error {
  override name = 'PiiKeyError';
}

export interface PiiKeys {
  /** Encryption keys by id; `current` encrypts, every key decrypts (rotation). */
  keys: Map<string, Buffer>;
  current: string;
  /** HMAC key of the lookup hashes; not rotated by `pii:rotate` (it would change every hash). */
  hashKey: Buffer;
  /** True when the keys were derived from a fixed development secret (never in production). */
  derived: boolean;
}

const KID = /^[A-Za-z0-9_-]{1,16}$/;
const PREFIX = 'v1:';
// The development key is derived from a fixed, public string: data encrypted with it is not secret.
const DEV_SECRET = 'motcua-development-pii-key-not-secret';

function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text, /^[0-9a-f]{64}$/i.test(text) ? 'hex' : 'base64');
  if (key.length !== 32) throw new PiiKeyError(`${what} must be 32 bytes (base64 or 64 hex digits), got ${key.length}.`);
  return key;
}

/** Parses `PII_KEYS=kid1:base64key,kid0:oldkey` (first is current) and `PII_HASH_KEY`. */
export function parsePiiKeys(keysText: string | undefined, hashKeyText: string | undefined): PiiKeys {
  if (!keysText) {
    const dev = createHash('sha256').update(DEV_SECRET).digest();
    return {
      keys: new Map([['dev', dev]]),
      current: 'dev',
      hashKey: hashKeyText ? decodeKey(hashKeyText, 'PII_HASH_KEY') : createHash('sha256').update(`${DEV_SECRET}:hash`).digest(),
      derived: true,
    };
  }
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const part of keysText.split(',').map((p) => p.trim())) {
    const i = part.indexOf(':');
    const kid = i > 0 ? part.slice(0, i) : '';
    if (!KID.test(kid)) throw new PiiKeyError(`PII_KEYS: each entry is <kid>:<key> with a kid of letters, digits, - or _ (got "${kid}").`);
    if (keys.has(kid)) throw new PiiKeyError(`PII_KEYS: key id "${kid}" appears twice.`);
    keys.set(kid, decodeKey(part.slice(i + 1), `PII_KEYS key "${kid}"`));
    current ||= kid;
  }
  if (!hashKeyText) throw new PiiKeyError('PII_HASH_KEY is required when PII_KEYS is set (32 random bytes, base64).');
  return { keys, current, hashKey: decodeKey(hashKeyText, 'PII_HASH_KEY'), derived: false };
}

/**
 * What a lookup hash is of; `lookup_check` is the last four digits a tracking lookup asks for,
 * `contest_code` a participant's one-time SMS code.
 */
export type PiiKind = 'phone' | 'citizen_id' | 'lookup_check' | 'contest_code';

export class PiiCipher {
  readonly #k: PiiKeys;
  constructor(keys: PiiKeys) {
    this.#k = keys;
  }

  get currentKid(): string {
    return this.#k.current;
  }

  get derived(): boolean {
    return this.#k.derived;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const kid = this.#k.current;
    const c = createCipheriv('aes-256-gcm', this.#k.keys.get(kid)!, iv);
    // The key id is authenticated data: a ciphertext relabelled with another kid is refused.
    c.setAAD(Buffer.from(kid));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `${PREFIX}${kid}:${iv.toString('base64url')}:${ct.toString('base64url')}`;
  }

  decrypt(stored: string): string {
    const parts = stored.split(':');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new PiiKeyError('Not a motcua PII ciphertext (expected v1:<kid>:<iv>:<ct>).');
    const [, kid, ivText, ctText] = parts as [string, string, string, string];
    const key = this.#k.keys.get(kid);
    if (!key) throw new PiiKeyError(`Unknown PII key id "${kid}": add it to PII_KEYS (old keys stay until pii:rotate has run).`);
    const iv = Buffer.from(ivText, 'base64url');
    const ct = Buffer.from(ctText, 'base64url');
    if (iv.length !== 12 || ct.length < 16) throw new PiiKeyError('Malformed PII ciphertext.');
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(Buffer.from(kid));
    d.setAuthTag(ct.subarray(ct.length - 16));
    try {
      return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString('utf8');
    } catch {
      throw new PiiKeyError('PII ciphertext failed authentication (tampered, or encrypted under another key).');
    }
  }

  encryptNullable(plain: string | null | undefined): string | null {
    return plain == null || plain === '' ? null : this.encrypt(plain);
  }

  decryptNullable(stored: string | null | undefined): string | null {
    return stored == null ? null : this.decrypt(stored);
  }

  /** Whether a stored value is under the current key (what `pii:rotate` leaves untouched). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.#k.current}:`);
  }

  /**
   * Keyed lookup hash of an already normalised value (national phone form, 12-digit ID). The kind
   * is part of the input so a phone and an ID with the same digits never collide.
   */
  hash(kind: PiiKind, normalized: string): string {
    return createHmac('sha256', this.#k.hashKey).update(`${kind}:${normalized}`).digest('base64url');
  }

  hashNullable(kind: PiiKind, normalized: string | null | undefined): string | null {
    return normalized == null || normalized === '' ? null : this.hash(kind, normalized);
  }
}

const CIPHERTEXT = /^v1:[A-Za-z0-9_-]{1,16}:[\w-]{16}:[\w-]{22,}$/;

export function isCiphertext(value: string): boolean {
  return value.startsWith(PREFIX) && CIPHERTEXT.test(value);
}

let shared: PiiCipher | null = null;
let warned = false;

/**
 * The process-wide cipher, from PII_KEYS / PII_HASH_KEY. Migrations and seeds use it as well as
 * the app, so it is read from the environment rather than passed down from the app's config.
 * src/config.ts refuses to start in production without the keys.
 */
export function pii(): PiiCipher {
  if (!shared) {
    shared = new PiiCipher(parsePiiKeys(process.env.PII_KEYS || undefined, process.env.PII_HASH_KEY || undefined));
    if (shared.derived && process.env.NODE_ENV === 'production' && !warned) {
      warned = true;
      console.error('WARNING: PII_KEYS is not set: personal data is encrypted with a public development key.');
    }
  }
  return shared;
}

/** Replaces the process-wide cipher (tests of rotation, the rotate command). */
export function setPii(cipher: PiiCipher | null): void {
  shared = cipher;
}

/** 0912345678 -> 0912***678: enough to recognise one's own number, not to call it. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 7)}${phone.slice(-3)}`;
}

/** Public pages (rankings): the last three digits only, 0912345678 -> *******678. */
export function maskPhonePublic(phone: string | null | undefined): string {
  if (!phone) return '';
  return `${'*'.repeat(Math.max(0, phone.length - 3))}${phone.slice(-3)}`;
}

/** 001090012345 -> ********2345. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  return `${'*'.repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;
}
