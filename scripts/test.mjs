// Runs every test file with Node's own test runner (through tsx for TypeScript).
// Browser tests (test/e2e) need Chromium: without it they are skipped loudly,
// unless REQUIRE_E2E=1, which turns a missing browser into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const all = [...walk('src'), ...walk('test')].sort();
const isE2e = (f) => f.startsWith(join('test', 'e2e'));
let files = all.filter((f) => (only === 'e2e' ? isE2e(f) : only === 'unit' ? !isE2e(f) : true));

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium) && files.some(isE2e)) {
  if (process.env.REQUIRE_E2E === '1') {
    console.error(`\n*** REQUIRE_E2E=1 but no Chromium at ${chromium}: install it (apt-get install -y chromium). ***\n`);
    process.exit(1);
  }
  console.error(`\n*** WARNING: no Chromium at ${chromium}: SKIPPING the browser tests (test/e2e). ***`);
  console.error('*** Install it with `apt-get install -y chromium` to run them. ***\n');
  files = files.filter((f) => !isE2e(f));
}

const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' },
});
process.exit(r.status ?? 1);
