// Walks the audit hash chain and every dossier's event chain, and names the first event that was
// changed, removed or reordered.
// Usage: npm run audit:verify   (uses DATABASE_URL or DATA_DIR like the server)
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/engine.js';
import { verifyAuditChain } from '../src/modules/audit/audit.js';
import { verifyAllEvents } from '../src/modules/dossiers/dossier.repo.js';

const config = loadConfig();
const database = await openDatabase(config);
try {
  const report = await verifyAuditChain(database.db);
  if (report.ok) {
    console.log(`audit chain intact: ${report.events} events verified (${database.engine})`);
  } else {
    const why =
      report.reason === 'hash_mismatch'
        ? 'its content does not match its hash'
        : 'it does not link to the event before it (an event was removed or reordered)';
    console.error(`audit chain BROKEN at event #${report.brokenAt}: ${why}. ${report.events - 1} events before it are intact.`);
    process.exitCode = 1;
  }
  const dossiers = await verifyAllEvents(database.db);
  if (dossiers.brokenAt) {
    const b = dossiers.brokenAt;
    console.error(`dossier history BROKEN: dossier #${b.dossierId}, event #${b.eventId} does not match its hash or its predecessor.`);
    process.exitCode = 1;
  } else {
    console.log(`dossier histories intact: ${dossiers.events} events verified`);
  }
} finally {
  await database.close();
}
