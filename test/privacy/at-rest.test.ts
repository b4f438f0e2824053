import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { maritalBody, uploadFile } from '../helpers/dossiers.js';
import { maskIdNumber, maskPhone, parsePiiKeys, pii, PiiCipher, PiiKeyError, setPii } from '../../src/lib/pii.js';
import { PII_COLUMNS, rotateAll } from '../../src/lib/pii-store.js';
import { publishedRound } from '../contest/play-helpers.js';
import { schedule } from '../conferences/helpers.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { askAboutFee } from '../helpers/feedback.js';

const key = () => randomBytes(32).toString('base64');

describe('PII cipher (no database)', () => {
  const c = new PiiCipher(parsePiiKeys(`k2:${key()},k1:${key()}`, key()));

  test('round trip; a fresh IV each time; the key id in clear, the value not', () => {
    const a = c.encrypt('0912345678');
    const b = c.encrypt('0912345678');
    assert.notEqual(a, b);
    assert.match(a, /^v1:k2:[\w-]{16}:[\w-]+$/);
    assert.ok(!a.includes('0912345678'));
    assert.equal(c.decrypt(a), '0912345678');
    assert.equal(c.decrypt(b), '0912345678');
  });

  test('a tampered ciphertext, a relabelled key id and an unknown key id are refused with clear errors', () => {
    const ct = c.encrypt('001090012345');
    const [v, kid, iv, body] = ct.split(':') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0]! ^= 1;
    assert.throws(() => c.decrypt(`${v}:${kid}:${iv}:${flipped.toString('base64url')}`), /failed authentication/);
    assert.throws(() => c.decrypt(`${v}:k1:${iv}:${body}`), /failed authentication/);
    assert.throws(
      () => c.decrypt(`${v}:k9:${iv}:${body}`),
      (e: Error) => e instanceof PiiKeyError && /Unknown PII key id "k9"/.test(e.message),
    );
    assert.throws(() => c.decrypt('0912345678'), /Not a motcua PII ciphertext/);
  });

  test('lookup hashes: keyed, stable, and different for a phone and an ID with the same digits', () => {
    const other = new PiiCipher(parsePiiKeys(`k2:${key()}`, key()));
    assert.equal(c.hash('phone', '0912345678'), c.hash('phone', '0912345678'));
    assert.notEqual(c.hash('phone', '0912345678'), other.hash('phone', '0912345678'));
    assert.notEqual(c.hash('phone', '091234567812'), c.hash('citizen_id', '091234567812'));
  });

  test('configuration: malformed keys and production without keys are refused at boot', () => {
    assert.throws(() => parsePiiKeys('k1:short', key()), /must be 32 bytes/);
    assert.throws(() => parsePiiKeys(`k1:${key()},k1:${key()}`, key()), /appears twice/);
    assert.throws(() => parsePiiKeys(`k1:${key()}`, undefined), /PII_HASH_KEY is required/);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', PII_KEYS: 'bad key' }), ConfigError);
    const prod = { NODE_ENV: 'production', DEMO_DATA: 'false', COOKIE_SECRET: 'x'.repeat(32), PAYMENT_HASH_SECRET: 'y'.repeat(16) };
    assert.throws(() => loadConfig(prod), /PII_KEYS and PII_HASH_KEY are required/);
    assert.equal(loadConfig({ ...prod, PII_KEYS: `a:${key()}`, PII_HASH_KEY: key() }).env, 'production');
  });

  test('masks', () => {
    assert.equal(maskPhone('0912345678'), '0912***678');
    assert.equal(maskIdNumber('001090012345'), '********2345');
  });
});

/** Every (table.column) of type text/jsonb whose text contains one of `needles`, with the count. */
async function findPlaintext(t: TestApp, needles: string[]): Promise<Map<string, number>> {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'character varying')`.execute(t.db);
  const found = new Map<string, number>();
  for (const c of cols.rows) {
    const col = sql.ref(c.column_name);
    const conds = sql.join(
      needles.map((n) => sql`${col}::text like ${`%${n}%`}`),
      sql` or `,
    );
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${conds}`.execute(t.db);
    if (r.rows[0]!.n > 0) found.set(`${c.table_name}.${c.column_name}`, r.rows[0]!.n);
  }
  return found;
}

/**
 * Places allowed to hold the phone or ID number in clear: none since every column is sealed
 * (docs/privacy.md, "Inventory"). The scan fails on any place not listed here, so a new column, an
 * audit record or a log table that copies a number cannot slip in unnoticed.
 */
const NOT_YET_ENCRYPTED = new Set<string>([]);

describe(`personal data at rest (${ENGINE})`, () => {
  let t: TestApp;
  const PHONE = '0356789012';
  const CCCD = '001195054321';

  before(async () => {
    t = await testApp();
  });
  after(async () => t?.close());

  test('after a full flow, raw SQL finds the phone and citizen ID nowhere in clear', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { kind: 'citizen', fullName: 'Phạm Thị Riêng', phone: PHONE, citizenId: CCCD, password: 'mat-khau-rieng-1' },
    });
    assert.equal(reg.statusCode, 201, reg.body);
    // Login by phone goes through the keyed hash, in any usual spelling of the number.
    const auth = await bearerFor(t.app, '+84 356 789 012', 'mat-khau-rieng-1');
    const me = await t.app.inject({ url: '/account', headers: auth });
    assert.equal(me.statusCode, 200);
    assert.match(me.body, new RegExp(PHONE), 'the account page shows the person their own phone');
    assert.doesNotMatch(me.body, new RegExp(CCCD), 'the citizen ID is masked even for its owner');
    assert.match(me.body, /2345|321/);
    const file = (await uploadFile(t.app, auth)).json().sha256 as string;
    const body = maritalBody(file, { applicant: { name: 'Phạm Thị Riêng', phone: PHONE } });
    (body.form as Record<string, unknown>).citizenId = CCCD;
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: auth, payload: body });
    assert.ok(sub.statusCode < 300, sub.body);
    const admin = await bearerFor(t.app, DEMO.cityAdmin);
    const { contestId } = await publishedRound(t, admin, { questions: 2 });
    const part = { name: 'Phạm Thị Riêng', phone: PHONE, citizenId: CCCD, unitCode: UNITS.quangTrung };
    const c1 = await t.app.inject({ method: 'POST', url: `/api/v1/contest/contests/${contestId}/participants`, payload: part });
    assert.equal(c1.statusCode, 201, c1.body);
    // One entry per phone still holds, now on the hash: the same number in another spelling is refused.
    const c2 = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contest/contests/${contestId}/participants`,
      payload: { ...part, phone: '+84356789012' },
    });
    assert.equal(c2.statusCode, 409, c2.body);
    const fb = await askAboutFee(t.app, 'Phạm Thị Riêng', PHONE);
    assert.equal(fb.statusCode, 201, fb.body);

    const conf = await schedule(t.app, await bearerFor(t.app, DEMO.adminHaDong));
    const register = (phone: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/conferences/${conf}/registrations`, payload: { fullName: 'Phạm Thị Riêng', phone } });
    assert.equal((await register(PHONE)).statusCode, 201);
    // One seat per number still holds on the keyed hash, whatever the spelling.
    assert.equal((await register('+84 356 789 012')).json().code, 'already_registered');
    const ask = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${conf}/questions`,
      payload: { fullName: 'Phạm Thị Riêng', phone: PHONE, text: 'Xin hỏi về thủ tục.' },
    });
    assert.equal(ask.statusCode, 201, ask.body);

    const found = await findPlaintext(t, [PHONE, CCCD]);
    for (const c of PII_COLUMNS) {
      assert.ok(!found.has(`${c.table}.${c.column}`), `${c.table}.${c.column} holds plaintext`);
      // And the values are really there, encrypted: decryptable to what was typed.
      const want = c.kind === 'phone' ? PHONE : CCCD;
      const where = c.hash ? sql`${sql.ref(c.hash)} = ${pii().hash(c.kind, want)}` : sql`${sql.ref(c.column)} is not null`;
      const rows = await sql<{ v: string }>`select ${sql.ref(c.column)} as v from ${sql.table(c.table)} where ${where}`.execute(t.db);
      const opened = rows.rows.map((r) => pii().decrypt(r.v));
      assert.ok(opened.includes(want), `${c.table}.${c.column}: not found sealed`);
      if (c.hash) assert.ok(opened.every((v) => v === want));
    }
    for (const place of ['account_identifier.identifier', 'audit_event.before', 'audit_event.after', 'contest_rate_window.key'])
      assert.ok(!found.has(place), `${place} holds plaintext`);
    const unexpected = [...found.keys()].filter((k) => !NOT_YET_ENCRYPTED.has(k));
    assert.deepEqual(unexpected, [], 'plaintext phone/ID outside the documented places');
  });

  test('rotation: pii:rotate brings every row under the new key; the old key can then be dropped', async () => {
    const before = [...(await findPlaintext(t, ['v1:dev:']).then((m) => m.keys()))].sort();
    assert.ok(before.includes('account.phone'));
    const original = pii();
    // The hash key stays (lookup hashes do not rotate); only the encryption key changes.
    const dev = parsePiiKeys(undefined, undefined);
    const devHash = dev.hashKey.toString('base64');
    const r1 = key();
    const rotated = new PiiCipher(parsePiiKeys(`r1:${r1},dev:${dev.keys.get('dev')!.toString('base64')}`, devHash));
    try {
      setPii(rotated);
      const report = await rotateAll(t.db, rotated);
      // 4 account/participant values and the dossier.
      assert.ok(report.rotated >= 5, JSON.stringify(report));
      assert.equal(report.encrypted, 0);
      assert.deepEqual([...(await findPlaintext(t, ['v1:dev:'])).keys()], []);
      // Only the new key left: logins by phone and every page still work.
      setPii(new PiiCipher(parsePiiKeys(`r1:${r1}`, devHash)));
      const citizen = await bearerFor(t.app, DEMO.citizen);
      const page = await t.app.inject({ url: '/account', headers: citizen });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /0912345678/);
      // A second run finds nothing to do.
      assert.deepEqual(await rotateAll(t.db, pii()), { encrypted: 0, rotated: 0 });
    } finally {
      setPii(original);
    }
  });
});
