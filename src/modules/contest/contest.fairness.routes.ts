import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { IdParams } from './contest.schema.js';
import { ClearBody, Decision, FlagsQuery, FlagView, ReasonBody, RoundFlags, ScanResult } from './contest.fairness.schema.js';

const tags = ['contest'];
const ADMIN = policies.official('city_admin');

/** Review of a round's flags and disqualifications by the city admin (docs/contest.md, "Fairness and abuse"). */
export async function contestFairnessApiRoutes(app: App) {
  const { contestFairness } = app.services;
  const base = '/api/v1/contest';

  app.get(`${base}/rounds/:id/flags`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'The round’s review flags with their evidence, and its disqualified entries',
      params: IdParams,
      querystring: FlagsQuery,
      response: { 200: RoundFlags },
    },
    handler: async (req) => contestFairness.list(req.actor!, req.params.id, req.query.status ?? 'all'),
  });

  app.post(`${base}/rounds/:id/flags/scan`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Run the flag rules over the round now (they also run at the freeze)',
      params: IdParams,
      response: { 200: ScanResult },
    },
    handler: async (req) => contestFairness.scan(req.actor!, req.params.id, auditContext(req)),
  });

  app.post(`${base}/flags/:id/clear`, {
    config: { policy: ADMIN },
    schema: { tags, summary: 'Mark a flag reviewed: nothing wrong', params: IdParams, body: ClearBody, response: { 200: FlagView } },
    handler: async (req) => {
      const roundId = await contestFairness.clear(req.actor!, req.params.id, req.body.note, auditContext(req));
      return (await contestFairness.list(req.actor!, roundId)).flags.find((f) => f.id === req.params.id)!;
    },
  });

  app.post(`${base}/entries/:id/disqualify`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Disqualify an entry (reason mandatory, audited); after the freeze, a successor ranking version',
      params: IdParams,
      body: ReasonBody,
      response: { 200: Decision },
    },
    handler: async (req) => contestFairness.disqualify(req.actor!, req.params.id, req.body.reason, auditContext(req)),
  });

  app.post(`${base}/entries/:id/reinstate`, {
    config: { policy: ADMIN },
    schema: {
      tags,
      summary: 'Undo a disqualification (reason mandatory, audited); after the freeze, a successor ranking version',
      params: IdParams,
      body: ReasonBody,
      response: { 200: Decision },
    },
    handler: async (req) => contestFairness.reinstate(req.actor!, req.params.id, req.body.reason, auditContext(req)),
  });
}
