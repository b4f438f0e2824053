import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';
import type { BankQuestionView, ImportProblem, ImportReport, QuestionStatus } from './contest.bank-schema.js';
import { assertCityAdmin, bankTexts, insertQuestion, keyProblem, textKey } from './contest.bank.js';
import type { CreateQuestionInput } from './contest.schema.js';
import { COLUMNS, MAX_OPTIONS, readSheet, writeCsv, writeXlsx, type SheetRow } from './contest.sheet.js';

// Import is all or nothing: the report lists every problem of every row, and confirming writes
// the whole file only when no row has a problem. An admin fixes the file and uploads it again;
// a bank half imported would leave them to work out which rows made it (docs/contest.md).

const PROCEDURE_CODE = /^(\d\.\d{6}|L\.\d{6})$/;
const LIMITS: Record<string, number> = { text: 1000, option: 500, explanation: 2000 };

export interface ValidRow {
  row: number;
  fieldCode: string;
  status: QuestionStatus;
  input: CreateQuestionInput;
}

export interface Known {
  fields: Set<string>;
  procedures: Set<string>;
  /** Normalized texts already in the bank (not retired). */
  bank: Set<string>;
}

/** Every problem of every row (stable reason codes by column), and the rows that have none. */
export function validateRows(rows: readonly SheetRow[], known: Known): { problems: ImportProblem[]; valid: ValidRow[] } {
  const problems: ImportProblem[] = [];
  const valid: ValidRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const before = problems.length;
    const bad = (column: string, reason: string) => problems.push({ row, column, reason });
    const text = (column: string, limit: number) => {
      const v = cells[column] ?? '';
      if (v === '') bad(column, 'missing_text');
      else if (v.length > limit) bad(column, 'text_too_long');
      return v;
    };
    const field = cells.field ?? '';
    if (field === '') bad('field', 'missing_value');
    else if (!known.fields.has(field)) bad('field', 'unknown_field');
    const kind = (cells.kind ?? '').toLowerCase();
    if (kind !== 'single' && kind !== 'multiple') bad('kind', 'kind_invalid');
    const difficulty = /^\d{1,3}$/.test(cells.difficulty ?? '') ? Number(cells.difficulty) : NaN;
    if (!(difficulty >= 1 && difficulty <= 3)) bad('difficulty', 'difficulty_out_of_range');
    const tvi = text('text_vi', LIMITS.text!);
    const ten = text('text_en', LIMITS.text!);
    const options: { n: number; vi: string; en: string }[] = [];
    for (let n = 1; n <= MAX_OPTIONS; n++) {
      const vi = cells[`option${n}_vi`] ?? '';
      const en = cells[`option${n}_en`] ?? '';
      if (vi === '' && en === '') continue;
      if (vi === '') bad(`option${n}_vi`, 'missing_text');
      if (en === '') bad(`option${n}_en`, 'missing_text');
      if (vi.length > LIMITS.option! || en.length > LIMITS.option!) bad(`option${n}_vi`, 'text_too_long');
      options.push({ n, vi, en });
    }
    if (options.length < 2) bad('option2_vi', 'too_few_options');
    const correctRaw = (cells.correct ?? '').replace(/\s/g, '');
    const correct = correctRaw === '' ? [] : correctRaw.split(/[,;]/);
    if (correct.length === 0) bad('correct', 'no_correct_option');
    else if (correct.some((c) => !/^\d{1,2}$/.test(c) || !options.some((o) => o.n === Number(c)))) bad('correct', 'correct_invalid');
    else if (new Set(correct).size !== correct.length) bad('correct', 'correct_invalid');
    else if (kind === 'single' && keyProblem(kind, correct.length)) bad('correct', 'single_several_correct');
    const evi = text('explanation_vi', LIMITS.explanation!);
    const een = text('explanation_en', LIMITS.explanation!);
    const code = cells.procedure_code ?? '';
    if (code !== '' && !PROCEDURE_CODE.test(code)) bad('procedure_code', 'procedure_code_invalid');
    else if (code !== '' && !known.procedures.has(code)) bad('procedure_code', 'unknown_procedure');
    const status = (cells.status ?? '').toLowerCase() || 'active';
    if (status !== 'active' && status !== 'draft') bad('status', 'status_invalid');
    if (tvi !== '') {
      const k = textKey(tvi);
      if (known.bank.has(k)) bad('text_vi', 'duplicate_in_bank');
      else if (seen.has(k)) bad('text_vi', 'duplicate_in_file');
      else seen.set(k, row);
    }
    if (problems.length > before) continue;
    const rights = new Set(correct.map(Number));
    valid.push({
      row,
      fieldCode: field,
      status: status as QuestionStatus,
      input: {
        kind: kind as 'single' | 'multiple',
        difficulty,
        text: { vi: tvi, en: ten },
        options: options.map((o) => ({ text: { vi: o.vi, en: o.en }, correct: rights.has(o.n) })),
        explanation: { vi: evi, en: een },
        ...(code ? { procedureCode: code } : {}),
      },
    });
  }
  return { problems, valid };
}

/** The file row of a stored question: export and import use the same columns. */
export function questionRow(q: BankQuestionView): string[] {
  const cells: Record<string, string> = {
    field: q.fieldCode,
    kind: q.kind,
    difficulty: String(q.difficulty),
    text_vi: q.text.vi,
    text_en: q.text.en,
    correct: q.options
      .map((o, i) => (o.correct ? String(i + 1) : ''))
      .filter(Boolean)
      .join(','),
    explanation_vi: q.explanation.vi,
    explanation_en: q.explanation.en,
    procedure_code: q.procedureCode ?? '',
    status: q.status,
  };
  q.options.forEach((o, i) => {
    cells[`option${i + 1}_vi`] = o.text.vi;
    cells[`option${i + 1}_en`] = o.text.en;
  });
  return COLUMNS.map((c) => cells[c] ?? '');
}

export async function exportFile(questions: BankQuestionView[], format: 'xlsx' | 'csv'): Promise<Buffer> {
  const rows = questions.filter((q) => q.status !== 'retired').map(questionRow);
  return format === 'csv' ? writeCsv([[...COLUMNS], ...rows]) : writeXlsx(rows);
}

/** The two-step import: upload gives a stored report; confirmation writes every row or none. */
export class ContestImports {
  constructor(readonly db: Kysely<DB>) {}

  private async known(db: Kysely<DB> | Transaction<DB>, contestId: number): Promise<Known> {
    const [fields, procedures, bank] = await Promise.all([
      db.selectFrom('field').select('code').execute(),
      db.selectFrom('procedure').select('code').execute(),
      bankTexts(db, contestId),
    ]);
    return { fields: new Set(fields.map((f) => f.code)), procedures: new Set(procedures.map((p) => p.code)), bank };
  }

  async upload(actor: Actor, contestId: number, file: { bytes: Buffer; fileName: string }, ctx: AuditContext): Promise<ImportReport> {
    await assertCityAdmin(this.db, actor);
    const c = await this.db.selectFrom('contest').select('id').where('id', '=', contestId).executeTakeFirst();
    if (!c) throw new AppError('contest_not_found');
    const rows = await readSheet(file.bytes, file.fileName);
    const { problems } = validateRows(rows, await this.known(this.db, contestId));
    const fileName = file.fileName.replace(/[\\/]/g, '_').slice(0, 200) || 'questions';
    const id = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('contest_import')
        .values({
          contest_id: contestId,
          file_name: fileName,
          rows: JSON.stringify(rows),
          problems: JSON.stringify(problems),
          created_by: actor.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: 'contest.import.upload',
        entityType: 'contest_import',
        entityId: r.id,
        after: { contestId, fileName, rows: rows.length, problems: problems.length },
      });
      return r.id;
    });
    return this.report(id);
  }

  async report(id: number, imported: number | null = null): Promise<ImportReport> {
    const r = await this.db.selectFrom('contest_import').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('contest_import_not_found');
    const rows = r.rows as SheetRow[];
    const badRows = new Set(r.problems.map((p) => p.row));
    return {
      id: r.id,
      contestId: r.contest_id,
      fileName: r.file_name,
      rows: rows.length,
      validRows: rows.filter((x) => !badRows.has(x.row)).length,
      problems: r.problems,
      confirmedAt: r.confirmed_at?.toISOString() ?? null,
      imported: imported ?? (r.confirmed_at ? rows.length : null),
    };
  }

  /**
   * Writes every row, or nothing. The rows are checked again against the bank as it is now (an
   * admin may have added the same question meanwhile); new problems are stored and refused.
   */
  async confirm(actor: Actor, id: number, ctx: AuditContext): Promise<ImportReport> {
    await assertCityAdmin(this.db, actor);
    const outcome = await this.db.transaction().execute(async (trx) => {
      const imp = await trx.selectFrom('contest_import').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!imp) throw new AppError('contest_import_not_found');
      if (imp.confirmed_at) throw new AppError('contest_import_done');
      if (imp.problems.length > 0) throw new AppError('contest_import_invalid', { count: imp.problems.length });
      const { problems, valid } = validateRows(imp.rows as SheetRow[], await this.known(trx, imp.contest_id));
      if (problems.length > 0) {
        await trx
          .updateTable('contest_import')
          .set({ problems: JSON.stringify(problems) })
          .where('id', '=', id)
          .execute();
        return { problems, imported: 0 };
      }
      const pools = await trx
        .selectFrom('contest_pool')
        .select(['id', 'field_code'])
        .where('contest_id', '=', imp.contest_id)
        .orderBy('id')
        .execute();
      const poolOf = new Map<string, number>();
      for (const p of pools) if (!poolOf.has(p.field_code)) poolOf.set(p.field_code, p.id);
      // A field with no pool yet gets one, named after the field, as the admin would have made it.
      for (const code of new Set(valid.map((v) => v.fieldCode))) {
        if (poolOf.has(code)) continue;
        const f = await trx.selectFrom('field').select(['name_vi', 'name_en']).where('code', '=', code).executeTakeFirstOrThrow();
        const p = await trx
          .insertInto('contest_pool')
          .values({ contest_id: imp.contest_id, field_code: code, name_vi: f.name_vi, name_en: f.name_en })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, {
          action: 'contest.pool.create',
          entityType: 'contest_pool',
          entityId: p.id,
          after: { fieldCode: code, importId: id },
        });
        poolOf.set(code, p.id);
      }
      const ids: number[] = [];
      for (const v of valid) ids.push(await insertQuestion(trx, poolOf.get(v.fieldCode)!, v.input, v.status, actor.accountId));
      await trx.updateTable('contest_import').set({ confirmed_at: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, {
        action: 'contest.import.confirm',
        entityType: 'contest_import',
        entityId: id,
        after: { contestId: imp.contest_id, questionIds: ids },
      });
      return { problems: [] as ImportProblem[], imported: ids.length };
    });
    if (outcome.problems.length > 0) throw new AppError('contest_import_invalid', { count: outcome.problems.length });
    return this.report(id, outcome.imported);
  }
}
