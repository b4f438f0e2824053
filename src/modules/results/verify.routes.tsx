// Public verification of result documents: pages for people (upload a PDF, or open the page a QR
// code points to) and the same checks as an API. Nothing here needs an account.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../lib/errors.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { readMultipart } from '../../web/multipart.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { SESSION_COOKIE } from '../auth/auth.pages.js';
import { policies } from '../auth/policy.js';
import type { VerifyOutcome } from './results.service.js';
import { TokenPage, VerifyPage } from './verify.views.js';

const tags = ['verification'];
const Bi = Type.Object({ vi: Type.String(), en: Type.String() });
const VerifyResponse = Type.Object({
  authentic: Type.Boolean(),
  reason: Type.Optional(
    Type.Union(
      ['unknown_document', 'bad_signature', 'unknown_key', 'file_mismatch'].map((r) => Type.Literal(r)),
      {
        description: 'Why the document is not confirmed (absent when authentic)',
      },
    ),
  ),
  result: Type.Optional(
    Type.Object({
      dossierCode: Type.String(),
      kind: Type.Union([Type.Literal('approval'), Type.Literal('rejection')]),
      medium: Type.Union([Type.Literal('electronic'), Type.Literal('paper')]),
      issuedAt: Type.String({ format: 'date-time' }),
      unit: Bi,
      procedure: Type.Object({ code: Type.String(), vi: Type.String(), en: Type.String() }),
      applicantFirstName: Type.String({ description: 'Given name only; no other personal data is published' }),
      keyId: Type.Union([Type.String(), Type.Null()]),
      sha256: Type.Union([Type.String(), Type.Null()]),
      verifyUrl: Type.String(),
    }),
  ),
});
const HashBody = Type.Object(
  { sha256: Type.String({ minLength: 1, maxLength: 128, description: 'SHA-256 of the PDF file, 64 hexadecimal digits' }) },
  { additionalProperties: false },
);
const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });
const hide = { hide: true };

export async function verifyRoutes(app: App) {
  const { results } = app.services;
  // Checking is cheap but an upload is up to UPLOAD_MAX_MB of hashing: held back per client like other public routes.
  const pub = { policy: policies.public, rateLimit: { max: app.config.loginRateLimit * 6, timeWindow: '1 minute' } };

  const toJson = (o: VerifyOutcome): Static<typeof VerifyResponse> => {
    if (!o.authentic) return { authentic: false, reason: o.reason };
    const r = o.result;
    return {
      authentic: true,
      result: {
        dossierCode: r.dossierCode,
        kind: r.kind,
        medium: r.medium,
        issuedAt: r.issuedAt.toISOString(),
        unit: r.unit,
        procedure: { code: r.procedureCode, ...r.procedure },
        applicantFirstName: r.applicantFirstName,
        keyId: r.keyId,
        sha256: r.sha256,
        verifyUrl: results.verifyUrl(r.verifyToken),
      },
    };
  };

  /** Reads the one uploaded file; a missing or empty file is the caller's mistake. */
  const uploaded = async (req: FastifyRequest, reply: FastifyReply, csrf: boolean): Promise<Buffer> => {
    const { file } = await readMultipart(app, req, reply, csrf);
    if (!file || file.bytes.length === 0) throw new AppError('file_required');
    return file.bytes;
  };
  /** Form mistakes are shown on the page next to the field; CSRF and anything else go to the error edge. */
  const formError = (e: unknown, reply: FastifyReply): MessageKey => {
    if (!(e instanceof AppError) || e.code === 'csrf_invalid' || e.code === 'result_not_found') throw e;
    reply.status(ERROR_STATUS[e.code]);
    return `err.${e.code}` as MessageKey;
  };
  const tokenOf = (req: FastifyRequest) => (req.params as { token: string }).token;

  app.get('/verify', { config: pub, schema: hide }, async (req, reply) =>
    renderHtml(reply, <VerifyPage ctx={pageContext(req, reply)} outcome={null} error={null} />),
  );

  app.post('/verify', { config: { ...pub, multipart: true }, schema: hide }, async (req, reply) => {
    let outcome: VerifyOutcome | null = null;
    let error: MessageKey | null = null;
    try {
      outcome = await results.verifyBytes(await uploaded(req, reply, true));
    } catch (e) {
      error = formError(e, reply);
    }
    return renderHtml(reply, <VerifyPage ctx={pageContext(req, reply)} outcome={outcome} error={error} />);
  });

  app.get('/verify/:token', { config: pub, schema: { ...hide, params: TokenParams } }, async (req, reply) => {
    const token = tokenOf(req);
    const outcome = await results.verifyToken(token);
    return renderHtml(reply, <TokenPage ctx={pageContext(req, reply)} token={token} outcome={outcome} fileOutcome={null} error={null} />);
  });

  app.post('/verify/:token', { config: { ...pub, multipart: true }, schema: { ...hide, params: TokenParams } }, async (req, reply) => {
    const token = tokenOf(req);
    // The upload (and with it the CSRF token) is read first: a post without a token learns nothing.
    let bytes: Buffer | null = null;
    let error: MessageKey | null = null;
    try {
      bytes = await uploaded(req, reply, true);
    } catch (e) {
      error = formError(e, reply);
    }
    const outcome = await results.verifyToken(token);
    let fileOutcome: VerifyOutcome | null = null;
    if (bytes) {
      try {
        fileOutcome = await results.verifyTokenBytes(token, bytes);
      } catch (e) {
        error = formError(e, reply);
      }
    }
    return renderHtml(
      reply,
      <TokenPage ctx={pageContext(req, reply)} token={token} outcome={outcome} fileOutcome={fileOutcome} error={error} />,
    );
  });

  app.post('/api/v1/verify', {
    config: { ...pub, multipart: true },
    schema: {
      tags,
      summary: 'Is this a result document issued by the system, unchanged? Send the PDF (multipart field "file") or its SHA-256 as JSON',
      consumes: ['multipart/form-data', 'application/json'],
      body: { content: { 'application/json': { schema: HashBody } } },
      response: { 200: VerifyResponse },
    },
    handler: async (req, reply) => {
      if (req.isMultipart()) {
        // The same rule as the CSRF hook: only a cookie-authenticated caller carries ambient authority.
        const csrf = req.actor?.via !== 'token' && !!req.cookies[SESSION_COOKIE];
        return reply.send(toJson(await results.verifyBytes(await uploaded(req, reply, csrf))));
      }
      // The schema is declared per content type, so only a JSON body was validated: a form post
      // (which the form parser accepts on every route) arrives here unchecked.
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type');
      return reply.send(toJson(await results.verifyHash((req.body as Static<typeof HashBody>).sha256)));
    },
  });

  app.get('/api/v1/verify/keys', {
    config: pub,
    schema: {
      tags,
      summary: 'Every public key that ever signed a result (Ed25519, SPKI PEM); retired keys still verify older documents',
      response: {
        200: Type.Object({
          keys: Type.Array(
            Type.Object({
              id: Type.String(),
              algorithm: Type.Literal('ed25519'),
              publicKey: Type.String(),
              createdAt: Type.String({ format: 'date-time' }),
              retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
            }),
          ),
        }),
      },
    },
    handler: async () => ({
      keys: (await results.publicKeys()).map((k) => ({
        ...k,
        createdAt: k.createdAt.toISOString(),
        retiredAt: k.retiredAt?.toISOString() ?? null,
      })),
    }),
  });

  app.get('/api/v1/verify/:token', {
    config: pub,
    schema: {
      tags,
      summary: 'The result document a QR code points to, and whether its signature is valid',
      params: TokenParams,
      response: { 200: VerifyResponse },
    },
    handler: async (req) => toJson(await results.verifyToken(req.params.token)),
  });
}
