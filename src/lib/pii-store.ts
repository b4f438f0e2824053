import { sql, type Kysely } from 'kysely';
import { normalizePhone } from '../domain/identity.js';
import { isCiphertext, pii, type PiiCipher, type PiiKind } from './pii.js';

/** A column holding personal data as ciphertext, with the column of its lookup hash if any. */
export interface PiiColumn {
  table: string;
  /** The table's primary key column (an integer). */
  key: string;
  column: string;
  kind: PiiKind;
  hash: string | null;
}

/**
 * Every encrypted column (docs/privacy.md, "Inventory"). `pii:rotate` re-encrypts these; a new
 * encrypted column is added here and converted by its migration with `encryptColumns`.
 */
export const PII_COLUMNS: readonly PiiColumn[] = [
  { table: 'account', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
  { table: 'account', key: 'id', column: 'citizen_id', kind: 'citizen_id', hash: 'citizen_id_hash' },
  { table: 'contest_participant', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
  { table: 'contest_participant', key: 'id', column: 'citizen_id', kind: 'citizen_id', hash: 'citizen_id_hash' },
];

/** The login-name form of a phone number in account_identifier: its keyed hash, never the number. */
export function phoneIdentifier(cipher: PiiCipher, normalizedPhone: string): string {
  return `#p:${cipher.hash('phone', normalizedPhone)}`;
}

function normalizeFor(kind: PiiKind, plain: string): string {
  return kind === 'phone' ? (normalizePhone(plain) ?? plain) : plain.trim();
}

export interface EncryptReport {
  /** Plaintext values encrypted (an existing deployment's rows, or rows a bulk loader wrote). */
  encrypted: number;
  /** Ciphertexts under an older key re-encrypted under the current one. */
  rotated: number;
}

/**
 * Brings every value of the given columns under the current key: plaintext is encrypted (and its
 * hash written), older ciphertext is decrypted and re-encrypted. Batches of `batch` rows, each
 * batch one statement, so a large table (a contest's participants) converts in minutes.
 */
export async function encryptColumns(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  cipher: PiiCipher,
  columns: readonly PiiColumn[],
  batch = 1000,
): Promise<EncryptReport> {
  const report: EncryptReport = { encrypted: 0, rotated: 0 };
  const current = `v1:${cipher.currentKid}:%`;
  for (const c of columns) {
    const t = sql.table(c.table);
    const k = sql.ref(c.key);
    const col = sql.ref(c.column);
    for (;;) {
      const rows = await sql<{ id: number; v: string }>`
        select ${k} as id, ${col} as v from ${t} where ${col} is not null and ${col} not like ${current}
        order by ${k} limit ${batch}`.execute(db);
      if (rows.rows.length === 0) break;
      const values = rows.rows.map((r) => {
        const was = isCiphertext(r.v);
        const plain = was ? cipher.decrypt(r.v) : normalizeFor(c.kind, r.v);
        if (was) report.rotated++;
        else report.encrypted++;
        return sql`(${Number(r.id)}::bigint, ${cipher.encrypt(plain)}, ${cipher.hash(c.kind, plain)})`;
      });
      const setHash = c.hash ? sql`, ${sql.ref(c.hash)} = v.h` : sql``;
      await sql`update ${t} set ${col} = v.c${setHash}
        from (values ${sql.join(values)}) as v(id, c, h) where ${t}.${k} = v.id`.execute(db);
    }
  }
  return report;
}

/**
 * Rewrites phone login names still stored in clear (an existing deployment) as their keyed hash.
 * The hash key never rotates, so this only ever converts plaintext.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function hashPhoneIdentifiers(db: Kysely<any>, cipher: PiiCipher): Promise<number> {
  const rows = await sql<{ identifier: string }>`
    select identifier from account_identifier where kind = 'phone' and identifier not like '#p:%'`.execute(db);
  for (const r of rows.rows) {
    const phone = normalizePhone(r.identifier) ?? r.identifier;
    await sql`update account_identifier set identifier = ${phoneIdentifier(cipher, phone)} where identifier = ${r.identifier}`.execute(db);
  }
  return rows.rows.length;
}

/** An account row with its phone and citizen ID decrypted (for the person themself, or prefills). */
export function decryptAccount<T extends { phone?: string | null; citizen_id?: string | null }>(row: T, cipher = pii()): T {
  return {
    ...row,
    ...('phone' in row ? { phone: cipher.decryptNullable(row.phone) } : {}),
    ...('citizen_id' in row ? { citizen_id: cipher.decryptNullable(row.citizen_id) } : {}),
  };
}
