import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { MAX_SAMPLE, type CreateSurveyInput } from './surveys.schema.js';
import { PublicResultsPage, SurveyPage, SurveysPage, PublicListPage, type CreateForm } from './surveys.views.js';
import { PreviewPage, RespondPage, type RespondData } from './surveys.respond-view.js';

const ADMIN = { policy: policies.official('city_admin') };
const PUBLIC = { policy: policies.public };

/** Codes the respondent's form shows in place (the page itself stays); anything else is an error page. */
const RESPOND_CODES = new Set([
  'survey_answer_required',
  'survey_answer_out_of_range',
  'survey_answer_unknown',
  'survey_closed',
  'survey_not_open',
  'survey_already_answered',
]);
const ADMIN_CODES = new Set([
  'survey_sample_size_invalid',
  'survey_window_invalid',
  'survey_not_draft',
  'survey_not_launched',
  'survey_no_applicants',
  'survey_closed',
  'unit_not_found',
  'invalid_date',
  'validation_failed',
]);

/** "2026-12-01T08:00" typed in a datetime-local field means Vietnam time. */
const vnInstant = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local);
const vnLocal = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16);

function list(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 500);
}

/** The posted form's answers: every field but the CSRF token, as text or a list of texts. */
function formAnswers(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v.slice(0, 5000);
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').slice(0, 20);
  }
  return out;
}

export async function surveyPageRoutes(app: App) {
  const { surveys, surveyResponses } = app.services;

  const respondData = async (token: string, values: Record<string, unknown>, locale: 'vi' | 'en', done: boolean): Promise<RespondData> => {
    const inv = await surveyResponses.invitation(token);
    const state: RespondData['state'] = inv.responded_at
      ? done
        ? 'thanks'
        : 'answered'
      : inv.phase === 'scheduled'
        ? 'scheduled'
        : inv.phase === 'closed'
          ? 'closed'
          : 'form';
    return {
      token,
      title: inv.title,
      procedure: locale === 'en' ? inv.name_en : inv.name_vi,
      unit: locale === 'en' ? inv.unit_en : inv.unit_vi,
      opensAt: inv.opens_at,
      closesAt: inv.closes_at,
      q: inv.questionnaire,
      state,
      values,
    };
  };

  app.get('/survey/:token', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const token = formText(req.params, 'token', 100);
    const d = await respondData(token, {}, req.locale, formText(req.query, 'done', 1) === '1');
    return renderHtml(reply, <RespondPage ctx={pageContext(req, reply)} d={d} />);
  });

  app.post('/survey/:token', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const token = formText(req.params, 'token', 100);
    const values = formAnswers(req.body);
    try {
      await surveyResponses.respond(token, values);
    } catch (e) {
      if (!(e instanceof AppError) || !RESPOND_CODES.has(e.code)) throw e;
      const d = await respondData(token, values, req.locale, false);
      const key = typeof e.params.question === 'string' ? e.params.question : undefined;
      reply.status(e.code.startsWith('survey_answer') ? 400 : 409);
      return renderHtml(
        reply,
        <RespondPage ctx={pageContext(req, reply)} d={{ ...d, error: { code: `err.${e.code}` as MessageKey, key } }} />,
      );
    }
    return reply.redirect(`/survey/${token}?done=1`, 303);
  });

  const listPage = async (req: FastifyRequest, reply: FastifyReply, form: CreateForm, error?: AppError) => {
    const [all, units] = await Promise.all([surveys.list(req.actor!), surveys.unitsWithReturns()]);
    const err = error ? { message: `err.${error.code}` as MessageKey, params: error.params } : undefined;
    return renderHtml(reply, <SurveysPage ctx={pageContext(req, reply)} surveys={all} units={units} form={form} error={err} />);
  };

  app.get('/admin/surveys', { config: ADMIN, schema: { hide: true } }, async (req, reply) => {
    const now = new Date();
    return listPage(req, reply, {
      title: '',
      units: [],
      sampleMode: 'per_unit',
      sampleSize: '100',
      opensAt: vnLocal(now),
      closesAt: vnLocal(new Date(now.getTime() + 30 * 86_400_000)),
    });
  });

  app.post('/admin/surveys', { config: ADMIN, schema: { hide: true } }, async (req, reply) => {
    const form: CreateForm = {
      title: formText(req.body, 'title', 200),
      units: list(req.body, 'units'),
      sampleMode: formText(req.body, 'sampleMode', 10),
      sampleSize: formText(req.body, 'sampleSize', 12),
      opensAt: formText(req.body, 'opensAt', 40),
      closesAt: formText(req.body, 'closesAt', 40),
    };
    try {
      const size = /^-?\d{1,9}$/.test(form.sampleSize.trim()) ? Number(form.sampleSize) : NaN;
      if (!form.title.trim() || (form.sampleMode !== 'per_unit' && form.sampleMode !== 'total')) throw new AppError('validation_failed');
      if (Number.isNaN(size)) throw new AppError('survey_sample_size_invalid', { max: MAX_SAMPLE });
      const input: CreateSurveyInput = {
        title: form.title,
        units: form.units,
        sampleMode: form.sampleMode,
        sampleSize: size,
        opensAt: vnInstant(form.opensAt),
        closesAt: vnInstant(form.closesAt),
      };
      const s = await surveys.create(req.actor!, input, auditContext(req));
      return reply.redirect(`/admin/surveys/${s.id}?done=created`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || !ADMIN_CODES.has(e.code)) throw e;
      reply.status(e.code === 'unit_not_found' ? 404 : 400);
      return listPage(req, reply, form, e);
    }
  });

  app.get('/admin/surveys/preview', { config: ADMIN, schema: { hide: true } }, async (req, reply) =>
    renderHtml(reply, <PreviewPage ctx={pageContext(req, reply)} q={surveys.questionnaire} />),
  );

  const surveyPage = async (req: FastifyRequest, reply: FastifyReply, id: number, notice: MessageKey | null, error?: AppError) => {
    const s = await surveys.view(req.actor!, id);
    const results = s.phase === 'draft' ? null : await surveyResponses.results(id, { publicView: false });
    const err = error ? { message: `err.${error.code}` as MessageKey, params: error.params } : undefined;
    return renderHtml(reply, <SurveyPage ctx={pageContext(req, reply)} s={s} results={results} notice={notice} error={err} />);
  };
  const NOTICES: Record<string, MessageKey> = { created: 'surveys.created', launched: 'surveys.launched', closed: 'surveys.closedDone' };

  app.get('/admin/surveys/:id', { config: ADMIN, schema: { hide: true } }, async (req, reply) =>
    surveyPage(req, reply, idParam(req.params), NOTICES[formText(req.query, 'done', 10)] ?? null),
  );

  for (const action of ['launch', 'close'] as const) {
    app.post(`/admin/surveys/:id/${action}`, { config: ADMIN, schema: { hide: true } }, async (req, reply) => {
      const id = idParam(req.params);
      try {
        await (action === 'launch' ? surveys.launch(req.actor!, id, auditContext(req)) : surveys.close(req.actor!, id, auditContext(req)));
      } catch (e) {
        if (!(e instanceof AppError) || !ADMIN_CODES.has(e.code)) throw e;
        reply.status(409);
        return surveyPage(req, reply, id, null, e);
      }
      return reply.redirect(`/admin/surveys/${id}?done=${action === 'launch' ? 'launched' : 'closed'}`, 303);
    });
  }

  app.get('/statistics/surveys', { config: PUBLIC, schema: { hide: true } }, async (req, reply) =>
    renderHtml(reply, <PublicListPage ctx={pageContext(req, reply)} rows={await surveyResponses.closed()} />),
  );

  app.get('/statistics/surveys/:id', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const r = await surveyResponses.results(idParam(req.params), { publicView: true });
    return renderHtml(reply, <PublicResultsPage ctx={pageContext(req, reply)} r={r} />);
  });
}
