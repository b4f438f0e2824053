import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, testDatabase } from '../../test/helpers/db.js';
import type { Database } from './engine.js';
import { openPglite } from './engine.js';
import { DataDirLockedError } from './datadir-lock.js';

describe(`database engine (${ENGINE})`, () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());

  test('the ltree, unaccent and pg_trgm extensions work, and text folds Vietnamese diacritics', async () => {
    const { rows } = await sql<{ inside: boolean; folded: string; sim: number }>`
      select '000_00_00_H26.000_00_42_H26'::ltree <@ '000_00_00_H26'::ltree as inside,
             fold_text('Phường Đồng Mai, HÀ ĐÔNG') as folded,
             similarity(fold_text('Quận Hà Đông'), 'quan ha dong') as sim`.execute(database.db);
    assert.equal(rows[0]!.inside, true);
    assert.equal(rows[0]!.folded, 'phuong dong mai, ha dong');
    assert.ok(rows[0]!.sim > 0.9);
  });

  test(
    'statements with parameters are prepared once per connection; scripts without parameters still run',
    { skip: ENGINE !== 'postgres' && 'PostgreSQL only' },
    async () => {
      await database.db.connection().execute(async (conn) => {
        for (let i = 0; i < 3; i++) await sql`select ${i}::int + 1 as n`.execute(conn);
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_prepared_statements where statement like ${'%::int + 1 as n%'}`.execute(conn);
        assert.equal(rows[0]!.n, 1);
        await sql`create temporary table prep_probe (x int); insert into prep_probe values (1); drop table prep_probe;`.execute(conn);
      });
    },
  );

  test('50 concurrent read-modify-write transactions give an exact count and never see each other uncommitted', async () => {
    const db = database.db;
    await sql`create table concurrency_probe (id int primary key, n int not null, writer int)`.execute(db);
    await sql`insert into concurrency_probe values (1, 0, null)`.execute(db);
    const anomalies: string[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          // Serializable would make PostgreSQL abort some of these; the row lock makes them queue,
          // which is what the embedded driver must achieve by holding its single connection.
          const lock = ENGINE === 'postgres' ? sql` for update` : sql``;
          const { rows } = await sql<{
            n: number;
            writer: number | null;
          }>`select n, writer from concurrency_probe where id = 1${lock}`.execute(trx);
          const seen = rows[0]!;
          await sql`update concurrency_probe set n = ${seen.n + 1}, writer = ${i} where id = 1`.execute(trx);
          await new Promise((r) => setTimeout(r, 1));
          const again = (await sql<{ n: number; writer: number }>`select n, writer from concurrency_probe where id = 1`.execute(trx))
            .rows[0]!;
          // Inside one transaction only our own write may be visible.
          if (again.writer !== i || again.n !== seen.n + 1) anomalies.push(`tx ${i} saw writer ${again.writer} n ${again.n}`);
        }),
      ),
    );
    const final = (await sql<{ n: number }>`select n from concurrency_probe where id = 1`.execute(db)).rows[0]!;
    assert.deepEqual(anomalies, []);
    assert.equal(final.n, 50);
  });

  test('a failed transaction rolls back and releases the connection for the next one', async () => {
    const db = database.db;
    await sql`create table rollback_probe (id int primary key)`.execute(db);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`insert into rollback_probe values (1)`.execute(trx);
        throw new Error('boom');
      }),
      /boom/,
    );
    await db.transaction().execute(async (trx) => {
      await sql`insert into rollback_probe values (2)`.execute(trx);
    });
    const ids = (await sql<{ id: number }>`select id from rollback_probe order by id`.execute(db)).rows.map((r) => r.id);
    assert.deepEqual(ids, [2]);
  });

  test(
    'a connection lost while a request holds it between statements fails that request, not the process',
    { skip: ENGINE === 'pglite' ? 'no server connection to lose' : false },
    async () => {
      const db = database.db;
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // From another connection, as a server restart or a fail-over would: pg-pool listens for
          // a connection's errors only while it is idle, so this one's 'error' event had no
          // listener and ended the process.
          await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(db);
          await new Promise((r) => setTimeout(r, 200));
          await sql`select 1`.execute(trx);
        }),
      );
      assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]!.one, 1);
    },
  );
});

// The PostgreSQL run (TEST_DATABASE_URL) leaves the embedded engine to the other run (CI runs both).
describe(
  'embedded data directory',
  { skip: ENGINE === 'postgres' && 'embedded database: covered by the run without TEST_DATABASE_URL' },
  () => {
    test('a second process-level open of the same data directory is refused with a clear message', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'motcua-lock-'));
      const first = await openPglite(dir);
      try {
        // A different live pid owning the lock is what another process looks like.
        const { writeFileSync } = await import('node:fs');
        const { hostname } = await import('node:os');
        await first.close();
        writeFileSync(join(dir, 'motcua.lock'), `${process.ppid}@${hostname()}`);
        await assert.rejects(
          openPglite(dir),
          (e: unknown) => e instanceof DataDirLockedError && /in use by another motcua process/.test(e.message),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a lock left by a dead process is taken over', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'motcua-lock-'));
      try {
        const { writeFileSync } = await import('node:fs');
        const { hostname } = await import('node:os');
        writeFileSync(join(dir, 'motcua.lock'), `999999@${hostname()}`);
        const db = await openPglite(dir);
        await db.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
