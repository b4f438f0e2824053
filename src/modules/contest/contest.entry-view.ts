import type { Kysely, Selectable } from 'kysely';
import type { ContestAnswerTable, DB } from '../../db/types.js';
import type { DrawnQuestion } from '../../domain/contest/draw.js';
import { deadlineOf, GRACE_MS } from '../../domain/contest/timing.js';
import type { ContestCache } from './contest.cache.js';
import type { EntryView } from './contest.schema.js';

type StoredAnswer = Pick<Selectable<ContestAnswerTable>, 'question_id' | 'chosen'>;
/** What the entry view needs of an entry and its round, when the caller has it already. */
export type KnownEntry = {
  entry: {
    id: number;
    round_id: number;
    started_at: Date;
    submitted_at: Date | null;
    prediction: number | null;
    questions: DrawnQuestion[];
    time_limit_seconds: number;
    contest_id: number;
  };
  /** Absent: read from the database. */
  answers?: readonly StoredAnswer[];
};

/** An entry as its participant sees it while the round runs, from the cached bank where it can. */
export class EntryViews {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cache: ContestCache,
  ) {}

  /** The entry as its participant sees it while the round runs: no key, no explanation, no score. */
  async view(entryId: number, known?: KnownEntry): Promise<EntryView> {
    const e =
      known?.entry ??
      (await this.db
        .selectFrom('contest_entry as e')
        .innerJoin('contest_round as r', 'r.id', 'e.round_id')
        .select(['e.id', 'e.round_id', 'e.started_at', 'e.submitted_at', 'e.prediction', 'e.questions'])
        .select(['r.time_limit_seconds', 'r.contest_id'])
        .where('e.id', '=', entryId)
        .executeTakeFirstOrThrow());
    const [byId, answers] = await Promise.all([
      this.drawnQuestions(
        e.contest_id,
        e.questions.map((q) => q.questionId),
      ),
      known?.answers ?? this.db.selectFrom('contest_answer').select(['question_id', 'chosen']).where('entry_id', '=', entryId).execute(),
    ]);
    const chosen = new Map(answers.map((a) => [a.question_id, a.chosen]));
    return {
      entryId: e.id,
      roundId: e.round_id,
      startedAt: e.started_at.toISOString(),
      deadlineAt: deadlineOf(e.started_at, e.time_limit_seconds).toISOString(),
      graceSeconds: GRACE_MS / 1000,
      submittedAt: e.submitted_at?.toISOString() ?? null,
      prediction: e.prediction,
      questions: e.questions.map((d) => {
        const q = byId.get(d.questionId)!;
        const text = new Map(q.options.map((o) => [o.id, { vi: o.vi, en: o.en }]));
        return {
          id: q.id,
          kind: q.kind,
          text: { vi: q.text_vi, en: q.text_en },
          options: d.optionIds.map((id) => ({ id, text: text.get(id)! })),
          chosen: chosen.get(q.id) ?? [],
        };
      }),
    };
  }

  /** The drawn questions' text and options: from the cached bank, from the database if one is missing there. */
  async drawnQuestions(contestId: number, ids: number[]) {
    const { byId } = await this.cache.bank(contestId);
    if (ids.every((id) => byId.has(id))) return byId;
    const rows = await this.db
      .selectFrom('contest_question')
      .select(['id', 'kind', 'text_vi', 'text_en', 'options'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }
}
