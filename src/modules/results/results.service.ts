// Results of dossiers: the signed electronic document (or a paper-result marker) and its public
// verification. The signature is Ed25519 over a canonical payload that binds the file's SHA-256 to
// the dossier code, the kind, the issue time and the key; verification recomputes that payload from
// the database row and checks it with the public key registered for the row's key id.
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DossierResultTable } from '../../db/types.js';
import { resultPdf } from '../../docs/result-pdf.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { AppError } from '../../lib/errors.js';
import { keyIdOf, verifyWithPublicKey, type ResultSigner } from '../../lib/signing.js';
import { sniffMediaType, type FileStore } from '../../lib/storage.js';

export interface ResultDocInput {
  dossierId: number;
  code: string;
  locale: 'vi' | 'en';
  procedure: { vi: string; en: string };
  procedureCode: string;
  unit: { vi: string; en: string };
  unitCode: string;
  applicantName: string;
  kind: 'approval' | 'rejection';
  /** Approval: what is decided/granted; rejection: the reason. */
  text: string;
  legalBasis?: string | null;
  signerName: string;
  issuedAt: Date;
}

export interface PreparedResult {
  kind: 'approval' | 'rejection';
  medium: 'electronic' | 'paper';
  fileSha256: string | null;
  verifyToken: string;
  keyId: string | null;
  signature: string | null;
  issuedAt: Date;
  size: number | null;
}

/** Why a document is not confirmed: no result has this file (or token), the signature fails, or its key is unknown. */
export type VerifyFailure = 'unknown_document' | 'bad_signature' | 'unknown_key' | 'file_mismatch';

/** What the public may learn about a result: no personal data beyond the applicant's given name. */
export interface VerifiedResult {
  dossierCode: string;
  kind: 'approval' | 'rejection';
  medium: 'electronic' | 'paper';
  issuedAt: Date;
  unit: { vi: string; en: string };
  procedure: { vi: string; en: string };
  procedureCode: string;
  /** Vietnamese given name: the last word of the full name. */
  applicantFirstName: string;
  keyId: string | null;
  sha256: string | null;
  verifyToken: string;
}

export type VerifyOutcome = { authentic: true; result: VerifiedResult } | { authentic: false; reason: VerifyFailure };

export interface PublicKeyInfo {
  id: string;
  algorithm: 'ed25519';
  publicKey: string;
  createdAt: Date;
  retiredAt: Date | null;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** 128 random bits in base64url: 22 characters. */
export const VERIFY_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The exact text that is signed. Any change to a field here is a new version `v`. */
export function resultPayload(p: {
  sha256: string;
  verifyToken: string;
  dossierCode: string;
  kind: string;
  medium: string;
  issuedAt: Date;
  keyId: string;
}): string {
  return canonicalJson({
    v: 1,
    sha256: p.sha256,
    verifyToken: p.verifyToken,
    dossierCode: p.dossierCode,
    kind: p.kind,
    medium: p.medium,
    issuedAt: p.issuedAt.toISOString(),
    keyId: p.keyId,
  });
}

export const givenName = (fullName: string) => fullName.trim().split(/\s+/).pop() ?? '';

export class ResultService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly files: FileStore,
    readonly signer: ResultSigner,
    private readonly baseUrl: string,
  ) {}

  verifyUrl(token: string): string {
    return `${this.baseUrl}/verify/${token}`;
  }

  /** Registers the signer's public key (start-up). */
  ensureSigningKey(): Promise<void> {
    return this.signer.ensureSigningKey(this.db);
  }

  /** Builds and signs the PDF and stores its bytes (content store). Runs outside any transaction. */
  async prepareElectronic(input: ResultDocInput): Promise<PreparedResult> {
    const verifyToken = newVerifyToken();
    const keyId = this.signer.keyId;
    const bytes = await resultPdf({
      locale: input.locale,
      kind: input.kind,
      code: input.code,
      unit: input.unit,
      procedure: { code: input.procedureCode, name: input.procedure },
      applicantName: input.applicantName,
      text: input.text,
      legalBasis: input.legalBasis ?? null,
      signerName: input.signerName,
      issuedAt: input.issuedAt,
      verifyUrl: this.verifyUrl(verifyToken),
      keyId,
    });
    const sha256 = await this.files.put(bytes);
    const signature = this.signer.sign(
      resultPayload({
        sha256,
        verifyToken,
        dossierCode: input.code,
        kind: input.kind,
        medium: 'electronic',
        issuedAt: input.issuedAt,
        keyId,
      }),
    );
    return {
      kind: input.kind,
      medium: 'electronic',
      fileSha256: sha256,
      verifyToken,
      keyId,
      signature,
      issuedAt: input.issuedAt,
      size: bytes.length,
    };
  }

  /** A paper result: no file, only a verify token and the marker. */
  preparePaper(kind: 'approval' | 'rejection', issuedAt: Date): PreparedResult {
    return { kind, medium: 'paper', fileSha256: null, verifyToken: newVerifyToken(), keyId: null, signature: null, issuedAt, size: null };
  }

  /** Inside the caller's transaction: the stored_file row (on conflict do nothing) and the dossier_result row. Returns its id. */
  async record(trx: Transaction<DB>, dossierId: number, issuedBy: number, p: PreparedResult, reason: string | null): Promise<number> {
    if (p.medium === 'electronic') {
      if (!p.fileSha256 || !p.signature || !p.keyId || p.size === null)
        throw new Error('An electronic result needs its file, key and signature');
      // A result prepared for another dossier (or by a key that is not registered) would never
      // verify: refuse it here rather than issue a document that the public page calls false.
      const d = await trx.selectFrom('dossier').select('code').where('id', '=', dossierId).executeTakeFirst();
      const key = await trx.selectFrom('signing_key').select('public_key').where('id', '=', p.keyId).executeTakeFirst();
      const payload = d?.code && resultPayload({ ...p, sha256: p.fileSha256, dossierCode: d.code, keyId: p.keyId });
      if (!payload || !key || !verifyWithPublicKey(key.public_key, payload, p.signature)) {
        throw new Error(`The prepared result does not verify for dossier ${dossierId} (was it prepared for another dossier?)`);
      }
      await trx
        .insertInto('stored_file')
        .values({ sha256: p.fileSha256, size: p.size, media_type: 'application/pdf' })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const row = await trx
      .insertInto('dossier_result')
      .values({
        dossier_id: dossierId,
        kind: p.kind,
        medium: p.medium,
        file_sha256: p.fileSha256,
        verify_token: p.verifyToken,
        key_id: p.keyId,
        signature: p.signature,
        issued_at: p.issuedAt,
        issued_by: issuedBy,
        reason,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The latest result of a dossier, or undefined. */
  latest(db: Kysely<DB> | Transaction<DB>, dossierId: number): Promise<Selectable<DossierResultTable> | undefined> {
    return db
      .selectFrom('dossier_result')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('issued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The PDF bytes of an electronic result. */
  readFile(sha256: string): Promise<Buffer> {
    return this.files.get(sha256);
  }

  /** Is this file a result we issued, unchanged? Refuses what is not a PDF (a 4xx, not a "no"). */
  async verifyBytes(bytes: Buffer): Promise<VerifyOutcome> {
    assertPdf(bytes);
    return this.verifyHash(sha256Hex(bytes));
  }

  /** By the SHA-256 of the file (lowercase hex), for callers that hash locally. */
  async verifyHash(sha256: string): Promise<VerifyOutcome> {
    const sha = sha256.toLowerCase();
    if (!SHA256.test(sha)) throw new AppError('invalid_sha256');
    const row = await this.find('file_sha256', sha);
    return row ? this.check(row) : { authentic: false, reason: 'unknown_document' };
  }

  /** The record a QR code points to. An unknown (or malformed) token is a 404: there is nothing to show. */
  async verifyToken(token: string): Promise<VerifyOutcome> {
    const row = VERIFY_TOKEN.test(token) ? await this.find('verify_token', token) : undefined;
    if (!row) throw new AppError('result_not_found');
    return this.check(row);
  }

  /** A file checked against the record of a token: it must be that record's file, and the record must verify. */
  async verifyTokenBytes(token: string, bytes: Buffer): Promise<VerifyOutcome> {
    const outcome = await this.verifyToken(token);
    assertPdf(bytes);
    if (!outcome.authentic) return outcome;
    if (outcome.result.sha256 !== sha256Hex(bytes)) return { authentic: false, reason: 'file_mismatch' };
    return outcome;
  }

  /** Every public key that ever signed, newest first. */
  async publicKeys(): Promise<PublicKeyInfo[]> {
    const rows = await this.db.selectFrom('signing_key').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      algorithm: r.algorithm,
      publicKey: r.public_key,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  private find(column: 'file_sha256' | 'verify_token', value: string) {
    return this.db
      .selectFrom('dossier_result as r')
      .innerJoin('dossier as d', 'd.id', 'r.dossier_id')
      .innerJoin('unit as u', 'u.id', 'd.unit_id')
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .select([
        'r.kind',
        'r.medium',
        'r.file_sha256',
        'r.verify_token',
        'r.key_id',
        'r.signature',
        'r.issued_at',
        'd.code',
        'd.applicant_name',
        'u.name_vi as unit_vi',
        'u.name_en as unit_en',
        'p.code as procedure_code',
        'p.name_vi as procedure_vi',
        'p.name_en as procedure_en',
      ])
      .where(column === 'file_sha256' ? 'r.file_sha256' : 'r.verify_token', '=', value)
      .orderBy('r.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  private async check(row: NonNullable<Awaited<ReturnType<ResultService['find']>>>): Promise<VerifyOutcome> {
    if (row.medium === 'electronic') {
      if (!row.key_id || !row.signature || !row.file_sha256 || !row.code) return { authentic: false, reason: 'bad_signature' };
      const key = await this.db.selectFrom('signing_key').select(['id', 'public_key']).where('id', '=', row.key_id).executeTakeFirst();
      // The row's id must be the key's own fingerprint: a swapped public key is not the key that signed.
      if (!key || !fingerprintMatches(key.public_key, key.id)) return { authentic: false, reason: 'unknown_key' };
      const payload = resultPayload({
        sha256: row.file_sha256,
        verifyToken: row.verify_token,
        dossierCode: row.code,
        kind: row.kind,
        medium: row.medium,
        issuedAt: row.issued_at,
        keyId: row.key_id,
      });
      if (!verifyWithPublicKey(key.public_key, payload, row.signature)) return { authentic: false, reason: 'bad_signature' };
    }
    return {
      authentic: true,
      result: {
        dossierCode: row.code ?? '',
        kind: row.kind,
        medium: row.medium,
        issuedAt: row.issued_at,
        unit: { vi: row.unit_vi, en: row.unit_en },
        procedure: { vi: row.procedure_vi, en: row.procedure_en },
        procedureCode: row.procedure_code,
        applicantFirstName: givenName(row.applicant_name),
        keyId: row.key_id,
        sha256: row.file_sha256,
        verifyToken: row.verify_token,
      },
    };
  }
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function newVerifyToken(): string {
  return randomBytes(16).toString('base64url');
}

function assertPdf(bytes: Buffer) {
  if (bytes.length === 0) throw new AppError('file_required');
  if (sniffMediaType(bytes) !== 'application/pdf') throw new AppError('not_a_pdf');
}

function fingerprintMatches(publicKeyPem: string, id: string): boolean {
  try {
    return keyIdOf(createPublicKey(publicKeyPem)) === id;
  } catch {
    return false;
  }
}
