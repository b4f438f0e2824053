import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { approvalInput, dossierForResult } from '../../../test/helpers/results.js';
import { resultPdf } from '../../docs/result-pdf.js';
import { AppError } from '../../lib/errors.js';
import { generatedKeyPath, ResultSigner } from '../../lib/signing.js';
import { LocalFileStore } from '../../lib/storage.js';
import { ResultService, type PreparedResult, type VerifyOutcome } from './results.service.js';

const BASE = 'https://dichvucong.example.vn';

function authentic(o: VerifyOutcome) {
  assert.ok(o.authentic, `expected authentic, got ${JSON.stringify(o)}`);
  return o.result;
}
const failure = (o: VerifyOutcome) => (o.authentic ? 'authentic' : o.reason);

describe(`result documents: signing and verification (${ENGINE})`, () => {
  let t: TestApp;
  let svc: ResultService;
  let dossier: { id: number; code: string; issuedBy: number };
  let keysDir: string;

  before(async () => {
    t = await testApp();
    svc = t.app.services.results;
    dossier = await dossierForResult(t);
    keysDir = await mkdtemp(join(tmpdir(), 'motcua-keys-'));
  });
  after(async () => {
    await t.close();
    await rm(keysDir, { recursive: true, force: true });
  });

  const issue = async (p: PreparedResult, s = svc, reason: string | null = null) =>
    t.db.transaction().execute((trx) => s.record(trx, dossier.id, dossier.issuedBy, p, reason));

  test('an issued approval verifies by its file and by its token, showing only the given name', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier));
    assert.equal(p.medium, 'electronic');
    assert.match(p.verifyToken, /^[A-Za-z0-9_-]{22}$/, '128 random bits, base64url');
    assert.equal(p.keyId, svc.signer.keyId);
    assert.match(p.keyId!, /^[0-9a-f]{16}$/);
    const id = await issue(p);

    const latest = await svc.latest(t.db, dossier.id);
    assert.equal(latest?.id, id);
    assert.equal(latest?.file_sha256, p.fileSha256);
    const stored = await t.db.selectFrom('stored_file').selectAll().where('sha256', '=', p.fileSha256!).executeTakeFirstOrThrow();
    assert.equal(stored.media_type, 'application/pdf');
    assert.equal(stored.size, p.size);

    const bytes = await svc.readFile(p.fileSha256!);
    const r = authentic(await svc.verifyBytes(bytes));
    assert.equal(r.dossierCode, dossier.code);
    assert.equal(r.kind, 'approval');
    assert.equal(r.medium, 'electronic');
    assert.equal(r.issuedAt.toISOString(), '2026-12-01T03:00:00.000Z');
    assert.equal(r.applicantFirstName, 'An');
    assert.equal(r.unit.vi, 'Phường Quang Trung');
    assert.equal(r.procedureCode, '1.004873');
    assert.equal(r.keyId, p.keyId);
    assert.equal(r.sha256, p.fileSha256);
    assert.deepEqual(authentic(await svc.verifyToken(p.verifyToken)), r);
    assert.deepEqual(authentic(await svc.verifyHash(p.fileSha256!.toUpperCase())), r, 'hex case does not matter');
    assert.deepEqual(authentic(await svc.verifyTokenBytes(p.verifyToken, bytes)), r);
  });

  test('the PDF names the applicant, the decision and the signer, and its footer the key and the verify URL', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier, { locale: 'en' }));
    const text = await pdfText(await svc.readFile(p.fileSha256!));
    for (const s of [
      'KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
      'RESULT OF AN ADMINISTRATIVE PROCEDURE',
      dossier.code,
      'Nguyễn Văn An',
      'Cấp Giấy xác nhận tình trạng hôn nhân',
      'Certificate of marital status',
      'Lê Thị Hoa',
      'Đã ký điện tử',
      `khóa ${p.keyId} (Ed25519)`,
      `key ${p.keyId} (Ed25519)`,
      `${t.app.config.baseUrl}/verify/${p.verifyToken}`,
    ]) {
      assert.ok(text.replace(/\s+/g, ' ').includes(s), `the PDF mentions ${s}`);
    }
  });

  test('a rejection is reasoned: reason, legal basis and the right to complain', async () => {
    const input = approvalInput(dossier, {
      kind: 'rejection',
      text: 'Người yêu cầu đang có vợ theo Trích lục kết hôn số 12/2020.',
      legalBasis: 'Điều 22 Nghị định 123/2015/NĐ-CP',
    });
    const p = await svc.prepareElectronic(input);
    await issue(p, svc, input.text);
    const text = (await pdfText(await svc.readFile(p.fileSha256!))).replace(/\s+/g, ' ');
    assert.ok(text.includes('VĂN BẢN TỪ CHỐI GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH'));
    assert.ok(text.includes('Trích lục kết hôn số 12/2020'));
    assert.ok(text.includes('Căn cứ pháp lý: Điều 22 Nghị định 123/2015/NĐ-CP'));
    assert.ok(text.includes('khiếu nại hoặc khởi kiện'));
    assert.equal(authentic(await svc.verifyToken(p.verifyToken)).kind, 'rejection');
    assert.equal((await svc.latest(t.db, dossier.id))?.reason, input.text);
  });

  test('the same input gives the same PDF bytes (the creation date is the issue date)', async () => {
    const input = {
      locale: 'vi' as const,
      kind: 'approval' as const,
      code: dossier.code,
      unit: { vi: 'UBND phường Quang Trung', en: '' },
      procedure: { code: '1.004873', name: { vi: 'Cấp Giấy xác nhận tình trạng hôn nhân', en: '' } },
      applicantName: 'Nguyễn Văn An',
      text: 'Cấp giấy xác nhận.',
      legalBasis: null,
      signerName: 'Lê Thị Hoa',
      issuedAt: new Date('2026-12-01T03:00:00Z'),
      verifyUrl: `${BASE}/verify/AAAAAAAAAAAAAAAAAAAAAA`,
      keyId: '0123456789abcdef',
    };
    const [a, b] = [await resultPdf(input), await resultPdf(input)];
    assert.ok(a.equals(b));
    assert.ok(a.includes('(D:20261201030000Z)'), 'the creation date is the issue date');
    assert.ok(!a.equals(await resultPdf({ ...input, issuedAt: new Date('2026-12-02T03:00:00Z') })));
  });

  test('a tampered PDF fails: one byte changed, or text appended, matches no result', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier));
    await issue(p);
    const bytes = await svc.readFile(p.fileSha256!);
    const flipped = Buffer.from(bytes);
    const at = Math.floor(flipped.length / 2);
    flipped[at] = flipped[at]! ^ 0x01;
    assert.equal(failure(await svc.verifyBytes(flipped)), 'unknown_document');
    const appended = Buffer.concat([bytes, Buffer.from('\n% incremental update: a changed decision\n')]);
    assert.equal(failure(await svc.verifyBytes(appended)), 'unknown_document');
    assert.equal(failure(await svc.verifyTokenBytes(p.verifyToken, appended)), 'file_mismatch', 'not the file of this QR code');
    assert.ok((await svc.verifyBytes(bytes)).authentic, 'the original still verifies');
  });

  test('a tampered record fails with bad_signature: signature, kind or issue date changed in the database', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier));
    await issue(p);
    const row = () => t.db.updateTable('dossier_result').where('verify_token', '=', p.verifyToken);
    const sig = Buffer.from(p.signature!, 'base64');
    sig[10] = sig[10]! ^ 0x80;
    for (const change of [
      { signature: sig.toString('base64') },
      { signature: 'not base64 at all' },
      { kind: 'rejection' as const },
      { issued_at: new Date('2026-11-30T03:00:00Z') },
    ]) {
      await row().set(change).execute();
      assert.equal(failure(await svc.verifyToken(p.verifyToken)), 'bad_signature', JSON.stringify(change));
      await row().set({ signature: p.signature, kind: p.kind, issued_at: p.issuedAt }).execute();
    }
    assert.ok((await svc.verifyToken(p.verifyToken)).authentic, 'restored');
  });

  test('an unregistered or swapped key is unknown_key', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier));
    await issue(p);
    await t.db.updateTable('dossier_result').set({ key_id: 'ffffffffffffffff' }).where('verify_token', '=', p.verifyToken).execute();
    assert.equal(failure(await svc.verifyToken(p.verifyToken)), 'unknown_key');
    await t.db.updateTable('dossier_result').set({ key_id: p.keyId }).where('verify_token', '=', p.verifyToken).execute();
    // Someone replaces the registered public key by their own: its fingerprint is not the id any more.
    const own = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const key = await t.db.selectFrom('signing_key').select('public_key').where('id', '=', p.keyId!).executeTakeFirstOrThrow();
    await t.db.updateTable('signing_key').set({ public_key: own }).where('id', '=', p.keyId!).execute();
    assert.equal(failure(await svc.verifyToken(p.verifyToken)), 'unknown_key');
    await t.db.updateTable('signing_key').set({ public_key: key.public_key }).where('id', '=', p.keyId!).execute();
  });

  test('after a key rotation, results signed by the retired key still verify', async () => {
    const before = await svc.prepareElectronic(approvalInput(dossier));
    await issue(before);
    const keyFile = join(keysDir, 'new.pem');
    await writeFile(keyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const rotated = ResultSigner.load({ keyFile, filesDir: t.app.config.filesDir, production: false });
    assert.notEqual(rotated.keyId, svc.signer.keyId);
    const next = new ResultService(t.db, new LocalFileStore(t.app.config.filesDir), rotated, t.app.config.baseUrl);
    await next.ensureSigningKey();

    const keys = await next.publicKeys();
    const old = keys.find((k) => k.id === svc.signer.keyId);
    assert.ok(old?.retiredAt, 'the old key is marked retired');
    assert.equal(keys.find((k) => k.id === rotated.keyId)?.retiredAt, null);
    assert.equal(authentic(await next.verifyToken(before.verifyToken)).keyId, svc.signer.keyId, 'signed before the rotation, still valid');
    const after = await next.prepareElectronic(approvalInput(dossier));
    await issue(after, next);
    assert.equal(authentic(await next.verifyBytes(await next.readFile(after.fileSha256!))).keyId, rotated.keyId);

    await svc.ensureSigningKey(); // going back to the first key un-retires it
    assert.equal((await svc.publicKeys()).find((k) => k.id === svc.signer.keyId)?.retiredAt, null);
  });

  test('a result prepared for another dossier is refused when recorded', async () => {
    const p = await svc.prepareElectronic(approvalInput(dossier, { code: '000.13.42.H26-261201-9999' }));
    await assert.rejects(issue(p), /does not verify/);
    assert.equal(
      await t.db.selectFrom('dossier_result').select('id').where('verify_token', '=', p.verifyToken).executeTakeFirst(),
      undefined,
    );
  });

  test('a paper result has a token and no file; its record verifies as paper', async () => {
    const p = svc.preparePaper('approval', new Date('2026-12-03T02:00:00Z'));
    assert.deepEqual([p.fileSha256, p.signature, p.keyId, p.size], [null, null, null, null]);
    await issue(p);
    const r = authentic(await svc.verifyToken(p.verifyToken));
    assert.equal(r.medium, 'paper');
    assert.equal(r.sha256, null);
    assert.equal((await svc.latest(t.db, dossier.id))?.medium, 'paper');
  });

  test('bad input is refused with stable codes', async () => {
    const code = (e: unknown) => (e as AppError).code;
    await assert.rejects(svc.verifyHash('abc'), (e) => code(e) === 'invalid_sha256');
    await assert.rejects(svc.verifyHash('g'.repeat(64)), (e) => code(e) === 'invalid_sha256');
    await assert.rejects(svc.verifyBytes(Buffer.from('GIF89a...')), (e) => code(e) === 'not_a_pdf');
    await assert.rejects(svc.verifyBytes(Buffer.alloc(0)), (e) => code(e) === 'file_required');
    await assert.rejects(svc.verifyToken('AAAAAAAAAAAAAAAAAAAAAA'), (e) => code(e) === 'result_not_found');
    await assert.rejects(svc.verifyToken("x' or 1=1 --"), (e) => code(e) === 'result_not_found');
    assert.equal(failure(await svc.verifyHash('0'.repeat(64))), 'unknown_document');
  });
});

describe('the result signing key', () => {
  test('a generated key is written once (0600 in a 0700 directory) and reused on the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motcua-signer-'));
    try {
      const warnings: string[] = [];
      const log = { warn: (_o: object, msg: string) => warnings.push(msg) };
      const first = ResultSigner.load({ keyFile: null, filesDir: dir, production: true, log });
      const path = generatedKeyPath(dir);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir, 'keys'))).mode & 0o777, 0o700);
      const pem = await readFile(path, 'utf8');
      const second = ResultSigner.load({ keyFile: null, filesDir: dir, production: true, log });
      assert.equal(second.keyId, first.keyId);
      assert.equal(await readFile(path, 'utf8'), pem, 'the file is not rewritten');
      assert.equal(warnings.length, 2, 'production is told that a generated key is in use');
      const sig = first.sign('payload');
      assert.ok(second.verify('payload', sig));
      assert.ok(!second.verify('payload!', sig));
      ResultSigner.load({ keyFile: null, filesDir: dir, production: false, log });
      assert.equal(warnings.length, 2, 'no warning outside production');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a configured key file must be a readable Ed25519 PKCS#8 key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motcua-signer-'));
    try {
      const rsa = join(dir, 'rsa.pem');
      await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
      assert.throws(() => ResultSigner.load({ keyFile: rsa, filesDir: dir, production: false }), /not Ed25519/);
      assert.throws(() => ResultSigner.load({ keyFile: join(dir, 'missing.pem'), filesDir: dir, production: false }), /cannot be read/);
      const junk = join(dir, 'junk.pem');
      await writeFile(junk, 'not a key');
      assert.throws(() => ResultSigner.load({ keyFile: junk, filesDir: dir, production: false }), /not a readable PKCS#8/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
