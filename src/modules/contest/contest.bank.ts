import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import type { BankQuestionView, PoolSummary, QuestionPreview, QuestionsQuery, QuestionStatus } from './contest.bank-schema.js';
import type { CreateQuestionInput } from './contest.schema.js';
import { invalidateContestBanks } from './contest.cache.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Two questions are the same when their Vietnamese texts match, ignoring case, spacing and Unicode form. */
export const textKey = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

/** Why a question cannot be stored, as a stable reason (the import reports the same reasons per row). */
export function keyProblem(kind: string, correctCount: number): 'no_correct_option' | 'single_several_correct' | null {
  if (correctCount === 0) return 'no_correct_option';
  if (kind === 'single' && correctCount > 1) return 'single_several_correct';
  return null;
}

/** Writes one question (import, generator, edit share it); options get fresh random ids. */
export async function insertQuestion(trx: Transaction<DB>, poolId: number, input: CreateQuestionInput, status: QuestionStatus, by: number) {
  return (await writeQuestion(trx, poolId, input, status, by)).id;
}

/** As insertQuestion, also giving the options' new ids with their correctness (for the admin's answer). */
export async function writeQuestion(trx: Transaction<DB>, poolId: number, input: CreateQuestionInput, status: QuestionStatus, by: number) {
  // Random ids: an id like "a" for the first option would tell a participant where the key was typed.
  const options = input.options.map((o) => ({
    id: randomBytes(6).toString('base64url'),
    vi: o.text.vi.trim(),
    en: o.text.en.trim(),
    correct: o.correct,
  }));
  const row = await trx
    .insertInto('contest_question')
    .values({
      pool_id: poolId,
      kind: input.kind,
      difficulty: input.difficulty,
      text_vi: input.text.vi.trim(),
      text_en: input.text.en.trim(),
      options: JSON.stringify(options.map(({ id, vi, en }) => ({ id, vi, en }))),
      correct: options.filter((o) => o.correct).map((o) => o.id),
      explanation_vi: input.explanation.vi.trim(),
      explanation_en: input.explanation.en.trim(),
      procedure_code: input.procedureCode ?? null,
      created_by: by,
      status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Before the commit: another draw may reload the old bank meanwhile, for at most BANK_TTL_MS.
  invalidateContestBanks();
  return { id: row.id, options: options.map((o) => ({ id: o.id, correct: o.correct })) };
}

/** Texts (normalized) of the contest's questions that are not retired: an import or a draft must not repeat them. */
export async function bankTexts(db: Q, contestId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('contest_question as q')
    .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
    .select('q.text_vi')
    .where('p.contest_id', '=', contestId)
    .where('q.status', '!=', 'retired')
    .execute();
  return new Set(rows.map((r) => textKey(r.text_vi)));
}

export async function assertCityAdmin(db: Q, actor: Actor) {
  const city = await db.selectFrom('unit').select('path').where('level', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
  assertUnitScope(actor, city.path, ['city_admin']);
}

/**
 * Drawn in some entry, through the GIN index on contest_entry.questions. The planner, expecting an
 * EXISTS to stop early, would rather scan entries in order, which reads every entry for a question
 * never drawn (seconds at 600,000 entries); `byIndex` turns that off for the query.
 */
const drawnExpr = sql<boolean>`exists (select 1 from contest_entry e where e.questions @> jsonb_build_array(jsonb_build_object('questionId', q.id)))`;

const questionColumns = [
  'q.id',
  'q.pool_id',
  'p.field_code',
  'p.contest_id',
  'q.status',
  'q.kind',
  'q.difficulty',
  'q.text_vi',
  'q.text_en',
  'q.options',
  'q.correct',
  'q.explanation_vi',
  'q.explanation_en',
  'q.procedure_code',
] as const;

/** The question bank of a contest, by the city admin: list, preview, edit, approve, retire. */
export class ContestBank {
  constructor(readonly db: Kysely<DB>) {}

  async contests() {
    const rows = await this.db.selectFrom('contest').select(['id', 'title_vi', 'title_en']).orderBy('id', 'desc').execute();
    return rows.map((c) => ({ id: c.id, title: { vi: c.title_vi, en: c.title_en } }));
  }

  fields() {
    return this.db
      .selectFrom('field')
      .select(['code', 'name_vi', 'name_en'])
      .orderBy('sort')
      .orderBy('code')
      .execute()
      .then((rows) => rows.map((f) => ({ code: f.code, name: { vi: f.name_vi, en: f.name_en } })));
  }

  async pools(contestId: number): Promise<PoolSummary[]> {
    const c = await this.db.selectFrom('contest').select('id').where('id', '=', contestId).executeTakeFirst();
    if (!c) throw new AppError('contest_not_found');
    const pools = await this.db.selectFrom('contest_pool').selectAll().where('contest_id', '=', contestId).orderBy('id').execute();
    const counts = await this.db
      .selectFrom('contest_question as q')
      .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
      .select(['q.pool_id', 'q.status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('p.contest_id', '=', contestId)
      .groupBy(['q.pool_id', 'q.status'])
      .execute();
    return pools.map((p) => {
      const n = (s: string) => Number(counts.find((c) => c.pool_id === p.id && c.status === s)?.n ?? 0);
      return {
        id: p.id,
        contestId: p.contest_id,
        fieldCode: p.field_code,
        name: { vi: p.name_vi, en: p.name_en },
        counts: { draft: n('draft'), active: n('active'), retired: n('retired') },
      };
    });
  }

  private async byIndex<T>(db: Q, f: (d: Q) => Promise<T>): Promise<T> {
    const run = async (trx: Transaction<DB>) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return f(trx);
    };
    return db.isTransaction ? run(db as Transaction<DB>) : this.db.transaction().execute(run);
  }

  async questions(contestId: number, filter: QuestionsQuery): Promise<BankQuestionView[]> {
    await this.pools(contestId);
    const rows = await this.byIndex(this.db, (db) =>
      db
        .selectFrom('contest_question as q')
        .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
        .select([...questionColumns, drawnExpr.as('drawn')])
        .where('p.contest_id', '=', contestId)
        .$if(filter.poolId !== undefined, (q) => q.where('q.pool_id', '=', filter.poolId!))
        .$if(filter.status !== undefined, (q) => q.where('q.status', '=', filter.status!))
        .orderBy('q.pool_id')
        .orderBy('q.id')
        .execute(),
    );
    return rows.map((r) => view(r, r.drawn));
  }

  async question(id: number, db: Q = this.db): Promise<BankQuestionView & { contestId: number }> {
    const r = await this.byIndex(db, (d) =>
      d
        .selectFrom('contest_question as q')
        .innerJoin('contest_pool as p', 'p.id', 'q.pool_id')
        .select([...questionColumns, drawnExpr.as('drawn')])
        .where('q.id', '=', id)
        .executeTakeFirst(),
    );
    if (!r) throw new AppError('contest_question_not_found');
    return { ...view(r, r.drawn), contestId: r.contest_id };
  }

  /** As a participant would see it: options in a fresh shuffled order, no key, no explanation. */
  async preview(id: number): Promise<QuestionPreview> {
    const q = await this.question(id);
    const options = q.options
      .map((o) => ({ o, k: randomBytes(4).readUInt32BE(0) }))
      .sort((a, b) => a.k - b.k)
      .map(({ o }) => ({ id: o.id, text: o.text }));
    return { id: q.id, kind: q.kind, text: q.text, options };
  }

  /**
   * A new text, options, key or explanation. Refused once the question has been drawn: entries
   * hold its option ids and will be scored on its key (retire it and add a corrected one instead).
   */
  async update(actor: Actor, id: number, input: CreateQuestionInput, ctx: AuditContext): Promise<BankQuestionView> {
    await assertCityAdmin(this.db, actor);
    const problem = keyProblem(input.kind, input.options.filter((o) => o.correct).length);
    if (problem) throw new AppError('contest_question_invalid', { detail: problem });
    if (input.procedureCode) {
      const p = await this.db.selectFrom('procedure').select('id').where('code', '=', input.procedureCode).executeTakeFirst();
      if (!p) throw new AppError('contest_unknown_procedure', { code: input.procedureCode });
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await this.question(id, trx);
      if (before.status === 'retired') throw new AppError('contest_question_retired');
      if (before.drawn) throw new AppError('contest_question_drawn');
      // Its option ids are about to change while another process's copy of the bank may draw the old ones.
      if (await inPlay(trx, before)) throw new AppError('contest_question_in_play');
      const others = await bankTexts(trx, before.contestId);
      others.delete(textKey(before.text.vi));
      if (others.has(textKey(input.text.vi))) throw new AppError('contest_question_duplicate');
      const options = input.options.map((o) => ({
        id: randomBytes(6).toString('base64url'),
        vi: o.text.vi.trim(),
        en: o.text.en.trim(),
        correct: o.correct,
      }));
      const done = await trx
        .updateTable('contest_question')
        .set({
          kind: input.kind,
          difficulty: input.difficulty,
          text_vi: input.text.vi.trim(),
          text_en: input.text.en.trim(),
          options: JSON.stringify(options.map(({ id: oid, vi, en }) => ({ id: oid, vi, en }))),
          correct: options.filter((o) => o.correct).map((o) => o.id),
          explanation_vi: input.explanation.vi.trim(),
          explanation_en: input.explanation.en.trim(),
          procedure_code: input.procedureCode ?? null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('status', '=', before.status)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw new AppError('contest_question_changed');
      await recordAudit(trx, ctx, {
        action: 'contest.question.update',
        entityType: 'contest_question',
        entityId: id,
        before,
        after: input,
      });
    });
    invalidateContestBanks();
    return this.question(id);
  }

  /** A draft (from the generator) becomes active: it can be drawn from now on. */
  async approve(actor: Actor, id: number, ctx: AuditContext): Promise<BankQuestionView> {
    await assertCityAdmin(this.db, actor);
    await this.db.transaction().execute(async (trx) => {
      const q = await this.question(id, trx);
      if (q.status !== 'draft') throw new AppError('contest_question_not_draft');
      await trx.updateTable('contest_question').set({ status: 'active', updated_at: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, {
        action: 'contest.question.approve',
        entityType: 'contest_question',
        entityId: id,
        after: { status: 'active' },
      });
    });
    invalidateContestBanks();
    return this.question(id);
  }

  /**
   * Out of the bank. A draft is deleted, and so is an active question never drawn while no round of
   * its contest is published. Otherwise it stays, retired: entries and their results refer to a
   * drawn one, and an active one can be drawn at any moment by a server process whose copy of the
   * bank predates this (up to BANK_TTL_MS), into an entry the delete's "drawn" check cannot see.
   */
  async retire(actor: Actor, id: number, ctx: AuditContext): Promise<{ id: number; outcome: 'retired' | 'deleted' }> {
    await assertCityAdmin(this.db, actor);
    const done = await this.db.transaction().execute(async (trx) => {
      const q = await this.question(id, trx);
      if (q.status === 'retired') throw new AppError('contest_question_retired');
      // Drawn covers answered: an answer is only ever saved for a question of the entry's draw
      // (contest.entry-sql.ts, checkedAnswers). Asking contest_answer too was a scan of every
      // answer (no index on question_id), millions at the 2019 scale, for each retirement.
      if (q.drawn || (await inPlay(trx, q))) {
        await trx.updateTable('contest_question').set({ status: 'retired', updated_at: new Date() }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, {
          action: 'contest.question.retire',
          entityType: 'contest_question',
          entityId: id,
          before: { status: q.status },
          after: { status: 'retired' },
        });
        return { id, outcome: 'retired' as const };
      }
      // Re-checked on the row: an approval committed meanwhile leaves it to be retired next time.
      const gone = await trx.deleteFrom('contest_question').where('id', '=', id).where('status', '=', q.status).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw new AppError('contest_question_changed');
      await recordAudit(trx, ctx, { action: 'contest.question.delete', entityType: 'contest_question', entityId: id, before: q });
      return { id, outcome: 'deleted' as const };
    });
    invalidateContestBanks();
    return done;
  }
}

/**
 * Whether an active question may be being drawn right now: a round of its contest is published, and
 * another server process's copy of the bank (up to BANK_TTL_MS old) can draw it into an entry that
 * the "drawn" check cannot see yet. Such a question is neither deleted nor edited, only retired.
 */
async function inPlay(trx: Q, q: { status: string; contestId: number }) {
  if (q.status !== 'active') return false;
  const round = await trx
    .selectFrom('contest_round')
    .select('id')
    .where('contest_id', '=', q.contestId)
    .where('state', '=', 'published')
    .executeTakeFirst();
  return round !== undefined;
}

type Row = {
  id: number;
  pool_id: number;
  field_code: string;
  status: QuestionStatus;
  kind: 'single' | 'multiple';
  difficulty: number;
  text_vi: string;
  text_en: string;
  options: { id: string; vi: string; en: string }[];
  correct: string[];
  explanation_vi: string;
  explanation_en: string;
  procedure_code: string | null;
};

const view = (r: Row, drawn: boolean): BankQuestionView => ({
  id: r.id,
  poolId: r.pool_id,
  fieldCode: r.field_code,
  status: r.status,
  kind: r.kind,
  difficulty: r.difficulty,
  text: { vi: r.text_vi, en: r.text_en },
  options: r.options.map((o) => ({ id: o.id, text: { vi: o.vi, en: o.en }, correct: r.correct.includes(o.id) })),
  explanation: { vi: r.explanation_vi, en: r.explanation_en },
  procedureCode: r.procedure_code,
  drawn,
});
