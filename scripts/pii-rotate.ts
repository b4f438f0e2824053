// Re-encrypts every encrypted phone and citizen ID number under the current key (the first of
// PII_KEYS), and encrypts any value a bulk import left in clear. Rotation (docs/privacy.md):
// put the new key first in PII_KEYS, keep the old one, restart the app, run this, then remove
// the old key. Safe to run again or while the app runs (each batch is one statement).
// Usage: npm run pii:rotate   (uses DATABASE_URL or DATA_DIR like the server)
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { pii } from '../src/lib/pii.js';
import { rotateAll } from '../src/lib/pii-store.js';

const config = loadConfig();
const database = await openDatabase(config);
try {
  // A database from before the encryption migration is converted by that migration first.
  await migrateToLatest(database.db);
  const started = Date.now();
  const cipher = pii();
  const report = await rotateAll(database.db, cipher);
  console.log(
    `pii:rotate: ${report.rotated} values re-encrypted and ${report.encrypted} plaintext values encrypted under key "${cipher.currentKid}" ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s (${database.engine}); older keys may now be removed from PII_KEYS.`,
  );
} finally {
  await database.close();
}
