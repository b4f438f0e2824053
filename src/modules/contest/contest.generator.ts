import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';
import type { GenerateInput, GeneratorFact } from './contest.bank-schema.js';
import { assertCityAdmin, bankTexts, insertQuestion, textKey } from './contest.bank.js';
import type { CreateQuestionInput } from './contest.schema.js';

// Drafts questions from the catalogue's facts. The right option is the procedure's own value; the
// wrong ones are real values of other procedures (the nearest amounts for days and fees, other
// offices), so they are plausible. Drafts are never drawn until the admin approves them.

type Bi = { vi: string; en: string };
export interface ProcedureFacts {
  code: string;
  fieldCode: string;
  name: Bi;
  /** Working days; null when the catalogue gives another unit or nothing. */
  workingDays: number | null;
  fee: number | null;
  office: Bi | null;
  serviceLevel: 'full' | 'partial' | 'none' | null;
}

const WRONG = 3;
const money = (n: number, locale: 'vi' | 'en') => new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n);
const daysLabel = (n: number): Bi =>
  n === 0 ? { vi: 'Trong ngày làm việc', en: 'Within the same working day' } : { vi: `${n} ngày làm việc`, en: `${n} working days` };
const feeLabel = (n: number): Bi =>
  n === 0 ? { vi: 'Không thu phí, lệ phí', en: 'No fee' } : { vi: `${money(n, 'vi')} đồng`, en: `VND ${money(n, 'en')}` };
const LEVELS: Record<'full' | 'partial' | 'none', Bi> = {
  full: { vi: 'Dịch vụ công trực tuyến toàn trình', en: 'Fully online public service' },
  partial: { vi: 'Dịch vụ công trực tuyến một phần', en: 'Partly online public service' },
  none: { vi: 'Chưa có dịch vụ công trực tuyến', en: 'Not available online yet' },
};

/** The distinct amounts of other procedures nearest to `right` (ties: the smaller first). */
export function nearestOthers(right: number, others: readonly number[], n = WRONG): number[] {
  return [...new Set(others)]
    .filter((v) => v !== right)
    .sort((a, b) => Math.abs(a - right) - Math.abs(b - right) || a - b)
    .slice(0, n);
}

const stableOrder = (label: string) => createHash('sha256').update(label).digest('hex');

function draft(
  p: ProcedureFacts,
  kind: 'time_limit' | 'fee' | 'office' | 'service_level',
  right: Bi,
  wrong: Bi[],
  difficulty: number,
  text: Bi,
  why: Bi,
) {
  if (wrong.length === 0) return null;
  const q: CreateQuestionInput = {
    kind: 'single',
    difficulty,
    text,
    options: [{ text: right, correct: true }, ...wrong.map((w) => ({ text: w, correct: false }))],
    explanation: {
      vi: `Theo Bộ thủ tục hành chính (thủ tục ${p.code}): ${why.vi}`,
      en: `According to the catalogue of procedures (procedure ${p.code}): ${why.en}`,
    },
    procedureCode: p.code,
  };
  return { fact: kind, question: q };
}

/** Draft questions for the procedures `targets`, wrong options taken from `all` (the whole catalogue). */
export function draftQuestions(targets: readonly ProcedureFacts[], all: readonly ProcedureFacts[], facts: readonly GeneratorFact[]) {
  const out: { fact: GeneratorFact; question: CreateQuestionInput }[] = [];
  let skipped = 0;
  for (const p of targets) {
    const others = all.filter((o) => o.code !== p.code);
    const n = { vi: `“${p.name.vi}”`, en: `“${p.name.en}”` };
    const made = facts.map((fact) => {
      if (fact === 'time_limit' && p.workingDays !== null) {
        const wrong = nearestOthers(
          p.workingDays,
          others.flatMap((o) => (o.workingDays === null ? [] : [o.workingDays])),
        ).map(daysLabel);
        const right = daysLabel(p.workingDays);
        return draft(
          p,
          fact,
          right,
          wrong,
          2,
          { vi: `Thời hạn giải quyết thủ tục ${n.vi} là bao lâu?`, en: `What is the time limit of the procedure ${n.en}?` },
          {
            vi: `thời hạn giải quyết là ${right.vi.toLocaleLowerCase('vi')}.`,
            en: `the time limit is ${right.en.toLowerCase()}.`,
          },
        );
      }
      if (fact === 'fee' && p.fee !== null) {
        const wrong = nearestOthers(
          p.fee,
          others.flatMap((o) => (o.fee === null ? [] : [o.fee])),
        ).map(feeLabel);
        const right = feeLabel(p.fee);
        return draft(
          p,
          fact,
          right,
          wrong,
          3,
          { vi: `Mức phí, lệ phí của thủ tục ${n.vi} là bao nhiêu?`, en: `What is the fee of the procedure ${n.en}?` },
          {
            vi: `mức phí, lệ phí là: ${right.vi.toLocaleLowerCase('vi')}.`,
            en: `the fee is: ${right.en}.`,
          },
        );
      }
      if (fact === 'office' && p.office !== null) {
        const key = textKey(p.office.vi);
        const seen = new Set([key]);
        const wrong: Bi[] = [];
        for (const o of others
          .flatMap((x) => (x.office ? [x.office] : []))
          .sort((a, b) => (stableOrder(`${p.code}:${a.vi}`) < stableOrder(`${p.code}:${b.vi}`) ? -1 : 1))) {
          if (wrong.length === WRONG || seen.has(textKey(o.vi))) continue;
          seen.add(textKey(o.vi));
          wrong.push(o);
        }
        return draft(
          p,
          fact,
          p.office,
          wrong,
          1,
          { vi: `Hồ sơ thủ tục ${n.vi} được nộp ở đâu?`, en: `Where is the dossier of the procedure ${n.en} submitted?` },
          {
            vi: `hồ sơ nộp tại ${p.office.vi}.`,
            en: `the dossier is submitted to: ${p.office.en}.`,
          },
        );
      }
      if (fact === 'service_level' && p.serviceLevel !== null) {
        const level = p.serviceLevel;
        const wrong = (['full', 'partial', 'none'] as const).filter((l) => l !== level).map((l) => LEVELS[l]);
        return draft(
          p,
          fact,
          LEVELS[level],
          wrong,
          1,
          { vi: `Thủ tục ${n.vi} được cung cấp trực tuyến ở mức nào?`, en: `At what level is the procedure ${n.en} offered online?` },
          {
            vi: `${LEVELS[level].vi.toLocaleLowerCase('vi')}.`,
            en: `${LEVELS[level].en.toLowerCase()}.`,
          },
        );
      }
      return null;
    });
    for (const m of made) {
      if (m) out.push(m);
      else skipped++;
    }
  }
  return { drafts: out, skipped };
}

export class ContestGenerator {
  constructor(readonly db: Kysely<DB>) {}

  /** Every procedure with the facts of its version in force today. */
  async catalogueFacts(now = new Date()): Promise<ProcedureFacts[]> {
    const today = now.toISOString().slice(0, 10);
    const [procs, versions, offers] = await Promise.all([
      this.db.selectFrom('procedure').select(['id', 'code', 'field_code', 'name_vi', 'name_en']).orderBy('code').execute(),
      this.db
        .selectFrom('procedure_version')
        .select([
          'procedure_id',
          'version',
          'effective_from',
          'time_limit_amount',
          'time_limit_unit',
          'fee_amount',
          'online_mode',
          'content',
        ])
        .where('effective_from', '<=', today)
        .orderBy('effective_from')
        .orderBy('version')
        .execute(),
      this.db.selectFrom('unit_procedure').select(['procedure_id', 'online_mode']).execute(),
    ]);
    const current = new Map<number, (typeof versions)[number]>();
    for (const v of versions) current.set(v.procedure_id, v);
    return procs.flatMap((p) => {
      const v = current.get(p.id);
      if (!v) return [];
      const submitTo = (v.content as { submitTo?: Bi | null }).submitTo ?? null;
      // The service level: the version's, or the one every unit offering the procedure agrees on.
      const modes = new Set(offers.filter((o) => o.procedure_id === p.id).map((o) => o.online_mode));
      const shared = modes.size === 1 ? [...modes][0]! : null;
      return [
        {
          code: p.code,
          fieldCode: p.field_code,
          name: { vi: p.name_vi, en: p.name_en },
          workingDays: v.time_limit_unit === 'working_days' ? v.time_limit_amount : null,
          fee: v.fee_amount,
          office: submitTo && submitTo.vi && submitTo.en ? submitTo : null,
          serviceLevel: v.online_mode ?? shared,
        },
      ];
    });
  }

  /** Drafts for the pool's field (or the chosen procedures); questions already in the bank are skipped. */
  async generate(actor: Actor, poolId: number, input: GenerateInput, ctx: AuditContext) {
    await assertCityAdmin(this.db, actor);
    const pool = await this.db
      .selectFrom('contest_pool')
      .select(['id', 'contest_id', 'field_code'])
      .where('id', '=', poolId)
      .executeTakeFirst();
    if (!pool) throw new AppError('contest_pool_not_found');
    const all = await this.catalogueFacts();
    const codes = input.procedureCodes;
    const unknown = codes?.find((c) => !all.some((p) => p.code === c));
    if (unknown) throw new AppError('contest_unknown_procedure', { code: unknown });
    const targets = codes ? all.filter((p) => codes.includes(p.code)) : all.filter((p) => p.fieldCode === pool.field_code);
    const { drafts, skipped } = draftQuestions(targets, all, input.facts ?? ['time_limit', 'fee', 'office', 'service_level']);
    return this.db.transaction().execute(async (trx) => {
      const bank = await bankTexts(trx, pool.contest_id);
      const created: number[] = [];
      let dup = 0;
      for (const d of drafts) {
        const k = textKey(d.question.text.vi);
        if (bank.has(k)) {
          dup++;
          continue;
        }
        bank.add(k);
        const id = await insertQuestion(trx, pool.id, d.question, 'draft', actor.accountId);
        await recordAudit(trx, ctx, {
          action: 'contest.question.generate',
          entityType: 'contest_question',
          entityId: id,
          after: { fact: d.fact, ...d.question },
        });
        created.push(id);
      }
      return { created, skipped: skipped + dup };
    });
  }
}
