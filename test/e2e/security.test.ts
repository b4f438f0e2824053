import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { browserSuite } from './browser.js';

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

/**
 * A context whose pages record every CSP violation the browser reports: the DOM event (listened
 * to from an init script, which DevTools injects past the CSP) and the console message Chromium
 * prints for it.
 */
async function watchedContext(ctx: BrowserContext): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  await ctx.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const page = await ctx.newPage();
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  return { page, violations: async () => [...console, ...(await page.evaluate(() => window.__cspViolations))] };
}

describe(`Content Security Policy in Chromium (${ENGINE})`, () => {
  const suite = browserSuite();

  test('key pages, for a visitor, a citizen and an official, report no CSP violation', async () => {
    const visits: { as: string | null; paths: string[] }[] = [
      { as: null, paths: ['/', '/procedures', '/procedures/1.004873', '/statistics', '/lookup', '/feedback/new', '/register', '/learn'] },
      { as: DEMO.citizen, paths: ['/account', '/my/dossiers', '/inbox', '/contest'] },
      { as: DEMO.leaderQuangTrung, paths: ['/work', '/dashboard', '/work/feedback'] },
    ];
    const found: string[] = [];
    let pages = 0;
    for (const v of visits) {
      const ctx = await suite.browser.newContext({ locale: 'vi-VN' });
      const { page, violations } = await watchedContext(ctx);
      if (v.as) {
        await page.goto(`${suite.t.url}/login`);
        await page.fill('#identifier', v.as);
        await page.fill('#password', DEMO_PASSWORD);
        await page.click('button[type=submit].button');
        await page.waitForURL(/\/account$/);
      }
      for (const path of v.paths) {
        const res = await page.goto(`${suite.t.url}${path}`);
        assert.ok(res && res.status() < 400, `${path}: ${res?.status()}`);
        pages++;
        found.push(...(await violations()).map((x) => `${path} (${v.as ?? 'visitor'}): ${x}`));
      }
      await ctx.close();
    }
    assert.deepEqual(found, []);
    assert.equal(pages, 15);
  });

  test("an inline script runs only with the response's nonce; one without it is blocked and reported", async () => {
    const ctx = await suite.browser.newContext();
    const { page, violations } = await watchedContext(ctx);
    // The served page, with two inline scripts added on the way: the policy header is the real one.
    await page.route(`${suite.t.url}/guide`, async (route) => {
      const res = await route.fetch();
      const nonce = /'nonce-([^']+)'/.exec(res.headers()['content-security-policy'] ?? '')?.[1];
      assert.ok(nonce, 'the page carries a nonce');
      const body = (await res.text()).replace(
        '</body>',
        `<script nonce="${nonce}">document.body.dataset.withNonce = 'ran'</script><script>document.body.dataset.withoutNonce = 'ran'</script><button onclick="document.body.dataset.handler='ran'">x</button></body>`,
      );
      await route.fulfill({ response: res, body });
    });
    await page.goto(`${suite.t.url}/guide`);
    await page.click('button:text("x")');
    assert.equal(await page.evaluate(() => document.body.dataset.withNonce), 'ran');
    assert.equal(await page.evaluate(() => document.body.dataset.withoutNonce), undefined);
    assert.equal(await page.evaluate(() => document.body.dataset.handler), undefined);
    const v = await violations();
    assert.ok(
      v.some((x) => /script-src-elem|script-src/.test(x)),
      `the blocked script is reported: ${v.join('; ')}`,
    );
    assert.ok(
      v.some((x) => /script-src-attr/.test(x)),
      `the blocked handler is reported: ${v.join('; ')}`,
    );
    await ctx.close();
  });

  test('another site cannot frame a page (frame-ancestors none, X-Frame-Options DENY)', async () => {
    const ctx = await suite.browser.newContext();
    const { page } = await watchedContext(ctx);
    await page.setContent(`<iframe id="f" src="${suite.t.url}/login" width="600" height="400"></iframe>`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    assert.doesNotMatch(text, /Đăng nhập/, 'the login form must not render inside a foreign frame');
    await ctx.close();
  });
});
