// Restores a backup made by db:backup into the configured database (DATABASE_URL or DATA_DIR).
// Usage: npm run db:restore -- <file> [--force]
// A database that already has tables is refused unless --force; the restored row counts are
// checked against <file>.json when it is there. See docs/operations-backup.md.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirLockedError } from '../src/db/datadir-lock.js';
import { BackupError, restorePglite, restorePostgres } from '../src/ops/backup.js';

async function main() {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new BackupError('Usage: npm run db:restore -- <backup file> [--force]');
  const file = positionals[0]!;
  const config = loadConfig();
  const result = config.databaseUrl
    ? await restorePostgres(config.databaseUrl, file, { force: values.force })
    : await restorePglite(config.dataDir, file, { force: values.force });
  if ('movedAside' in result && result.movedAside) console.log(`the database that was there is kept in ${result.movedAside}`);
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  const check = result.verified ? 'row counts match the manifest' : 'no manifest beside the file: row counts not compared';
  console.log(
    `restored ${file} (${result.engine}, ${Object.keys(result.tables).length} tables, ${rows} rows, ${result.durationMs} ms): ${check}`,
  );
  console.log('check the audit chain next: npm run audit:verify');
}

try {
  await main();
} catch (e) {
  if (e instanceof BackupError || e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
