import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Whether a process of this host with this pid runs (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite keeps the whole database in one process; a second process opening the same files would
 * corrupt them. A lock file holding the owner's pid keeps the second one out; a lock left by a
 * process that died (kill -9, power loss) is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'motcua.lock');
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === me) rmSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = '';
      try {
        owner = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const [pidText, host] = owner.split('@');
      const pid = Number(pidText);
      if (host === hostname() && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
        rmSync(file, { force: true });
        continue;
      }
      throw new DataDirLockedError(
        `The data directory ${dir} is in use by another motcua process (${owner}). ` +
          'The embedded database allows one process at a time: stop the other one, ' +
          'use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.',
      );
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dir}.`);
}
