import { Type } from '@sinclair/typebox';
import { AppError } from '../../lib/errors.js';
import { checkUpload } from '../../lib/storage.js';
import { readItemUpload, readMultipart } from '../../web/multipart.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { listInbox, markRead, unreadCount } from '../notify/inbox.repo.js';
import { DossierCode, DossierParams, DossierView, NewDossierBody, SubmitBody, UpdateDraftBody } from './dossier.schema.js';

const tags = ['dossiers'];
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{8,100}$/;
const Created = Type.Object({
  id: Type.Integer(),
  code: Type.Union([Type.Null(), Type.String()]),
  created: Type.Boolean(),
  expectedDueAt: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' })])),
});

export async function dossierApiRoutes(app: App) {
  const { dossiers, files } = app.services;

  app.post('/api/v1/files', {
    config: { policy: policies.authenticated, multipart: true },
    schema: {
      tags,
      summary: 'Upload a document (multipart field "file"; PDF, JPEG or PNG); returns its content hash to reference when submitting',
      consumes: ['multipart/form-data'],
      response: { 201: Type.Object({ sha256: Type.String(), mediaType: Type.String(), size: Type.Integer() }) },
    },
    handler: async (req, reply) => {
      const { file } = await readMultipart(app, req, reply, req.actor?.via !== 'token');
      if (!file) throw new AppError('file_empty');
      const { mediaType } = checkUpload(file.bytes, file.fileName, file.mimeType, app.config.uploadMaxBytes);
      const sha256 = await files.put(file.bytes);
      await dossiers.db
        .insertInto('stored_file')
        .values({ sha256, size: file.bytes.length, media_type: mediaType })
        // The retention of never-attached uploads counts from the last upload of the same bytes.
        .onConflict((oc) => oc.column('sha256').doUpdateSet({ created_at: new Date() }))
        .execute();
      return reply.status(201).send({ sha256, mediaType, size: file.bytes.length });
    },
  });

  app.post('/api/v1/dossiers', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Create a dossier: a draft, or submitted at once with "submit": true. Idempotency-Key makes retries safe.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      body: NewDossierBody,
      response: { 200: Created, 201: Created },
    },
    handler: async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) throw new AppError('idempotency_key_invalid');
      const r = await dossiers.submitNew(req.actor!, req.body, key ?? null);
      return reply.status(r.created ? 201 : 200).send({ ...r, expectedDueAt: r.expectedDueAt?.toISOString() ?? null });
    },
  });

  app.get('/api/v1/dossiers/:id', {
    config: { policy: policies.authenticated },
    schema: {
      tags,
      summary: 'A dossier, for its applicant or an official of its unit subtree',
      params: DossierParams,
      response: { 200: DossierView },
    },
    handler: async (req) => dossiers.view(req.actor, req.params.id),
  });

  app.patch('/api/v1/dossiers/:id', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Save a draft (answers are kept even when not yet valid; problems are listed)',
      params: DossierParams,
      body: UpdateDraftBody,
      response: { 200: Type.Object({ errors: Type.Record(Type.String(), Type.String()) }) },
    },
    handler: async (req) => dossiers.saveDraft(req.actor!, req.params.id, req.body),
  });

  app.post('/api/v1/dossiers/:id/documents', {
    config: { policy: policies.citizen, multipart: true },
    schema: {
      tags,
      summary: 'Attach a document to a draft or to an open supplement request (multipart: "item", then "file")',
      params: DossierParams,
      consumes: ['multipart/form-data'],
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
    handler: async (req, reply) => {
      const { item, file } = await readItemUpload(app, req, reply, req.actor?.via !== 'token');
      return reply.status(201).send({ id: await dossiers.attach(req.actor!, req.params.id, item, file) });
    },
  });

  app.post('/api/v1/dossiers/:id/submit', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Submit a draft (a repeat returns the same dossier)',
      params: DossierParams,
      body: SubmitBody,
      response: { 200: Created },
    },
    handler: async (req) => dossiers.submit(req.actor!, req.params.id, req.body.declaration),
  });

  app.post('/api/v1/dossiers/:id/supplement', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Tell the desk the requested supplement is complete (after attaching the documents)',
      params: DossierParams,
      body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
    handler: async (req, reply) => {
      await dossiers.provideSupplement(req.actor!, req.params.id, req.body.note?.trim() || null);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/dossiers/claim', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Take a dossier filed for you (by a relative or at the desk) into your account; your citizen ID must match',
      body: Type.Object({ code: DossierCode }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer() }) },
    },
    handler: async (req) => ({ id: await dossiers.claim(req.actor!, req.body.code) }),
  });

  app.get('/api/v1/me/notifications', {
    config: { policy: policies.authenticated },
    schema: {
      tags,
      summary: 'The in-app inbox, newest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        // Bounded: an offset beyond bigint (1e21) failed in the database as a 500.
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
      }),
      response: {
        200: Type.Object({
          unread: Type.Integer(),
          items: Type.Array(
            Type.Object({
              id: Type.Integer(),
              dossierId: Type.Union([Type.Null(), Type.Integer()]),
              subject: Type.String(),
              body: Type.String(),
              createdAt: Type.String(),
              read: Type.Boolean(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const id = req.actor!.accountId;
      const items = await listInbox(dossiers.db, id, { limit: req.query.limit ?? 20, offset: req.query.offset ?? 0 });
      return {
        unread: await unreadCount(dossiers.db, id),
        items: items.map((i) => ({
          id: i.id,
          dossierId: i.dossierId,
          subject: i.subject,
          body: i.body,
          createdAt: i.createdAt.toISOString(),
          read: i.readAt !== null,
        })),
      };
    },
  });

  app.post('/api/v1/me/notifications/:id/read', {
    config: { policy: policies.authenticated },
    schema: { tags, summary: 'Mark a message read', params: DossierParams, response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      if (!(await markRead(dossiers.db, req.actor!.accountId, req.params.id))) throw new AppError('not_found');
      return reply.status(204).send(null);
    },
  });
}
