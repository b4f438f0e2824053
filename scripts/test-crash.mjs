// npm run test:crash: the crash-safety test (test/crash) on both engines, one after the other:
// embedded PGlite, then PostgreSQL at TEST_DATABASE_URL (default: the local server as in CI).
// CRASH_SEED and CRASH_KILLS pass through; each run prints its seed.
import { spawnSync } from 'node:child_process';

const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const runs = [
  { name: 'PGlite', env: { ...process.env, TEST_DATABASE_URL: '' } },
  { name: 'PostgreSQL', env: { ...process.env, TEST_DATABASE_URL: pgUrl } },
];
let failed = false;
for (const run of runs) {
  console.log(`\n== crash safety on ${run.name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/crash/crash.test.ts'], {
    stdio: 'inherit',
    env: { ...run.env, NODE_ENV: 'test' },
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
