// Saves the configured database to a file (DATABASE_URL: pg_dump custom format, taken while the
// app runs; otherwise the embedded database in DATA_DIR, which must not be in use by a server).
// Usage: npm run db:backup [-- --out backups/motcua.dump]
// Writes <file> and <file>.json (row counts, sha256); see docs/operations-backup.md.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirLockedError } from '../src/db/datadir-lock.js';
import { openPglite } from '../src/db/engine.js';
import { BackupError, backupPglite, backupPostgres, manifestPath } from '../src/ops/backup.js';

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const engine = config.databaseUrl ? 'postgres' : 'pglite';
  const out = resolve(values.out ?? join('backups', `motcua-${engine}-${stamp}.${engine === 'postgres' ? 'dump' : 'tar.gz'}`));
  if (existsSync(out)) throw new BackupError(`${out} already exists: choose another --out (backups are never overwritten).`);
  let manifest;
  if (config.databaseUrl) {
    manifest = await backupPostgres(config.databaseUrl, out);
  } else {
    if (!existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION')))
      throw new BackupError(`No embedded database in ${config.dataDir} (DATA_DIR).`);
    let database;
    try {
      database = await openPglite(config.dataDir);
    } catch (e) {
      if (e instanceof DataDirLockedError) {
        throw new BackupError(`${e.message}\nThe embedded database is backed up with the server stopped (docs/operations-backup.md).`);
      }
      throw e;
    }
    try {
      manifest = await backupPglite(database, out);
    } finally {
      await database.close();
    }
  }
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(
    `backup written: ${out} (${manifest.engine}, ${(manifest.bytes / 1024).toFixed(0)} KiB, ${Object.keys(manifest.tables).length} tables, ${rows} rows, ${manifest.durationMs} ms)`,
  );
  console.log(`manifest: ${manifestPath(out)}`);
}

try {
  await main();
} catch (e) {
  if (e instanceof BackupError || e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
