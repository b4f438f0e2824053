import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { newClassCode, normalizeClassCode } from '../../domain/learn/codes.js';
import { isCorrect, loadLessons, type Lesson, type LessonQuestion } from '../../domain/learn/lessons.js';
import { progressOf } from '../../domain/learn/progress.js';
import { normalizeName } from '../../domain/identity.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import type { CreateSchoolInput, SchoolView } from './learn.schema.js';

/** A class is a school class: well under this; more is someone filling it by script. */
export const MAX_PUPILS = 60;
/** Schools belong to a ward/commune or a district (the contest counts entries per unit). */
const SCHOOL_LEVELS = ['commune', 'district'] as const;
const CLASS_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ./-]{0,29}$/u;

export interface ClassInput {
  teacherName: string;
  schoolCode: string;
  className: string;
}

/** Learning mode for schools: lessons, schools, classes, pupils and their practice (never the contest's). */
export class LearnService {
  private readonly file = loadLessons();
  readonly lessons: Lesson[] = this.file.lessons;
  readonly sources = this.file.sources;
  readonly check = isCorrect;

  constructor(readonly db: Kysely<DB>) {}

  lesson(slug: string): Lesson {
    const l = this.lessons.find((x) => x.slug === slug);
    if (!l) throw new AppError('learn_lesson_not_found');
    return l;
  }

  // ---- schools ----

  private schoolQuery() {
    return this.db
      .selectFrom('school as s')
      .innerJoin('unit as u', 'u.id', 's.unit_id')
      .select(['s.id', 's.code', 's.name_vi', 's.name_en', 's.kind', 'u.code as unit_code', 'u.name_vi as unit_vi', 'u.name_en as unit_en'])
      .select(['u.level as unit_level', 'u.path as unit_path']);
  }

  async schools(unitCode?: string): Promise<SchoolView[]> {
    if (unitCode === undefined) return this.schoolsUnder(null);
    const unit = await this.db.selectFrom('unit').select('path').where('code', '=', unitCode).executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    return this.schoolsUnder([unit.path]);
  }

  /** Schools whose unit lies under one of these ltree paths (all schools for null). */
  private async schoolsUnder(paths: string[] | null): Promise<SchoolView[]> {
    let q = this.schoolQuery();
    if (paths) q = q.where(sql<boolean>`u.path <@ array[${sql.join(paths.map((x) => sql`${x}::ltree`))}]`);
    const rows = await q.orderBy('u.name_vi').orderBy('s.name_vi').execute();
    return rows.map((r) => ({
      code: r.code,
      name: { vi: r.name_vi, en: r.name_en },
      kind: r.kind,
      unit: { code: r.unit_code, name: { vi: r.unit_vi, en: r.unit_en }, level: r.unit_level },
    }));
  }

  private static adminPaths(actor: Actor): string[] {
    return actor.roles.filter((g) => g.role === 'unit_admin' || g.role === 'city_admin').map((g) => g.unitPath);
  }

  /** The current wards/communes and districts where this admin may add schools, grouped by their parent. */
  async unitsForSchools(actor: Actor) {
    const paths = LearnService.adminPaths(actor);
    if (paths.length === 0) return [];
    return this.db
      .selectFrom('unit as u')
      .leftJoin('unit as p', 'p.id', 'u.parent_id')
      .select(['u.code', 'u.name_vi', 'u.name_en', 'u.level', 'p.name_vi as parent_vi', 'p.name_en as parent_en'])
      .where('u.level', 'in', SCHOOL_LEVELS)
      .where('u.valid_to', 'is', null)
      .where(sql<boolean>`u.path <@ array[${sql.join(paths.map((x) => sql`${x}::ltree`))}]`)
      .orderBy('u.path')
      .execute();
  }

  /** Schools in the units this admin administers. */
  async schoolsFor(actor: Actor): Promise<SchoolView[]> {
    const paths = LearnService.adminPaths(actor);
    return paths.length ? this.schoolsUnder(paths) : [];
  }

  /** City admins add schools anywhere; a unit admin only in the units they administer. */
  async createSchool(actor: Actor, input: CreateSchoolInput, ctx: AuditContext): Promise<SchoolView> {
    const unit = await this.db
      .selectFrom('unit')
      .select(['id', 'path'])
      .where('code', '=', input.unitCode)
      .where('level', 'in', SCHOOL_LEVELS)
      .where('valid_to', 'is', null)
      .executeTakeFirst();
    if (!unit) throw new AppError('learn_school_unit_invalid');
    assertUnitScope(actor, unit.path, ['unit_admin', 'city_admin']);
    const name = { vi: input.name.vi.normalize('NFC').replace(/\s+/g, ' ').trim(), en: input.name.en.replace(/\s+/g, ' ').trim() };
    if (name.vi.length < 2 || name.en.length < 2) throw new AppError('learn_school_name_invalid');
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('school')
          .values({ code: input.code, name_vi: name.vi, name_en: name.en, kind: input.kind, unit_id: unit.id, created_by: actor.accountId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'learn.school.create', entityType: 'school', entityId: row.id, after: { ...input, name } });
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('learn_school_code_taken', { code: input.code });
      throw e;
    }
    return (await this.schools()).find((s) => s.code === input.code)!;
  }

  // ---- classes ----

  /** Every problem of the class form at once, so the page can show them all. */
  checkClass(input: ClassInput): { fields: Record<string, ErrorCode>; teacherName: string; className: string } {
    const fields: Record<string, ErrorCode> = {};
    const teacherName = normalizeName(input.teacherName);
    if (!teacherName) fields.teacherName = 'learn_teacher_name_invalid';
    const className = input.className.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!CLASS_NAME.test(className)) fields.className = 'learn_class_name_invalid';
    if (!input.schoolCode) fields.school = 'learn_school_invalid';
    return { fields, teacherName: teacherName ?? '', className };
  }

  /** Creates a class; the teacher token is returned once, only its hash is kept. */
  async createClass(input: ClassInput, pick?: (n: number) => number): Promise<{ classId: number; code: string; teacherToken: string }> {
    const checked = this.checkClass(input);
    const school = input.schoolCode
      ? await this.db.selectFrom('school').select('id').where('code', '=', input.schoolCode).executeTakeFirst()
      : undefined;
    if (!school) checked.fields.school = 'learn_school_invalid';
    const first = Object.values(checked.fields)[0];
    if (first) throw new AppError(first, {}, checked.fields);
    const teacherToken = randomToken(32);
    // A clash of random codes is rare (one in millions at city scale); draw again.
    for (let i = 0; i < 8; i++) {
      const code = newClassCode(pick);
      const row = await this.db
        .insertInto('learn_class')
        .values({
          school_id: school!.id,
          teacher_name: checked.teacherName,
          name: checked.className,
          code,
          teacher_token_hash: sha256(teacherToken),
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) return { classId: row.id, code, teacherToken };
    }
    throw new Error('no free class code after 8 draws');
  }

  private classQuery() {
    return this.db
      .selectFrom('learn_class as c')
      .innerJoin('school as s', 's.id', 'c.school_id')
      .innerJoin('unit as u', 'u.id', 's.unit_id')
      .select(['c.id', 'c.name', 'c.code', 'c.teacher_name', 'c.created_at', 's.name_vi as school_vi', 's.name_en as school_en'])
      .select(['u.name_vi as unit_vi', 'u.name_en as unit_en']);
  }

  async classByTeacherToken(token: string) {
    if (!token || token.length > 100) throw new AppError('learn_teacher_link_invalid');
    const c = await this.classQuery().where('c.teacher_token_hash', '=', sha256(token)).executeTakeFirst();
    if (!c) throw new AppError('learn_teacher_link_invalid');
    return c;
  }

  // ---- pupils ----

  checkJoin(codeInput: string, nameInput: string): { fields: Record<string, ErrorCode>; code: string; name: string } {
    const fields: Record<string, ErrorCode> = {};
    const code = normalizeClassCode(codeInput);
    if (!code) fields.classCode = 'learn_class_code_invalid';
    const name = normalizeName(nameInput);
    if (!name) fields.pupilName = 'learn_pupil_name_invalid';
    return { fields, code: code ?? '', name: name ?? '' };
  }

  /** A pupil joins with the class code and a name (no account); the token goes in their cookie. */
  async join(codeInput: string, nameInput: string): Promise<{ pupilId: number; token: string }> {
    const c = this.checkJoin(codeInput, nameInput);
    const first = Object.values(c.fields)[0];
    if (first) throw new AppError(first, {}, c.fields);
    const token = randomToken(32);
    const pupilId = await this.db.transaction().execute(async (trx) => {
      // Locking the class row makes the size check and the insert one step for concurrent joins.
      const cls = await trx.selectFrom('learn_class').select('id').where('code', '=', c.code).forUpdate().executeTakeFirst();
      if (!cls) throw new AppError('learn_class_not_found', {}, { classCode: 'learn_class_not_found' });
      const { n } = await trx
        .selectFrom('learn_pupil')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('class_id', '=', cls.id)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_PUPILS) throw new AppError('learn_class_full', { max: MAX_PUPILS }, { classCode: 'learn_class_full' });
      const row = await trx
        .insertInto('learn_pupil')
        .values({ class_id: cls.id, name: c.name, token_hash: sha256(token) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return { pupilId, token };
  }

  /** The pupil behind a cookie, with their class; null for no or an unknown token. */
  async pupil(token: string | undefined) {
    if (!token || token.length > 100) return null;
    const p = await this.db
      .selectFrom('learn_pupil as p')
      .innerJoin('learn_class as c', 'c.id', 'p.class_id')
      .innerJoin('school as s', 's.id', 'c.school_id')
      .select(['p.id', 'p.name', 'c.name as class_name', 's.name_vi as school_vi', 's.name_en as school_en'])
      .where('p.token_hash', '=', sha256(token))
      .executeTakeFirst();
    return p ?? null;
  }

  // ---- practice ----

  /** Checks an answer; a pupil's answer is recorded (every try), anyone else's is only checked. */
  async answer(
    pupilId: number | null,
    slug: string,
    questionKey: string,
    chosen: readonly string[],
  ): Promise<{ correct: boolean; question: LessonQuestion; recorded: boolean }> {
    const lesson = this.lesson(slug);
    const q = lesson.questions.find((x) => x.key === questionKey);
    if (!q) throw new AppError('learn_question_unknown');
    const picked = [...new Set(chosen)];
    if (picked.length === 0) throw new AppError('learn_answer_required');
    const offered = new Set(q.options.map((o) => o.key));
    if (picked.some((k) => !offered.has(k))) throw new AppError('learn_option_unknown');
    if (q.kind === 'single' && picked.length > 1) throw new AppError('learn_one_option_only');
    const correct = isCorrect(q, picked);
    if (pupilId !== null) {
      await this.db
        .insertInto('learn_attempt')
        .values({ pupil_id: pupilId, lesson_slug: slug, question_key: q.key, chosen: picked, correct })
        .execute();
    }
    return { correct, question: q, recorded: pupilId !== null };
  }

  private async attempts(pupilIds: number[]) {
    if (pupilIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('learn_attempt')
      .select(['id', 'pupil_id', 'lesson_slug', 'question_key', 'correct'])
      .where('pupil_id', 'in', pupilIds)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      pupilId: r.pupil_id,
      lessonSlug: r.lesson_slug,
      questionKey: r.question_key,
      correct: r.correct,
    }));
  }

  /** One pupil's own progress: lessons done and, per question, whether it has been answered right. */
  async pupilProgress(pupilId: number) {
    const attempts = await this.attempts([pupilId]);
    const { pupils } = progressOf(this.lessons, [pupilId], attempts);
    const right = new Set(attempts.filter((a) => a.correct).map((a) => `${a.lessonSlug}|${a.questionKey}`));
    return { lessonsDone: new Set(pupils[0]!.lessonsDone), right };
  }

  /** The teacher's page: every pupil of the class with their figures, and the class totals. */
  async classProgress(teacherToken: string) {
    const cls = await this.classByTeacherToken(teacherToken);
    const pupils = await this.db
      .selectFrom('learn_pupil')
      .select(['id', 'name', 'joined_at'])
      .where('class_id', '=', cls.id)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
    const { pupils: figures, totals } = progressOf(
      this.lessons,
      pupils.map((p) => p.id),
      await this.attempts(pupils.map((p) => p.id)),
    );
    return {
      cls,
      pupils: pupils.map((p, i) => ({ ...p, ...figures[i]! })),
      totals,
    };
  }
}
