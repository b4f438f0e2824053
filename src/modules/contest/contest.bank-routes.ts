import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { readMultipart } from '../../web/multipart.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import {
  BankQuestionView,
  ExportQuery,
  GenerateBody,
  GenerateResult,
  ImportReport,
  PoolSummary,
  QuestionPreview,
  QuestionsQuery,
  RetireResult,
} from './contest.bank-schema.js';
import { exportFile } from './contest.import.js';
import { templateFile } from './contest.template.js';
import { CreateQuestionBody, IdParams } from './contest.schema.js';

const tags = ['contest'];
const ADMIN = policies.official('city_admin');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function sendSheet(reply: FastifyReply, bytes: Buffer, format: 'xlsx' | 'csv', name: string) {
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .send(bytes);
}

/** The question bank API (city admin): list, preview, edit, approve, retire, import, export, generator. */
export async function contestBankRoutes(app: App) {
  const { contestBank, contestImports, contestGenerator } = app.services;
  const base = '/api/v1/contest';

  app.get(`${base}/contests/:id/pools`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'The contest’s pools with their number of draft, active and retired questions',
      params: IdParams,
      response: { 200: Type.Array(PoolSummary) },
    },
    handler: async (req) => contestBank.pools(req.params.id),
  });

  app.get(`${base}/contests/:id/questions`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'The contest’s questions with their key (filter by pool and status)',
      params: IdParams,
      querystring: QuestionsQuery,
      response: { 200: Type.Array(BankQuestionView) },
    },
    handler: async (req) => contestBank.questions(req.params.id, req.query),
  });

  app.get(`${base}/questions/:id`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'One question with its key and explanation', params: IdParams, response: { 200: BankQuestionView } },
    handler: async (req) => contestBank.question(req.params.id),
  });

  app.get(`${base}/questions/:id/preview`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'The question as a participant gets it: shuffled options, no key',
      params: IdParams,
      response: { 200: QuestionPreview },
    },
    handler: async (req) => contestBank.preview(req.params.id),
  });

  app.put(`${base}/questions/:id`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Replace a question’s text, options, key and explanation (refused once it has been drawn)',
      params: IdParams,
      body: CreateQuestionBody,
      response: { 200: BankQuestionView },
    },
    handler: async (req) => contestBank.update(req.actor!, req.params.id, req.body, auditContext(req)),
  });

  app.post(`${base}/questions/:id/approve`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Approve a draft: it becomes active and can be drawn', params: IdParams, response: { 200: BankQuestionView } },
    handler: async (req) => contestBank.approve(req.actor!, req.params.id, auditContext(req)),
  });

  app.post(`${base}/questions/:id/retire`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Take a question out of the bank: deleted if never drawn, otherwise kept as retired',
      params: IdParams,
      response: { 200: RetireResult },
    },
    handler: async (req) => contestBank.retire(req.actor!, req.params.id, auditContext(req)),
  });

  app.post(`${base}/pools/:id/generate`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Draft questions from catalogue facts (time limit, fee, office, service level) for the admin to review',
      params: IdParams,
      body: GenerateBody,
      response: { 201: GenerateResult },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await contestGenerator.generate(req.actor!, req.params.id, req.body, auditContext(req))),
  });

  app.post(`${base}/contests/:id/imports`, {
    config: { policy: ADMIN, multipart: true },
    schema: {
      tags,
      summary: 'Upload questions (xlsx or CSV, multipart field "file"): returns the validation report; nothing is written yet',
      consumes: ['multipart/form-data'],
      params: IdParams,
      response: { 201: ImportReport },
    },
    handler: async (req, reply) => {
      const { file } = await readMultipart(app, req, reply, req.actor?.via !== 'token');
      if (!file) throw new AppError('file_required');
      return reply.status(201).send(await contestImports.upload(req.actor!, req.params.id, file, auditContext(req)));
    },
  });

  app.get(`${base}/imports/:id`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'An import’s validation report', params: IdParams, response: { 200: ImportReport } },
    handler: async (req) => contestImports.report(req.params.id),
  });

  app.post(`${base}/imports/:id/confirm`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Write every row of a valid import (all or nothing)', params: IdParams, response: { 200: ImportReport } },
    handler: async (req) => contestImports.confirm(req.actor!, req.params.id, auditContext(req)),
  });

  app.get(`${base}/contests/:id/questions/export`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'The bank (draft and active questions) in the import format, xlsx (default) or CSV',
      params: IdParams,
      querystring: ExportQuery,
    },
    handler: async (req, reply) => {
      const format = req.query.format ?? 'xlsx';
      const bytes = await exportFile(await contestBank.questions(req.params.id, {}), format);
      return sendSheet(reply, bytes, format, `contest-${req.params.id}-questions`);
    },
  });

  app.get(`${base}/questions/template`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'An empty question file with the columns explained (xlsx, or CSV with ?format=csv)',
      querystring: ExportQuery,
    },
    handler: async (req, reply) => {
      const format = req.query.format ?? 'xlsx';
      return sendSheet(reply, await templateFile(format, req.locale), format, 'contest-questions-template');
    },
  });
}
