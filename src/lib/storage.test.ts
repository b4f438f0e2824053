import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AppError } from './errors.js';
import { checkUpload, LocalFileStore, sniffMediaType } from './storage.js';

const PDF = Buffer.from('%PDF-1.7\n...');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return null;
};

describe('uploads', () => {
  test('the type comes from the content', () => {
    assert.equal(sniffMediaType(PDF), 'application/pdf');
    assert.equal(sniffMediaType(JPEG), 'image/jpeg');
    assert.equal(sniffMediaType(PNG), 'image/png');
    assert.equal(sniffMediaType(Buffer.from('MZ\x90\x00')), null);
  });

  test('lying, oversize, empty and path-like files are refused with their own code', () => {
    assert.deepEqual(checkUpload(PDF, 'Tờ khai.pdf', 'application/pdf', 1000), { name: 'Tờ khai.pdf', mediaType: 'application/pdf' });
    assert.equal(checkUpload(JPEG, 'anh.JPG', 'image/jpg', 1000).mediaType, 'image/jpeg');
    assert.equal(
      code(() => checkUpload(Buffer.from('<svg onload=alert(1)>'), 'a.pdf', 'application/pdf', 1000)),
      'file_type_not_allowed',
    );
    assert.equal(
      code(() => checkUpload(PNG, 'a.pdf', 'image/png', 1000)),
      'file_type_mismatch',
    );
    assert.equal(
      code(() => checkUpload(PNG, 'a.png', 'application/pdf', 1000)),
      'file_type_mismatch',
    );
    assert.equal(
      code(() => checkUpload(PDF, 'a.pdf', 'application/pdf', 5)),
      'file_too_large',
    );
    assert.equal(
      code(() => checkUpload(Buffer.alloc(0), 'a.pdf', 'application/pdf', 5)),
      'file_empty',
    );
    for (const name of ['../a.pdf', 'C:\\x\\a.pdf', '/etc/a.pdf', '.hidden.pdf', 'a\u0000.pdf', '']) {
      assert.equal(
        code(() => checkUpload(PDF, name, 'application/pdf', 1000)),
        'invalid_file_name',
        JSON.stringify(name),
      );
    }
  });

  test('files are stored once by content, never half-written under their hash', async () => {
    const root = await mkdtemp(join(tmpdir(), 'motcua-store-'));
    try {
      const store = new LocalFileStore(root);
      const a = await store.put(PDF);
      assert.equal(await store.put(PDF), a);
      assert.deepEqual(await store.get(a), PDF);
      const dir = join(root, a.slice(0, 2), a.slice(2, 4));
      assert.deepEqual(await readdir(dir), [a]);
      assert.equal(
        code(() => void store.get('../../etc/passwd').catch(() => undefined)),
        null,
      );
      await assert.rejects(store.get('../../etc/passwd'), (e: AppError) => e.code === 'not_found');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('the sweep removes writes left unfinished by a dead process of this host, and only those', async () => {
    const root = await mkdtemp(join(tmpdir(), 'motcua-store-'));
    try {
      const store = new LocalFileStore(root);
      await store.put(PDF);
      const tmp = join(root, 'tmp');
      assert.deepEqual(await readdir(tmp), [], 'a finished write leaves nothing behind');
      // 4194305 is above Linux's largest pid: no such process.
      const dead = `${hostname()}.4194305.0123456789ab.tmp`;
      const mine = `${hostname()}.${process.pid}.0123456789ab.tmp`;
      const elsewhere = 'other-host.4194305.0123456789ab.tmp';
      for (const name of [dead, mine, elsewhere]) await writeFile(join(tmp, name), '%PDF-1.4 cut sh');
      assert.equal(await store.sweepUnfinished(), 1);
      assert.deepEqual((await readdir(tmp)).sort(), [mine, elsewhere].sort());
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
