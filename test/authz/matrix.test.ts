import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { RegisteredRoute } from '../../src/app.js';
import { Browser, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { renderDoc, type Excluded, type Row } from './doc.js';
import { CELL_UNITS, CELLS, expected, ROLES, unitless, type Cell, type MatrixRole } from './expect.js';
import { buildFixtures, type Fixtures } from './fixtures.js';
import { readDecision, sample } from './requests.js';

const DOC = new URL('../../docs/authorization.md', import.meta.url);

/**
 * Routes whose expected decision cannot be derived from policy + scope, with the reason. Kept
 * short on purpose: a new route lands in the matrix unless someone writes down why not.
 */
const SUB_RECORD =
  'needs a sub-record the fixture dossiers do not have (a result, a supplement request, an apology, a payment): 404 would not mean hidden';
const BY_STEP =
  "decided by the dossier's current workflow step (its role and assignee), finer than policy + scope: test/processing covers who may act at each step";
const OWN_CSRF = 'a multipart form that checks its own CSRF token inside the body, which a bearer client does not send';
const EXCLUDED: Record<string, string> = {
  'POST /login': 'a login form: its 401 answers a wrong password, which the matrix cannot tell from a deny',
  'GET /api/v1/dossiers/:id/result': SUB_RECORD,
  'GET /dossiers/:id/result.pdf': SUB_RECORD,
  'GET /dossiers/:id/forms/02.pdf': SUB_RECORD,
  'GET /work/dossiers/:id/forms/04.pdf': SUB_RECORD,
  'GET /dossiers/:id/payments/:paymentId/receipt.pdf': SUB_RECORD,
  'GET /work/feedback/:code/files/:id': SUB_RECORD,
  'POST /api/v1/dossiers/:id/actions': BY_STEP,
  'POST /work/dossiers/:id/act': BY_STEP,
  'POST /dossiers/:id/documents': OWN_CSRF,
  'POST /desk/dossiers/:id/scan': OWN_CSRF,
  'POST /work/dossiers/:id/attach': OWN_CSRF,
  'POST /admin/contest/:id/import': OWN_CSRF,
  'POST /feedback/track/attach': OWN_CSRF,
  'POST /api/v1/work/assign': 'the dossiers to assign are named in the body, not the path: scope by body is not generated yet',
  'POST /work/assign': 'the dossiers to assign are named in the body, not the path: scope by body is not generated yet',
};

/** Bodies chosen where the first shape of a union would move the record out of its cell (a transfer). */
const BODIES: Record<string, object> = {
  'POST /api/v1/feedback/:code/actions': { action: 'request_info', question: 'Xin bổ sung địa chỉ liên hệ.' },
  // A well-formed apology (a sampled one is refused for its reason or date before any lookup);
  // its revision is stale, so an allowed caller gets 409 after the scope check and nothing changes.
  'POST /api/v1/dossiers/:id/apology': {
    revision: 999_999,
    reason: 'Cần xác minh thêm tại địa phương.',
    newDueAt: '2099-12-31T10:00:00+07:00',
  },
  'POST /work/dossiers/:id/apology': { revision: '0', reason: 'Cần xác minh thêm tại địa phương.', newDate: '2099-12-31' },
};

/** Multipart fields before the file, where the handler reads them first. */
const MULTIPART_FIELDS: Record<string, Record<string, string>> = {
  'POST /api/v1/dossiers/:id/documents': { item: '0' },
  'POST /api/v1/desk/dossiers/:id/scans': { item: '0' },
};

// Uploads are read by the handler; the matrix sends a small PDF so a handler that reads the file
// before checking scope is still exercised the way a real client would.
const MULTIPART = /\/(files|documents|scans|scan|attach|work-documents|attachments|imports|import|import\.xlsx|attach)$/;

describe(`authorization matrix: every route × role × scope (${ENGINE})`, () => {
  let t: TestApp;
  let fx: Fixtures;
  let anonCsrf: Record<string, string>;
  before(async () => {
    t = await testApp();
    fx = await buildFixtures(t);
    const b = new Browser(t.app);
    await b.get('/login');
    anonCsrf = { cookie: b.cookieHeader, 'x-csrf-token': b.csrf };
  });
  after(() => t.close());

  async function paramValue(r: RegisteredRoute, name: string, cell: Cell): Promise<string> {
    const s = r.scope;
    if (s.target === 'unit' && s.param === name) return CELL_UNITS[cell];
    if (s.target === 'unit' && r.url.endsWith('/staff/:id')) return String(await fx.freshAssignment(cell));
    if (s.target === 'dossier') {
      const d = fx.dossiers[cell];
      if (name === s.param) return String(d.id);
      if (name === 'doc' || name === 'docId') return String(d.docId);
      if (name === 'paymentId') return String(d.paymentId ?? 0);
    }
    const rec = fx.records[cell];
    if (s.target === 'feedback' && name === s.param) return rec.feedback;
    if (s.target === 'faq' && name === s.param) return String(rec.faq);
    if (s.target === 'conference' && name === s.param) return String(rec.conference);
    if (s.target === 'conference' && name === 'qid') return String(rec.question);
    if (s.target === 'commitment' && name === s.param) return String(rec.commitment);
    if (s.target === 'followUp' && name === s.param) {
      // Each request finds the follow-up open: a leader who may close it did so in an earlier cell.
      await t.db.updateTable('dossier_rating').set({ follow_up_state: 'open' }).where('dossier_id', '=', fx.dossiers[cell].id).execute();
      return String(fx.dossiers[cell].id);
    }
    if (s.target === 'account' && name === 'id') return String(await fx.freshAccountRecord(r.url));
    if (name === 'year') return '2026';
    if (name === 'procedure' || (name === 'code' && r.url.includes('procedures'))) return '1.004194';
    if (name === 'code') return CELL_UNITS[cell];
    return '1';
  }

  async function request(r: RegisteredRoute, role: MatrixRole, cell: Cell): Promise<InjectOptions> {
    let url = r.url;
    for (const m of r.url.matchAll(/:([A-Za-z]+)/g)) url = url.replace(m[0], encodeURIComponent(await paramValue(r, m[1]!, cell)));
    const s = r.scope;
    if (s.target === 'unit' && s.in === 'query') url += `?${s.param}=${CELL_UNITS[cell]}`;
    const headers: Record<string, string> = { ...fx.auth[role] };
    const unsafe = r.method !== 'GET' && r.method !== 'DELETE';
    if (role === 'anonymous' && unsafe) Object.assign(headers, anonCsrf);
    const opts: InjectOptions = { method: r.method as 'GET', url, headers };
    if (!unsafe) return opts;
    if (BODIES[`${r.method} ${r.url}`]) {
      opts.payload = BODIES[`${r.method} ${r.url}`];
    } else if (r.schema?.body) {
      const body = sample(r.schema.body as TSchema) as Record<string, unknown>;
      if (s.target === 'unit' && s.in === 'body') body[s.param] = CELL_UNITS[cell];
      // A record's unit named in the body stays the cell's: an allowed edit must not move it away.
      else if (!unitless(s) && 'unit' in body) body.unit = CELL_UNITS[cell];
      opts.payload = body;
    } else if (MULTIPART.test(r.url)) {
      const m = multipart(MULTIPART_FIELDS[`${r.method} ${r.url}`] ?? {}, { name: 'ban-chup.pdf', type: 'application/pdf', bytes: PDF });
      Object.assign(headers, m.headers);
      opts.payload = m.payload;
    } else if (!r.url.startsWith('/api/')) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      opts.payload = '';
    }
    return opts;
  }

  test('each cell decides as the route declares, and docs/authorization.md is the matrix of this run', async () => {
    const rows: Row[] = [];
    const excluded: Excluded[] = [];
    const wrong: string[] = [];
    // Logging out everywhere revokes the caller's bearer token: those requests go last.
    const ends = (r: RegisteredRoute) => (r.url === '/account/logout-all' ? 1 : 0);
    for (const r of [...t.app.routeList].sort((a, b) => ends(a) - ends(b))) {
      const key = `${r.method} ${r.url}`;
      const reason = EXCLUDED[key];
      if (reason) {
        excluded.push({ method: r.method, url: r.url, reason });
        continue;
      }
      const started = performance.now();
      const policy = r.policy!;
      const cells: readonly Cell[] = unitless(r.scope) ? ['own'] : CELLS;
      const targeted = r.scope.target !== 'none' && r.scope.target !== 'city';
      const decisions = {} as Row['decisions'];
      for (const role of ROLES) {
        decisions[role] = [];
        for (const cell of cells) {
          const want = expected(policy, r.scope, role, cell);
          const res = await t.app.inject(await request(r, role, cell));
          const got = readDecision(res, targeted);
          if (got !== (want ? 'allow' : 'deny'))
            wrong.push(
              `${key} as ${role} on ${cell}: expected ${want ? 'allow' : 'deny'}, got ${got} (${res.statusCode} ${res.body.slice(0, 160)})`,
            );
          decisions[role].push(want);
        }
      }
      rows.push({ method: r.method, url: r.url, policy, scope: r.scope, decisions });
      if (process.env.AUTHZ_TIMING) console.log(`${Math.round(performance.now() - started)} ms ${key}`);
    }
    assert.deepEqual(wrong, [], `${wrong.length} cells disagree with the declared policy and scope`);
    const doc = renderDoc(rows, excluded);
    if (process.env.AUTHZ_WRITE === '1') await writeFile(DOC, doc);
    const onDisk = await readFile(DOC, 'utf8').catch(() => '');
    assert.ok(onDisk === doc, 'docs/authorization.md is stale: rerun with AUTHZ_WRITE=1 and commit it');
  });
});
