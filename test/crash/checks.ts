import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Database } from '../../src/db/engine.js';
import { verifyAuditChain } from '../../src/modules/audit/audit.js';
import { verifyAllEvents } from '../../src/modules/dossiers/dossier.repo.js';
import { sha256 } from './harness.js';
import type { Workload } from './workload.js';

// What "nothing lost, nothing half-written" means, table by table, read straight from the
// database (and the file store) once the last server has stopped:
//
// - dossier: one per idempotency key at most; every acknowledged key has its dossier with the
//   id and code the client was given; every dossier of the test is submitted (status and code set);
// - dossier_document: exactly the documents its submission listed (item and hash), each with its
//   stored_file row and its bytes on disk under the right hash;
// - dossier_event: a 'submit' event first and once; a receive or refusal at most once, never
//   both; the last event's status is the dossier's status; every acknowledged desk action is there;
//   both hash chains (dossier events, audit) verify;
// - notification / job (outbox): one inbox row per notifying event, each with exactly one e-mail
//   and one SMS job, every e-mail job done (none left pending or failed);
// - stored_file and the files directory: every acknowledged upload has its row and bytes; no
//   uploaded file is left unreferenced once every submission was retried to an answer; every
//   file stored under a hash has its row and that hash; no unfinished "*.tmp" write is left (the
//   boot after a kill removes those of the dead process);
// - the recipient: every e-mail job's message arrived, each Message-ID with one content only, and
//   nothing arrived that no job sent. Copies beyond the first are redeliveries the recipient
//   folds by Message-ID.

export interface CrashReport {
  problems: string[];
  dossiers: number;
  documents: number;
  events: number;
  notifications: number;
  emailExpected: number;
  emailDelivered: number;
  emailRaw: number;
  tmpLeftovers: number;
  codeGaps: number;
  duplicates: number;
  lost: number;
}

const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>));

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else out.push(p);
  }
  return out;
}

export async function checkAfterCrashes(
  database: Database,
  filesDir: string,
  w: Workload,
  mail: { envelopeTo: string[]; mail: ParsedMail }[],
): Promise<CrashReport> {
  const db = database.db;
  const problems: string[] = [];
  const bad = (m: string) => {
    if (problems.length < 40) problems.push(m);
  };

  const rows = await db
    .selectFrom('dossier')
    .select(['id', 'code', 'status', 'idempotency_key'])
    .where('idempotency_key', 'like', 'crash-%')
    .orderBy('id')
    .execute();
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) byKey.set(r.idempotency_key!, [...(byKey.get(r.idempotency_key!) ?? []), r]);
  let duplicates = 0;
  for (const [key, list] of byKey) {
    if (list.length === 1) continue;
    duplicates += list.length - 1;
    bad(`${list.length} dossiers for key ${key}`);
  }

  const subs = new Map(w.submissions.map((s) => [s.key, s]));
  let lost = 0;
  for (const s of w.submissions) {
    if (!s.ack) continue;
    const d = byKey.get(s.key)?.[0];
    if (!d) {
      lost++;
      bad(`acknowledged submission ${s.key} (${s.ack.code}) is missing`);
    } else if (d.id !== s.ack.id || d.code !== s.ack.code)
      bad(`key ${s.key}: acknowledged ${s.ack.code} #${s.ack.id}, stored ${d.code} #${d.id}`);
  }
  for (const d of rows) {
    if (!subs.has(d.idempotency_key!)) bad(`dossier #${d.id} has a key no client sent`);
    if (d.status === null || d.code === null) bad(`dossier #${d.id} is not submitted (status ${d.status}, code ${d.code})`);
  }
  const ids = rows.map((r) => r.id);
  const none = [-1];

  // Documents and their files.
  const docs = await db
    .selectFrom('dossier_document as dd')
    .leftJoin('stored_file as sf', 'sf.sha256', 'dd.file_sha256')
    .select(['dd.dossier_id', 'dd.item', 'dd.file_sha256', 'dd.size', 'sf.size as stored_size'])
    .where('dd.dossier_id', 'in', ids.length ? ids : none)
    .execute();
  const stored = new Map((await db.selectFrom('stored_file').select(['sha256', 'size']).execute()).map((r) => [r.sha256, r.size]));
  const fileOk = new Map<string, boolean>();
  const bytesOk = async (sha: string) => {
    if (!fileOk.has(sha)) {
      const bytes = await readFile(join(filesDir, sha.slice(0, 2), sha.slice(2, 4), sha)).catch(() => null);
      fileOk.set(sha, bytes !== null && sha256(bytes) === sha && bytes.length === stored.get(sha));
    }
    return fileOk.get(sha)!;
  };
  for (const d of rows) {
    const want = subs
      .get(d.idempotency_key!)
      ?.files.map((f) => `${f.item}:${f.sha}`)
      .sort();
    const have = docs
      .filter((x) => x.dossier_id === d.id)
      .map((x) => `${x.item}:${x.file_sha256}`)
      .sort();
    if (want && JSON.stringify(want) !== JSON.stringify(have))
      bad(`dossier #${d.id}: documents ${have.join(',')} instead of ${want.join(',')}`);
  }
  for (const x of docs) {
    if (x.stored_size === null || x.stored_size !== x.size)
      bad(`document of #${x.dossier_id} (${x.file_sha256}) has no matching stored_file row`);
    else if (!(await bytesOk(x.file_sha256!))) bad(`document of #${x.dossier_id}: file ${x.file_sha256} missing or corrupt on disk`);
  }
  const referenced = new Set(docs.map((x) => x.file_sha256));
  for (const sha of w.uploadsAcked) {
    if (!stored.has(sha)) bad(`acknowledged upload ${sha} has no stored_file row`);
    else if (!(await bytesOk(sha))) bad(`acknowledged upload ${sha}: bytes missing or corrupt`);
  }
  for (const s of w.submissions)
    for (const f of s.files) if (stored.has(f.sha) && !referenced.has(f.sha)) bad(`uploaded file ${f.sha} is referenced by no document`);
  let tmpLeftovers = 0;
  for (const p of await walk(filesDir)) {
    const name = p.split('/').pop()!;
    if (name.endsWith('.tmp')) {
      tmpLeftovers++;
      bad(`unfinished write ${p} left after the restart`);
    } else if (/^[0-9a-f]{64}$/.test(name) && !stored.has(name)) bad(`file ${name} on disk has no stored_file row`);
    else if (/^[0-9a-f]{64}$/.test(name) && !(await bytesOk(name))) bad(`file ${name} on disk does not match its hash`);
  }

  // Events.
  const events = await db
    .selectFrom('dossier_event')
    .select(['id', 'dossier_id', 'action', 'to_status'])
    .where('dossier_id', 'in', ids.length ? ids : none)
    .orderBy('dossier_id')
    .orderBy('id')
    .execute();
  const evBy = new Map<number, typeof events>();
  for (const e of events) evBy.set(e.dossier_id, [...(evBy.get(e.dossier_id) ?? []), e]);
  const notifying = new Map<number, number>();
  for (const d of rows) {
    const list = evBy.get(d.id) ?? [];
    const count = (a: string) => list.filter((e) => e.action === a).length;
    if (list[0]?.action !== 'submit' || count('submit') !== 1) bad(`dossier #${d.id}: events ${list.map((e) => e.action).join(',')}`);
    if (count('receive') + count('refuse') > 1)
      bad(`dossier #${d.id}: received/refused more than once: ${list.map((e) => e.action).join(',')}`);
    if (list.length && list[list.length - 1]!.to_status !== d.status)
      bad(`dossier #${d.id}: status ${d.status}, last event says ${list.at(-1)!.to_status}`);
    notifying.set(d.id, count('submit') + count('receive') + count('refuse'));
  }
  for (const a of w.deskAcks) {
    if (!(evBy.get(a.dossierId) ?? []).some((e) => e.action === a.action)) bad(`acknowledged ${a.action} of #${a.dossierId} has no event`);
  }
  const chain = await verifyAllEvents(db);
  if (chain.brokenAt) bad(`dossier event chain broken at #${chain.brokenAt.eventId}`);
  const audit = await verifyAuditChain(db);
  if (!audit.ok) bad(`audit chain broken at #${audit.brokenAt}`);

  // Outbox and deliveries.
  const notes = await db
    .selectFrom('notification')
    .select(['id', 'dossier_id', 'template'])
    .where('dossier_id', 'in', ids.length ? ids : none)
    .execute();
  for (const d of rows) {
    const n = notes.filter((x) => x.dossier_id === d.id).length;
    if (n !== notifying.get(d.id)) bad(`dossier #${d.id}: ${n} notifications for ${notifying.get(d.id)} notifying events`);
  }
  const jobs = await db
    .selectFrom('job')
    .select(['id', 'queue', 'payload', 'done_at', 'failed_at', 'last_error'])
    .where('queue', 'in', ['email', 'sms'])
    .execute();
  const noteIds = new Set(notes.map((x) => x.id));
  const jobsOf = new Map<string, number>();
  const expected = new Map<string, { subject: unknown; text: unknown }>();
  const allMessageIds = new Set<string>();
  for (const j of jobs) {
    const p = json(j.payload);
    if (j.queue === 'email') allMessageIds.add(String(p.messageId));
    if (!noteIds.has(Number(p.notificationId))) continue;
    jobsOf.set(`${j.queue}:${p.notificationId}`, (jobsOf.get(`${j.queue}:${p.notificationId}`) ?? 0) + 1);
    if (j.queue !== 'email') continue;
    expected.set(String(p.messageId), { subject: p.subject, text: p.text });
    if (j.done_at === null || j.failed_at !== null)
      bad(`e-mail job #${j.id} not delivered (failed ${String(j.failed_at)}: ${j.last_error})`);
  }
  for (const n of notes) {
    for (const q of ['email', 'sms'])
      if (jobsOf.get(`${q}:${n.id}`) !== 1) bad(`notification #${n.id}: ${jobsOf.get(`${q}:${n.id}`) ?? 0} ${q} jobs`);
  }
  const received = new Map<string, ParsedMail[]>();
  for (const m of mail) {
    const id = m.mail.messageId ?? '';
    if (!allMessageIds.has(id)) bad(`a message no job sent arrived: ${id} "${m.mail.subject}"`);
    received.set(id, [...(received.get(id) ?? []), m.mail]);
  }
  let emailRaw = 0;
  let emailDelivered = 0;
  for (const [id, want] of expected) {
    const copies = received.get(id) ?? [];
    if (copies.length === 0) bad(`message ${id} never arrived`);
    else emailDelivered++;
    emailRaw += copies.length;
    for (const c of copies) {
      if (c.subject !== want.subject || c.text?.trim() !== String(want.text).trim()) bad(`message ${id}: a copy differs from its job`);
    }
  }

  // Codes: a kill between taking a number and committing the dossier leaves a gap, never a reuse.
  const counters = await db.selectFrom('dossier_code_counter').select(['agency_code', 'day', 'last']).execute();
  let codeGaps = 0;
  for (const c of counters) {
    const seqs = rows
      .map((r) => r.code!)
      .filter((code) => code?.startsWith(`${c.agency_code}-`))
      .map((code) => Number(code.split('-').pop()));
    if (seqs.length === 0) continue;
    if (Math.max(...seqs) > c.last) bad(`code counter ${c.agency_code} ${c.day} at ${c.last} below a code in use`);
    codeGaps += c.last - new Set(seqs).size;
  }

  return {
    problems,
    dossiers: rows.length,
    documents: docs.length,
    events: events.length,
    notifications: notes.length,
    emailExpected: expected.size,
    emailDelivered,
    emailRaw,
    tmpLeftovers,
    codeGaps,
    duplicates,
    lost,
  };
}
