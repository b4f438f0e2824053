// Runs the benchmarks in bench/ one after the other; each prints its figures and the baseline it
// measured in the same run (bench/README.md has the goals and the last results).
// Usage: npm run bench                      every benchmark
//        npm run bench -- submission search  only these; other arguments go to each one run
//        npm run bench -- submission --engine pglite --seconds 5
import { spawnSync } from 'node:child_process';

const BENCHES = [
  { name: 'deadline', file: 'bench/deadline.bench.ts' },
  { name: 'search', file: 'bench/search.bench.ts' },
  { name: 'startup', file: 'bench/startup.bench.ts' },
  { name: 'submission', file: 'bench/submission.bench.ts' },
  { name: 'queue-lookup', file: 'bench/queue-lookup.bench.ts' },
  { name: 'report', file: 'bench/report.bench.ts' },
  { name: 'contest', file: 'bench/contest.bench.ts' },
  { name: 'soak', file: 'bench/soak.bench.ts' },
  { name: 'pii', file: 'bench/pii.bench.ts' },
];

const args = process.argv.slice(2);
const names = args.filter((a) => BENCHES.some((b) => b.name === a));
const rest = args.filter((a) => !names.includes(a));
const selected = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;

const failed = [];
for (const b of selected) {
  console.log(`\n=== ${b.name} (${b.file}) ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', b.file, ...rest], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(b.name);
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
