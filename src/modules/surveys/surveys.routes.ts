import { Type } from '@sinclair/typebox';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { openDataCsv } from '../stats/stats.export.js';
import { CreateSurveyBody, RESULT_COLUMNS, ResponseBody, SurveyIdParams, SurveyView } from './surveys.schema.js';
import { resultRow, type SurveyResults } from './surveys.responses.js';

const tags = ['surveys'];
const ADMIN = policies.official('city_admin');
/** Bumped only when a column changes meaning or disappears; new columns may be added at the end. */
export const SURVEY_SCHEMA_VERSION = 1;

export const resultRows = (r: SurveyResults) => [resultRow(null, r.overall), ...r.units.map((u) => resultRow(u.unit, u))];

const csv = (r: SurveyResults) =>
  openDataCsv(
    resultRows(r).map((row) => ({ ...row, suppressed: row.suppressed ? 'true' : 'false' })) as Record<string, string | number | null>[],
    [...RESULT_COLUMNS],
  );

/** The survey API: city admins run surveys; respondents answer with their token; open data once closed. */
export async function surveyApiRoutes(app: App) {
  const { surveys, surveyResponses } = app.services;

  app.get('/api/v1/surveys/questionnaire', {
    config: { policy: ADMIN },
    schema: { tags, summary: 'The SIPAS questionnaire new surveys use (five factors, both languages)' },
    handler: async () => surveys.questionnaire,
  });

  app.get('/api/v1/surveys', {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Surveys, newest first', response: { 200: Type.Array(SurveyView) } },
    handler: async (req) => surveys.list(req.actor!),
  });

  app.post('/api/v1/surveys', {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Draft a survey: title, units covered, sample size, response window',
      body: CreateSurveyBody,
      response: { 201: SurveyView },
    },
    handler: async (req, reply) => reply.status(201).send(await surveys.create(req.actor!, req.body, auditContext(req))),
  });

  app.get('/api/v1/surveys/:id', {
    config: { policy: ADMIN },
    schema: { tags, summary: 'One survey with its counts', params: SurveyIdParams, response: { 200: SurveyView } },
    handler: async (req) => surveys.view(req.actor!, req.params.id),
  });

  app.post('/api/v1/surveys/:id/launch', {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Draw the random sample (stratified per unit, reproducible from the stored seed) and send the invitations',
      params: SurveyIdParams,
      response: { 200: SurveyView },
    },
    handler: async (req) => surveys.launch(req.actor!, req.params.id, auditContext(req)),
  });

  app.post('/api/v1/surveys/:id/close', {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Close the survey now (before its end date)', params: SurveyIdParams, response: { 200: SurveyView } },
    handler: async (req) => surveys.close(req.actor!, req.params.id, auditContext(req)),
  });

  app.get('/api/v1/surveys/:id/results', {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Results per unit and overall (response rate, factor scores, SIPAS-style index, distributions, expectations)',
      params: SurveyIdParams,
    },
    handler: async (req) => {
      await surveys.view(req.actor!, req.params.id);
      const r = await surveyResponses.results(req.params.id, { publicView: false });
      return { ...r, questionnaire: undefined };
    },
  });

  app.get('/api/v1/surveys/:id/results.csv', {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Results per unit and overall as CSV (same columns as the open data)', params: SurveyIdParams },
    handler: async (req, reply) => {
      await surveys.view(req.actor!, req.params.id);
      const r = await surveyResponses.results(req.params.id, { publicView: false });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="survey-${req.params.id}.csv"`)
        .send(csv(r));
    },
  });

  app.post('/api/v1/survey-responses', {
    config: { policy: policies.public },
    schema: { tags, summary: 'Answer a survey with the token from the invitation (no login; once per invitation)', body: ResponseBody },
    handler: async (req, reply) => {
      await surveyResponses.respond(req.body.token, req.body.answers);
      return reply.status(201).send({ status: 'recorded' });
    },
  });

  for (const fmt of ['json', 'csv'] as const) {
    app.get(`/api/v1/open-data/surveys/:id.${fmt}`, {
      config: { policy: policies.public },
      schema: {
        tags: ['open data'],
        summary: `Results of a closed survey as ${fmt.toUpperCase()}; units with fewer than 5 responses suppressed (schemaVersion ${SURVEY_SCHEMA_VERSION})`,
        params: SurveyIdParams,
      },
      handler: async (req, reply) => {
        const r = await surveyResponses.results(req.params.id, { publicView: true });
        if (fmt === 'csv') return reply.type('text/csv; charset=utf-8').send(csv(r));
        return {
          schemaVersion: SURVEY_SCHEMA_VERSION,
          generatedAt: new Date().toISOString(),
          survey: { id: r.survey.id, title: r.survey.title, opensAt: r.survey.opensAt, closesAt: r.survey.closesAt, seed: r.survey.seed },
          method: r.questionnaire.method,
          columns: RESULT_COLUMNS,
          rows: resultRows(r),
        };
      },
    });
  }
}
