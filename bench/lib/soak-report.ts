// The soak benchmark's report: the requests of the measured period, the errors, the server's memory
// and CPU over the run with its slopes, the server's logs and what the run left in the database.
import { loadavg } from 'node:os';
import pg from 'pg';
import { int, msf, table } from './report.js';
import type { SoakServer } from './soak-server.js';
import { MIX, type Recorder, type Workload } from './soak-workload.js';

const GOAL_RSS_MB = 300;
const MB = 1024 * 1024;
const log = (s: string) => console.log(s);
const la = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den ? num / den : NaN;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

export interface MemSample {
  t: number;
  rssMb: number;
  anonMb: number;
  fileMb: number;
  heapMb: number;
  committedMb: number;
  /** Jobs due or retrying (notifications) in the database: the outbox keeps up when this stays flat. */
  jobs: number;
  cpu: number;
  load1: number;
  phase: 'warm-up' | 'soak' | 'after';
}

/** What the soak measured, as the run leaves it. */
export interface SoakRun {
  rec: Recorder;
  wl: Workload;
  srv: SoakServer;
  mem: MemSample[];
  /** The load average (1 min) at each sample of the measured period. */
  loads: number[];
  maxRss: number;
  /** performance.now() at the start, at the end of the warm-up and at the end of the measured period. */
  t0: number;
  warmEnd: number;
  end: number;
  measuredS: number;
  /** Operations started in the measured period, and those dropped at the in-flight cap. */
  started: number;
  dropped: number;
  mainIsolate: () => string | undefined;
  serverExit: string;
  snapDir: string | undefined;
  snapshots: number;
  /** --rate and --sample. */
  rate: number;
  sampleS: number;
  dbUrl: string;
}

export async function printReport(run: SoakRun) {
  const {
    rec,
    wl,
    srv,
    mem,
    loads,
    maxRss,
    t0,
    warmEnd,
    end,
    measuredS,
    started,
    dropped,
    mainIsolate,
    serverExit,
    snapDir,
    snapshots,
    dbUrl,
  } = run;
  const { rate: RATE, sampleS: SAMPLE_S } = run;
  const rows = [...rec.lat.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([name, lat]) => {
      lat.sort((a, b) => a - b);
      const e = rec.errors.get(name)?.n ?? 0;
      return [
        name,
        int(lat.length),
        (lat.length / measuredS).toFixed(2),
        msf(pct(lat, 50)),
        msf(pct(lat, 95)),
        msf(pct(lat, 99)),
        msf(lat.at(-1)!),
        String(e),
      ];
    });
  const requests = [...rec.lat.values()].reduce((a, l) => a + l.length, 0);
  const all = [...rec.lat.values()].flat().sort((a, b) => a - b);
  rows.push([
    'all requests',
    int(requests),
    (requests / measuredS).toFixed(1),
    msf(pct(all, 50)),
    msf(pct(all, 95)),
    msf(pct(all, 99)),
    msf(all.at(-1)!),
    String(rec.errorCount),
  ]);
  log(
    `\nrequests over the ${measuredS.toFixed(0)} s measured (each operation of the mix is one request, or several: a submission is 3, a processing action 2):`,
  );
  log(table(['request', 'count', 'per s', 'p50', 'p95', 'p99', 'max', 'errors'], rows));
  const weights = Object.values(MIX).reduce((a, b) => a + b, 0);
  log(
    `  operations started: ${int(started)} = ${(started / measuredS).toFixed(1)}/s (asked ${RATE}/s); dropped at the in-flight cap: ${dropped}; ` +
      `mix: ${Object.entries(MIX)
        .map(([k, v]) => `${k} ${Math.round((v / weights) * 100)}%`)
        .join(', ')}`,
  );
  log(
    `  pipeline: ${int(wl.submitted)} dossiers submitted in the run, ${int(wl.returned)} results returned, ${wl.returnedToSpecialist} returned by the ward leader to the specialist; ` +
      `waiting at the end: ${Object.entries(wl.queues)
        .map(([k, v]) => `${k} ${v.length}`)
        .join(', ')}; operations with nothing to do at their stage (ran a submission or a receive instead): ${rec.fallbacks}`,
  );
  log(
    `\nerrors (any status other than 2xx/3xx, timeouts, closed sockets): ${rec.errorCount} -> ${rec.errorCount === 0 ? 'PASS' : 'FAIL'} (goal 0)`,
  );
  for (const [name, e] of rec.errors) {
    log(`  ${name}: ${e.n}`);
    for (const x of e.examples) log(`    ${x}`);
  }

  log(
    `\nserver memory (RSS from /proc every ${SAMPLE_S} s, anonymous and file-backed; heap = V8 heap after the last full collection and the heap V8 kept committed then, from --trace-gc; jobs waiting, read 10 s before; CPU = share of one core over the interval):`,
  );
  log(
    table(
      ['t (s)', 'phase', 'RSS MB', 'anon MB', 'file MB', 'heap MB', 'committed', 'jobs waiting', 'server CPU', 'load 1 min'],
      mem.map((m) => [
        m.t.toFixed(0),
        m.phase,
        m.rssMb.toFixed(1),
        m.anonMb.toFixed(1),
        m.fileMb.toFixed(1),
        Number.isFinite(m.heapMb) ? m.heapMb.toFixed(1) : '–',
        Number.isFinite(m.committedMb) ? m.committedMb.toFixed(1) : '–',
        Number.isFinite(m.jobs) ? String(m.jobs) : '–',
        `${Math.round(m.cpu * 100)}%`,
        m.load1.toFixed(2),
      ]),
    ),
  );
  const soakMem = mem.filter((m) => m.phase === 'soak');
  const perMin = (pts: { x: number; y: number }[]) => slope(pts) * 60;
  const rssPts = soakMem.map((m) => ({ x: m.t, y: m.rssMb }));
  const half = rssPts.slice(Math.floor(rssPts.length / 2));
  const gcPts = srv.gc
    .filter((g) => g.isolate === mainIsolate() && g.at >= warmEnd && g.at <= end)
    .map((g) => ({ x: (g.at - t0) / 1000, y: g.heapAfterMb }));
  const first = soakMem[0];
  const last = soakMem.at(-1);
  log(
    `  RSS: ${mem[0]!.rssMb.toFixed(0)} MB at the start of the warm-up, ${first?.rssMb.toFixed(0)} MB at the start of the measured period, ` +
      `${last?.rssMb.toFixed(0)} MB at its end, max ${maxRss.toFixed(0)} MB -> ${maxRss < GOAL_RSS_MB ? 'PASS' : 'FAIL'} (goal < ${GOAL_RSS_MB} MB)`,
  );
  log(
    `  RSS slope over the measured period: ${perMin(rssPts).toFixed(2)} MB/min (${(perMin(rssPts) * 60).toFixed(0)} MB/h); ` +
      `over its second half: ${perMin(half).toFixed(2)} MB/min`,
  );
  log(
    `  heap after full collections: ${gcPts.length} in the measured period, first ${gcPts[0]?.y.toFixed(1) ?? '–'} MB, last ${gcPts.at(-1)?.y.toFixed(1) ?? '–'} MB, ` +
      `slope ${perMin(gcPts).toFixed(2)} MB/min`,
  );
  log(
    `  load average (1 min) during the measured period: min ${Math.min(...loads).toFixed(2)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}; after: ${la()}`,
  );
  log(
    `  server logs: ${int(srv.logs.lines)} lines (${(srv.logs.bytes / MB).toFixed(1)} MB) by level ${JSON.stringify(srv.logs.byLevel)}; ` +
      `stopped with SIGTERM, exit code ${serverExit}${snapDir ? `; ${snapshots} heap snapshots in ${snapDir}` : ''}`,
  );
  const topMsgs = Object.entries(srv.logs.byMsg)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6);
  log(`  most frequent log messages: ${topMsgs.map(([m, n]) => `"${m}" ×${int(n)}`).join(', ')}`);
  for (const l of srv.logs.errors) log(`    ${l}`);
  if (srv.stderr.length) log(`  server stderr:\n    ${srv.stderr.join('\n    ')}`);
  const counts = await (async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const r = await c.query(
        `select (select count(*) from dossier)::int as dossiers, (select count(*) from dossier_event)::int as events,
              (select count(*) from stored_file)::int as files, (select count(*) from job where done_at is not null)::int as jobs_done,
              (select count(*) from job where done_at is null and failed_at is null)::int as jobs_pending,
              (select count(*) from job where failed_at is not null)::int as jobs_failed`,
      );
      return r.rows[0]!;
    } catch (e) {
      return { error: (e as Error).message };
    } finally {
      await c.end();
    }
  })();
  log(`  database after the run: ${JSON.stringify(counts)}`);
}
