// Output for the benchmarks: aligned Markdown-style tables, the run table's rows and number formats.
import { sql } from 'kysely';
import type { Database } from '../../src/db/engine.js';
import type { Run } from './measure.js';

export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  | ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [line(head), `  |${w.map((x, i) => (i === 0 ? '-'.repeat(x + 2) : `${'-'.repeat(x + 1)}:`)).join('|')}|`, ...rows.map(line)].join(
    '\n',
  );
}

export const int = (x: number) => Math.round(x).toLocaleString('en-US');
export const msf = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '–');

export function runRows(runs: Run[]) {
  return runs.map((r) => [
    r.what,
    String(r.workers),
    int(r.rate),
    msf(r.p50),
    msf(r.p95),
    msf(r.p99),
    cpu(r.clientCpuMs),
    cpu(r.serverCpuMs),
    cpu(r.machineCpuMs),
    `${Math.round(r.busy * 100)}%`,
  ]);
}
const cpu = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
export const RUN_HEAD = ['what', 'conc.', 'per s', 'p50', 'p95', 'p99', 'CPU ms/op: client', 'server', 'machine', 'busy'];

/** What the runs left in the database: submitted dossiers, their documents, events and outbox rows. */
export async function rowCounts(database: Database) {
  const r = await sql<{ d: number; doc: number; e: number; n: number; email: number; sms: number }>`
    select (select count(*) from dossier where status = 1)::int as d, (select count(*) from dossier_document)::int as doc,
           (select count(*) from dossier_event)::int as e, (select count(*) from notification)::int as n,
           (select count(*) from job where queue = 'email')::int as email, (select count(*) from job where queue = 'sms')::int as sms`.execute(
    database.db,
  );
  const c = r.rows[0]!;
  return `${int(c.d)} dossiers, ${int(c.doc)} documents, ${int(c.e)} events, ${int(c.n)} inbox rows, ${int(c.email)} e-mail + ${int(c.sms)} SMS jobs`;
}
