import { Type } from '@sinclair/typebox';
import { auditContext, type App } from '../../web/request-context.js';
import { hasUnitScope, policies } from '../auth/policy.js';
import { scopes } from '../auth/scopes.js';
import { OFFICIALS, ORGANISERS } from './conferences.service.js';
import { conferencesOpenData } from './conferences.opendata.js';
import {
  CommitmentBody,
  CommitmentQuery,
  CommitmentStatusBody,
  CommitmentView,
  ConferenceBody,
  ConferencePatch,
  ConferenceSummary,
  ConferenceView,
  IdParams,
  ListQuery,
  ModerationBody,
  QuestionBody,
  QuestionParams,
  ReasonBody,
  RegistrationBody,
  RoomQuestionBody,
  TextBody,
} from './conferences.schema.js';

const tags = ['conferences'];

/** Per address, for the forms anyone can send (registration, questions). */
export const publicFormRateLimit = (app: App) => ({ max: app.config.loginRateLimit * 2, timeWindow: '1 minute' });
const OFFICIAL = policies.official('specialist', 'leader', 'unit_admin', 'city_admin');
// Scheduling, changing, cancelling and marking held are the organisers' (the service checks the same roles).
const ORGANISER_POLICY = policies.official(...ORGANISERS);
const Created = Type.Object({ id: Type.Integer() });
const FaqRef = Type.Object({ id: Type.Integer(), created: Type.Boolean() });
/** Bumped only when a column changes meaning or disappears; new columns may be added at the end. */
const SCHEMA_VERSION = 1;

export async function conferenceApiRoutes(app: App) {
  const { conferences } = app.services;
  const { questions, commitments } = conferences;
  // Anyone may register or ask without an account: a per-address limit keeps floods out.
  const open = { policy: policies.public, rateLimit: publicFormRateLimit(app) };

  app.get('/api/v1/conferences', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Upcoming (default) or past dialogue conferences, for a unit and those below it',
      querystring: ListQuery,
      response: { 200: Type.Array(ConferenceSummary) },
    },
    handler: async (req) => conferences.list(req.query),
  });

  app.get('/api/v1/conferences/:id', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'A conference: agenda with accepted questions by support; answers and commitments once the minutes are published',
      params: IdParams,
      response: { 200: ConferenceView },
    },
    handler: async (req) => conferences.view(req.params.id),
  });

  app.post('/api/v1/conferences', {
    config: { policy: ORGANISER_POLICY, scope: scopes.unit('unit', 'body') },
    schema: {
      tags,
      summary: "Schedule a conference (the unit's leader or administrator, or a city admin)",
      body: ConferenceBody,
      response: { 201: Created },
    },
    handler: async (req, reply) => reply.status(201).send({ id: await conferences.create(req.actor!, req.body, auditContext(req)) }),
  });

  app.patch('/api/v1/conferences/:id', {
    config: { policy: ORGANISER_POLICY },
    schema: { tags, summary: 'Change the details of a scheduled conference', params: IdParams, body: ConferencePatch },
    handler: async (req, reply) => {
      await conferences.update(req.actor!, req.params.id, req.body, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/conferences/:id/cancel', {
    config: { policy: ORGANISER_POLICY },
    schema: { tags, summary: 'Cancel a scheduled conference with a reason; registrants are told', params: IdParams, body: ReasonBody },
    handler: async (req, reply) => {
      await conferences.cancel(req.actor!, req.params.id, req.body.reason, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/conferences/:id/held', {
    config: { policy: ORGANISER_POLICY },
    schema: { tags, summary: 'Mark the conference held (after it started): answers and commitments can be recorded', params: IdParams },
    handler: async (req, reply) => {
      await conferences.markHeld(req.actor!, req.params.id, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/conferences/:id/publish', {
    config: { policy: policies.official('leader') },
    schema: { tags, summary: "Publish the minutes (the unit's leader); registrants and askers are told", params: IdParams },
    handler: async (req, reply) => {
      await conferences.publishMinutes(req.actor!, req.params.id, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/conferences/:id/registrations', {
    config: open,
    schema: {
      tags,
      summary: 'Register to attend (one registration per phone or e-mail)',
      params: IdParams,
      body: RegistrationBody,
      response: { 201: Created },
    },
    handler: async (req, reply) => reply.status(201).send({ id: await conferences.register(req.params.id, req.body, req.actor) }),
  });

  app.get('/api/v1/conferences/:id/registrations', {
    config: { policy: OFFICIAL },
    schema: { tags, summary: "Who registered, with contact details (the unit's officials only)", params: IdParams },
    handler: async (req) =>
      (await conferences.registrations(req.actor!, req.params.id)).map((r) => ({
        id: r.id,
        fullName: r.full_name,
        phone: r.phone,
        email: r.email,
        organisation: r.organisation,
        registeredAt: r.created_at.toISOString(),
      })),
  });

  app.post('/api/v1/conferences/:id/questions', {
    config: open,
    schema: {
      tags,
      summary: 'Send a question ahead (at most 2000 characters); public once an official accepts it',
      params: IdParams,
      body: QuestionBody,
      response: { 201: Created },
    },
    handler: async (req, reply) => reply.status(201).send({ id: await questions.ask(req.params.id, req.body, req.actor) }),
  });

  app.get('/api/v1/conferences/:id/questions', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary:
        "Accepted questions as published (personal data removed); the unit's officials get every question, as sent, with its moderation state, draft answer and published text",
      params: IdParams,
    },
    handler: async (req) => {
      const c = await conferences.row(req.params.id);
      // Anyone else, an official of another unit included, gets what the public page shows.
      if (!req.actor || !hasUnitScope(req.actor, c.unit_path, OFFICIALS)) {
        return questions.publicList(req.params.id, c.status === 'minutes_published');
      }
      return (await questions.forOfficials(req.actor, req.params.id)).map((q) => ({
        id: q.id,
        source: q.source,
        askerName: q.asker_name,
        text: q.body,
        publishedText: q.published_text,
        procedureCode: q.procedure_code,
        fieldCode: q.field_code,
        moderation: q.moderation,
        declineReason: q.decline_reason,
        supports: q.supports,
        draftAnswer: q.draft_answer,
        answer: q.answer,
        createdAt: q.created_at.toISOString(),
      }));
    },
  });

  app.post('/api/v1/conferences/:id/questions/:qid/faq', {
    config: { policy: policies.official('leader', 'unit_admin', 'city_admin') },
    schema: {
      tags,
      summary: 'Turn an answered question of published minutes into a draft FAQ entry of the unit (once; again returns the same entry)',
      params: QuestionParams,
      response: { 200: FaqRef, 201: FaqRef },
    },
    handler: async (req, reply) => {
      const r = await questions.toFaq(req.actor!, req.params.id, req.params.qid, app.services.faq, auditContext(req));
      return reply.status(r.created ? 201 : 200).send(r);
    },
  });

  app.post('/api/v1/conferences/:id/questions/:qid/support', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: "Support (+1) another person's accepted question, once",
      params: QuestionParams,
      response: { 200: Type.Object({ supports: Type.Integer() }) },
    },
    handler: async (req) => ({ supports: await questions.support(req.params.id, req.params.qid, req.actor!) }),
  });

  app.post('/api/v1/conferences/:id/questions/:qid/moderation', {
    config: { policy: OFFICIAL },
    schema: {
      tags,
      summary: 'Accept a question (shown publicly) or decline it with a reason',
      params: QuestionParams,
      body: ModerationBody,
    },
    handler: async (req, reply) => {
      await questions.moderate(req.actor!, req.params.id, req.params.qid, req.body, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.put('/api/v1/conferences/:id/questions/:qid/draft', {
    config: { policy: OFFICIAL },
    schema: { tags, summary: 'Prepare a draft answer before the meeting (never public)', params: QuestionParams, body: TextBody },
    handler: async (req, reply) => {
      await questions.draft(req.actor!, req.params.id, req.params.qid, req.body.text);
      return reply.status(204).send();
    },
  });

  app.put('/api/v1/conferences/:id/questions/:qid/answer', {
    config: { policy: OFFICIAL },
    schema: { tags, summary: 'Record the answer given in the meeting (after it was held)', params: QuestionParams, body: TextBody },
    handler: async (req, reply) => {
      await questions.answer(req.actor!, req.params.id, req.params.qid, req.body.text, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/conferences/:id/room-questions', {
    config: { policy: OFFICIAL },
    schema: {
      tags,
      summary: 'Add a question raised in the room, with the answer given',
      params: IdParams,
      body: RoomQuestionBody,
      response: { 201: Created },
    },
    handler: async (req, reply) =>
      reply.status(201).send({ id: await questions.addFromRoom(req.actor!, req.params.id, req.body, auditContext(req)) }),
  });

  app.post('/api/v1/conferences/:id/questions/:qid/commitments', {
    config: { policy: OFFICIAL },
    schema: {
      tags,
      summary: 'Record a commitment made in answer to a question: what, who, by when',
      params: QuestionParams,
      body: CommitmentBody,
      response: { 201: Created },
    },
    handler: async (req, reply) =>
      reply.status(201).send({ id: await commitments.add(req.actor!, req.params.id, req.params.qid, req.body, auditContext(req)) }),
  });

  app.get('/api/v1/commitments', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Commitments of published minutes, by unit, status and lateness',
      querystring: CommitmentQuery,
      response: { 200: Type.Array(CommitmentView) },
    },
    handler: async (req) => commitments.list(req.query),
  });

  app.get('/api/v1/commitments/:id', {
    config: { policy: policies.public },
    schema: { tags, summary: 'A commitment with its dated history', params: IdParams, response: { 200: CommitmentView } },
    handler: async (req) => commitments.get(req.params.id),
  });

  app.post('/api/v1/commitments/:id/status', {
    config: { policy: OFFICIAL },
    schema: {
      tags,
      summary: 'Move a commitment forward: in progress, or done with evidence (text, optional link)',
      params: IdParams,
      body: CommitmentStatusBody,
    },
    handler: async (req, reply) => {
      await commitments.setStatus(req.actor!, req.params.id, req.body, auditContext(req));
      return reply.status(204).send();
    },
  });

  // Open data: no personal data (no asker, no registrant; officials only by office).
  const openTags = ['conferences', 'open data'];
  app.get('/api/v1/open-data/conferences.json', {
    config: { policy: policies.public },
    schema: { tags: openTags, summary: `Dialogue conferences, past and upcoming (schemaVersion ${SCHEMA_VERSION})` },
    handler: async () => ({
      schemaVersion: SCHEMA_VERSION,
      generatedAt: new Date().toISOString(),
      rows: await conferencesOpenData(app.services.database.db),
    }),
  });

  app.get('/api/v1/open-data/commitments.json', {
    config: { policy: policies.public },
    schema: { tags: openTags, summary: `Commitments of published minutes and their status (schemaVersion ${SCHEMA_VERSION})` },
    handler: async () => ({
      schemaVersion: SCHEMA_VERSION,
      generatedAt: new Date().toISOString(),
      rows: (await commitments.list({})).map((m) => ({
        id: m.id,
        conferenceId: m.conferenceId,
        unitCode: m.unitCode,
        what: m.what,
        responsible: m.responsible,
        responsibleUnitCode: m.responsibleUnit?.code ?? null,
        dueDate: m.dueDate,
        status: m.status,
        late: m.late,
        doneAt: m.doneAt,
        evidence: m.evidence,
        evidenceUrl: m.evidenceUrl,
      })),
    }),
  });
}
