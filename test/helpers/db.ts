import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/engine.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../../src/seed/seed.js';
import { seedFaq } from '../../src/modules/faq/faq.seed.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Changes to migrations or seeds give a new template, so a stale one is never reused. */
async function fingerprint(): Promise<string> {
  const h = createHash('sha256');
  for (const dir of [
    'src/db/migrations',
    'seed/units',
    'seed/procedures',
    'seed/demo',
    'seed/faq',
    'src/domain/calendar',
    'src/domain/feedback',
  ]) {
    for (const f of (await readdir(join(ROOT, dir))).sort()) h.update(f).update(await readFile(join(ROOT, dir, f)));
  }
  h.update(await readFile(join(ROOT, 'src/seed/seed.ts')));
  h.update(await readFile(join(ROOT, 'src/modules/catalogue/catalogue.service.ts')));
  h.update(await readFile(join(ROOT, 'src/modules/faq/faq.seed.ts')));
  return h.digest('hex').slice(0, 16);
}

/** 'bare': units, calendars and the demo accounts, without the catalogue (scenarios build their own). */
export type TemplateKind = 'full' | 'bare';

async function prepare(database: Database, kind: TemplateKind) {
  await migrateToLatest(database.db);
  await seedUnits(database.db);
  await seedCalendars(database.db);
  await seedDemoAccounts(database.db);
  if (kind === 'bare') return;
  await seedCatalogue(database.db);
  await seedDemoOffers(database.db);
  await seedFaq(database.db);
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * PGlite: every test file gets its own copy of a template directory that was migrated and seeded
 * once (initdb alone takes seconds). The first file to arrive builds it under a mkdir lock.
 */
async function pgliteFromTemplate(kind: TemplateKind): Promise<Database> {
  const dir = await pgliteCopy(kind);
  const database = await openPglite(dir);
  return {
    ...database,
    close: async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A new PGlite data directory (under the system temp dir) copied from the template; the caller removes it. */
export async function pgliteCopy(
  kind: TemplateKind = 'full',
  dir = join(tmpdir(), `motcua-test-${randomBytes(6).toString('hex')}`),
): Promise<string> {
  const key = `${await fingerprint()}${kind === 'bare' ? '-bare-accounts' : ''}`;
  const template = join(ROOT, '.cache', `pglite-template-${key}`);
  const lock = `${template}.lock`;
  while (!(await exists(join(template, 'ready')))) {
    try {
      await mkdir(join(ROOT, '.cache'), { recursive: true });
      await mkdir(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      await rm(template, { recursive: true, force: true });
      const database = await openPglite(template);
      await prepare(database, kind);
      await database.close();
      await mkdir(join(template, 'ready'));
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  await cp(template, dir, { recursive: true, filter: (src) => !src.endsWith('motcua.lock') });
  return dir;
}

/** PostgreSQL: a database per test file, created from a template database built once per fingerprint. */
async function postgresFromTemplate(url: string, kind: TemplateKind): Promise<Database> {
  const name = await postgresCopy(url, kind);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 5);
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A new database on the server of `url`, created from the template; returns its name (the caller drops it). */
export async function postgresCopy(
  url: string,
  kind: TemplateKind = 'full',
  name = `motcua_t_${randomBytes(6).toString('hex')}`,
): Promise<string> {
  const key = `${await fingerprint()}${kind === 'bare' ? '_bare_accounts' : ''}`;
  const templateName = `motcua_tpl_${key}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7260099)');
    const found = await admin.query('select 1 from pg_database where datname = $1', [templateName]);
    if (found.rowCount === 0) {
      await admin.query(`create database ${templateName}`);
      const u = new URL(url);
      u.pathname = `/${templateName}`;
      const database = await openPostgres(u.toString(), 2);
      await prepare(database, kind);
      await database.close();
    }
    await admin.query(`create database ${name} template ${templateName}`);
    await admin.query('select pg_advisory_unlock(7260099)');
    return name;
  } finally {
    await admin.end();
  }
}

export const ENGINE = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export function testDatabase(kind: TemplateKind = 'full'): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  return url ? postgresFromTemplate(url, kind) : pgliteFromTemplate(kind);
}

/**
 * A copy of the template for a server run as a child process (src/main.ts): the environment that
 * points it there (DATA_DIR or DATABASE_URL), and drop() to remove the copy afterwards.
 */
export async function templateCopy(kind: TemplateKind = 'full'): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = await postgresCopy(url, kind);
    const u = new URL(url);
    u.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: u.toString() },
      drop: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = await pgliteCopy(kind);
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
}
