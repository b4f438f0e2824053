import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { auditContext, type App } from '../../web/request-context.js';
import { formText } from '../../web/page-params.js';
import { policies } from '../auth/policy.js';
import { SESSION_COOKIE } from '../auth/auth.pages.js';

const ErasureReport = Type.Object({
  sessions: Type.Integer(),
  apiTokens: Type.Integer(),
  loginNames: Type.Integer(),
  notifications: Type.Integer(),
  feedback: Type.Integer(),
  conferenceRegistrations: Type.Integer(),
  conferenceQuestions: Type.Integer(),
  contestParticipants: Type.Integer(),
  dossiersKept: Type.Integer(),
});

/** A citizen's copy of their data and its erasure (docs/privacy.md), over the API and from /account. */
export async function privacyRoutes(app: App) {
  const privacy = app.services.privacy;
  const auth = app.services.auth;

  const download = async (req: FastifyRequest, reply: FastifyReply) => {
    const data = await privacy.export(req.actor!);
    reply.header('content-disposition', `attachment; filename="motcua-my-data-${new Date().toISOString().slice(0, 10)}.json"`);
    reply.header('cache-control', 'no-store');
    return data;
  };

  app.get('/api/v1/me/data', {
    config: { policy: policies.citizen },
    schema: { tags: ['privacy'], summary: 'Everything stored about the caller, as JSON (Decree 13/2023 Art. 14)' },
    handler: async (req, reply) => download(req, reply),
  });

  app.get('/account/data', { config: { policy: policies.citizen }, schema: { hide: true } }, async (req, reply) => download(req, reply));

  app.post('/api/v1/me/erase', {
    config: { policy: policies.citizen },
    schema: {
      tags: ['privacy'],
      summary: "Erase the caller's account and the personal data the law does not require to keep (dossiers are kept)",
      body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: ErasureReport },
    },
    handler: async (req) => {
      await auth.confirmPassword(req.actor!.accountId, req.body.password);
      return privacy.erase(req.actor!, auditContext(req));
    },
  });

  app.post('/account/erase', { config: { policy: policies.citizen }, schema: { hide: true } }, async (req, reply) => {
    const password = formText(req.body, 'password', 200);
    try {
      if (!password) throw new AppError('invalid_credentials');
      await auth.confirmPassword(req.actor!.accountId, password);
    } catch (e) {
      // Back to the form with the reason, rather than an error page the citizen cannot act on.
      if (e instanceof AppError && e.code === 'invalid_credentials') return reply.redirect('/account?erase=wrong#privacy-h', 303);
      throw e;
    }
    await privacy.erase(req.actor!, auditContext(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/?erased=1', 303);
  });
}
