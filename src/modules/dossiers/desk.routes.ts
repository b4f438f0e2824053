import { Type } from '@sinclair/typebox';
import { readItemUpload } from '../../web/multipart.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { AgencyCode } from '../units/units.schema.js';
import { ProcedureCode } from '../catalogue/catalogue.schema.js';
import { DESK_ROLES } from './desk.service.js';
import { ApplicantInput, DossierParams } from './dossier.schema.js';

const tags = ['one-stop desk'];
const Revision = Type.Optional(Type.Integer({ minimum: 1, description: 'The revision you saw; a change since then is a 409 conflict' }));
const Note = Type.Optional(Type.String({ maxLength: 2000 }));

const QueueItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.Integer(),
  channel: Type.Integer(),
  procedure: Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) }),
  unit: Type.String(),
  applicantName: Type.String(),
  submittedAt: Type.String(),
  revision: Type.Integer(),
});

export async function deskApiRoutes(app: App) {
  const { desk } = app.services;
  const policy = policies.official(...DESK_ROLES);

  app.get('/api/v1/desk/queue', {
    config: { policy },
    schema: {
      tags,
      summary: 'Dossiers awaiting the desk (submitted online, or waiting for a supplement), oldest first',
      querystring: Type.Object({
        unit: Type.Optional(AgencyCode),
        procedure: Type.Optional(ProcedureCode),
        status: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(5)])),
      }),
      response: { 200: Type.Object({ items: Type.Array(QueueItem) }) },
    },
    handler: async (req) => {
      const rows = await desk.queue(req.actor!, { unitCode: req.query.unit, procedure: req.query.procedure, status: req.query.status });
      return {
        items: rows.map((d) => ({
          id: d.id,
          code: d.code!,
          status: d.status!,
          channel: d.channel,
          procedure: { code: d.procedure_code, name: { vi: d.procedure_vi, en: d.procedure_en } },
          unit: d.unit_code,
          applicantName: d.applicant_name,
          submittedAt: d.submitted_at!.toISOString(),
          revision: d.revision,
        })),
      };
    },
  });

  app.post('/api/v1/desk/dossiers', {
    config: { policy },
    schema: {
      tags,
      summary: 'Register a dossier brought to the desk or sent by post; it gets its code at once (status 1) and then a decision',
      body: Type.Object(
        {
          procedure: ProcedureCode,
          unit: AgencyCode,
          applicant: ApplicantInput,
          form: Type.Optional(Type.Record(Type.String({ maxLength: 41 }), Type.Unknown())),
          exemption: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 41 })])),
          paperItems: Type.Optional(Type.Array(Type.Integer({ minimum: -1, maximum: 59 }), { maxItems: 60 })),
          channel: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(3)])),
          locale: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')], { description: "The applicant's language" })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ id: Type.Integer(), code: Type.String() }) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const r = await desk.walkIn(req.actor!, {
        procedure: b.procedure,
        unit: b.unit,
        applicant: b.applicant,
        form: b.form ?? {},
        exemption: b.exemption ?? null,
        paperItems: b.paperItems ?? [],
        channel: b.channel ?? 1,
        locale: b.locale ?? 'vi',
      });
      return reply.status(201).send(r);
    },
  });

  app.post('/api/v1/dossiers/:id/receive', {
    config: { policy },
    schema: {
      tags,
      summary: 'Receive a complete dossier (status 2, or 6 while a fee is unpaid) with its appointment date',
      params: DossierParams,
      body: Type.Object({ revision: Revision, note: Note }, { additionalProperties: false }),
      response: { 200: Type.Object({ status: Type.Integer(), dueAt: Type.Union([Type.Null(), Type.String()]) }) },
    },
    handler: async (req) => {
      const r = await desk.receive(req.actor!, req.params.id, req.body.revision ?? null, req.body.note?.trim() || null);
      return { status: r.status, dueAt: r.dueAt?.toISOString() ?? null };
    },
  });

  app.post('/api/v1/dossiers/:id/request-supplement', {
    config: { policy },
    schema: {
      tags,
      summary: 'Ask for a supplement (form 02): every missing or incorrect document with its reason (status 5)',
      params: DossierParams,
      body: Type.Object(
        {
          revision: Revision,
          items: Type.Array(
            Type.Object(
              { item: Type.Integer({ minimum: -1, maximum: 59 }), reason: Type.String({ minLength: 1, maxLength: 500 }) },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 60 },
          ),
          note: Note,
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ round: Type.Integer() }) },
    },
    handler: async (req) =>
      desk.requestSupplement(req.actor!, req.params.id, req.body.revision ?? null, req.body.items, req.body.note?.trim() || null),
  });

  app.post('/api/v1/dossiers/:id/refuse', {
    config: { policy },
    schema: {
      tags,
      summary: 'Refuse the dossier (form 03) with the legal reason (status 3)',
      params: DossierParams,
      body: Type.Object(
        { revision: Revision, reason: Type.String({ maxLength: 2000 }), legalBasis: Type.Optional(Type.String({ maxLength: 500 })) },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null() },
    },
    handler: async (req, reply) => {
      await desk.refuse(req.actor!, req.params.id, req.body.revision ?? null, req.body.reason, req.body.legalBasis?.trim() || null);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/desk/dossiers/:id/scans', {
    config: { policy, multipart: true },
    schema: {
      tags,
      summary: 'Attach a scan made at the desk (multipart: "item", then "file") to a dossier awaiting the desk',
      params: DossierParams,
      consumes: ['multipart/form-data'],
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
    handler: async (req, reply) => {
      const { item, file } = await readItemUpload(app, req, reply, req.actor?.via !== 'token');
      return reply.status(201).send({ id: await desk.attachScan(req.actor!, req.params.id, item, file) });
    },
  });
}
