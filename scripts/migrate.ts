// Applies pending migrations and exits (the server also does this at boot).
// Safe to run from several processes at once: they queue on an advisory lock.
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';

const database = await openDatabase(loadConfig());
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
} finally {
  await database.close();
}
