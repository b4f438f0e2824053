import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, MediaType } from '../../db/types.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { sha256 } from '../../lib/crypto.js';
import { pii } from '../../lib/pii.js';
import { lookupChecks, sealApplicant, sealForm } from '../../lib/pii-fields.js';
import { AppError } from '../../lib/errors.js';
import { enqueueStatusChange } from '../webhooks/webhooks.outbox.js';
import { formatDossierCode, MAX_DAILY_SEQUENCE } from '../../domain/dossier/code.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * The next code of an agency's day. Runs as its own statement outside the caller's transaction,
 * so the counter row is locked for microseconds rather than for a whole submission; a submission
 * that then fails leaves a gap, which the code format tolerates.
 */
export async function allocateCode(db: Kysely<DB>, agencyCode: string, vnDate: string): Promise<string> {
  const row = await sql<{ last: number }>`
    insert into dossier_code_counter (agency_code, day, last) values (${agencyCode}, ${vnDate}, 1)
    on conflict (agency_code, day) do update set last = dossier_code_counter.last + 1
    where dossier_code_counter.last < ${MAX_DAILY_SEQUENCE}
    returning last`.execute(db);
  const last = row.rows[0]?.last;
  if (last === undefined) throw new AppError('daily_sequence_exhausted');
  return formatDossierCode(agencyCode, vnDate, last);
}

/** The columns every dossier view needs, with its procedure and unit. */
export function dossierQuery(db: Q) {
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('procedure_version as pv', 'pv.id', 'd.procedure_version_id')
    .innerJoin('unit as u', 'u.id', 'd.unit_id')
    .select([
      'd.id',
      'd.code',
      'd.unit_id',
      'd.procedure_id',
      'd.procedure_version_id',
      'd.channel',
      'd.status',
      'd.owner_id',
      'd.created_by',
      'd.assisted',
      'd.applicant',
      'd.applicant_name',
      'd.applicant_phone',
      'd.applicant_citizen_id',
      'd.form_data',
      'd.locale',
      'd.fee_amount',
      'd.fee_basis',
      'd.submitted_at',
      'd.received_at',
      'd.due_at',
      'd.pauses',
      'd.finished_at',
      'd.revision',
      'd.created_at',
      'd.updated_at',
      'd.workflow',
      'd.step_index',
      'd.step_unit_id',
      'd.step_role',
      'd.assignee_id',
      'd.step_started_at',
      'd.step_due_at',
      'd.held_status',
      'd.proposal',
      'd.outcome',
      'd.original_due_at',
      'd.apology_at',
      'd.returned_at',
      'd.return_method',
      'd.return_tracking',
      'p.code as procedure_code',
      'p.name_vi as procedure_vi',
      'p.name_en as procedure_en',
      'pv.content as content',
      'pv.version as procedure_version',
      'pv.time_limit_amount',
      'pv.time_limit_unit',
      'u.code as unit_code',
      'u.name_vi as unit_vi',
      'u.name_en as unit_en',
      'u.path as unit_path',
      'u.parent_id as unit_parent_id',
    ]);
}
export type DossierRow = NonNullable<Awaited<ReturnType<ReturnType<typeof dossierQuery>['executeTakeFirst']>>>;

export async function findDossier(db: Q, id: number, forUpdate = false): Promise<DossierRow> {
  let q = dossierQuery(db).where('d.id', '=', id);
  if (forUpdate) q = q.forUpdate('d');
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('dossier_not_found');
  return row;
}

export async function findByCode(db: Q, code: string): Promise<DossierRow | undefined> {
  return dossierQuery(db).where('d.code', '=', code).executeTakeFirst();
}

export interface EventInput {
  actorId: number | null;
  actorRole: string | null;
  action: string;
  from: number | null;
  to: number | null;
  note?: string | null;
  data?: unknown;
  at?: Date;
  /** The dossier's first event: nothing to chain to, so no need to look. */
  first?: boolean;
}

/**
 * Appends to a dossier's hash chain. The caller holds the dossier row lock (or just inserted
 * it), so no other event of this dossier can be appended in between.
 */
export async function appendEvent(trx: Transaction<DB>, dossierId: number, e: EventInput): Promise<void> {
  const prev = e.first
    ? undefined
    : await trx
        .selectFrom('dossier_event')
        .select('hash')
        .where('dossier_id', '=', dossierId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
  const at = e.at ?? new Date();
  const data = e.data === undefined ? null : JSON.parse(JSON.stringify(e.data));
  const prevHash = prev?.hash ?? null;
  const hash = eventHash({
    dossierId,
    at,
    actorId: e.actorId,
    action: e.action,
    from: e.from,
    to: e.to,
    note: e.note ?? null,
    data,
    prevHash,
  });
  await trx
    .insertInto('dossier_event')
    .values({
      dossier_id: dossierId,
      at,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      note: e.note ?? null,
      data: data === null ? null : JSON.stringify(data),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  // Other systems follow status changes; the dossier row already holds the new state here.
  if (e.to !== null && e.to !== e.from)
    await enqueueStatusChange(trx, dossierId, { eventHash: hash, action: e.action, from: e.from, to: e.to, at });
}

export function eventHash(e: {
  dossierId: number;
  at: Date;
  actorId: number | null;
  action: string;
  from: number | null;
  to: number | null;
  note: string | null;
  data: unknown;
  prevHash: string | null;
}): string {
  return sha256(canonicalJson({ ...e, at: e.at.toISOString() }));
}

export async function listEvents(db: Q, dossierId: number) {
  return db
    .selectFrom('dossier_event as e')
    .leftJoin('account as a', 'a.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.action', 'e.from_status', 'e.to_status', 'e.note', 'e.data', 'e.actor_role', 'a.full_name as actor_name'])
    .where('e.dossier_id', '=', dossierId)
    .orderBy('e.id')
    .execute();
}

export async function listDocuments(db: Q, dossierId: number) {
  return db
    .selectFrom('dossier_document')
    .select(['id', 'item', 'file_sha256', 'file_name', 'media_type', 'size', 'paper', 'round', 'created_at'])
    .where('dossier_id', '=', dossierId)
    .orderBy('item')
    .orderBy('id')
    .execute();
}
export type DocumentRow = Awaited<ReturnType<typeof listDocuments>>[number];

/** Verifies every event chain of a dossier; returns the id of the first broken event or null. */
export async function verifyEvents(db: Q, dossierId: number): Promise<number | null> {
  const rows = await db.selectFrom('dossier_event').selectAll().where('dossier_id', '=', dossierId).orderBy('id').execute();
  let prev: string | null = null;
  for (const r of rows) {
    const expected = eventHash({
      dossierId,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      from: r.from_status,
      to: r.to_status,
      note: r.note,
      data: r.data,
      prevHash: prev,
    });
    if (r.prev_hash !== prev || r.hash !== expected) return r.id;
    prev = r.hash;
  }
  return null;
}

/**
 * Walks every dossier's event chain in (dossier, event) order, in batches; returns how many
 * events were checked and the first broken one, if any.
 */
export async function verifyAllEvents(
  db: Q,
  batch = 5000,
): Promise<{ events: number; brokenAt: { dossierId: number; eventId: number } | null }> {
  let after: { d: number; e: number } = { d: 0, e: 0 };
  let prev: { dossierId: number; hash: string } | null = null;
  let events = 0;
  for (;;) {
    const rows = await db
      .selectFrom('dossier_event')
      .selectAll()
      .where((eb) => eb.or([eb('dossier_id', '>', after.d), eb.and([eb('dossier_id', '=', after.d), eb('id', '>', after.e)])]))
      .orderBy('dossier_id')
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const r of rows) {
      const prevHash = prev && prev.dossierId === r.dossier_id ? prev.hash : null;
      const expected = eventHash({
        dossierId: r.dossier_id,
        at: r.at,
        actorId: r.actor_id,
        action: r.action,
        from: r.from_status,
        to: r.to_status,
        note: r.note,
        data: r.data,
        prevHash,
      });
      if (r.prev_hash !== prevHash || r.hash !== expected) return { events, brokenAt: { dossierId: r.dossier_id, eventId: r.id } };
      prev = { dossierId: r.dossier_id, hash: r.hash };
      events++;
    }
    if (rows.length < batch) return { events, brokenAt: null };
    const last = rows[rows.length - 1]!;
    after = { d: last.dossier_id, e: last.id };
  }
}

export const MAX_FILES_PER_DOSSIER = 60;

/**
 * Adds a stored file to a dossier (the caller holds the dossier row lock): the per-dossier file
 * limit, the `stored_file` row, the document row and the dossier's new revision. Returns the document id.
 */
export async function addFileDocument(
  trx: Transaction<DB>,
  d: { id: number; revision: number },
  doc: { item: number; sha256: string; name: string; mediaType: MediaType; size: number; round: number; uploadedBy: number },
): Promise<number> {
  const count = await trx
    .selectFrom('dossier_document')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dossier_id', '=', d.id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_FILES_PER_DOSSIER) throw new AppError('too_many_documents');
  await trx
    .insertInto('stored_file')
    .values({ sha256: doc.sha256, size: doc.size, media_type: doc.mediaType })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await trx
    .insertInto('dossier_document')
    .values({
      dossier_id: d.id,
      item: doc.item,
      file_sha256: doc.sha256,
      file_name: doc.name,
      media_type: doc.mediaType,
      size: doc.size,
      round: doc.round,
      uploaded_by: doc.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('dossier')
    .set({ revision: d.revision + 1, updated_at: new Date() })
    .where('id', '=', d.id)
    .execute();
  return row.id;
}

/**
 * The applicant and the form's answers as stored: the whole records with their phone and citizen
 * ID numbers sealed (docs/privacy.md), the columns searched by, and the keyed hashes looked up by
 * (surveys, tracking). src/db/pii-plugin.ts opens them again on every read.
 */
export function personalColumns(
  a: { name: string; phone: string | null; citizenId: string | null },
  form: { defs: readonly { name: string; type: string }[] | null | undefined; values: object },
  cipher = pii(),
) {
  return {
    applicant: JSON.stringify(sealApplicant(a, cipher)),
    applicant_name: a.name,
    applicant_phone: cipher.encryptNullable(a.phone),
    applicant_phone_hash: cipher.hashNullable('phone', a.phone),
    applicant_citizen_id: cipher.encryptNullable(a.citizenId),
    applicant_citizen_id_hash: cipher.hashNullable('citizen_id', a.citizenId),
    lookup_checks: lookupChecks(cipher, a.phone, a.citizenId),
    form_data: JSON.stringify(sealForm(form.defs, form.values, cipher)),
  };
}

/**
 * The open supplement request's round. With `unanswered`, only while the applicant has not yet
 * said it is complete (they may still add files); the desk may add to it either way.
 */
export async function openSupplementRound(trx: Transaction<DB>, dossierId: number, unanswered: boolean): Promise<number> {
  const s = await trx
    .selectFrom('dossier_supplement')
    .select(['round', 'provided_at'])
    .where('dossier_id', '=', dossierId)
    .where('closed_at', 'is', null)
    .orderBy('round', 'desc')
    .executeTakeFirst();
  if (!s || (unanswered && s.provided_at)) throw new AppError('no_supplement_pending');
  return s.round;
}

/** Whatever the decision, an open supplement request ends with it. */
export function closeSupplements(trx: Transaction<DB>, dossierId: number, at: Date) {
  return trx
    .updateTable('dossier_supplement')
    .set({ closed_at: at })
    .where('dossier_id', '=', dossierId)
    .where('closed_at', 'is', null)
    .execute();
}
