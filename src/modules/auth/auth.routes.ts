import { Type } from '@sinclair/typebox';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from './policy.js';
import { Me, Registration, TokenInfo, TokenParams, TokenRequest, TokenResponse } from './auth.schema.js';

export const loginRateLimit = (app: App) => ({ max: app.config.loginRateLimit, timeWindow: '1 minute' });

export async function authApiRoutes(app: App) {
  const auth = app.services.auth;

  app.post('/api/v1/auth/token', {
    config: { policy: policies.public, rateLimit: loginRateLimit(app) },
    schema: {
      tags: ['auth'],
      summary: 'Exchange a username and password for a bearer token',
      body: TokenRequest,
      response: { 201: TokenResponse },
    },
    handler: async (req, reply) => {
      const ctx = auditContext(req);
      const accountId = await auth.authenticate(req.body.username, req.body.password, ctx);
      const t = await auth.createApiToken(accountId, req.body.name ?? 'API', ctx);
      return reply.status(201).send({ id: t.id, token: t.token, expiresAt: t.expiresAt.toISOString() });
    },
  });

  app.post('/api/v1/auth/register', {
    config: { policy: policies.public, rateLimit: loginRateLimit(app) },
    schema: {
      tags: ['auth'],
      summary: 'Register a citizen or business account',
      body: Registration,
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
    handler: async (req, reply) => reply.status(201).send({ id: await auth.register(req.body, auditContext(req)) }),
  });

  app.get('/api/v1/auth/tokens', {
    config: { policy: policies.authenticated },
    schema: { tags: ['auth'], summary: "The caller's API tokens", response: { 200: Type.Object({ tokens: Type.Array(TokenInfo) }) } },
    handler: async (req) => ({
      tokens: (await auth.listApiTokens(req.actor!.accountId)).map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at.toISOString(),
        expiresAt: t.expires_at.toISOString(),
        lastUsedAt: t.last_used_at?.toISOString() ?? null,
        revokedAt: t.revoked_at?.toISOString() ?? null,
      })),
    }),
  });

  app.delete('/api/v1/auth/tokens/:id', {
    config: { policy: policies.authenticated },
    schema: { tags: ['auth'], summary: 'Revoke one of your tokens', params: TokenParams },
    handler: async (req, reply) => {
      await auth.revokeApiToken(req.actor!.accountId, req.params.id, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/me', {
    config: { policy: policies.authenticated },
    schema: { tags: ['auth'], summary: 'Who the caller is', response: { 200: Me } },
    handler: async (req) => {
      const a = req.actor!;
      return {
        id: a.accountId,
        kind: a.kind,
        fullName: a.fullName,
        locale: a.locale,
        roles: a.roles.map((g) => ({ role: g.role, unitCode: g.unitCode })),
      };
    },
  });
}
