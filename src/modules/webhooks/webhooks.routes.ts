import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { policies } from '../auth/policy.js';
import { auditContext, type App } from '../../web/request-context.js';
import { Delivery, DeliveriesQuery, NewWebhook, Webhook, WebhookParams, WebhookWithSecret } from './webhooks.schema.js';
import { WebhookService } from './webhooks.service.js';

const cityAdmin = policies.official('city_admin');

// The audit trail names the role the action needs, with the unit of that grant.
function asCityAdmin(req: FastifyRequest) {
  const grant = req.actor!.roles.find((g) => g.role === 'city_admin')!;
  return auditContext(req, { role: 'city_admin', unitId: grant.unitId });
}

export async function webhookRoutes(app: App) {
  const webhooks = new WebhookService(app.services.database.db, { allowHttp: app.config.webhookAllowHttp });
  const tags = ['webhooks'];

  app.post('/api/v1/webhooks', {
    config: { policy: cityAdmin },
    schema: {
      tags,
      summary: 'Subscribe an endpoint to dossier status changes (the secret is shown only in this response)',
      body: NewWebhook,
      response: { 201: WebhookWithSecret },
    },
    handler: async (req, reply) => reply.status(201).send(await webhooks.create(req.body, req.actor!, asCityAdmin(req))),
  });

  app.get('/api/v1/webhooks', {
    config: { policy: cityAdmin },
    schema: {
      tags,
      summary: 'Webhook subscriptions (without their secrets)',
      response: { 200: Type.Object({ items: Type.Array(Webhook) }) },
    },
    handler: async () => ({ items: await webhooks.list() }),
  });

  app.post('/api/v1/webhooks/:id/disable', {
    config: { policy: cityAdmin },
    schema: { tags, summary: 'Stop deliveries to an endpoint for good', params: WebhookParams, response: { 200: Webhook } },
    handler: async (req) => webhooks.disable(req.params.id, asCityAdmin(req)),
  });

  app.post('/api/v1/webhooks/:id/rotate-secret', {
    config: { policy: cityAdmin },
    schema: {
      tags,
      summary: 'Replace the signing secret at once (the new one is shown only in this response)',
      params: WebhookParams,
      response: { 200: WebhookWithSecret },
    },
    handler: async (req) => webhooks.rotateSecret(req.params.id, asCityAdmin(req)),
  });

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { policy: cityAdmin },
    schema: {
      tags,
      summary: 'Recent deliveries to an endpoint, newest first',
      params: WebhookParams,
      querystring: DeliveriesQuery,
      response: { 200: Type.Object({ items: Type.Array(Delivery) }) },
    },
    handler: async (req) => ({ items: await webhooks.deliveries(req.params.id, req.query.limit ?? 50) }),
  });
}
