import { Type } from '@sinclair/typebox';
import { policies } from '../auth/policy.js';
import { auditContext, type App } from '../../web/request-context.js';
import { AssignmentParams, NewAssignment, StaffMember, StaffParams } from './staff.schema.js';

export async function staffRoutes(app: App) {
  const staff = app.services.staff;
  const admins = policies.official('unit_admin', 'city_admin', 'leader');

  app.get('/api/v1/units/:code/staff', {
    config: { policy: admins },
    schema: {
      tags: ['staff'],
      summary: "A unit's officials and their roles",
      params: StaffParams,
      response: { 200: Type.Object({ staff: Type.Array(StaffMember) }) },
    },
    handler: async (req) => ({ staff: await staff.list(req.params.code, req.actor) }),
  });

  app.post('/api/v1/units/:code/staff', {
    config: { policy: policies.official('unit_admin', 'city_admin') },
    schema: {
      tags: ['staff'],
      summary: 'Give an official a role at a unit',
      params: StaffParams,
      body: NewAssignment,
      response: { 201: StaffMember },
    },
    handler: async (req, reply) => reply.status(201).send(await staff.assign(req.params.code, req.body, req.actor!, auditContext(req))),
  });

  app.delete('/api/v1/units/:code/staff/:id', {
    config: { policy: policies.official('unit_admin', 'city_admin') },
    schema: { tags: ['staff'], summary: 'Take a role away', params: AssignmentParams },
    handler: async (req, reply) => {
      await staff.revoke(req.params.code, req.params.id, req.actor!, auditContext(req));
      return reply.status(204).send();
    },
  });
}
