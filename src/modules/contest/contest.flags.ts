import { sql, type Kysely, type Transaction } from 'kysely';
import type { ContestFairnessConfig } from '../../config.js';
import type { ContestFlagKind, DB } from '../../db/types.js';
import { timingAnomalies } from '../../domain/contest/anomalies.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Where a request came from: IP, the device cookie if the client sent one, a short hash of the user agent. */
export interface ClientInfo {
  ip: string;
  deviceId: string | null;
  uaHash: string | null;
}

export type FlagRules = ContestFairnessConfig['flags'];

/** The defaults of src/config.ts, for services built without a configuration (scripts). */
export const DEFAULT_FLAG_RULES: FlagRules = {
  ipEntries: 50,
  deviceEntries: 3,
  minAnswerMs: 2000,
  minSecondsPerQuestion: 3,
  regularMaxStddevMs: 150,
};

/** A flag on a group (IP, device) lists this many of its entries; `entries` gives the full count. */
const LISTED_ENTRIES = 100;

interface NewFlag {
  entryId: number | null;
  kind: ContestFlagKind;
  subject: string;
  evidence: Record<string, unknown>;
}

function groupBy<T>(rows: T[], key: (r: T) => string | null) {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const distinct = (values: (string | null)[]) => new Set(values.filter((v) => v !== null)).size;

/**
 * Recomputes the round's flags from what is stored (client of each entry, answer instants).
 * Idempotent: one flag per (round, kind, subject); an open flag gets the latest figures, a
 * cleared one keeps the figures it was cleared on. Returns how many flags the round has now
 * raised (open or cleared).
 */
export async function scanFlags(db: Db, roundId: number, rules: FlagRules, now: Date): Promise<number> {
  // One row per entry with its answer instants gathered by the database: a round of 600,000
  // entries sends 600,000 rows to Node, not its 6 million answers (bench/README.md, contest).
  const { rows: entries } = await sql<{
    id: number;
    client_ip: string | null;
    device_id: string | null;
    ua_hash: string | null;
    started_at: Date;
    submitted_at: Date | null;
    drawn: number;
    answered_at: number[] | null;
  }>`
    select e.id::int as id, e.client_ip, e.device_id, e.ua_hash, e.started_at, e.submitted_at,
           jsonb_array_length(e.questions)::int as drawn, a.answered_at
    from contest_entry e
    left join (
      select entry_id, array_agg(floor(extract(epoch from answered_at) * 1000)::float8) as answered_at
      from contest_answer
      where entry_id in (select id from contest_entry where round_id = ${roundId})
      group by entry_id
    ) a on a.entry_id = e.id
    where e.round_id = ${roundId}
    order by e.id`.execute(db);
  const flags: NewFlag[] = [];
  for (const [ip, group] of groupBy(entries, (e) => e.client_ip)) {
    if (group.length <= rules.ipEntries) continue;
    flags.push({
      entryId: null,
      kind: 'ip_many_entries',
      subject: `ip:${ip}`,
      evidence: {
        ip,
        entries: group.length,
        threshold: rules.ipEntries,
        devices: distinct(group.map((e) => e.device_id)),
        userAgents: distinct(group.map((e) => e.ua_hash)),
        entryIds: group.slice(0, LISTED_ENTRIES).map((e) => e.id),
      },
    });
  }
  for (const [device, group] of groupBy(entries, (e) => e.device_id)) {
    if (group.length <= rules.deviceEntries) continue;
    flags.push({
      entryId: null,
      kind: 'device_many_entries',
      subject: `device:${device}`,
      evidence: {
        entries: group.length,
        threshold: rules.deviceEntries,
        ips: distinct(group.map((e) => e.client_ip)),
        entryIds: group.slice(0, LISTED_ENTRIES).map((e) => e.id),
      },
    });
  }
  for (const e of entries) {
    const found = timingAnomalies(
      {
        startedAt: new Date(e.started_at).getTime(),
        submittedAt: e.submitted_at === null ? null : new Date(e.submitted_at).getTime(),
        questions: e.drawn,
        answeredAt: (e.answered_at ?? []).map(Number),
      },
      rules,
    );
    for (const f of found) flags.push({ entryId: e.id, kind: f.kind, subject: `entry:${e.id}`, evidence: f.evidence });
  }
  // Chunks keep the parameter count under PostgreSQL's limit on large rounds.
  for (let i = 0; i < flags.length; i += 500) {
    await db
      .insertInto('contest_flag')
      .values(
        flags.slice(i, i + 500).map((f) => ({
          round_id: roundId,
          entry_id: f.entryId,
          kind: f.kind,
          subject: f.subject,
          evidence: JSON.stringify(f.evidence),
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['round_id', 'kind', 'subject'])
          .doUpdateSet((eb) => ({ evidence: eb.ref('excluded.evidence'), updated_at: eb.ref('excluded.updated_at') }))
          .where('contest_flag.status', '=', 'open'),
      )
      .execute();
  }
  return flags.length;
}
