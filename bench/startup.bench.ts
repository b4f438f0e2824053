// Start-up time of `npm start`'s server on the embedded database: a first start on a new data
// directory (initdb, migrations, seeds) and a second start on the same directory.
// Run: node --import tsx bench/startup.bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../test/helpers/server.js';

const dir = join(await mkdtemp(join(tmpdir(), 'motcua-startup-')), 'data');
const timeStart = async () => {
  const t = performance.now();
  const server = await startServer({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const ms = performance.now() - t;
  await server.stop();
  return ms;
};
try {
  const baseline = performance.now();
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, ['--import', 'tsx', '-e', '0']);
  const nodeTsx = performance.now() - baseline;
  const first = await timeStart();
  const second = await timeStart();
  const third = await timeStart();
  console.log(`first start (new data directory): ${(first / 1000).toFixed(2)} s`);
  console.log(`second start (same directory):    ${(second / 1000).toFixed(2)} s, third: ${(third / 1000).toFixed(2)} s (goal < 3 s)`);
  console.log(`baseline: node + tsx doing nothing: ${(nodeTsx / 1000).toFixed(2)} s`);
} finally {
  await rm(join(dir, '..'), { recursive: true, force: true });
}
