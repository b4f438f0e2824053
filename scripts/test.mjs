// Runs every test file with Node's own test runner (through tsx for TypeScript).
// Browser tests (test/e2e) need Chromium: without it they are skipped loudly,
// unless REQUIRE_E2E=1, which turns a missing browser into a failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { scanLogs } from './log-scan.mjs';

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

// Loading the app's modules through tsx costs seconds of CPU per process, more than many files
// spend on their tests, so files run in a few groups (one process each, SLOTS at a time) rather
// than one process per file. Groups are filled longest first and taken from a queue, so a slow
// group does not hold the other slot idle. "Longest" is each file's measured duration: from this
// machine's last run (.cache) or else from the figures committed in scripts/test-durations.json
// (refresh them with `npm run test:durations` after adding heavy tests); a file measured nowhere
// is estimated from its size, at the rate of the measured files of its kind.
const SLOTS = Number(process.env.TEST_CONCURRENCY || 2);
const GROUPS = Math.min(files.length, Number(process.env.TEST_GROUPS || 8));
const LOCAL_DURATIONS = join('.cache', 'test-durations.json');
const COMMITTED_DURATIONS = join('scripts', 'test-durations.json');
// Durations only balance the groups: a file cut short (a group ended by test-group.mjs before its
// reporter flushed) counts as no figures, never as a failed run.
const readJson = (p) => {
  try {
    return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
  } catch {
    return {};
  }
};
const measured = { ...readJson(COMMITTED_DURATIONS), ...readJson(LOCAL_DURATIONS) };
const msPerByte = (e2e) => {
  const known = files.filter((f) => isE2e(f) === e2e && measured[f] !== undefined);
  const bytes = known.reduce((n, f) => n + statSync(f).size, 0);
  return bytes ? known.reduce((n, f) => n + measured[f], 0) / bytes : e2e ? 4 : 1;
};
const rate = { true: msPerByte(true), false: msPerByte(false) };
const weight = (f) => measured[f] ?? statSync(f).size * rate[isE2e(f)];
const groups = Array.from({ length: GROUPS }, () => ({ files: [], weight: 0 }));
for (const f of [...files].sort((a, b) => weight(b) - weight(a))) {
  const g = groups.reduce((min, x) => (x.weight < min.weight ? x : min));
  g.files.push(f);
  g.weight += weight(f);
}
const queue = groups.filter((g) => g.files.length).sort((a, b) => b.weight - a.weight);
const durationsDir = join(tmpdir(), `motcua-test-durations-${process.pid}`);
// Every test process writes its app logs here; the run fails if they hold personal data.
const logDir = join(tmpdir(), `motcua-test-logs-${process.pid}`);
rmSync(logDir, { recursive: true, force: true });
mkdirSync(durationsDir, { recursive: true });

function runGroup(g, n) {
  return new Promise((resolve) => {
    const started = Date.now();
    const reporters = [
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/durations-reporter.mjs',
      `--test-reporter-destination=${join(durationsDir, `${n}.json`)}`,
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', ...reporters, 'scripts/test-group.mjs', ...g.files], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test', MOTCUA_TEST_LOG_DIR: logDir },
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      // A group's output is printed whole, so two groups running at once do not interleave.
      process.stdout.write(`\n=== test group ${n}: ${g.files.join(' ')}\n`);
      process.stdout.write(Buffer.concat(out));
      process.stdout.write(`=== test group ${n}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      resolve({ code, text: Buffer.concat(out).toString('utf8') });
    });
  });
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(SLOTS, queue.length) }, async () => {
    while (next < queue.length) {
      const n = next++;
      results.push(await runGroup(queue[n], n + 1));
    }
  }),
);
const total = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
for (const r of results) {
  for (const k of Object.keys(total)) {
    const m = r.text.match(new RegExp(`^ℹ ${k} (\\d+)$`, 'm'));
    if (m) total[k] += Number(m[1]);
  }
}
// This run's durations balance the next one (files absent from this run keep their figures).
const fresh = { ...readJson(LOCAL_DURATIONS) };
for (const name of readdirSync(durationsDir)) {
  for (const [file, ms] of Object.entries(readJson(join(durationsDir, name)))) fresh[relative(process.cwd(), file)] = Math.round(ms);
}
rmSync(durationsDir, { recursive: true, force: true });
mkdirSync('.cache', { recursive: true });
writeFileSync(LOCAL_DURATIONS, `${JSON.stringify(fresh, Object.keys(fresh).sort(), 2)}\n`);

const scan = scanLogs(logDir);
console.log(`\nlog scan: ${scan.files} log files, ${scan.lines} lines, ${scan.findings.length} with personal data or secrets`);
for (const f of scan.findings.slice(0, 30)) console.log(`  ${f.file}:${f.line}: ${f.what}: ${f.excerpt}`);
if (scan.findings.length === 0) rmSync(logDir, { recursive: true, force: true });
else console.log(`  (logs kept in ${logDir})`);
const failed = results.filter((r) => r.code !== 0).length + (scan.findings.length ? 1 : 0);
console.log(
  `\n${files.length} files in ${queue.length} groups: ${Object.entries(total)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
if (failed) console.log(`${failed} group(s) failed: search the output above for "✖".`);
process.exit(failed ? 1 : 0);
