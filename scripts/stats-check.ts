// Recomputes every statistic from the dossiers and compares it with the roll-up tables.
// Usage: npm run stats:check [-- --roll | --rebuild]   (uses DATABASE_URL or DATA_DIR like the
// server; --roll first rolls up what is pending; --rebuild empties the roll-ups and counts every
// dossier again, e.g. after a working-day calendar was republished). Exit code 1 when anything differs.
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createServices } from '../src/services.js';
import { checkRollups } from '../src/modules/stats/stats.check.js';
import { rebuild } from '../src/modules/stats/stats.rollup.js';

const config = loadConfig();
const database = await openDatabase(config);
try {
  await migrateToLatest(database.db);
  const { stats } = createServices(config, database);
  if (process.argv.includes('--roll')) console.log(`rolled up ${await stats.rollUp()} dossiers`);
  if (process.argv.includes('--rebuild')) {
    const n = await rebuild(stats.deps, (k) => process.stderr.write(`\rrebuilt ${k} dossiers`));
    process.stderr.write('\n');
    console.log(`roll-ups rebuilt from ${n} dossiers`);
  }
  const t0 = performance.now();
  const r = await checkRollups(stats.deps, (n) => process.stderr.write(`\rchecked ${n} dossiers`));
  process.stderr.write('\n');
  if (r.differences.length === 0) {
    console.log(
      `statistics consistent: ${r.dossiers} rolled dossiers recomputed, no difference (${Math.round(performance.now() - t0)} ms)`,
    );
  } else {
    for (const d of r.differences.slice(0, 50))
      console.error(`${d.table} ${d.key} ${d.measure}: expected ${d.expected}, found ${d.actual}`);
    console.error(`statistics DIFFER: ${r.differences.length} differences`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
