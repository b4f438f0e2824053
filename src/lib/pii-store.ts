import { sql, type Kysely } from 'kysely';
import { normalizePhone } from '../domain/identity.js';
import { isCiphertext, pii, type PiiCipher, type PiiKind } from './pii.js';
import { lookupChecks, openRecord, openText, sealApplicant, sealForm } from './pii-fields.js';

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
  { table: 'feedback', key: 'id', column: 'author_phone', kind: 'phone', hash: null },
  { table: 'conference_registration', key: 'id', column: 'phone', kind: 'phone', hash: 'phone_hash' },
  { table: 'conference_question', key: 'id', column: 'asker_phone', kind: 'phone', hash: null },
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

/**
 * Seals the personal data of dossiers (the applicant record, its phone and citizen ID columns and
 * their hashes, the tracking checks, the form's phone and ID answers) under the current key.
 * With `all`, every dossier is converted (the migration that introduced sealing: rows were
 * plaintext); otherwise only those holding a ciphertext under an older key (`pii:rotate`). The
 * form's field types come from the dossier's own procedure version.
 */
export async function sealDossiers(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  cipher: PiiCipher,
  opts: { all: boolean },
  batch = 500,
): Promise<EncryptReport> {
  const report: EncryptReport = { encrypted: 0, rotated: 0 };
  const current = `v1:${cipher.currentKid}:%`;
  // A ciphertext under another key anywhere in the row: the kid right after `v1:` is not the current one.
  const stale = sql`(d.applicant_phone not like ${current} or d.applicant_citizen_id not like ${current}
    or (d.applicant::text || coalesce(d.form_data::text, '')) ~ ${`"v1:(?!${cipher.currentKid}:)[A-Za-z0-9_-]{1,16}:`})`;
  let after = 0;
  for (;;) {
    // Each batch locks its rows while it reads and rewrites them: the app keeps editing dossiers
    // while `pii:rotate` runs, and an edit in between must not be overwritten with the old record.
    const done = await inTransaction(db, async (trx) => {
      const rows = await sql<{ id: number; applicant: unknown; phone: string | null; cid: string | null; form: unknown; defs: unknown }>`
      select d.id, d.applicant, d.applicant_phone as phone, d.applicant_citizen_id as cid, d.form_data as form,
        pv.content -> 'form' as defs
      from dossier d join procedure_version pv on pv.id = d.procedure_version_id
      where d.id > ${after} ${opts.all ? sql`` : sql`and ${stale}`}
      order by d.id limit ${batch} for update of d`.execute(trx);
      if (rows.rows.length === 0) return true;
      const values = rows.rows.map((r) => {
        const phone = openText(r.phone, cipher) as string | null;
        const cid = openText(r.cid, cipher) as string | null;
        const applicant = (openRecord(r.applicant, cipher) ?? {}) as Record<string, unknown>;
        const form = (openRecord(r.form, cipher) ?? {}) as Record<string, unknown>;
        const defs = Array.isArray(r.defs) ? (r.defs as { name: string; type: string }[]) : [];
        if (opts.all) report.encrypted++;
        else report.rotated++;
        return sql`(${Number(r.id)}::bigint, ${JSON.stringify(sealApplicant(applicant, cipher))}, ${cipher.encryptNullable(phone)},
        ${cipher.hashNullable('phone', phone)}, ${cipher.encryptNullable(cid)}, ${cipher.hashNullable('citizen_id', cid)},
        ${JSON.stringify(lookupChecks(cipher, phone, cid))}, ${r.form == null ? null : JSON.stringify(sealForm(defs, form, cipher))})`;
      });
      await sql`update dossier set applicant = v.a::jsonb, applicant_phone = v.p, applicant_phone_hash = v.ph,
        applicant_citizen_id = v.c, applicant_citizen_id_hash = v.ch,
        lookup_checks = array(select jsonb_array_elements_text(v.lc::jsonb)), form_data = v.f::jsonb
      from (values ${sql.join(values)}) as v(id, a, p, ph, c, ch, lc, f) where dossier.id = v.id`.execute(trx);
      after = Number(rows.rows[rows.rows.length - 1]!.id);
      return false;
    });
    if (done) return report;
  }
}

/** `pii:rotate`: every sealed value of the database brought under the current key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rotateAll(db: Kysely<any>, cipher: PiiCipher): Promise<EncryptReport> {
  const a = await encryptColumns(db, cipher, PII_COLUMNS);
  const b = await sealDossiers(db, cipher, { all: false });
  const c = await sealSmsRecipients(db, cipher);
  return { encrypted: a.encrypted + b.encrypted + c.encrypted, rotated: a.rotated + b.rotated + c.rotated };
}

/** The recipient of SMS jobs (kept for RETENTION_DAYS) brought under the current key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function sealSmsRecipients(db: Kysely<any>, cipher: PiiCipher): Promise<EncryptReport> {
  const report: EncryptReport = { encrypted: 0, rotated: 0 };
  const current = `v1:${cipher.currentKid}:%`;
  let after = 0;
  for (;;) {
    const rows = await sql<{ id: number; to: string }>`
      select id, payload ->> 'to' as to from job
      where queue = 'sms' and id > ${after} and jsonb_typeof(payload -> 'to') = 'string' and payload ->> 'to' not like ${current}
      order by id limit 1000`.execute(db);
    if (rows.rows.length === 0) return report;
    const values = rows.rows.map((r) => {
      const was = isCiphertext(r.to);
      if (was) report.rotated++;
      else report.encrypted++;
      return sql`(${Number(r.id)}::bigint, ${cipher.encrypt(was ? cipher.decrypt(r.to) : r.to)})`;
    });
    // The job may be running: only its payload's recipient changes, in one statement.
    await sql`update job set payload = jsonb_set(job.payload, '{to}', to_jsonb(v.c))
      from (values ${sql.join(values)}) as v(id, c) where job.id = v.id`.execute(db);
    after = Number(rows.rows[rows.rows.length - 1]!.id);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inTransaction<T>(db: Kysely<any>, fn: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  // A migration already runs in one (and Kysely does not nest them).
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
