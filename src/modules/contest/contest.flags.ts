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

/**
 * Recomputes the round's flags from what is stored (client of each entry, answer instants).
 * Idempotent: one flag per (round, kind, subject); an open flag gets the latest figures, a
 * cleared one keeps the figures it was cleared on. Returns how many flags the round has now
 * raised (open or cleared).
 */
export async function scanFlags(db: Db, roundId: number, rules: FlagRules, now: Date): Promise<number> {
  // Groups are counted by the database and entries read a batch at a time with their answer
  // instants gathered there, so a round of 600,000 entries (6 million answers) is scanned in
  // flat memory (bench/README.md, contest).
  const { rows: ips } = await sql<{ ip: string; entries: number; devices: number; user_agents: number; ids: number[] }>`
    select client_ip as ip, count(*)::int as entries, count(distinct device_id)::int as devices,
           count(distinct ua_hash)::int as user_agents, (array_agg(id::int order by id))[1:${LISTED_ENTRIES}] as ids
    from contest_entry where round_id = ${roundId} and client_ip is not null
    group by client_ip having count(*) > ${rules.ipEntries} order by client_ip`.execute(db);
  const { rows: devices } = await sql<{ device: string; entries: number; ips: number; ids: number[] }>`
    select device_id as device, count(*)::int as entries, count(distinct client_ip)::int as ips,
           (array_agg(id::int order by id))[1:${LISTED_ENTRIES}] as ids
    from contest_entry where round_id = ${roundId} and device_id is not null
    group by device_id having count(*) > ${rules.deviceEntries} order by device_id`.execute(db);
  let raised = 0;
  const save = async (flags: NewFlag[]) => {
    raised += flags.length;
    await insertFlags(db, roundId, flags, now);
  };
  await save([
    ...ips.map((g): NewFlag => ({
      entryId: null,
      kind: 'ip_many_entries',
      subject: `ip:${g.ip}`,
      evidence: {
        ip: g.ip,
        entries: g.entries,
        threshold: rules.ipEntries,
        devices: g.devices,
        userAgents: g.user_agents,
        entryIds: g.ids,
      },
    })),
    ...devices.map((g): NewFlag => ({
      entryId: null,
      kind: 'device_many_entries',
      subject: `device:${g.device}`,
      evidence: { entries: g.entries, threshold: rules.deviceEntries, ips: g.ips, entryIds: g.ids },
    })),
  ]);
  for (let after = 0; ;) {
    const { rows: entries } = await sql<{
      id: number;
      started_at: Date;
      submitted_at: Date | null;
      drawn: number;
      answered_at: number[] | null;
    }>`
      select e.id::int as id, e.started_at, e.submitted_at, jsonb_array_length(e.questions)::int as drawn, a.answered_at
      from contest_entry e
      left join lateral (
        select array_agg(floor(extract(epoch from answered_at) * 1000)::float8) as answered_at
        from contest_answer where entry_id = e.id
      ) a on true
      where e.round_id = ${roundId} and e.id > ${after}
      order by e.id
      limit ${SCAN_BATCH}`.execute(db);
    const flags: NewFlag[] = [];
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
    await save(flags);
    if (entries.length < SCAN_BATCH) break;
    after = entries.at(-1)!.id;
  }
  return raised;
}

/** Entries read per statement of the scan. */
const SCAN_BATCH = 5000;

async function insertFlags(db: Db, roundId: number, flags: NewFlag[], now: Date) {
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
}
