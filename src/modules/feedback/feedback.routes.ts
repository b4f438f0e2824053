import { Type } from '@sinclair/typebox';
import { AppError } from '../../lib/errors.js';
import { readMultipart } from '../../web/multipart.js';
import { auditContext, type App } from '../../web/request-context.js';
import { loginRateLimit } from '../auth/auth.routes.js';
import { policies } from '../auth/policy.js';
import { FAQ_EDITORS } from '../faq/faq.service.js';
import { act, queue, WORKERS } from './feedback.actions.js';
import { toFaq } from './feedback.faq.js';
import {
  ActionBody,
  AuthorView,
  FeedbackCode,
  FiguresQuery,
  KeyBody,
  PublicItem,
  PublicList,
  PublicListQuery,
  QueueItem,
  RateBody,
  ReopenBody,
  ReplyBody,
  SubmitBody,
  Submitted,
  ToFaqBody,
  ToFaqResult,
} from './feedback.schema.js';

const tags = ['feedback'];
const CodeParams = Type.Object({ code: FeedbackCode });
/** Bumped only when a column changes meaning or disappears; new columns may be added at the end. */
export const FEEDBACK_OPEN_DATA_VERSION = 1;

export async function feedbackApiRoutes(app: App) {
  const { feedback, faq } = app.services;
  // The follow secret is long and random; the limit is there for symmetry with the other lookups.
  const guarded = () => ({ policy: policies.public, rateLimit: loginRateLimit(app) });

  app.post('/api/v1/feedback', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Submit feedback or a question (anonymous allowed, with a phone number or an e-mail address)',
      body: SubmitBody,
      response: { 201: Submitted },
    },
    handler: async (req, reply) => reply.status(201).send(await feedback.submit(req.body, req.actor)),
  });

  app.get('/api/v1/feedback', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Published feedback with its answer (personal data redacted); search without diacritics',
      querystring: PublicListQuery,
      response: { 200: PublicList },
    },
    handler: async (req) => feedback.publicList(req.query),
  });

  app.get('/api/v1/feedback/queue', {
    config: { policy: policies.official(...WORKERS) },
    schema: { tags, summary: 'Open feedback in the units the caller works, most urgent first', response: { 200: Type.Array(QueueItem) } },
    handler: async (req) => queue(feedback, req.actor!),
  });

  app.get('/api/v1/feedback/:code', {
    config: { policy: policies.public },
    schema: { tags, summary: 'One published item', params: CodeParams, response: { 200: PublicItem } },
    handler: async (req) => feedback.publicItem(req.params.code),
  });

  app.post('/api/v1/feedback/:code/track', {
    config: guarded(),
    schema: {
      tags,
      summary: "The author's view (code + secret key from the follow link)",
      params: CodeParams,
      body: KeyBody,
      response: { 200: AuthorView },
    },
    handler: async (req) => feedback.authorView(req.params.code, req.body.key),
  });

  app.post('/api/v1/feedback/:code/reply', {
    config: guarded(),
    schema: {
      tags,
      summary: 'The author gives the information asked for; the answer clock runs again',
      params: CodeParams,
      body: ReplyBody,
    },
    handler: async (req, reply) => {
      await feedback.reply(req.params.code, req.body.key, req.body.text);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/feedback/:code/rate', {
    config: guarded(),
    schema: { tags, summary: 'The author rates the published answer, once per answer', params: CodeParams, body: RateBody },
    handler: async (req, reply) => {
      await feedback.rate(req.params.code, req.body.key, req.body.rating);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/feedback/:code/reopen', {
    config: guarded(),
    schema: {
      tags,
      summary: 'The author reopens the answered item, once; a new 15-working-day deadline',
      params: CodeParams,
      body: ReopenBody,
    },
    handler: async (req, reply) => {
      await feedback.reopen(req.params.code, req.body.key, req.body.reason);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/feedback/:code/attachments', {
    config: { ...guarded(), multipart: true },
    schema: {
      tags,
      summary: 'The author adds a file (multipart: field "key" first, then "file"; PDF, JPEG or PNG; at most 5)',
      params: CodeParams,
      consumes: ['multipart/form-data'],
    },
    handler: async (req, reply) => {
      const { fields, file } = await readMultipart(app, req, reply, !!req.actor && req.actor.via !== 'token');
      if (!file || file.bytes.length === 0) throw new AppError('file_empty');
      await feedback.attach(req.params.code, fields.key ?? '', file);
      return reply.status(201).send({ ok: true });
    },
  });

  app.post('/api/v1/feedback/:code/actions', {
    config: { policy: policies.official(...WORKERS) },
    schema: {
      tags,
      summary: 'An official action: transfer, reject, request_info, answer (template or text, submit), approve, return',
      params: CodeParams,
      body: ActionBody,
    },
    handler: async (req, reply) => {
      await act(feedback, req.actor!, auditContext(req), req.params.code, req.body);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/feedback/:code/faq', {
    config: { policy: policies.official(...FAQ_EDITORS) },
    schema: {
      tags,
      summary: 'Turn a published item into a draft FAQ entry (its redacted texts and procedure unless given); again returns the same entry',
      params: CodeParams,
      body: ToFaqBody,
      response: { 200: ToFaqResult, 201: ToFaqResult },
    },
    handler: async (req, reply) => {
      const r = await toFaq(feedback.db, faq, req.actor!, auditContext(req), req.params.code, req.body);
      return reply.status(r.created ? 201 : 200).send(r);
    },
  });

  app.get('/api/v1/reports/feedback', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'On-time answering of feedback per unit (the unit and its subtree) for the days from..to',
      querystring: FiguresQuery,
    },
    handler: async (req) => {
      const unit = await feedback.db
        .selectFrom('unit')
        .select(['code', 'path', 'name_vi', 'name_en'])
        .where('code', '=', req.query.unit)
        .executeTakeFirst();
      if (!unit) throw new AppError('unit_not_found');
      const figures = await feedback.figures({ unitPath: unit.path, from: req.query.from, to: req.query.to });
      return {
        unit: { code: unit.code, name: { vi: unit.name_vi, en: unit.name_en } },
        period: { from: req.query.from, to: req.query.to },
        ...figures,
      };
    },
  });

  app.get('/api/v1/open-data/feedback.json', {
    config: { policy: policies.public },
    schema: {
      tags: ['open data', ...tags],
      summary: 'Published feedback: unit, kind, dates, answered on time (no texts, no personal data)',
    },
    handler: async () => ({
      schemaVersion: FEEDBACK_OPEN_DATA_VERSION,
      generatedAt: new Date().toISOString(),
      items: await feedback.openData(),
    }),
  });
}
