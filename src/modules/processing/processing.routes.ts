import { Type } from '@sinclair/typebox';
import { AppError } from '../../lib/errors.js';
import { sendStoredFile } from '../../web/download.js';
import { readMultipart } from '../../web/multipart.js';
import { attachWorkDocument } from './work-documents.js';
import { parseInstant } from '../calendar/calendar.service.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { DossierParams } from '../dossiers/dossier.schema.js';
import { controlSheet } from './control-sheet.js';
import { apologize } from './lateness.js';
import { ActBodySchema, ApologyBody, AssignBody, QueueQuery, WithdrawalBody } from './processing.schema.js';
import { withdrawalRoutesNote } from './processing.text.js';
import { requestWithdrawal } from './withdrawal.js';
import { assign, workQueue } from './work-queue.js';

const tags = ['processing'];
const WORKERS = policies.official('desk_officer', 'specialist', 'leader');
const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function processingApiRoutes(app: App) {
  const { processing, dossiers, calendar } = app.services;

  app.get('/api/v1/work/queue', {
    config: { policy: WORKERS },
    schema: {
      tags,
      summary: 'The work queue of the caller’s unit: open dossiers waiting for their role, by appointment',
      querystring: QueueQuery,
    },
    handler: async (req) => {
      const q = await workQueue(dossiers.db, req.actor!, req.query);
      return {
        unit: q.unit.unitCode,
        page: q.page,
        total: q.total,
        capped: q.capped,
        overdue: q.overdue,
        dueSoon: q.dueSoon,
        items: q.rows.map((r) => ({
          id: r.id,
          code: r.code,
          status: r.status,
          channel: r.channel,
          procedure: r.procedure_code,
          stepRole: r.step_role,
          stepName: r.stepName,
          assigneeId: r.assignee_id,
          receivedAt: iso(r.received_at),
          dueAt: iso(r.due_at),
          stepDueAt: iso(r.step_due_at),
          overdue: r.overdue,
          dueSoon: r.dueSoon,
          revision: r.revision,
        })),
      };
    },
  });

  app.post('/api/v1/work/assign', {
    config: { policy: policies.official('leader') },
    schema: { tags, summary: 'A leader assigns (or with null unassigns) dossiers at the specialist step of their unit', body: AssignBody },
    handler: async (req) => assign(dossiers.db, req.actor!, req.body.unit, req.body.ids, req.body.assigneeId),
  });

  app.post('/api/v1/dossiers/:id/actions', {
    config: { policy: WORKERS },
    schema: {
      tags,
      summary: 'A processing action on a received dossier; `revision` must be the one read (409 dossier_conflict otherwise)',
      params: DossierParams,
      body: ActBodySchema,
    },
    handler: async (req) => processing.act(req.actor!, req.params.id, req.body),
  });

  app.post('/api/v1/dossiers/:id/apology', {
    config: { policy: WORKERS },
    schema: {
      tags,
      summary: 'Form 04: apology and one new appointment, before the appointment passes',
      params: DossierParams,
      body: ApologyBody,
    },
    handler: async (req) => {
      const r = await apologize(dossiers, req.actor!, req.params.id, req.body.revision, req.body.reason, parseInstant(req.body.newDueAt));
      return { dueAt: r.dueAt.toISOString(), revision: r.revision };
    },
  });

  app.post('/api/v1/dossiers/:id/withdrawal', {
    config: { policy: policies.citizen },
    schema: { tags, summary: withdrawalRoutesNote, params: DossierParams, body: WithdrawalBody },
    handler: async (req) => requestWithdrawal(dossiers, req.actor!, req.params.id, req.body.revision, req.body.reason),
  });

  app.get('/api/v1/dossiers/:id/control-sheet', {
    config: { policy: policies.official('desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin') },
    schema: {
      tags,
      summary: 'Form 05: every hand-over with its time, rated early / on time / late against the step allowance',
      params: DossierParams,
    },
    handler: async (req) => {
      const d = await processing.load(req.actor!, req.params.id);
      const sheet = await controlSheet(dossiers.db, d, await calendar.calendar());
      return {
        code: d.code,
        receivedAt: iso(sheet.receivedAt),
        dueAt: iso(sheet.dueAt),
        originalDueAt: iso(sheet.originalDueAt),
        finishedAt: iso(sheet.finishedAt),
        returnedAt: iso(sheet.returnedAt),
        rating: sheet.rating,
        lines: sheet.lines.map((l) => ({
          ...l,
          startedAt: l.startedAt.toISOString(),
          dueAt: iso(l.dueAt),
          finishedAt: iso(l.finishedAt),
        })),
      };
    },
  });

  app.post('/api/v1/dossiers/:id/work-documents', {
    config: { policy: WORKERS, multipart: true },
    schema: {
      tags,
      summary: 'An official attaches a document (PDF, JPEG, PNG) while working the current step (multipart, field `file`)',
      params: DossierParams,
    },
    handler: async (req, reply) => {
      const { file } = await readMultipart(app, req, reply, req.actor?.via !== 'token');
      if (!file || file.bytes.length === 0) throw new AppError('file_empty');
      return reply.status(201).send({ id: await attachWorkDocument(dossiers, req.actor!, req.params.id, file) });
    },
  });

  app.get('/api/v1/dossiers/:id/result', {
    config: { policy: policies.authenticated },
    schema: {
      tags,
      summary: 'The signed result PDF; the applicant’s download of a ready electronic result is its online return (status 10)',
      params: DossierParams,
      response: { 200: Type.Any() },
    },
    handler: async (req, reply) => {
      const f = await processing.resultFile(req.actor!, req.params.id);
      return sendStoredFile(reply, f.bytes, `${f.kind === 'approval' ? 'ket-qua' : 'tu-choi'}-${f.code}.pdf`);
    },
  });
}
