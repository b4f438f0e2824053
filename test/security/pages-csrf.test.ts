import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RegisteredRoute } from '../../src/app.js';
import type { Actor } from '../../src/modules/auth/policy.js';
import { SANDBOX_PAY_PATH } from '../../src/modules/payments/sandbox-bank.js';
import { translator } from '../../src/web/i18n/index.js';
import { Browser, DEMO, UNITS, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { receivedDossier, tokens } from '../helpers/processing.js';
import { actorFor, cspNonce, databaseFingerprint, fillParams, inspectPage } from './sweep.js';

/** Who visits: one browser per role, logged in through the login form. */
const ROLES = {
  citizen: DEMO.citizen,
  desk: DEMO.deskQuangTrung,
  specialist: DEMO.specialistQuangTrung,
  leader: DEMO.leaderQuangTrung,
  unitAdmin: DEMO.adminHaDong,
  cityAdmin: DEMO.cityAdmin,
} as const;
type Role = keyof typeof ROLES;

/**
 * State-changing routes that take no CSRF token, each with the reason. Anything else that does
 * not answer 403 csrf_invalid fails the sweep.
 */
const CSRF_EXEMPT: Record<string, string> = {
  [`POST ${SANDBOX_PAY_PATH}`]:
    'the sandbox bank stands for another site (the payment gateway): its form is posted from the bank page, carries no token of ours and acts only on a signed payment request',
};

/** HTML that is not one of our pages, so carries no nonce (the stricter base policy allows no inline script there). */
const NONCE_EXEMPT: Record<string, string> = {
  [SANDBOX_PAY_PATH]: "the sandbox bank's page stands for another site and has no inline script",
  '/api/docs/': "swagger-ui, with its own policy listing its scripts' hashes",
};

const noParams = (r: RegisteredRoute) => !/[:*]/.test(r.url);
const isPage = (r: RegisteredRoute) =>
  r.method === 'GET' && !r.url.startsWith('/api/') && !r.url.startsWith('/static/') && !['/healthz', '/readyz', '/metrics'].includes(r.url);

describe('the page inspector', () => {
  test('finds what the sweep looks for, so a clean sweep means something', () => {
    const page = [
      '<script nonce="n1">ok()</script><script>bad()</script><script nonce="n2">old()</script>',
      '<script src="https://cdn.example/x.js"></script><script src="/static/contest.js" nonce="n1"></script>',
      '<button onclick="x()">b</button><a href=" javascript:alert(1)">a</a><p style="color:red">s</p>',
      '<form method="post" action="/a"><input type="hidden" name="_csrf" value="t"/></form>',
      '<form method="POST" action="/b"><input name="x"/></form><form method="get" action="/c"></form>',
    ].join('');
    const { inlineScripts, problems } = inspectPage(page, 'n1');
    assert.equal(inlineScripts, 3);
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      [
        "inline script without this response's nonce",
        "inline script without this response's nonce",
        'script from another origin',
        'inline event handler onclick',
        'javascript',
        'inline style',
        'POST form without a CSRF token',
      ],
    );
  });
});

describe(`CSP nonces and CSRF tokens on every page; CSRF on every state-changing route (${ENGINE})`, () => {
  let t: TestApp;
  const browsers = {} as Record<Role, Browser>;
  const actors: [Role, Actor][] = [];
  let dossier: { id: number; code: string };
  let bearer: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    t = await testApp();
    for (const [role, login] of Object.entries(ROLES) as [Role, string][]) {
      browsers[role] = await new Browser(t.app).login(login);
      const actor = await t.app.services.auth.actorFromSession(browsers[role].cookies.get('sid')!);
      actors.push([role, actor!]);
    }
    bearer = await tokens(t.app);
    dossier = await receivedDossier(t, bearer);
  });
  after(() => t.close());

  test('every page route (all without parameters, some with demo ones) carries its own nonce on each inline script, no inline handler, a token in each POST form', async () => {
    const procedure = '1.004873';
    const lesson = (t.app.services.learn.lessons[0] as { slug: string }).slug;
    const visits: { url: string; as: Role | null }[] = [];
    for (const r of t.app.routeList.filter((x) => isPage(x) && noParams(x))) {
      const as = actorFor(r.policy!, actors);
      assert.notEqual(as, undefined, `no demo account may see ${r.url}`);
      visits.push({ url: r.url, as: as ?? null });
    }
    // Public pages look different to a signed-in person (the navigation): the home page for each role.
    for (const role of Object.keys(ROLES) as Role[]) visits.push({ url: '/', as: role });
    visits.push(
      { url: `/units/${UNITS.quangTrung}`, as: null },
      { url: `/procedures/${procedure}`, as: null },
      { url: `/procedures/${procedure}/checklist`, as: null },
      { url: '/calendar/2026', as: null },
      { url: `/learn/lessons/${lesson}`, as: null },
      { url: `/learn/lessons/${lesson}/practice`, as: null },
      { url: `/lookup?code=${encodeURIComponent(dossier.code)}&phone=0912345678`, as: null },
      { url: `/dossiers/${dossier.id}`, as: 'citizen' },
      { url: `/desk/dossiers/${dossier.id}`, as: 'desk' },
      { url: `/work/dossiers/${dossier.id}`, as: 'leader' },
      { url: `/admin/calendar/2026`, as: 'cityAdmin' },
      { url: `/admin/units/${UNITS.quangTrung}/office-hours`, as: 'unitAdmin' },
      { url: `/admin/units/${UNITS.quangTrung}/procedures`, as: 'unitAdmin' },
      { url: `/admin/procedures/${procedure}/edit`, as: 'cityAdmin' },
      { url: '/no-such-page', as: null },
      { url: '/api/docs/', as: null },
    );

    const nonces = new Set<string>();
    const problems: string[] = [];
    let html = 0;
    let inline = 0;
    for (const v of visits) {
      const res = v.as ? await browsers[v.as].get(v.url) : await t.app.inject({ method: 'GET', url: v.url });
      const where = `${v.url} (${v.as ?? 'anonymous'}, ${res.statusCode})`;
      assert.ok(res.statusCode < 500, `${where}: ${res.body.slice(0, 300)}`);
      assert.equal(res.headers['x-frame-options'], 'DENY', where);
      assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'none'/, where);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', where);
      if (!/^text\/html/.test(String(res.headers['content-type']))) continue;
      html++;
      const nonce = cspNonce(res.headers['content-security-policy'] as string);
      if (NONCE_EXEMPT[v.url.split('?')[0]!]) assert.equal(nonce, null, where);
      else {
        assert.ok(nonce, `${where}: a page's CSP carries a nonce`);
        assert.ok(!nonces.has(nonce), `${where}: nonce reused`);
        nonces.add(nonce);
        assert.match(res.headers['content-security-policy'] as string, new RegExp(`script-src 'self' 'nonce-${nonce}';`));
        assert.doesNotMatch(res.headers['content-security-policy'] as string, /unsafe-inline|unsafe-eval/, where);
      }
      const found = inspectPage(res.body, nonce);
      inline += found.inlineScripts;
      problems.push(...found.problems.map((p) => `${where}: ${p}`));
    }
    assert.deepEqual(problems, []);
    console.log(`# pages: ${visits.length} visits, ${html} HTML responses, ${nonces.size} distinct nonces, ${inline} inline scripts`);
    assert.ok(html >= 60, `only ${html} HTML pages were checked`);
  });

  test('a page rendered twice in one response (a form shown again with its error) keeps one nonce', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.postForm('/login', { identifier: DEMO.citizen, password: 'wrong-password-1' });
    assert.equal(res.statusCode, 401);
    const nonce = cspNonce(res.headers['content-security-policy'] as string);
    assert.ok(nonce);
    assert.deepEqual(inspectPage(res.body, nonce).problems, []);
  });

  test('JSON, files and redirects get the policy without a nonce: nothing inline may run there', async () => {
    for (const url of ['/api/v1/units', '/healthz', '/account']) {
      const csp = (await t.app.inject({ method: 'GET', url })).headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self';/, url);
      assert.equal(cspNonce(csp), null, url);
    }
  });

  test('every POST/PUT/PATCH/DELETE route, called with a session cookie and no CSRF token, is refused with 403 csrf_invalid and changes nothing', async () => {
    const message = translator('vi')('err.csrf_invalid');
    const unsafe = t.app.routeList.filter((r) => r.method !== 'GET');
    const before = await databaseFingerprint(t.database);
    const wrong: string[] = [];
    const exempt: string[] = [];
    let checked = 0;
    for (const r of unsafe) {
      const key = `${r.method} ${r.url}`;
      const as = actorFor(r.policy!, actors) ?? 'citizen';
      const b = browsers[as];
      const url = fillParams(r);
      const api = r.url.startsWith('/api/');
      const bodies = [
        api
          ? { payload: '{}', headers: { 'content-type': 'application/json' } }
          : { payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        ...(r.multipart ? [multipart({ item: '0' }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF })] : []),
      ];
      for (const body of bodies) {
        const res = await b.request({ method: r.method as 'POST', url, payload: body.payload, headers: body.headers });
        const refused = res.statusCode === 403 && (api ? res.json().code === 'csrf_invalid' : res.body.includes(message));
        if (CSRF_EXEMPT[key]) {
          exempt.push(key);
          assert.ok(!refused, `${key} is listed as exempt but is refused: remove it from the list`);
          continue;
        }
        checked++;
        if (!refused)
          wrong.push(`${key} as ${as} (${body.headers['content-type'].split(';')[0]}): ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(await databaseFingerprint(t.database), before, 'a refused request changed the database');
    console.log(`# CSRF: ${unsafe.length} state-changing routes, ${checked} requests refused, exempt: ${[...new Set(exempt)].join(', ')}`);
    assert.ok(unsafe.length > 150);
  });

  test('a forged or another browser’s token is refused too; the right one passes', async () => {
    const mine = browsers.citizen;
    const other = new Browser(t.app);
    await other.get('/login');
    for (const csrf of ['forged', other.csrf]) {
      const res = await mine.postForm('/inbox/1/read', {}, { csrf });
      assert.equal(res.statusCode, 403, csrf);
    }
    await mine.get('/inbox');
    const ok = await mine.postForm('/learn/leave', {});
    assert.equal(ok.statusCode, 303);
  });

  test('a bearer-token call needs no CSRF token (no ambient authority), and an anonymous JSON call has none to abuse', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/claim',
      headers: bearer.citizen,
      payload: { code: 'x', phone: '0912345678' },
    });
    assert.notEqual(res.statusCode, 403);
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: 'nobody', password: 'x' } });
    assert.equal(anon.statusCode, 401);
  });
});
