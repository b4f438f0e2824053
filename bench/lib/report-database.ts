// The report benchmark's database: filled (migrations and seeds, the city made by runScenario, the
// roll-up, VACUUM (ANALYZE)), counted, and the tail of its dossiers taken out of the roll-ups again.
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { DB } from '../../src/db/types.js';
import { contribution } from '../../src/domain/stats/contribution.js';
import { runScenario } from '../../src/modules/stats/scenario/scenario.js';
import { levelOf, officeHoursByUnit, selectFacts, toFacts } from '../../src/modules/stats/stats.facts.js';
import { addToGrid, applyGrid, gridKey, type Grid } from '../../src/modules/stats/stats.rollup.js';
import { seedCalendars, seedUnits } from '../../src/seed/seed.js';
import type { Services } from '../../src/services.js';
import { citySpec } from './report-data.js';
import { cpuText, cpuTimed, load, secs } from './report-timing.js';
import { int } from './report.js';

const log = (s: string) => console.log(s);
const JOB_SAMPLE = 100_000;
const BULK_BATCH = 20_000;

const GOAL_MILLION_MS = 300_000; // the generator's first 1,000,000 dossiers (the setup included) in 5 minutes

/**
 * A new database filled: migrations and seeds, `dossiers` dossiers made by runScenario with the spec
 * of report-data.ts, the roll-up and VACUUM (ANALYZE) after the load and after the roll-up. Each
 * step's row of the summary table goes to `steps`.
 */
export async function fill(db: Kysely<DB>, services: Services, dossiers: number, steps: string[][]) {
  const t0 = performance.now();
  await migrateToLatest(db);
  await seedUnits(db);
  await seedCalendars(db);
  log(`migrations and seeds: ${secs(performance.now() - t0)}`);

  const spec = citySpec(dossiers);
  log(
    `generating ${int(dossiers)} dossiers with runScenario (${spec.procedures.length} procedure groups, ` +
      `${spec.dossiers.length} dossier groups, ${spec.period.from}..${spec.period.to}):`,
  );
  const cal = await services.calendar.calendar();
  const t1 = performance.now();
  let next = 0;
  let million: number | null = null;
  const every = Math.max(100_000, Math.ceil(dossiers / 10 / 100_000) * 100_000);
  const gen = await cpuTimed(() =>
    runScenario(db, spec, cal, (done, total) => {
      if (million === null && done >= 1_000_000) million = performance.now() - t1;
      if (done >= next || done === total) {
        const s = (performance.now() - t1) / 1000;
        log(`  ${int(done)} / ${int(total)} dossiers, ${s.toFixed(0)} s, ${int(done / s)}/s, load average ${load()}`);
        next = done + every;
      }
    }),
  );
  const g = gen.value;
  const rate = g.dossiers / (gen.ms / 1000);
  const eventRate = g.events / (gen.ms / 1000);
  // The first million when there is one, else the whole run's rate applied to a million.
  const millionMs = million ?? (1_000_000 / g.dossiers) * gen.ms;
  const genGoal = `1M in ${million === null ? '(at this rate) ' : ''}${secs(millionMs)}, goal < 5 min: ${millionMs < GOAL_MILLION_MS ? 'PASS' : 'FAIL'}`;
  log(
    `generator: ${int(g.dossiers)} dossiers, ${int(g.events)} events, ${int(g.units)} units, ${int(g.procedures)} procedures, ` +
      `${int(g.citizens)} citizens in ${secs(gen.ms)}: ${int(rate)} dossiers/s, ${int(eventRate)} events/s (${genGoal}); ${cpuText(gen)}`,
  );
  steps.push(['generator (runScenario)', secs(gen.ms), `${int(rate)} dossiers/s, ${int(eventRate)} events/s`, cpuText(gen), genGoal]);

  const v1 = await cpuTimed(() => sql`vacuum (analyze)`.execute(db));
  log(`vacuum (analyze) after the load: ${secs(v1.ms)}`);
  steps.push(['vacuum (analyze) after the load', secs(v1.ms), '', '', '']);

  // The job as it runs (batches of 2,000) on a sample, then larger batches for the rest.
  const job = await cpuTimed(() => services.stats.rollUp({ max: Math.min(JOB_SAMPLE, dossiers) }));
  log(
    `roll-up, the job's batches of 2,000: ${int(job.value)} dossiers in ${secs(job.ms)}, ${int(job.value / (job.ms / 1000))}/s; ${cpuText(job)}`,
  );
  steps.push([
    `roll-up (StatsService.rollUp), batch 2,000 (the job's), first ${int(job.value)}`,
    secs(job.ms),
    `${int(job.value / (job.ms / 1000))} dossiers/s`,
    cpuText(job),
    '',
  ]);
  const t2 = performance.now();
  const bulk = await cpuTimed(async () => {
    let rolled = 0;
    for (;;) {
      const n = await services.stats.rollUp({ batch: BULK_BATCH, max: 500_000 });
      rolled += n;
      const s = (performance.now() - t2) / 1000;
      log(`  rolled ${int(job.value + rolled)} dossiers, ${s.toFixed(0)} s, ${int(rolled / s)}/s, load average ${load()}`);
      if (n < 500_000) return rolled;
    }
  });
  const rolled = bulk.value;
  log(
    `roll-up, batches of ${int(BULK_BATCH)}: ${int(rolled)} dossiers in ${secs(bulk.ms)}, ${int(rolled / (bulk.ms / 1000))}/s; ${cpuText(bulk)}`,
  );
  steps.push([
    `roll-up (StatsService.rollUp), batch ${int(BULK_BATCH)}, the other ${int(rolled)}`,
    secs(bulk.ms),
    `${int(rolled / (bulk.ms / 1000))} dossiers/s`,
    cpuText(bulk),
    '',
  ]);
  const v2 = await cpuTimed(() => sql`vacuum (analyze)`.execute(db));
  log(`vacuum (analyze) after the roll-up: ${secs(v2.ms)}`);
  steps.push(['vacuum (analyze) after the roll-up', secs(v2.ms), '', '', '']);
}

export async function counts(db: Kysely<DB>) {
  const r = await sql<{ d: number; e: number; u: number; p: number; a: number; sd: number; su: number; sm: number; pending: number }>`
    select (select count(*) from dossier)::int as d, (select count(*) from dossier_event)::int as e,
      (select count(*) from unit)::int as u, (select count(*) from procedure)::int as p, (select count(*) from account)::int as a,
      (select count(*) from stat_dossier_day)::int as sd, (select count(*) from stat_unit_day)::int as su,
      (select count(*) from stat_unit_month)::int as sm,
      (select count(*) from dossier d where d.stat_state < (case when d.finished_at is not null then 2
        when d.received_at is not null then 1 else 0 end))::int as pending`.execute(db);
  return r.rows[0]!;
}

export async function sizes(db: Kysely<DB>, tables: string[]) {
  const r = await sql<{ t: string; s: string }>`
    select t, pg_size_pretty(pg_total_relation_size(t::regclass)) as s from unnest(${tables}::text[]) t`.execute(db);
  return r.rows.map((x) => `${x.t} ${x.s}`).join(', ');
}

/**
 * Takes the last `n` dossiers (by id) out of the roll-ups: their counts are subtracted and their
 * stat_state goes back to 0, as if the roll-up job had not reached them yet. One transaction.
 */
export async function unroll(services: Services, n: number): Promise<number> {
  const deps = services.stats.deps;
  const cal = await deps.calendar();
  return deps.db.transaction().execute(async (trx) => {
    const hours = await officeHoursByUnit(trx);
    const { rows } = await selectFacts(trx, sql`d.id in (select id from dossier order by id desc limit ${n})`, sql`for update of d`);
    const grid: Grid = new Map();
    for (const r of rows) {
      for (const { day, m } of contribution(toFacts(r, hours), cal, deps.convention, 0, levelOf(r.stat_state))) {
        addToGrid(grid, gridKey(day, r.unit_id, r.procedure_id, r.channel), m, -1);
      }
    }
    await applyGrid(trx, grid);
    await trx
      .updateTable('dossier')
      .set({ stat_state: 0 })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.length;
  });
}
