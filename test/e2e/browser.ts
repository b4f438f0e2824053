import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testApp, type TestApp } from '../helpers/app.js';
import type { TemplateKind } from '../helpers/db.js';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// The test runner imports several files into one process (scripts/test-group.mjs): they share one
// Chromium, so each file pays for fresh contexts rather than a browser start. Registered at module
// load, this hook belongs to the root test and runs once every file of the process is done.
let shared: Promise<Browser> | undefined;
after(async () => {
  if (shared) await (await shared).close();
});

/**
 * The process's Chromium, seen through a handle whose close() closes only the contexts (and their
 * pages) opened through it, so one file cannot leave state behind for the next.
 */
export async function launch(): Promise<Browser> {
  shared ??= launchChromium();
  const browser = await shared;
  const mine = new Set<BrowserContext>();
  const track = (c: BrowserContext) => {
    mine.add(c);
    c.once('close', () => mine.delete(c));
    return c;
  };
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === 'close') return async () => Promise.all([...mine].map((c) => c.close()));
      if (prop === 'newContext') return async (...a: Parameters<Browser['newContext']>) => track(await target.newContext(...a));
      if (prop === 'newPage')
        return async (...a: Parameters<Browser['newPage']>) => {
          const page = await target.newPage(...a);
          track(page.context());
          return page;
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The app on a real port, over a real test database. */
export async function serve(opts: { template?: TemplateKind } = {}): Promise<TestApp & { url: string }> {
  const t = await testApp({}, opts);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  return { ...t, url: `http://127.0.0.1:${port}` };
}

let axeSource: string | undefined;

/** Runs axe-core in the page and fails on serious or critical violations (needs JavaScript enabled). */
export async function checkA11y(page: Page, label: string) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() goes through the DevTools protocol, so the page's strict CSP does not block it.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${label}`,
  );
}

/** Starts the app on a real port and a Chromium for one test file, and stops both after it. */
export function browserSuite(): { readonly t: TestApp & { url: string }; readonly browser: Browser } {
  const state = {} as { t: TestApp & { url: string }; browser: Browser };
  before(async () => {
    state.t = await serve();
    state.browser = await launch();
  });
  after(async () => {
    await state.browser?.close();
    await state.t?.close();
  });
  return state;
}
