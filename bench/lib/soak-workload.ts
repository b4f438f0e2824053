// The soak's mixed workload, over HTTP as browsers and API clients send it: portal pages, catalogue
// search, public lookups and reports read what the write side leaves; online submissions (two
// multipart uploads, then the dossier), the desk's receive and the processing of each dossier
// through the demo inter-level workflow of 1.004873 (ward specialist, ward leader — who now and
// then returns it to the specialist —, district specialist, district leader signs, ward desk
// returns the result) move dossiers along a pipeline kept here. A dossier is held by one operation
// at a time, so every action reads the revision it sends and no conflict is provoked on purpose:
// every status other than 2xx/3xx is an error.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { KeepAlivePool, Reply } from './keepalive-pool.js';

export type Auth = Record<string, string>;
export interface Accounts {
  citizen: Auth;
  desk: Auth;
  wardSpecialist: Auth;
  wardLeader: Auth;
  districtSpecialist: Auth;
  districtLeader: Auth;
}

export interface Catalogue {
  procedures: string[];
  fields: string[];
}

/** Latencies and statuses of one request kind. */
export class Recorder {
  readonly lat = new Map<string, number[]>();
  readonly errors = new Map<string, { n: number; examples: string[] }>();
  /** Operations that found nothing to do at their pipeline stage and ran another instead. */
  fallbacks = 0;

  record(name: string, ms: number) {
    let a = this.lat.get(name);
    if (!a) this.lat.set(name, (a = []));
    a.push(ms);
  }

  error(name: string, what: string) {
    let e = this.errors.get(name);
    if (!e) this.errors.set(name, (e = { n: 0, examples: [] }));
    e.n++;
    if (e.examples.length < 3) e.examples.push(what);
  }

  get errorCount() {
    let n = 0;
    for (const e of this.errors.values()) n += e.n;
    return n;
  }
}

const TIMEOUT_MS = 30_000;
const WARD = '000.13.42.H26'; // Quang Trung, Hà Đông: offers 1.004873 online with the demo workflow
const DISTRICT = '000.00.42.H26';
const PHONE = '0912345678';
const CHECK = PHONE.slice(-4);
const SEARCHES = [
  'xac nhan tinh trang hon nhan',
  'khai sinh',
  'ho kinh doanh',
  'xac nhan cu tru',
  'marital status',
  'birth registration',
  'giay phep xay dung',
  'xac nhan tinh trang hon nahn',
  'dang ky ket hon',
  'tam tru',
  'chung thuc ban sao',
  'ly lich tu phap',
];

/** A PDF the content sniffer accepts, of about `kb` KB and unique (uploads are content-addressed). */
function pdf(kb: number): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n% '),
    Buffer.from(randomBytes(Math.round((kb * 1024 * 3) / 4)).toString('base64')),
    Buffer.from('\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  ]);
}

function multipartFile(name: string, bytes: Buffer) {
  const boundary = `----soak${randomUUID().replaceAll('-', '')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The JSON body of a reply, or null (recorded as an error) when it is not JSON. */
function json<T>(rec: Recorder, name: string, r: Reply): T | null {
  try {
    return JSON.parse(r.body) as T;
  } catch {
    rec.error(name, `${r.status}, not JSON: ${r.body.replace(/\s+/g, ' ').slice(0, 160)}`);
    return null;
  }
}

const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)]!;

/** Hanoi's calendar date `daysAgo` days before now, YYYY-MM-DD. */
function hanoiDate(daysAgo = 0) {
  return new Date(Date.now() + 7 * 3600_000 - daysAgo * 86400_000).toISOString().slice(0, 10);
}

type Stage = 'receive' | 'wardCheck' | 'wardConfirm' | 'districtCheck' | 'districtSign' | 'wardReturn';
const STAGES: Stage[] = ['receive', 'wardCheck', 'wardConfirm', 'districtCheck', 'districtSign', 'wardReturn'];

/** The operations and their weights (the share of operations started). */
export const MIX: Record<string, number> = {
  'portal: home page': 12,
  'portal: catalogue page': 8,
  'portal: procedure page': 12,
  'search: API': 8,
  'search: page': 5,
  'lookup: API': 7,
  'lookup: page': 6,
  'report: API': 2,
  'report: statistics page': 3,
  'work: queue API': 3,
  'health: /healthz (load balancer probe)': 2,
  submission: 5,
  'desk: receive': 5,
  // Five processing steps per dossier; a little more than 5 x 5 so the pipeline drains.
  processing: 28,
};

export class Workload {
  /** Dossiers waiting at each stage (ids), oldest first. */
  readonly queues: Record<Stage, number[]> = {
    receive: [],
    wardCheck: [],
    wardConfirm: [],
    districtCheck: [],
    districtSign: [],
    wardReturn: [],
  };
  /** Codes of submitted dossiers, for the public lookup. */
  readonly codes: string[] = [];
  submitted = 0;
  returned = 0;
  returnedToSpecialist = 0;
  readonly #ops: { name: string; cum: number }[] = [];
  readonly #total: number;

  constructor(
    private readonly pool: KeepAlivePool,
    private readonly acc: Accounts,
    private readonly cat: Catalogue,
    public rec: Recorder,
    private readonly uploadKb: number,
  ) {
    let cum = 0;
    for (const [name, w] of Object.entries(MIX)) this.#ops.push({ name, cum: (cum += w) });
    this.#total = cum;
  }

  /** One HTTP request, timed and checked; null when it failed (recorded as an error). */
  async req(name: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Auth = {}): Promise<Reply | null> {
    const t = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = await Promise.race([
        this.pool.request(method, path, body, headers),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout after ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
      ]);
      this.rec.record(name, performance.now() - t);
      if (r.status >= 200 && r.status < 400) return r;
      this.rec.error(name, `${r.status} ${method} ${path.slice(0, 120)}: ${r.body.replace(/\s+/g, ' ').slice(0, 240)}`);
      return null;
    } catch (e) {
      this.rec.error(name, `${method} ${path.slice(0, 120)}: ${(e as Error).message}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one operation drawn from MIX. */
  async runOne(): Promise<void> {
    const x = Math.random() * this.#total;
    const name = this.#ops.find((o) => x < o.cum)!.name;
    await this.run(name);
  }

  async run(name: string): Promise<void> {
    const page = { accept: 'text/html' };
    switch (name) {
      case 'portal: home page':
        await this.req(name, 'GET', '/', undefined, page);
        return;
      case 'portal: catalogue page': {
        const path = Math.random() < 0.4 ? '/procedures' : `/procedures?field=${pick(this.cat.fields)}`;
        await this.req(name, 'GET', path, undefined, page);
        return;
      }
      case 'portal: procedure page':
        await this.req(name, 'GET', `/procedures/${pick(this.cat.procedures)}`, undefined, page);
        return;
      case 'search: API':
        await this.req(name, 'GET', `/api/v1/procedures?q=${encodeURIComponent(pick(SEARCHES))}`);
        return;
      case 'search: page':
        await this.req(name, 'GET', `/procedures?q=${encodeURIComponent(pick(SEARCHES))}`, undefined, page);
        return;
      case 'lookup: API':
      case 'lookup: page': {
        if (!this.codes.length) return this.run('submission');
        const q = `code=${encodeURIComponent(pick(this.codes))}&check=${CHECK}`;
        await this.req(
          name,
          'GET',
          name === 'lookup: API' ? `/api/v1/lookup?${q}` : `/lookup?${q}`,
          undefined,
          name === 'lookup: API' ? {} : page,
        );
        return;
      }
      case 'report: API': {
        const unit = Math.random() < 0.5 ? `unit=${WARD}` : `unit=${DISTRICT}&subtree=true`;
        await this.req(name, 'GET', `/api/v1/reports/dossiers?${unit}&from=${hanoiDate(30)}&to=${hanoiDate()}`);
        return;
      }
      case 'report: statistics page':
        await this.req(name, 'GET', Math.random() < 0.5 ? '/statistics' : `/statistics?unit=${DISTRICT}`, undefined, page);
        return;
      case 'work: queue API':
        await this.req(name, 'GET', '/api/v1/work/queue', undefined, Math.random() < 0.5 ? this.acc.wardSpecialist : this.acc.wardLeader);
        return;
      case 'health: /healthz (load balancer probe)':
        await this.req(name, 'GET', '/healthz');
        return;
      case 'submission':
        return this.submit();
      case 'desk: receive':
        return this.advance('receive');
      case 'processing': {
        // The five processing stages in turn, whichever has work, the most advanced first.
        const stage = [...STAGES].reverse().find((s) => s !== 'receive' && this.queues[s].length);
        if (!stage) {
          this.rec.fallbacks++;
          return this.queues.receive.length ? this.advance('receive') : this.submit();
        }
        return this.advance(stage);
      }
      default:
        throw new Error(`unknown operation ${name}`);
    }
  }

  /** An online submission: two documents uploaded (multipart), then the dossier, submitted at once. */
  async submit(): Promise<void> {
    const shas: string[] = [];
    for (const name of ['to-khai.pdf', 'trich-luc.pdf']) {
      const m = multipartFile(name, pdf(this.uploadKb));
      const r = await this.req('submission: upload (multipart)', 'POST', '/api/v1/files', m.body, {
        ...this.acc.citizen,
        'content-type': m.contentType,
      });
      const f = r && json<{ sha256: string }>(this.rec, 'submission: upload (multipart)', r);
      if (!f) return;
      shas.push(f.sha256);
    }
    const body = {
      procedure: '1.004873',
      unit: WARD,
      applicant: { name: 'Nguyễn Văn An', phone: PHONE },
      form: {
        fullName: 'Nguyễn Văn An',
        birthDate: '1990-05-17',
        sex: 'male',
        citizenId: '001090012345',
        address: { ward: WARD, street: 'Số 5 ngõ 12 Quang Trung' },
        maritalStatus: 'single',
        purpose: 'Đăng ký kết hôn',
      },
      documents: [
        { item: 0, sha256: shas[0], name: 'to-khai.pdf' },
        { item: 2, sha256: shas[1], name: 'trich-luc.pdf' },
      ],
      submit: true,
      declaration: true,
    };
    const r = await this.req('submission: dossier', 'POST', '/api/v1/dossiers', body, {
      ...this.acc.citizen,
      'idempotency-key': `soak-${randomUUID()}`,
    });
    const d = r && json<{ id: number; code: string }>(this.rec, 'submission: dossier', r);
    if (!d) return;
    this.submitted++;
    this.codes.push(d.code);
    if (this.codes.length > 5000) this.codes.splice(0, 1000);
    this.queues.receive.push(d.id);
  }

  /** Takes the oldest dossier at `stage`, acts on it as the official there, and moves it on. */
  async advance(stage: Stage): Promise<void> {
    const id = this.queues[stage].shift();
    if (id === undefined) {
      this.rec.fallbacks++;
      return this.submit();
    }
    if (stage === 'receive') {
      const r = await this.req('desk: receive', 'POST', `/api/v1/dossiers/${id}/receive`, {}, this.acc.desk);
      if (r) this.queues.wardCheck.push(id);
      return;
    }
    const who: Record<Exclude<Stage, 'receive'>, Auth> = {
      wardCheck: this.acc.wardSpecialist,
      wardConfirm: this.acc.wardLeader,
      districtCheck: this.acc.districtSpecialist,
      districtSign: this.acc.districtLeader,
      wardReturn: this.acc.desk,
    };
    const auth = who[stage];
    const view = await this.req('work: open dossier (API)', 'GET', `/api/v1/dossiers/${id}`, undefined, auth);
    const revision = view && json<{ revision: number }>(this.rec, 'work: open dossier (API)', view)?.revision;
    if (revision === undefined || revision === null) return;
    const act = (name: string, body: Record<string, unknown>) =>
      this.req(name, 'POST', `/api/v1/dossiers/${id}/actions`, { revision, ...body }, auth);
    switch (stage) {
      case 'wardCheck':
        if (await act('work: ward specialist passes', { action: 'pass', note: 'Đã xác minh' })) this.queues.wardConfirm.push(id);
        return;
      case 'wardConfirm':
        if (Math.random() < 0.1) {
          if (await act('work: ward leader returns to the specialist', { action: 'return_step', reason: 'Bổ sung ý kiến thẩm định' })) {
            this.returnedToSpecialist++;
            this.queues.wardCheck.push(id);
          }
        } else if (await act('work: ward leader transfers to the district', { action: 'pass', decision: 'approve' })) {
          this.queues.districtCheck.push(id);
        }
        return;
      case 'districtCheck':
        if (await act('work: district specialist proposes', { action: 'pass', decision: 'approve', reason: 'Đủ điều kiện' }))
          this.queues.districtSign.push(id);
        return;
      case 'districtSign':
        if (
          await act('work: district leader approves (signed PDF)', {
            action: 'approve',
            decision: 'Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn.',
          })
        )
          this.queues.wardReturn.push(id);
        return;
      case 'wardReturn':
        if (await act('desk: returns the result', { action: 'return_result', method: 'post', tracking: 'EE123456789VN' })) this.returned++;
        return;
    }
  }
}
