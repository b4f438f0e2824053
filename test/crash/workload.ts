import { randomBytes } from 'node:crypto';
import { maritalBody } from '../helpers/dossiers.js';
import { call, NetworkError, sha256, sleep, uniquePdf, type Reply } from './harness.js';

// The clients of the crash test: citizens submitting online dossiers (uploads, then one call with
// an Idempotency-Key) and desk officers receiving or refusing them, each over real HTTP. Every
// request is either acknowledged (a complete 2xx response reached the client) or not (the
// connection died with the server); only acknowledged work is promised to survive.

export interface Submission {
  key: string;
  files: { item: number; name: string; bytes: Buffer; sha: string }[];
  /** How many times the submission call was sent (more than once: retried after no answer). */
  sent: number;
  ack: { id: number; code: string; created: boolean } | null;
}

export interface DeskAck {
  dossierId: number;
  action: 'receive' | 'refuse';
}

export class Workload {
  readonly submissions: Submission[] = [];
  /** Sent without an answer: retried with the same key (and the same files) when the server is back. */
  readonly pending: Submission[] = [];
  readonly deskAcks: DeskAck[] = [];
  readonly uploadsAcked = new Set<string>();
  /** Resends of a submission whose earlier attempt got no answer, and how many found the dossier already made. */
  retries = 0;
  retriesFoundCommitted = 0;
  /** Citizen attempts (uploads and submission) cut short by a kill. */
  citizenCut = 0;
  deskUnanswered = 0;
  deskRejected = 0;
  /** Anything other than the answers a correct server gives: each one fails the test. */
  readonly unexpected: string[] = [];
  running = false;

  constructor(
    readonly url: () => string,
    readonly rand: () => number,
  ) {}

  private newSubmission(): Submission {
    const a = uniquePdf();
    const b = uniquePdf();
    const s: Submission = {
      key: `crash-${randomBytes(8).toString('hex')}`,
      files: [
        { item: 0, name: 'to-khai.pdf', bytes: a, sha: sha256(a) },
        { item: 2, name: 'trich-luc.pdf', bytes: b, sha: sha256(b) },
      ],
      sent: 0,
      ack: null,
    };
    this.submissions.push(s);
    return s;
  }

  private async upload(auth: Record<string, string>, f: Submission['files'][number]): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(f.bytes)], { type: 'application/pdf' }), f.name);
    const r = await call(`${this.url()}/api/v1/files`, { method: 'POST', headers: auth, body: form });
    if (r.status !== 201 || (r.body as { sha256?: string }).sha256 !== f.sha) {
      throw new Error(`upload: ${r.status} ${JSON.stringify(r.body)}`);
    }
    this.uploadsAcked.add(f.sha);
  }

  /** Uploads the files (again, if need be: storage is by content) and sends the submission. */
  async submit(auth: Record<string, string>, s: Submission): Promise<Reply> {
    for (const f of s.files) await this.upload(auth, f);
    const body = maritalBody(s.files[0]!.sha, {
      documents: s.files.map((f) => ({ item: f.item, sha256: f.sha, name: f.name })),
    });
    if (s.sent > 0 && s.ack === null) this.retries++;
    s.sent++;
    const r = await call(`${this.url()}/api/v1/dossiers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': s.key },
      body: JSON.stringify(body),
    });
    if (r.status !== 201 && r.status !== 200) throw new Error(`submit ${s.key}: ${r.status} ${JSON.stringify(r.body)}`);
    const got = r.body as { id: number; code: string; created: boolean };
    if (s.ack) {
      if (got.id !== s.ack.id || got.code !== s.ack.code || got.created) {
        this.unexpected.push(`replay of ${s.key} answered ${JSON.stringify(got)}, first answer was ${JSON.stringify(s.ack)}`);
      }
      return r;
    }
    // A key never sent before cannot find an earlier dossier.
    if (!got.created && s.sent === 1) this.unexpected.push(`first send of ${s.key} answered as a replay: ${JSON.stringify(got)}`);
    if (!got.created) this.retriesFoundCommitted++;
    s.ack = { id: got.id, code: got.code, created: got.created };
    return r;
  }

  /** One citizen client: resumes unanswered submissions first, else starts new ones, until stopped. */
  async citizen(auth: Record<string, string>): Promise<void> {
    while (this.running) {
      const s = this.pending.shift() ?? this.newSubmission();
      try {
        await this.submit(auth, s);
      } catch (e) {
        if (e instanceof NetworkError) {
          this.citizenCut++;
          this.pending.push(s);
          await sleep(50);
          continue;
        }
        this.unexpected.push(String(e));
        await sleep(50);
      }
    }
  }

  /** One desk officer: takes a dossier awaiting reception and receives it (or, now and then, refuses it). */
  async desk(auth: Record<string, string>): Promise<void> {
    while (this.running) {
      try {
        const q = await call(`${this.url()}/api/v1/desk/queue?status=1`, { headers: auth });
        if (q.status !== 200) throw new Error(`desk queue: ${q.status} ${JSON.stringify(q.body)}`);
        const items = (q.body as { items: { id: number; revision: number }[] }).items;
        if (items.length === 0) {
          await sleep(100);
          continue;
        }
        const d = items[Math.floor(this.rand() * items.length)]!;
        const action = this.rand() < 0.75 ? 'receive' : 'refuse';
        const body =
          action === 'receive'
            ? { revision: d.revision, note: 'Đủ thành phần hồ sơ' }
            : { revision: d.revision, reason: 'Không thuộc thẩm quyền giải quyết của phường' };
        const r = await call(`${this.url()}/api/v1/dossiers/${d.id}/${action}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (r.status === 200 || r.status === 204) this.deskAcks.push({ dossierId: d.id, action });
        // Another desk client took it first (revision or status changed): refused, nothing written.
        else if (r.status === 409) this.deskRejected++;
        else throw new Error(`${action} ${d.id}: ${r.status} ${JSON.stringify(r.body)}`);
      } catch (e) {
        if (e instanceof NetworkError) {
          this.deskUnanswered++;
          await sleep(50);
          continue;
        }
        this.unexpected.push(String(e));
        await sleep(50);
      }
    }
  }
}

export async function tokenFor(url: string, username: string, password: string): Promise<Record<string, string>> {
  const r = await call(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 201) throw new Error(`token for ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { authorization: `Bearer ${(r.body as { token: string }).token}` };
}
