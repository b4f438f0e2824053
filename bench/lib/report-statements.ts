// How the report benchmark runs a report: as the application does, or the proposed way (one
// transaction), and each statement of one report timed, with its plan on request.
import {
  sql,
  type CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/engine.js';
import type { DB } from '../../src/db/types.js';
import type { Report, ReportQuery } from '../../src/modules/stats/stats.schema.js';
import { StatsService } from '../../src/modules/stats/stats.service.js';
import type { Services } from '../../src/services.js';
import { msf, table } from './report.js';

const log = (s: string) => console.log(s);

export type ReportFn = (q: ReportQuery, timer?: StatementTimer) => Promise<Report>;

/** A report as the application makes it (StatsService.report, the application's pool). */
export const appReport =
  (services: Services, database: Database): ReportFn =>
  (q, timer) =>
    new StatsService(timer ? database.db.withPlugin(timer) : database.db, services.calendar).report(q);

/**
 * The proposed way: the report's statements in one read-only REPEATABLE READ transaction (one
 * snapshot: a roll-up batch committing between the roll-up sums and the tail can neither be counted
 * twice nor missed), with custom plans (the application's pool prepares every statement, and after
 * five runs PostgreSQL may keep a generic plan: for the ltree subtree and date ranges those read far
 * more) and no parallel workers (starting them costs more than these statements on two cores).
 */
export const proposedReport =
  (services: Services, database: Database): ReportFn =>
  (q, timer) =>
    database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`set local plan_cache_mode = force_custom_plan`.execute(trx);
        await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
        return new StatsService(timer ? trx.withPlugin(timer) : trx, services.calendar).report(q);
      });

/** Times each statement between Kysely's transformQuery and transformResult (compile, round trip, parsing). */
class StatementTimer implements KyselyPlugin {
  readonly done: { node: RootOperationNode; queryId: QueryId; ms: number }[] = [];
  #open = new Map<QueryId, { node: RootOperationNode; at: number }>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#open.set(args.queryId, { node: args.node, at: performance.now() });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const o = this.#open.get(args.queryId);
    if (o) this.done.push({ node: o.node, queryId: args.queryId, ms: performance.now() - o.at });
    this.#open.delete(args.queryId);
    return args.result;
  }
}

/** Each statement of one report and its time; with --explain (`explainUrl`: the database), its plan (EXPLAIN ANALYZE, BUFFERS). */
export async function statements(db: Kysely<DB>, report: ReportFn, label: string, q: ReportQuery, explainUrl: string | null) {
  for (let i = 0; i < 3; i++) await report(q);
  const timer = new StatementTimer();
  const t = performance.now();
  await report(q, timer);
  const total = performance.now() - t;
  const compiled = timer.done.map((d) => ({ q: db.getExecutor().compileQuery(d.node, d.queryId), ms: d.ms }));
  const text = (c: CompiledQuery) => c.sql.replace(/\s+/g, ' ').trim();
  log(`\n  statements of one report: ${label}, ${msf(total)} in all`);
  log(
    table(
      ['statement', 'time'],
      compiled.map((c) => [text(c.q).slice(0, 110) + (text(c.q).length > 110 ? '…' : ''), msf(c.ms)]),
    ),
  );
  if (explainUrl === null) return;
  const pool = new pg.Pool({ connectionString: explainUrl, max: 1, options: '-c jit=off' });
  try {
    for (const c of compiled) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${c.q.sql}`, c.q.parameters as unknown[]);
      log(`\n    ${text(c.q).slice(0, 200)}`);
      log(plan.rows.map((r) => `      ${r['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    await pool.end();
  }
}
