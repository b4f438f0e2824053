// Cost of encrypting personal data at rest (docs/privacy.md): AES-256-GCM encrypt/decrypt and the
// HMAC lookup hash per value, and the bulk conversion rate of `encryptColumns` (the migration and
// `npm run pii:rotate`) on an embedded database. Usage: npm run bench -- pii [--rows 20000]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openPglite } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { parsePiiKeys, PiiCipher } from '../src/lib/pii.js';
import { encryptColumns, PII_COLUMNS } from '../src/lib/pii-store.js';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 20_000;
const key = () => randomBytes(32).toString('base64');
const [k1, k2, hk] = [key(), key(), key()];
const cipher = new PiiCipher(parsePiiKeys(`b1:${k1}`, hk));
// After a rotation: the new key first, the old one still there to decrypt.
const next = new PiiCipher(parsePiiKeys(`b2:${k2},b1:${k1}`, hk));

function perOp(label: string, n: number, f: (i: number) => unknown) {
  for (let i = 0; i < 1000; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f(i);
  const us = Number(process.hrtime.bigint() - t) / 1000 / n;
  console.log(`  ${label.padEnd(34)} ${us.toFixed(2)} µs/op`);
  return us;
}

console.log('per value (one core):');
const phones = Array.from({ length: 1000 }, (_, i) => `09${String(10000000 + i)}`);
const enc = perOp('encrypt (AES-256-GCM)', 100_000, (i) => cipher.encrypt(phones[i % 1000]!));
const cts = phones.map((p) => cipher.encrypt(p));
const dec = perOp('decrypt', 100_000, (i) => cipher.decrypt(cts[i % 1000]!));
const hash = perOp('lookup hash (HMAC-SHA256)', 100_000, (i) => cipher.hash('phone', phones[i % 1000]!));
// A registration encrypts and hashes a phone and an ID; a submission reads and decrypts both.
console.log(`  registration (2 encrypt + 2 hash)  ${(2 * enc + 2 * hash).toFixed(1)} µs`);
console.log(`  submission (2 decrypt)             ${(2 * dec).toFixed(1)} µs`);

const dir = await mkdtemp(join(tmpdir(), 'motcua-pii-bench-'));
const database = await openPglite(dir);
try {
  await migrateToLatest(database.db);
  await sql`insert into account (kind, full_name, phone, citizen_id, password_hash)
    select 'citizen', 'Người ' || g, '09' || lpad(g::text, 8, '0'), '001' || lpad(g::text, 9, '0'), 'x'
    from generate_series(1, ${ROWS}) g`.execute(database.db);
  const accounts = PII_COLUMNS.filter((c) => c.table === 'account');
  let t = Date.now();
  const conv = await encryptColumns(database.db, cipher, accounts);
  const convS = (Date.now() - t) / 1000;
  console.log(
    `conversion of plaintext (${database.engine}): ${conv.encrypted} values in ${convS.toFixed(1)} s = ${Math.round(conv.encrypted / convS)} values/s`,
  );
  t = Date.now();
  const rot = await encryptColumns(database.db, next, accounts);
  const rotS = (Date.now() - t) / 1000;
  console.log(`rotation to a new key: ${rot.rotated} values in ${rotS.toFixed(1)} s = ${Math.round(rot.rotated / rotS)} values/s`);
  t = Date.now();
  const again = await encryptColumns(database.db, next, accounts);
  console.log(`second run (nothing to do): ${again.encrypted + again.rotated} values in ${((Date.now() - t) / 1000).toFixed(2)} s`);
} finally {
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
