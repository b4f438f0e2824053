import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { processAlive } from '../db/datadir-lock.js';
import type { MediaType } from '../db/types.js';
import { AppError } from './errors.js';

/** Where file bytes live. Rows in `stored_file` describe them; the bytes are addressed by sha256. */
export interface FileStore {
  put(bytes: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer>;
  /** Removes what writers that died mid-write left behind; returns how many files. */
  sweepUnfinished?(): Promise<number>;
  /** Deletes a file's bytes (an upload never attached, past its retention); absent is fine. */
  remove(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

// Temporary files are named <host>.<pid>.<random>.tmp in one directory, so that the writer of a
// file left behind (its process killed mid-write) can be told to be gone, even on a shared store.
const UNFINISHED = /^(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Local content-addressed files under one directory (outside the web root): a file is written to
 * a temporary name, flushed and renamed, so a crash never leaves a half-written file under its hash.
 */
export class LocalFileStore implements FileStore {
  constructor(readonly root: string) {}

  private path(sha: string) {
    if (!SHA256.test(sha)) throw new AppError('not_found');
    return join(this.root, sha.slice(0, 2), sha.slice(2, 4), sha);
  }

  async put(bytes: Buffer): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const target = this.path(sha);
    const exists = await stat(target).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (exists) return sha;
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${hostname()}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, bytes, { flush: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(tmp, target);
    return sha;
  }

  /** Removes temporary files whose writer (a process of this host) no longer runs: writes cut short by a kill. */
  async sweepUnfinished(): Promise<number> {
    const dir = join(this.root, 'tmp');
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const m = UNFINISHED.exec(name);
      if (!m || m[1] !== hostname() || Number(m[2]) === process.pid || processAlive(Number(m[2]))) continue;
      await rm(join(dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async remove(sha: string): Promise<void> {
    await rm(this.path(sha), { force: true });
  }

  async get(sha: string): Promise<Buffer> {
    try {
      return await readFile(this.path(sha));
    } catch {
      throw new AppError('not_found');
    }
  }
}

/** The type of a file from its first bytes: what the file is, not what its name or sender says. */
export function sniffMediaType(bytes: Buffer): MediaType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

const EXTENSIONS: Record<MediaType, string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/**
 * Checks an upload: allowed type by content, declared type and extension agreeing with it, a
 * plain file name (no path), and the size limit. Returns the cleaned name and the detected type.
 */
export function checkUpload(
  bytes: Buffer,
  fileName: string,
  declaredType: string | undefined,
  maxBytes: number,
): { name: string; mediaType: MediaType } {
  if (bytes.length === 0) throw new AppError('file_empty');
  if (bytes.length > maxBytes) throw new AppError('file_too_large', { maxMb: Math.round((maxBytes / 1048576) * 10) / 10 });
  const name = fileName.normalize('NFC').trim();
  if (!name || name.length > 200 || /[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith('.') || name.includes('..')) {
    throw new AppError('invalid_file_name');
  }
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('file_type_not_allowed');
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
  const declaredOk =
    !declared ||
    declared === 'application/octet-stream' ||
    declared === mediaType ||
    (declared === 'image/jpg' && mediaType === 'image/jpeg');
  if (!declaredOk || (ext && !EXTENSIONS[mediaType].includes(ext))) throw new AppError('file_type_mismatch');
  return { name, mediaType };
}
