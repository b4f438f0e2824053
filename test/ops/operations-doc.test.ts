// docs/operations.md must stay true to the code it describes: its configuration reference lists
// exactly the variables of src/config.ts with their defaults, and every metric it names is one the
// server exposes on /metrics.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { EnvSchema } from '../../src/config.js';
import { testApp, type TestApp } from '../helpers/app.js';

const DOC = new URL('../../docs/operations.md', import.meta.url);

/** The rows of the Markdown table that follows `heading`: first cell's `NAME` -> the other cells. */
function tableAfter(markdown: string, heading: string): Map<string, string[]> {
  const at = markdown.indexOf(heading);
  assert.ok(at >= 0, `docs/operations.md has no "${heading}"`);
  const lines = markdown.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0]!)?.[1];
    assert.ok(name, `not a variable row: ${line}`);
    assert.ok(!rows.has(name), `${name} is listed twice`);
    rows.set(name, cells.slice(1));
  }
  return rows;
}

describe('docs/operations.md', () => {
  let doc: string;
  before(async () => {
    doc = await readFile(DOC, 'utf8');
  });

  test('the configuration reference lists every variable of src/config.ts, and only those, with its default', () => {
    const rows = tableAfter(doc, '## 2. Configuration reference');
    const schema = EnvSchema.properties as Record<string, { default?: unknown }>;
    const missing = Object.keys(schema).filter((k) => !rows.has(k));
    assert.deepEqual(missing, [], `variables of src/config.ts missing from docs/operations.md section 2: ${missing.join(', ')}`);
    const unknown = [...rows.keys()].filter((k) => !(k in schema));
    assert.deepEqual(unknown, [], `docs/operations.md section 2 lists variables src/config.ts does not read: ${unknown.join(', ')}`);
    for (const [name, def] of Object.entries(schema)) {
      const [defaultCell, meaning] = rows.get(name)!;
      assert.ok(meaning && meaning.length > 10, `${name}: no meaning given`);
      if (def.default !== undefined) {
        assert.equal(defaultCell, `\`${String(def.default)}\``, `${name}: the schema's default is ${String(def.default)}`);
      } else {
        assert.ok(defaultCell, `${name}: say what happens when it is unset`);
      }
    }
  });

  test('the variables the guide says are read elsewhere are really not in src/config.ts', () => {
    const other = tableAfter(doc, 'Other environment variables that matter');
    for (const name of other.keys()) assert.ok(!(name in EnvSchema.properties), `${name} is in src/config.ts: move it to section 2`);
  });

  describe('metrics', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp();
    });
    after(() => t.close());

    test('every motcua_ metric the guide names is exposed on /metrics', async () => {
      await t.app.inject({ url: '/healthz' }); // one observation, so the histogram has its series
      const res = await t.app.inject({ url: '/metrics' });
      assert.equal(res.statusCode, 200);
      const exposed = new Set(
        [...res.body.matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap(([, name, type]) => {
          const parts = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
          return [name!, ...parts.map((p) => name + p)];
        }),
      );
      const named = [...new Set([...doc.matchAll(/\bmotcua_[a-z0-9_]+/g)].map((m) => m[0]))];
      assert.ok(named.length >= 10, 'the guide names the metrics it relies on');
      const absent = named.filter((n) => !exposed.has(n));
      assert.deepEqual(absent, [], `named in docs/operations.md but not exposed: ${absent.join(', ')}`);
    });
  });
});
