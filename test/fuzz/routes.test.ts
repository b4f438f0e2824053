import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import type { RegisteredRoute } from '../../src/app.js';
import { ERROR_STATUS } from '../../src/lib/errors.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { diff, fingerprinter, REFUSAL_WRITES, snapshot, VOLATILE } from './fingerprint.js';
import { COMMON_NAMES, multipartPayload, requestArb, UNSAFE, type Spec } from './requests.js';
import { accountFor, buildWorld, Callers, type World } from './world.js';

// Every route the app registers is fuzzed from its own schemas: new routes are covered by default.
// FUZZ_RUNS scales the run (e.g. FUZZ_RUNS=200 for a deep run); FUZZ_SEED replays one.
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const UPLOAD_MAX = 64 * 1024;

/** Routes left out, with the reason. */
const EXCLUDED: Record<string, string> = {};

const STACK = [
  /\n\s+at \S.*:\d+:\d+/,
  /node_modules/,
  /\/src\/[\w/.-]+\.tsx?/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|DatabaseError|AggregateError)\b/,
  /invalid input syntax for|violates [\w-]+ constraint|out of range for type|current transaction is aborted/,
];

const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url}`;
const seedOf = (key: string) => SEED ^ createHash('sha256').update(key).digest().readUInt32BE(0);
/** Routes with inputs to break (a schema, path parameters, a body) get more requests than bare page views. */
const hasInputs = (r: RegisteredRoute) =>
  ['body', 'querystring', 'params', 'headers'].some((k) => (r.schema as Record<string, unknown> | undefined)?.[k]) ||
  r.url.includes(':') ||
  r.multipart ||
  UNSAFE.has(r.method);
const runsFor = (r: RegisteredRoute) => RUNS * (hasInputs(r) ? 3 : 1);
const isText = (res: LightMyRequestResponse) => /json|html|text\/plain/.test(String(res.headers['content-type'] ?? ''));

describe(`fuzzing every route (${ENGINE})`, () => {
  let t: TestApp;
  let world: World;
  let callers: Callers;
  before(async () => {
    t = await testApp({ uploadMaxBytes: UPLOAD_MAX });
    world = await buildWorld(t);
    callers = new Callers(t);
  });
  after(() => t?.close());

  test('the checks can fail: the fingerprint sees an update, an insert and a delete; leaks and codeless errors are caught', async () => {
    const fingerprint = await fingerprinter(t);
    const s0 = await snapshot(t);
    const f0 = await fingerprint();
    await sql`update app_setting set value = value where key = 'cookie_secret'`.execute(t.db);
    assert.notEqual(await snapshot(t), s0);
    const f1 = await fingerprint();
    assert.deepEqual(
      diff(f0, f1).map((d) => d.split(' ')[0]),
      ['app_setting'],
      'an update that keeps the value still shows',
    );
    await sql`insert into app_setting (key, value) values ('fuzz-probe', 'x')`.execute(t.db);
    const f2 = await fingerprint();
    assert.equal(diff(f1, f2).length, 1, 'an insert shows');
    await sql`delete from app_setting where key = 'fuzz-probe'`.execute(t.db);
    const f3 = await fingerprint();
    assert.equal(diff(f2, f3).length, 1, 'a delete shows');
    assert.deepEqual(diff(f1, f3), [], 'an insert undone leaves the fingerprint as it was');
    const route = t.app.routeList.find((r) => r.url === '/api/v1/units')!;
    const fake = (statusCode: number, body: string, type = 'application/json') =>
      ({ statusCode, body, headers: { 'content-type': type } }) as unknown as LightMyRequestResponse;
    assert.deepEqual(problems(route, fake(200, '{"ok":true}')), []);
    assert.ok(problems(route, fake(400, '{"error":"x"}')).some((p) => p.startsWith('no stable error code')));
    assert.ok(problems(route, fake(502, '{"code":"internal"}')).includes('server error'));
    const leak = 'TypeError: x\n    at f (/work/src/modules/a.ts:1:2)\n    at node_modules/fastify/lib/route.js:3:4';
    assert.ok(problems(route, fake(400, leak, 'text/html')).length >= 3);
  });

  test('bad input never gets a 5xx or a stack trace, API errors carry a stable code, and a refusal changes nothing', async () => {
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const fingerprint = await fingerprinter(t);
    const names = new Set(COMMON_NAMES);
    const dict = () => [...names];
    const failures: string[] = [];
    const counts = new Map<string, { n: number; ms: number; statuses: Map<number, number> }>();
    let compared = 0;
    let last: { snap: string; fp: Map<string, string> } | null = null;
    let fpMs = 0;
    let reqMs = 0;

    // Page views first: the field names of the forms they render feed the form posts after them.
    const routes = t.app.routeList
      .filter((r) => !EXCLUDED[routeKey(r)])
      .sort((a, b) => Number(UNSAFE.has(a.method)) - Number(UNSAFE.has(b.method)));
    assert.ok(routes.length >= 300, `only ${routes.length} routes`);
    console.log(`fuzz: seed ${SEED}, ${RUNS} runs per route unit, ${routes.length} routes (${ENGINE})`);
    const excluded = Object.entries(EXCLUDED).map(([k, why]) => `${k} (${why})`);
    console.log(`fuzz: routes excluded: ${excluded.length ? excluded.join('; ') : 'none'}`);

    for (const r of routes) {
      const key = routeKey(r);
      const specs = fc.sample(requestArb(r, world, dict), { seed: seedOf(key), numRuns: runsFor(r) });
      const stat = { n: 0, ms: 0, statuses: new Map<number, number>() };
      counts.set(key, stat);
      for (const [k, spec] of specs.entries()) {
        // Every fourth request is anonymous; the others come from someone the policy lets in,
        // pages alternating between a bearer token and a cookie session with its CSRF token.
        const account = accountFor(r, k);
        const via = k % 4 === 0 ? 'anon' : !r.url.startsWith('/api/') && k % 2 === 1 ? 'cookie' : 'bearer';
        const checkDb = UNSAFE.has(r.method) || k % 4 === 1;
        // Credentials first: a login made for this request is not the request's doing.
        const made = callers.made;
        const auth = await credentials(via, account);
        if (checkDb) {
          const f0 = Date.now();
          const snap = await snapshot(t);
          if (!last || callers.made !== made || last.snap !== snap) last = { snap, fp: await fingerprint() };
          fpMs += Date.now() - f0;
        }
        const r0 = Date.now();
        const res = await send(r, spec, auth);
        reqMs += Date.now() - r0;
        stat.ms += Date.now() - r0;
        stat.n++;
        stat.statuses.set(res.statusCode, (stat.statuses.get(res.statusCode) ?? 0) + 1);
        const what = `${key} [${via}${via === 'anon' ? '' : ` ${account}`}] ${spec.note} -> ${res.statusCode}`;
        for (const p of problems(r, res)) failures.push(`${what}: ${p}\n    ${show(spec)}\n    ${res.body.slice(0, 300)}`);
        if (isText(res) && res.statusCode < 400) for (const m of res.body.matchAll(/\bname="([\w.[\]-]{1,40})"/g)) names.add(m[1]!);
        if (res.statusCode >= 400 && res.statusCode < 500 && checkDb && last) {
          const f0 = Date.now();
          compared++;
          const snap = await snapshot(t);
          if (snap !== last.snap) {
            const now = await fingerprint();
            const changed = diff(last.fp, now, REFUSAL_WRITES[key]?.tables);
            if (changed.length) failures.push(`${what}: a refused request changed ${changed.join(', ')}\n    ${show(spec)}`);
            last = { snap, fp: now };
          }
          fpMs += Date.now() - f0;
        } else if (res.statusCode < 400 && via !== 'anon' && UNSAFE.has(r.method)) {
          await callers.revalidate(account);
        }
      }
    }

    const ns = [...counts.values()].map((c) => c.n).sort((a, b) => a - b);
    const total = ns.reduce((a, b) => a + b, 0);
    for (const [key, c] of counts) {
      const st = [...c.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}x${n}`);
      console.log(`fuzz: ${String(c.n).padStart(4)} ${key}  ${st.join(' ')}`);
    }
    console.log(
      `fuzz summary (${ENGINE}): seed ${SEED}; ${counts.size} routes; requests per route min ${ns[0]} / median ${ns[ns.length >> 1]} / max ${ns.at(-1)}; ` +
        `${total} requests; ${compared} refusals checked against the database; ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(requests ${(reqMs / 1000).toFixed(1)} s, database fingerprints ${(fpMs / 1000).toFixed(1)} s; ` +
        `CPU of this process ${(Object.values(process.cpuUsage(cpu0)).reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} s)`,
    );
    const slow = [...counts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10);
    console.log(`fuzz: slowest routes: ${slow.map(([k, c]) => `${k} ${c.ms} ms`).join('; ')}`);
    console.log(
      `fuzz: tables compared by row count only or skipped: ${Object.entries(VOLATILE)
        .map(([k, v]) => `${k} (${v.mode}: ${v.why})`)
        .join('; ')}`,
    );
    await mkdir('.cache', { recursive: true });
    await writeFile(`.cache/fuzz-failures-${ENGINE}.txt`, failures.join('\n'));
    assert.equal(failures.length, 0, `${failures.length} failures (seed ${SEED}):\n${failures.slice(0, 40).join('\n')}`);
  });

  async function credentials(via: 'anon' | 'bearer' | 'cookie', account: ReturnType<typeof accountFor>) {
    if (via === 'bearer') return { headers: await callers.bearer(account), csrf: null };
    if (via === 'cookie') {
      const s = await callers.session(account);
      return { headers: { cookie: s.cookie }, csrf: s.csrf };
    }
    return { headers: {}, csrf: null };
  }

  async function send(r: RegisteredRoute, spec: Spec, auth: { headers: Record<string, string>; csrf: string | null }) {
    const headers: Record<string, string> = { ...spec.headers, ...auth.headers };
    const csrf = auth.csrf;
    let payload: string | Buffer | undefined;
    const b = spec.body;
    if (b.kind === 'json') {
      headers['content-type'] = 'application/json';
      payload = b.value === undefined ? '' : JSON.stringify(b.value);
      if (csrf) headers['x-csrf-token'] = csrf;
    } else if (b.kind === 'raw') {
      headers['content-type'] = b.contentType;
      payload = b.text;
    } else if (b.kind === 'form') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const fields: [string, string][] = csrf !== null && b.csrf ? [['_csrf', csrf], ...b.fields] : b.fields;
      payload = fields.map(([k, v]) => `${encodeForm(k)}=${encodeForm(v)}`).join('&');
    } else if (b.kind === 'multipart') {
      const m = multipartPayload(b, csrf, UPLOAD_MAX);
      headers['content-type'] = m.contentType;
      payload = m.payload;
    }
    return t.app.inject({ method: r.method as 'GET', url: spec.url, headers, ...(payload !== undefined ? { payload } : {}) });
  }
});

function encodeForm(s: string) {
  return Buffer.from(s, 'utf8')
    .toString('binary')
    .replace(/[^A-Za-z0-9\-_.~]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function show(spec: Spec): string {
  const body = spec.body.kind === 'json' ? JSON.stringify(spec.body.value) : spec.body.kind === 'none' ? '' : JSON.stringify(spec.body);
  return `${spec.url.slice(0, 200)} ${JSON.stringify(spec.headers).slice(0, 200)} ${(body ?? '').slice(0, 300)}`;
}

/** What is wrong with an answer, whatever the request was. */
function problems(r: RegisteredRoute, res: LightMyRequestResponse): string[] {
  const out: string[] = [];
  if (res.statusCode >= 500) out.push('server error');
  const staticFile = r.url.startsWith('/static/') || r.url.startsWith('/api/docs');
  if ((res.statusCode >= 400 || isText(res)) && !staticFile) {
    for (const re of STACK) if (re.test(res.body)) out.push(`internals leaked (${re})`);
  }
  if (res.statusCode >= 400 && String(res.headers['content-type']).includes('json')) {
    let code: unknown;
    try {
      code = (JSON.parse(res.body) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
    if (typeof code !== 'string' || !(code in ERROR_STATUS)) out.push(`no stable error code (${String(code)})`);
  }
  return out;
}
