import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/types.js';
import { addDays } from '../../domain/stats/periods.js';
import { feedbackFigures } from '../feedback/feedback.figures.js';

/**
 * What citizens said about a unit in a period, per unit id: the inputs of the 766 satisfaction
 * group (5.x, docs/metrics.md).
 */
export interface VoiceCounts {
  /**
   * Dossiers rated "not satisfied", or complained about (feedback on a rule or an officer's
   * conduct naming the dossier), in the period: the "complaint or dislike" of 5.4, each dossier once.
   */
  disliked: number;
  /** Feedback answers approved in the period, and those of them approved by their deadline. */
  answered: number;
  answeredOnTime: number;
  /** Feedback items open past their answer deadline at the measuring instant (current periods only). */
  openOverdue: number;
  /** Answers rated "not satisfied" by their author, and items reopened, in the period. */
  answerDisliked: number;
  reopened: number;
}

export const zeroVoice = (): VoiceCounts => ({
  disliked: 0,
  answered: 0,
  answeredOnTime: 0,
  openOverdue: 0,
  answerDisliked: 0,
  reopened: 0,
});

export function addVoice(into: VoiceCounts, v: VoiceCounts) {
  for (const k of Object.keys(into) as (keyof VoiceCounts)[]) into[k] += v[k];
}

/**
 * Per unit of the scope (the unit, or its subtree), Vietnamese civil days from..to inclusive.
 * `current` says the period reaches today: only then are open overdue items counted, because
 * an item's past state is not kept.
 */
export async function voiceByUnit(db: Kysely<DB>, root: UnitRow, subtree: boolean, from: string, to: string, current: boolean) {
  const scope = subtree ? sql`u.path <@ ${root.path}::ltree` : sql`u.id = ${root.id}`;
  const start = new Date(`${from}T00:00:00+07:00`);
  const end = new Date(`${addDays(to, 1)}T00:00:00+07:00`);
  const [dossiers, feedback] = await Promise.all([
    sql<{ unit_id: number; disliked: number }>`
      select d.unit_id, count(distinct d.id)::int as disliked
      from (
        select r.dossier_id from dossier_rating r
        where r.overall = 'not_satisfied' and r.rated_at >= ${start} and r.rated_at < ${end}
        union
        select f.dossier_id from feedback f
        where f.dossier_id is not null and f.kind in ('regulation', 'conduct') and f.received_at >= ${start} and f.received_at < ${end}
      ) x join dossier d on d.id = x.dossier_id join unit u on u.id = d.unit_id
      where ${scope}
      group by 1`.execute(db),
    feedbackFigures(db, { unitPath: root.path, from, to }),
  ]);
  const out = new Map<number, VoiceCounts>();
  const get = (id: number) => out.get(id) ?? out.set(id, zeroVoice()).get(id)!;
  for (const r of dossiers.rows) get(r.unit_id).disliked = r.disliked;
  const ids = new Map(
    (await sql<{ id: number; code: string }>`select id, code from unit where path <@ ${root.path}::ltree`.execute(db)).rows.map(
      (u) => [u.code, u.id] as const,
    ),
  );
  for (const f of feedback.units) {
    const id = ids.get(f.code);
    if (id === undefined || (!subtree && id !== root.id)) continue;
    const v = get(id);
    v.answered = f.answered;
    v.answeredOnTime = f.answeredOnTime;
    v.openOverdue = current ? f.openOverdue : 0;
    v.answerDisliked = f.notSatisfied;
    v.reopened = f.reopened;
  }
  return out;
}
