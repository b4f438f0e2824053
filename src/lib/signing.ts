// Ed25519 signatures on result documents, with node:crypto only. The private key stays in a file
// (configured, or generated once under FILES_DIR/keys); every public key that ever signed is kept
// in `signing_key`, so a document signed before a key rotation still verifies.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';

export const SIGNING_ALGORITHM = 'ed25519';

/** First 16 hex characters of the SHA-256 of the raw 32-byte public key: short enough to print, long enough to be unique. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Checks a base64 Ed25519 signature with a PEM (SPKI) public key; any malformed input is simply "not valid". */
export function verifyWithPublicKey(publicKeyPem: string, payload: string, signature: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== SIGNING_ALGORITHM) return false;
    const sig = Buffer.from(signature, 'base64');
    if (sig.length !== 64) return false;
    return verify(null, Buffer.from(payload, 'utf8'), key, sig);
  } catch {
    return false;
  }
}

export interface SignerOptions {
  /** SIGNING_KEY_FILE: a PKCS#8 PEM Ed25519 private key, or null to use (and create) the generated one. */
  keyFile: string | null;
  filesDir: string;
  production: boolean;
  log?: { warn(obj: object, msg: string): void } | null;
}

/** Where the generated key lives when no key file is configured. */
export const generatedKeyPath = (filesDir: string) => join(filesDir, 'keys', 'result-signing.pem');

function loadPrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new Error(`The result signing key in ${source} is not a readable PKCS#8 PEM private key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== SIGNING_ALGORITHM) {
    throw new Error(`The result signing key in ${source} is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519.`);
  }
  return key;
}

/** Reads the generated key, or creates it; `wx` makes two processes starting at once agree on one key. */
function generatedKey(path: string): { key: KeyObject; created: boolean } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to a directory it creates (and through the umask): make sure.
  chmodSync(dirname(path), 0o700);
  try {
    return { key: loadPrivateKey(readFileSync(path, 'utf8'), path), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { privateKey } = generateKeyPairSync(SIGNING_ALGORITHM);
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    return { key: privateKey, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { key: loadPrivateKey(readFileSync(path, 'utf8'), path), created: false };
  }
}

/** The system's result-signing key: signs payloads and registers its public half. */
export class ResultSigner {
  readonly keyId: string;
  /** SPKI PEM of the public key, as stored in `signing_key`. */
  readonly publicKeyPem: string;
  private readonly publicKey: KeyObject;

  private constructor(
    private readonly privateKey: KeyObject,
    /** The file the key came from (for messages; never the key itself). */
    readonly source: string,
    readonly generated: boolean,
  ) {
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    this.keyId = keyIdOf(this.publicKey);
  }

  /** Synchronous, so the services can be built in one go at start-up (a few file reads, once). */
  static load(opts: SignerOptions): ResultSigner {
    if (opts.keyFile) {
      let pem: string;
      try {
        pem = readFileSync(opts.keyFile, 'utf8');
      } catch (e) {
        throw new Error(`SIGNING_KEY_FILE=${opts.keyFile} cannot be read: ${(e as Error).message}`);
      }
      return new ResultSigner(loadPrivateKey(pem, opts.keyFile), opts.keyFile, false);
    }
    const path = generatedKeyPath(opts.filesDir);
    const { key, created } = generatedKey(path);
    const signer = new ResultSigner(key, path, true);
    if (opts.production) {
      opts.log?.warn(
        { keyId: signer.keyId, path, created },
        'results are signed with a key generated on this server; set SIGNING_KEY_FILE to a managed key and keep a backup',
      );
    }
    return signer;
  }

  /** Base64 Ed25519 signature of the UTF-8 payload. */
  sign(payload: string): string {
    return sign(null, Buffer.from(payload, 'utf8'), this.privateKey).toString('base64');
  }

  verify(payload: string, signature: string): boolean {
    return verifyWithPublicKey(this.publicKeyPem, payload, signature);
  }

  /**
   * Registers this key's public half. Other keys are marked retired (they no longer sign here, but
   * their documents keep verifying); this key is un-retired if an operator went back to it.
   */
  async ensureSigningKey(db: Kysely<DB>): Promise<void> {
    const now = new Date();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('signing_key')
        .values({ id: this.keyId, algorithm: SIGNING_ALGORITHM, public_key: this.publicKeyPem, retired_at: null })
        .onConflict((oc) => oc.column('id').doUpdateSet({ retired_at: null }).where('signing_key.retired_at', 'is not', null))
        .execute();
      await trx.updateTable('signing_key').set({ retired_at: now }).where('id', '!=', this.keyId).where('retired_at', 'is', null).execute();
    });
  }
}
