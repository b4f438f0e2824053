import { Type } from '@sinclair/typebox';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { scopes } from '../auth/scopes.js';
import { FaqDetail, FaqIdParams, FaqInput, FaqOfficialQuery, FaqOfficialRow, FaqPage, FaqSearchQuery, FaqSource } from './faq.schema.js';

const tags = ['faq'];
const EDITORS = policies.official('leader', 'unit_admin', 'city_admin');
/** Bumped only when a column changes meaning or disappears; new columns may be added at the end. */
export const FAQ_OPEN_DATA_VERSION = 1;
export const FAQ_OPEN_DATA_COLUMNS = [
  'id',
  'questionVi',
  'questionEn',
  'answerVi',
  'answerEn',
  'unitCode',
  'unitNameVi',
  'unitNameEn',
  'fieldCode',
  'procedureCodes',
  'needsConfirmation',
  'confirmationNote',
  'source',
  'publishedAt',
  'updatedAt',
  'viewCount',
  'url',
] as const;

export async function faqApiRoutes(app: App) {
  const { faq } = app.services;

  app.get('/api/v1/faq', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Search the published questions and answers (with or without diacritics), by unit (with its subtree), field or procedure',
      querystring: FaqSearchQuery,
      response: { 200: FaqPage },
    },
    handler: async (req) => faq.search(req.query),
  });

  app.get('/api/v1/faq/:id', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'A published question with its answer and linked procedures',
      params: FaqIdParams,
      response: { 200: FaqDetail },
    },
    handler: async (req) => faq.publicDetail(req.params.id, false),
  });

  app.get('/api/v1/work/faq', {
    config: { policy: EDITORS },
    schema: {
      tags,
      summary: "Entries of the caller's units in every status (leaders, unit administrators, city administrators)",
      querystring: FaqOfficialQuery,
      response: {
        200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), rows: Type.Array(FaqOfficialRow) }),
      },
    },
    handler: async (req) => faq.officialList(req.actor!, req.query),
  });

  app.post('/api/v1/work/faq', {
    config: { policy: EDITORS, scope: scopes.unit('unit', 'body') },
    schema: {
      tags,
      summary: 'Write a new entry (a draft) for a unit in scope',
      body: FaqInput,
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
    handler: async (req, reply) => reply.status(201).send({ id: await faq.create(req.actor!, req.body, auditContext(req)) }),
  });

  app.get('/api/v1/work/faq/:id', {
    config: { policy: EDITORS },
    schema: {
      tags,
      summary: 'An entry in any status, with its source',
      params: FaqIdParams,
      response: {
        200: Type.Composite([FaqDetail, Type.Object({ source: FaqSource, sourceRef: Type.Union([Type.String(), Type.Null()]) })]),
      },
    },
    handler: async (req) => {
      const { unitPath: _p, ...d } = await faq.officialDetail(req.actor!, req.params.id);
      return d;
    },
  });

  app.put('/api/v1/work/faq/:id', {
    config: { policy: EDITORS },
    schema: {
      tags,
      summary: 'Replace the text, unit, field and linked procedures of an entry (its status is kept)',
      params: FaqIdParams,
      body: FaqInput,
    },
    handler: async (req, reply) => {
      await faq.update(req.actor!, req.params.id, req.body, auditContext(req));
      return reply.status(204).send();
    },
  });

  for (const [action, to] of [
    ['publish', 'published'],
    ['archive', 'archived'],
  ] as const) {
    app.post(`/api/v1/work/faq/:id/${action}`, {
      config: { policy: EDITORS },
      schema: {
        tags,
        summary: action === 'publish' ? 'Publish an entry (draft or archived)' : 'Archive an entry (take it off the public pages)',
        params: FaqIdParams,
      },
      handler: async (req, reply) => {
        await faq.setStatus(req.actor!, req.params.id, to, auditContext(req));
        return reply.status(204).send();
      },
    });
  }

  app.post('/api/v1/work/faq/:id/confirm', {
    config: { policy: EDITORS },
    schema: {
      tags,
      summary: 'The unit confirms the answer against the rules in force: the "being confirmed" notice goes away',
      params: FaqIdParams,
    },
    handler: async (req, reply) => {
      await faq.confirm(req.actor!, req.params.id, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/open-data/faq.json', {
    config: { policy: policies.public },
    schema: { tags: ['open data', 'faq'], summary: `Every published question and answer (schemaVersion ${FAQ_OPEN_DATA_VERSION})` },
    handler: async () => {
      const rows = await faq.openData();
      return {
        schemaVersion: FAQ_OPEN_DATA_VERSION,
        generatedAt: new Date().toISOString(),
        columns: FAQ_OPEN_DATA_COLUMNS,
        rows: rows.map((r) => ({
          id: r.id,
          questionVi: r.question_vi,
          questionEn: r.question_en,
          answerVi: r.answer_vi,
          answerEn: r.answer_en,
          unitCode: r.unit_code,
          unitNameVi: r.unit_vi,
          unitNameEn: r.unit_en,
          fieldCode: r.field_code,
          procedureCodes: r.procedure_codes ?? [],
          needsConfirmation: r.needs_confirmation,
          confirmationNote: r.confirmation_note,
          source: r.source,
          publishedAt: r.published_at?.toISOString() ?? null,
          updatedAt: r.updated_at.toISOString(),
          viewCount: r.view_count,
          url: `${app.config.baseUrl}/faq/${r.id}`,
        })),
      };
    },
  });
}
