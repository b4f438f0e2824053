import { Type } from '@sinclair/typebox';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { scopes } from '../auth/scopes.js';
import { CreateSchoolBody, SchoolsQuery, SchoolView } from './learn.schema.js';

const tags = ['learn'];

/** Schools for the learning mode: listed publicly, added by a city admin or the unit's admin. */
export async function learnApiRoutes(app: App) {
  const { learn } = app.services;

  app.get('/api/v1/learn/schools', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Schools (for classes of the learning mode), optionally only those under a unit',
      querystring: SchoolsQuery,
      response: { 200: Type.Array(SchoolView) },
    },
    handler: async (req) => learn.schools(req.query.unit),
  });

  app.post('/api/v1/learn/schools', {
    config: { policy: policies.official('city_admin', 'unit_admin'), scope: scopes.unit('unitCode', 'body') },
    schema: {
      tags,
      summary: 'Add a school to a ward/commune or district (city admin anywhere; a unit admin within their units)',
      body: CreateSchoolBody,
      response: { 201: SchoolView },
    },
    handler: async (req, reply) => reply.status(201).send(await learn.createSchool(req.actor!, req.body, auditContext(req))),
  });
}
