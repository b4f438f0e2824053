import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/types.js';
import { addDays } from '../../domain/stats/periods.js';

/**
 * What citizens said about a unit in a period, per unit id: the inputs of the 766 satisfaction
 * group (5.x). Dossiers are counted once even when they were both rated "not satisfied" and
 * complained about.
 */
export interface VoiceCounts {
  /** Dossiers rated "not satisfied" in the period (the "dislike" of 5.4). */
  disliked: number;
}

export const zeroVoice = (): VoiceCounts => ({ disliked: 0 });

export function addVoice(into: VoiceCounts, v: VoiceCounts) {
  into.disliked += v.disliked;
}

/** Per unit of the scope (the unit, or its subtree), Vietnamese civil days from..to inclusive. */
export async function voiceByUnit(db: Kysely<DB>, root: UnitRow, subtree: boolean, from: string, to: string) {
  const scope = subtree ? sql`u.path <@ ${root.path}::ltree` : sql`u.id = ${root.id}`;
  const start = new Date(`${from}T00:00:00+07:00`);
  const end = new Date(`${addDays(to, 1)}T00:00:00+07:00`);
  const rows = await sql<{ unit_id: number; disliked: number }>`
    select r.unit_id, count(distinct r.dossier_id)::int as disliked
    from dossier_rating r join unit u on u.id = r.unit_id
    where ${scope} and r.overall = 'not_satisfied' and r.rated_at >= ${start} and r.rated_at < ${end}
    group by 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.unit_id, { disliked: r.disliked } satisfies VoiceCounts]));
}
