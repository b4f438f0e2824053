import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { clientInfo, contestRateLimit } from './contest.ratelimit.js';
import {
  AdminQuestionView,
  Answered,
  AnswerBody,
  AnswersBody,
  AnswersSaved,
  ContestView,
  CreateContestBody,
  CreatePoolBody,
  CreateQuestionBody,
  CreateRoundBody,
  EntryResult,
  EntryView,
  IdParams,
  LeaderboardQuery,
  PoolView,
  RenamePoolBody,
  RegisterBody,
  Registered,
  RankingTextQuery,
  RecoveryBody,
  RecoverySent,
  RecoveryVerifyBody,
  ResultsQuery,
  RoundResults,
  RoundView,
  SubmitBody,
  UnitsLeaderboard,
  WinnersQuery,
} from './contest.schema.js';

const tags = ['contest'];
const ADMIN = policies.official('city_admin');
/** Participants have no account: registration gives a token they send in this header. */
export const TOKEN_HEADER = 'x-contest-token';
const participantToken = (req: FastifyRequest) => {
  const v = req.headers[TOKEN_HEADER];
  return typeof v === 'string' ? v : undefined;
};
const tokenHeader = Type.Object({ [TOKEN_HEADER]: Type.Optional(Type.String({ description: 'The participant token from registration' })) });

/**
 * The recovery API takes JSON only: a form on another site could otherwise make its visitors'
 * browsers ask for codes (the pages have their own forms, with CSRF tokens).
 */
async function jsonOnly(req: FastifyRequest) {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type');
}

/** The contest API: administration by the city admin, entries by participant token, frozen results. */
export async function contestApiRoutes(app: App) {
  const { contestAdmin, contestEditor, contestEntries, contestLeaderboard, contestPlay, contestRecovery } = app.services;
  const base = '/api/v1/contest';

  app.post(`${base}/contests`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Create a contest (bilingual title)', body: CreateContestBody, response: { 201: ContestView } },
    handler: async (req, reply) => reply.status(201).send(await contestAdmin.createContest(req.actor!, req.body, auditContext(req))),
  });

  app.get(`${base}/contests/:id`, {
    config: { policy: policies.public },
    schema: { tags, summary: 'A contest with its published rounds', params: IdParams, response: { 200: ContestView } },
    handler: async (req) => contestAdmin.contest(req.params.id, { drafts: false }),
  });

  app.post(`${base}/contests/:id/rounds`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Add a round (draft): open and close instants, number of questions, time limit per entry',
      params: IdParams,
      body: CreateRoundBody,
      response: { 201: RoundView },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await contestAdmin.createRound(req.actor!, req.params.id, req.body, auditContext(req))),
  });

  app.post(`${base}/contests/:id/pools`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Add a question pool for a field', params: IdParams, body: CreatePoolBody, response: { 201: PoolView } },
    handler: async (req, reply) =>
      reply.status(201).send(await contestAdmin.createPool(req.actor!, req.params.id, req.body, auditContext(req))),
  });

  app.post(`${base}/pools/:id/questions`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Add a single- or multiple-choice question (bilingual, with explanation and optional procedure code)',
      params: IdParams,
      body: CreateQuestionBody,
      response: { 201: AdminQuestionView },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await contestAdmin.createQuestion(req.actor!, req.params.id, req.body, auditContext(req))),
  });

  app.post(`${base}/rounds/:id/publish`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Publish a draft round (the bank must hold enough questions)',
      params: IdParams,
      response: { 200: RoundView },
    },
    handler: async (req) => contestAdmin.publish(req.actor!, req.params.id, auditContext(req)),
  });

  app.patch(`${base}/contests/:id`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Rename a contest', params: IdParams, body: CreateContestBody, response: { 200: ContestView } },
    handler: async (req) => contestEditor.renameContest(req.actor!, req.params.id, req.body.title, auditContext(req)),
  });

  app.patch(`${base}/pools/:id`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Rename a question pool', params: IdParams, body: RenamePoolBody, response: { 200: PoolView } },
    handler: async (req) => contestEditor.renamePool(req.actor!, req.params.id, req.body.name, auditContext(req)),
  });

  app.put(`${base}/rounds/:id`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Change a draft round (409 contest_round_not_draft once published)',
      params: IdParams,
      body: CreateRoundBody,
      response: { 200: RoundView },
    },
    handler: async (req) => contestEditor.updateRound(req.actor!, req.params.id, req.body, auditContext(req)),
  });

  app.delete(`${base}/rounds/:id`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Delete a draft round (409 contest_round_not_draft once published)', params: IdParams },
    handler: async (req, reply) => {
      await contestEditor.deleteRound(req.actor!, req.params.id, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.post(`${base}/contests/:id/participants`, {
    config: { policy: policies.public },
    preHandler: contestRateLimit(app, 'register'),
    schema: {
      tags,
      summary: 'Register for a contest (one registration per phone number); returns the participant token once',
      params: IdParams,
      body: RegisterBody,
      response: { 201: Registered },
    },
    handler: async (req, reply) => reply.status(201).send(await contestEntries.register(req.params.id, req.body, clientInfo(req, reply))),
  });

  app.post(`${base}/contests/:id/recovery`, {
    config: { policy: policies.public },
    preValidation: jsonOnly,
    preHandler: contestRateLimit(app, 'recover'),
    schema: {
      tags,
      summary:
        'Taking part on another device: sends a 6-digit code by SMS to the registered phone (valid 10 minutes; a new one at most once a minute, 5 a day)',
      params: IdParams,
      body: RecoveryBody,
      response: { 202: RecoverySent },
    },
    handler: async (req, reply) => {
      const r = await contestRecovery.sendCode(req.params.id, req.body.phone, req.locale, { ip: req.ip, device: req.body.device });
      return reply.status(202).send({ sentTo: r.sentTo, expiresAt: r.expiresAt.toISOString(), device: r.device });
    },
  });

  app.post(`${base}/contests/:id/recovery/verify`, {
    config: { policy: policies.public },
    preValidation: jsonOnly,
    preHandler: contestRateLimit(app, 'recover'),
    schema: {
      tags,
      summary: 'Checks the SMS code and returns a participant token for this device (5 tries per code); the other device keeps its own',
      params: IdParams,
      body: RecoveryVerifyBody,
      response: { 200: Registered },
    },
    handler: async (req) => contestRecovery.verify(req.params.id, req.body.phone, req.body.code, req.body.device),
  });

  app.post(`${base}/rounds/:id/start`, {
    config: { policy: policies.public },
    preHandler: contestRateLimit(app, 'start'),
    schema: {
      tags,
      summary: 'Start the entry for a round (201), or continue the one already started (200); questions drawn and shuffled by the server',
      params: IdParams,
      headers: tokenHeader,
      response: { 200: EntryView, 201: EntryView },
    },
    handler: async (req, reply) => {
      const r = await contestEntries.start(participantToken(req), req.params.id, new Date(), clientInfo(req, reply));
      return reply.status(r.created ? 201 : 200).send(r.entry);
    },
  });

  app.post(`${base}/entries/:id/answers`, {
    config: { policy: policies.public },
    preHandler: contestRateLimit(app, 'answer'),
    schema: {
      tags,
      summary: 'Answer one question of the entry (the last answer counts); refused after the time limit plus grace',
      params: IdParams,
      headers: tokenHeader,
      body: AnswerBody,
      response: { 200: Answered },
    },
    handler: async (req) => contestEntries.answer(participantToken(req), req.params.id, req.body),
  });

  app.put(`${base}/entries/:id/answers`, {
    config: { policy: policies.public },
    preHandler: contestRateLimit(app, 'answer'),
    schema: {
      tags,
      summary: 'Answer several questions of the entry at once, all or none (the last answer counts)',
      params: IdParams,
      headers: tokenHeader,
      body: AnswersBody,
      response: { 200: AnswersSaved },
    },
    handler: async (req) => ({ answers: await contestEntries.answerMany(participantToken(req), req.params.id, req.body.answers) }),
  });

  app.post(`${base}/entries/:id/submit`, {
    config: { policy: policies.public },
    preHandler: contestRateLimit(app, 'submit'),
    schema: {
      tags,
      summary: 'Close the entry with the prediction (how many entries of this round will have every answer right)',
      params: IdParams,
      headers: tokenHeader,
      body: SubmitBody,
      response: { 200: EntryView },
    },
    handler: async (req) => contestEntries.submit(participantToken(req), req.params.id, req.body.prediction, new Date(), req.body.answers),
  });

  app.get(`${base}/entries/:id/result`, {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'The entry’s score, rank, key and explanations (once the round has closed)',
      params: IdParams,
      headers: tokenHeader,
      response: { 200: EntryResult },
    },
    handler: async (req) => contestEntries.entryResult(participantToken(req), req.params.id),
  });

  app.get(`${base}/rounds/:id/results`, {
    config: { policy: policies.public },
    schema: {
      tags,
      summary:
        'The frozen ranking of a closed round, latest version (or ?version=n), one page at a time (?page, ?pageSize), with its SHA-256 hash and the list of versions',
      params: IdParams,
      querystring: ResultsQuery,
      response: { 200: RoundResults },
    },
    handler: async (req) => contestPlay.resultsPage(req.params.id, req.query),
  });

  app.get(`${base}/rounds/:id/results/ranking.json`, {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Open data: the whole frozen ranking of a version as its published text (canonical JSON); its SHA-256 is the published hash',
      params: IdParams,
      querystring: RankingTextQuery,
    },
    handler: async (req, reply) => {
      const r = await contestEntries.results(req.params.id, new Date(), req.query.version);
      // A version never changes: a numbered one is cached for good, the latest is revalidated.
      const etag = `"${r.hash}"`;
      reply
        .header('etag', etag)
        .header('cache-control', req.query.version ? 'public, max-age=31536000, immutable' : 'public, no-cache')
        .header('x-ranking-sha256', r.hash);
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `inline; filename="contest-round-${req.params.id}-ranking-v${r.version}.json"`)
        .send(Readable.from(contestEntries.ranking.text(req.params.id, r.version)));
    },
  });

  app.get(`${base}/rounds/:id/leaderboard/units`, {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'After the close: entries and average score per district-level unit and department (or per ward with ?level=commune)',
      params: IdParams,
      querystring: LeaderboardQuery,
      response: { 200: UnitsLeaderboard },
    },
    handler: async (req) => contestLeaderboard.units(req.params.id, req.query.level ?? 'district'),
  });

  app.get(`${base}/rounds/:id/winners.xlsx`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'After the close: the top of the frozen ranking as xlsx (phone numbers masked)',
      params: IdParams,
      querystring: WinnersQuery,
    },
    handler: async (req, reply) =>
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="contest-round-${req.params.id}-winners.xlsx"`)
        .send(await contestLeaderboard.winnersXlsx(req.params.id, req.query.top ?? 50)),
  });
}
