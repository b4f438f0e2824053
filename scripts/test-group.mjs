// One process of the test runner (scripts/test.mjs): imports several test files, whose suites
// then run one after another under node:test, so the modules they share load once per group
// instead of once per file. Each file still builds its own app and database.
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';

// A file that leaves something running after its last test (a timer of a library, a socket a
// killed child never closed) would hold the whole group open and CI with it: once every test of
// the group is done and the reporters have had time to write, the process ends with the runner's
// verdict. The timer is unref'd, so a group that ends by itself is not delayed.
after(() => {
  setTimeout(() => {
    console.error('test group: something kept the process alive after its last test; exiting');
    process.exit(process.exitCode ?? 0);
  }, 5_000).unref();
});

for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
