// Creates a scenario's units, procedures, citizens and dossiers (docs/scenarios.md), rolls them up
// and prints the figures the report API gives for it.
// Usage: npm run scenario -- <ha-dong-2019-h1 | hanoi-2019 | spec.json> [--unit CODE] [--period NAME]
// Target database: DATABASE_URL when set, else DATA_DIR, else ./data/scenario-<name> (a fresh
// embedded database, so the demo data of `npm start` is left alone).
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/engine.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedCalendars, seedUnits } from '../src/seed/seed.js';
import { createServices } from '../src/services.js';
import { loadSpec, runScenario } from '../src/modules/stats/scenario/scenario.js';

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--'));
if (!target) {
  console.error('usage: npm run scenario -- <ha-dong-2019-h1 | hanoi-2019 | spec.json> [--unit CODE] [--period NAME]');
  process.exit(2);
}
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const spec = await loadSpec(target);
const env = { ...process.env };
if (!env.DATABASE_URL && !env.DATA_DIR) env.DATA_DIR = `./data/scenario-${spec.name}`;
const config = loadConfig(env);
const database = await openDatabase(config);
const bar = (label: string, done: number, total: number) => {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}`,
  );
  if (done >= total) process.stderr.write('\n');
};
try {
  await migrateToLatest(database.db);
  await seedUnits(database.db);
  await seedCalendars(database.db);
  const services = createServices(config, database);
  console.log(`${spec.name}: ${spec.description.en}`);
  const t0 = performance.now();
  const r = await runScenario(database.db, spec, await services.calendar.calendar(), (d, t) => bar('dossiers', d, t));
  const t1 = performance.now();
  console.log(
    `created ${r.units} units, ${r.procedures} procedures, ${r.citizens} citizens, ${r.dossiers} dossiers, ${r.events} events in ${Math.round(t1 - t0)} ms (${database.engine})`,
  );
  let rolled = 0;
  for (;;) {
    const n = await services.stats.rollUp({ max: 20_000 });
    rolled += n;
    bar('roll-up ', rolled, Math.max(rolled, r.dossiers));
    if (n < 20_000) break;
  }
  console.log(`rolled up ${rolled} dossiers in ${Math.round(performance.now() - t1)} ms`);
  const unit = opt('unit') ?? (spec.dossiers[0] && 'code' in spec.dossiers[0].unit ? spec.dossiers[0].unit.code : '000.00.00.H26');
  const report = await services.stats.report({
    unit,
    from: spec.period.from,
    to: spec.period.to,
    ...(opt('period') ? { period: opt('period') } : {}),
  });
  const { received, finished, inProgress, stopped, onTimeRate, onlineShare } = report;
  console.log(
    JSON.stringify(
      { unit: report.unit.code, period: report.period, received, finished, inProgress, stopped, onTimeRate, onlineShare },
      null,
      2,
    ),
  );
} finally {
  await database.close();
}
