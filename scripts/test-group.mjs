// One process of the test runner (scripts/test.mjs): imports several test files, whose suites
// then run one after another under node:test, so the modules they share load once per group
// instead of once per file. Each file still builds its own app and database.
import { pathToFileURL } from 'node:url';

for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
