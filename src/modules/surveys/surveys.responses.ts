import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { checkAnswers, type AnswerProblem, type Answers, type Questionnaire } from '../../domain/surveys/questionnaire.js';
import { MIN_PUBLIC_RESPONSES, surveyFigures, type Figures } from '../../domain/surveys/scoring.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { phaseOf } from './surveys.service.js';

const PROBLEM_CODE: Record<AnswerProblem, ErrorCode> = {
  answer_required: 'survey_answer_required',
  answer_out_of_range: 'survey_answer_out_of_range',
  unknown_question: 'survey_answer_unknown',
};

/** Tokens are 43 base64url characters; anything else is not worth a database look-up. */
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export interface UnitFigures extends Figures {
  unit: { code: string; name: { vi: string; en: string } };
  /** Public figures only: fewer than MIN_PUBLIC_RESPONSES responses, so the scores are withheld. */
  suppressed: boolean;
}

/** The respondent's side (a token, no login) and the figures. */
export class SurveyResponses {
  constructor(readonly db: Kysely<DB>) {}

  /** The invitation behind a link, with the survey and what it is about; a bad token is a 404. */
  async invitation(token: string, now = new Date()) {
    if (!TOKEN.test(token)) throw new AppError('survey_token_invalid');
    const r = await this.db
      .selectFrom('survey_invitation as i')
      .innerJoin('survey as s', 's.id', 'i.survey_id')
      .innerJoin('unit as u', 'u.id', 'i.unit_id')
      .innerJoin('dossier as d', 'd.id', 'i.dossier_id')
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .select(['i.id', 'i.survey_id', 'i.unit_id', 'i.responded_at', 's.title', 's.questionnaire', 's.state', 's.opens_at', 's.closes_at'])
      .select(['u.name_vi as unit_vi', 'u.name_en as unit_en', 'p.name_vi', 'p.name_en'])
      .where('i.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!r) throw new AppError('survey_token_invalid');
    return { ...r, questionnaire: r.questionnaire as Questionnaire, phase: phaseOf(r, now) };
  }

  /** One response per invitation (the table's key), within the window, required questions answered. */
  async respond(token: string, raw: Record<string, unknown>, now = new Date()) {
    const inv = await this.invitation(token, now);
    if (inv.phase === 'scheduled') throw new AppError('survey_not_open');
    if (inv.phase === 'closed') throw new AppError('survey_closed');
    if (inv.responded_at) throw new AppError('survey_already_answered');
    const checked = checkAnswers(inv.questionnaire, raw);
    if (!checked.ok)
      throw new AppError(PROBLEM_CODE[checked.problem], { question: checked.key }, { [checked.key]: PROBLEM_CODE[checked.problem] });
    await this.db.transaction().execute(async (trx) => {
      const saved = await trx
        .insertInto('survey_response')
        .values({
          invitation_id: inv.id,
          survey_id: inv.survey_id,
          unit_id: inv.unit_id,
          answers: JSON.stringify(checked.answers),
          submitted_at: now,
        })
        .onConflict((oc) => oc.column('invitation_id').doNothing())
        .returning('invitation_id')
        .executeTakeFirst();
      // A second submission racing the first: the key lets only one in.
      if (!saved) throw new AppError('survey_already_answered');
      await trx.updateTable('survey_invitation').set({ responded_at: now }).where('id', '=', inv.id).execute();
    });
  }

  /** Closed surveys, newest first, for the public list. */
  async closed(now = new Date()) {
    const rows = await this.db
      .selectFrom('survey as s')
      .select(['s.id', 's.title', 's.opens_at', 's.closes_at', 's.state'])
      .select((eb) =>
        eb.selectFrom('survey_response as r').whereRef('r.survey_id', '=', 's.id').select(eb.fn.countAll<string>().as('n')).as('responses'),
      )
      .where('s.state', '!=', 'draft')
      .orderBy('s.closes_at', 'desc')
      .limit(100)
      .execute();
    return rows.filter((s) => phaseOf(s, now) === 'closed').map((s) => ({ ...s, responses: Number(s.responses ?? 0) }));
  }

  /**
   * Figures per unit and overall. `publicView`: only once the survey is closed, and units (or the
   * whole) with fewer than MIN_PUBLIC_RESPONSES responses are marked suppressed with no scores.
   */
  async results(id: number, opts: { publicView: boolean }, now = new Date()) {
    const s = await this.db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s || (opts.publicView && s.state === 'draft')) throw new AppError('survey_not_found');
    const phase = phaseOf(s, now);
    if (opts.publicView && phase !== 'closed') throw new AppError('survey_not_closed');
    const q = s.questionnaire as Questionnaire;
    const [invited, responses] = await Promise.all([
      this.db
        .selectFrom('survey_invitation as i')
        .innerJoin('unit as u', 'u.id', 'i.unit_id')
        .select(['i.unit_id', 'u.code', 'u.name_vi', 'u.name_en', (eb) => eb.fn.countAll<string>().as('n')])
        .where('i.survey_id', '=', id)
        .groupBy(['i.unit_id', 'u.code', 'u.name_vi', 'u.name_en'])
        .orderBy('u.code')
        .execute(),
      this.db.selectFrom('survey_response').select(['unit_id', 'answers']).where('survey_id', '=', id).execute(),
    ]);
    const f = surveyFigures(
      q,
      new Map(invited.map((r) => [r.unit_id, Number(r.n)])),
      responses.map((r) => ({ unitId: r.unit_id, answers: r.answers as Answers })),
    );
    const names = new Map(invited.map((r) => [r.unit_id, { code: r.code, name: { vi: r.name_vi, en: r.name_en } }]));
    const hide = (x: Figures) => opts.publicView && x.responded < MIN_PUBLIC_RESPONSES;
    return {
      survey: {
        id: s.id,
        title: s.title,
        phase,
        opensAt: s.opens_at.toISOString(),
        closesAt: s.closes_at.toISOString(),
        seed: s.seed,
        population: s.population,
      },
      questionnaire: q,
      overall: { ...f.overall, suppressed: hide(f.overall) },
      units: f.units.map((u): UnitFigures => ({ ...u, unit: names.get(u.unitId)!, suppressed: hide(u) })),
    };
  }
}

export type SurveyResults = Awaited<ReturnType<SurveyResponses['results']>>;

/** One CSV / open-data row; a suppressed group keeps its counts and loses its scores. */
export function resultRow(unit: { code: string; name: { vi: string; en: string } } | null, f: Figures & { suppressed: boolean }) {
  const hidden = f.suppressed;
  const row: Record<string, string | number | boolean | null> = {
    unitCode: unit?.code ?? 'all',
    unitNameVi: unit?.name.vi ?? 'Tất cả',
    unitNameEn: unit?.name.en ?? 'All',
    invited: f.invited,
    responded: f.responded,
    responseRate: f.responseRate,
    suppressed: hidden,
    sipasIndex: hidden ? null : f.sipasIndex,
    overallMean: hidden ? null : f.overall.mean,
    overallSatisfiedShare: hidden ? null : f.overall.satisfiedShare,
  };
  for (const x of f.factors) {
    row[`${x.key}Mean`] = hidden ? null : x.satisfaction.mean;
    row[`${x.key}SatisfiedShare`] = hidden ? null : x.satisfaction.satisfiedShare;
    row[`${x.key}Answers`] = hidden ? null : x.satisfaction.answers;
  }
  return row;
}
