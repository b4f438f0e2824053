import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyReply, type FastifyRequest, type FastifySchema } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Database } from './db/engine.js';
import { containsNul } from './lib/canonical-json.js';
import { randomToken } from './lib/crypto.js';
import { AppError } from './lib/errors.js';
import { authApiRoutes } from './modules/auth/auth.routes.js';
import { authPageRoutes, CSRF_COOKIE, SESSION_COOKIE } from './modules/auth/auth.pages.js';
import { calendarAdminRoutes } from './modules/calendar/calendar.admin.js';
import { calendarPageRoutes } from './modules/calendar/calendar.pages.js';
import { calendarApiRoutes } from './modules/calendar/calendar.routes.js';
import { officeHoursPageRoutes } from './modules/calendar/office-hours.pages.js';
import { catalogueAdminRoutes } from './modules/catalogue/catalogue.admin.js';
import { catalogueAdminPageRoutes } from './modules/catalogue/catalogue.admin-pages.js';
import { catalogueEditorRoutes } from './modules/catalogue/catalogue.editor.js';
import { cataloguePageRoutes } from './modules/catalogue/catalogue.pages.js';
import { catalogueApiRoutes } from './modules/catalogue/catalogue.routes.js';
import { checkPolicy, policies, type Policy } from './modules/auth/policy.js';
import { routeScope, type Scope } from './modules/auth/scopes.js';
import { guideRoutes } from './modules/home/guide.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { unitRoutes } from './modules/units/units.routes.js';
import { Lifecycle, readiness } from './ops/lifecycle.js';
import { setupMetrics } from './observability/metrics.js';
import { createServices } from './services.js';
import { verifyRoutes } from './modules/results/verify.routes.js';
import { processingApiRoutes } from './modules/processing/processing.routes.js';
import { workPageRoutes } from './modules/processing/work.pages.js';
import { citizenProcessingRoutes } from './modules/processing/citizen.pages.js';
import { JobRunner } from './jobs/runner.js';
import { emailTransport, registerNotificationJobs } from './modules/notify/notify.service.js';
import { registerWebhookJobs } from './modules/webhooks/webhooks.delivery.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { sandboxBankRoutes, SANDBOX_PAY_PATH } from './modules/payments/sandbox-bank.js';
import { dossierApiRoutes } from './modules/dossiers/dossier.routes.js';
import { deskApiRoutes } from './modules/dossiers/desk.routes.js';
import { paymentApiRoutes } from './modules/payments/payments.routes.js';
import { deskPageRoutes } from './modules/dossiers/desk.pages.js';
import { dossierDocumentRoutes } from './modules/dossiers/dossier.documents.js';
import { dossierPageRoutes } from './modules/dossiers/dossier.pages.js';
import { trackingRoutes } from './modules/tracking/tracking.routes.js';
import { statsApiRoutes } from './modules/stats/stats.routes.js';
import { statsPageRoutes } from './modules/stats/stats.pages.js';
import { openDataRoutes } from './modules/stats/opendata.routes.js';
import { indexApiRoutes } from './modules/stats/index766.routes.js';
import { ratingRoutes } from './modules/ratings/ratings.routes.js';
import { faqApiRoutes } from './modules/faq/faq.routes.js';
import { faqPageRoutes } from './modules/faq/faq.pages.js';
import { faqWorkRoutes } from './modules/faq/faq.work.js';
import { surveyApiRoutes } from './modules/surveys/surveys.routes.js';
import { surveyPageRoutes } from './modules/surveys/surveys.pages.js';
import { contestApiRoutes } from './modules/contest/contest.routes.js';
import { contestPageRoutes } from './modules/contest/contest.pages.js';
import { contestRecoveryPageRoutes } from './modules/contest/contest.recovery-pages.js';
import { contestBankRoutes } from './modules/contest/contest.bank-routes.js';
import { contestAdminPageRoutes } from './modules/contest/contest.admin-pages.js';
import { contestFairnessApiRoutes } from './modules/contest/contest.fairness.routes.js';
import { contestFairnessPageRoutes } from './modules/contest/contest.fairness.pages.js';
import { learnApiRoutes } from './modules/learn/learn.routes.js';
import { learnPageRoutes } from './modules/learn/learn.pages.js';
import { learnAdminPageRoutes } from './modules/learn/learn.admin-pages.js';
import { conferenceApiRoutes } from './modules/conferences/conferences.routes.js';
import { conferencePageRoutes } from './modules/conferences/conferences.pages.js';
import { conferenceWorkRoutes } from './modules/conferences/conferences.work.js';
import { feedbackApiRoutes } from './modules/feedback/feedback.routes.js';
import { feedbackPageRoutes } from './modules/feedback/feedback.pages.js';
import { feedbackWorkRoutes } from './modules/feedback/feedback.work.js';
import { sendProblem, wantsJson } from './web/http-errors.js';
import { HSTS, securityHeaders } from './web/security-headers.js';
import { negotiateLocale } from './web/i18n/index.js';
import { installValidators } from './web/validation.js';
import type { App } from './web/request-context.js';
import { loggerOptions } from './observability/logging.js';
import { privacyRoutes } from './modules/privacy/privacy.routes.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: Policy | undefined;
  scope: Scope;
  hasBody: boolean;
  /** The route's own schemas (body, querystring, params, headers), for tests that generate requests from them. */
  schema: FastifySchema | undefined;
  /** The handler reads multipart itself (config.multipart) and checks the CSRF token there. */
  multipart: boolean;
}

// Routes that plugins add (API docs, static files) are public by nature; everything else must say.
const PLUGIN_PREFIXES = ['/api/docs', '/static/'];

/** Whether `path` is `dir` or lies under it. */
export function isWithin(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function cookieSecret(config: Config, database: Database): Promise<string> {
  if (config.cookieSecret) return config.cookieSecret;
  const db = database.db;
  await db
    .insertInto('app_setting')
    .values({ key: 'cookie_secret', value: randomToken(32) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', 'cookie_secret').executeTakeFirstOrThrow();
  return row.value;
}

export async function buildApp(config: Config, database: Database, opts: { logger?: boolean } = {}) {
  const app = Fastify({
    logger: loggerOptions(config, opts.logger !== false),
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // The router's own refusals (an over-long or undecodable path) come before any hook: send them
    // through the same edge as every other failure, not Fastify's raw JSON that echoes the path.
    frameworkErrors: (err, req, reply) => {
      // No hook has run yet: the request has no actor and no locale but its Accept-Language.
      req.actor = null;
      req.easyRead = false;
      req.locale = negotiateLocale(undefined, req.headers['accept-language']);
      reply.headers(SECURITY_HEADERS);
      sendProblem(req, reply, err);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  installValidators(app);
  const routes: RegisteredRoute[] = [];
  app.decorate('config', config);
  app.decorate('services', createServices(config, database, app.log.child({ component: 'services' })));
  app.decorate('routeList', routes);
  // Every key that ever signed a result stays registered, so documents signed before a rotation verify.
  await app.services.results.ensureSigningKey();
  const jobs = new JobRunner(database.db, app.log.child({ component: 'jobs' }), { lockSeconds: config.jobLeaseSeconds });
  registerNotificationJobs(jobs, {
    transport: config.smtpUrl ? emailTransport(config.smtpUrl) : null,
    from: config.mailFrom,
    sms: app.services.sms,
    log: app.log,
  });
  registerWebhookJobs(jobs, { db: database.db, log: app.log });
  app.decorate('jobs', jobs);
  app.decorate('lifecycle', new Lifecycle());
  // Counted so a shutdown knows when the last answer has gone (main.ts); 'close' fires once per
  // response, whether it was sent or its client went away.
  app.addHook('onRequest', async (_req, reply) => {
    app.lifecycle.begin();
    reply.raw.once('close', () => app.lifecycle.end());
  });
  // While draining, every response closes its connection: a keep-alive connection left idle after
  // its last request would otherwise hold the shutdown until the client's own timeout.
  app.addHook('onSend', async (_req, reply) => {
    if (app.lifecycle.phase === 'draining') reply.header('connection', 'close');
  });
  app.addHook('onClose', () => jobs.stop());
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'vi');
  app.decorateRequest('easyRead', false);
  app.decorateRequest('cspNonce', '');

  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    let policy = (route.config as { policy?: Policy } | undefined)?.policy;
    if (!policy && PLUGIN_PREFIXES.some((p) => route.url.startsWith(p))) {
      policy = policies.public;
      route.config = { ...(route.config ?? {}), policy };
    }
    if (!policy) throw new Error(`Route ${methods.join(',')} ${route.url} declares no policy (config.policy)`);
    const scope = routeScope(route.url, policy, (route.config as { scope?: Scope } | undefined)?.scope);
    if (!scope) throw new Error(`Route ${methods.join(',')} ${route.url} declares no scope (config.scope) for its resource`);
    const multipart = !!(route.config as { multipart?: boolean } | undefined)?.multipart;
    for (const method of methods)
      routes.push({ method, url: route.url, policy, scope, hasBody: !!route.schema?.body, schema: route.schema, multipart });
  });

  // Every cookie (session, CSRF secret, contest device, pupil, language) is Secure on an HTTPS site,
  // and on any request that came over HTTPS ('auto': TLS, or X-Forwarded-Proto with TRUST_PROXY).
  const httpsSite = config.baseUrl.startsWith('https://');
  await app.register(cookie, { secret: await cookieSecret(config, database), parseOptions: { secure: httpsSite ? true : 'auto' } });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Uploads are read part by part in the handler (request.file / parts), never buffered into the body.
  await app.register(multipart, {
    preservePath: true,
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 22 },
  });
  await app.register(csrf, { cookieKey: CSRF_COOKIE, cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/' } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: 429, retryAfter: ctx.after }),
  });
  const headers = securityHeaders({
    defaultSrc: ["'self'"],
    // Pages add a per-response nonce here (web/render.tsx); nothing else runs inline.
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    // Intranet deployments may serve plain HTTP; forcing https would break every asset.
    upgradeInsecureRequests: null,
  });
  app.decorate('securityHeaders', headers);
  // HSTS only where the site is HTTPS (docs/security.md): always when BASE_URL says so, else when
  // this request came over TLS, directly or (with TRUST_PROXY) per X-Forwarded-Proto. Over plain
  // HTTP a browser ignores it anyway, and an intranet on http must not be pinned to https.
  const SECURITY_HEADERS = Object.freeze({ ...headers.base, ...(httpsSite ? { 'strict-transport-security': HSTS } : {}) });
  const mayBeHttps = !httpsSite;
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (mayBeHttps && req.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const auth = app.services.auth;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_\-.]{10,200})$/.exec(header);
      req.actor = m ? await auth.actorFromToken(m[1]!) : null;
      // A bad token is an error, never a silent fall-back to anonymous.
      if (!req.actor) throw new AppError('unauthenticated');
    } else {
      const sid = req.cookies[SESSION_COOKIE];
      if (sid) {
        req.actor = sid.length <= 100 ? await auth.actorFromSession(sid) : null;
        if (!req.actor) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const q = req.query as Record<string, unknown> | undefined;
    const chosen = typeof q?.lang === 'string' ? q.lang : undefined;
    if (chosen === 'vi' || chosen === 'en') {
      reply.setCookie('lang', chosen, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    }
    req.locale = negotiateLocale(chosen ?? req.cookies.lang ?? req.actor?.locale, req.headers['accept-language']);
    const easy = typeof q?.easy === 'string' ? q.easy : undefined;
    if (easy === '1' || easy === '0') reply.setCookie('easy', easy, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    req.easyRead = (easy ?? req.cookies.easy) === '1';
  });

  const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
  app.addHook('preValidation', (req, reply, done) => {
    // PostgreSQL text cannot hold NUL: refuse it at the door rather than fail in the database.
    if (containsNul(req.query) || containsNul(req.params) || containsNul(req.body)) {
      done(new AppError('validation_failed'));
      return;
    }
    try {
      // The not-found handler is the only route without a declared policy.
      checkPolicy(req.actor, req.routeOptions.config.policy ?? (req.is404 ? policies.public : { access: 'official', roles: [] }));
    } catch (e) {
      done(e as Error);
      return;
    }
    // Bearer tokens are not ambient credentials, so they need no CSRF token; forms and cookie-
    // authenticated API calls do. Anonymous JSON calls carry no ambient authority either.
    const needsCsrf = unsafe.has(req.method) && req.actor?.via !== 'token' && (!wantsJson(req) || !!req.cookies[SESSION_COOKIE]);
    // Multipart bodies are parsed by the handler, which checks the token itself before reading any
    // file (web/multipart.ts); a route that does not declare it refuses multipart outright.
    if (needsCsrf && req.isMultipart()) {
      done(req.routeOptions.config.multipart ? undefined : new AppError('unsupported_media_type'));
      return;
    }
    // The sandbox bank stands for another site: its form posts carry no token of ours.
    if (needsCsrf && req.routeOptions.url !== SANDBOX_PAY_PATH) app.csrfProtection(req, reply, done);
    else done();
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError && err.code === 'unauthenticated' && !wantsJson(req) && req.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    return sendProblem(req, reply, err);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, new AppError('route_not_found')));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'motcua API', version: '1', description: 'Electronic one-stop shop and online public services.' },
      servers: [{ url: config.baseUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Its own policy (hashes of its scripts), made as strict as ours on framing and insecure upgrades.
    transformStaticCSP: (h) => h.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  const staticRoot = fileURLToPath(new URL('./web/static/', import.meta.url));
  // Uploads must never be reachable as static files (served inline, with a guessed type).
  if (isWithin(config.filesDir, staticRoot))
    throw new Error(`FILES_DIR (${config.filesDir}) must not be inside the web root ${staticRoot}`);
  await app.register(fastifyStatic, {
    root: staticRoot,
    prefix: '/static/',
    maxAge: '1d',
  });

  const metrics = setupMetrics(app);
  app.get('/healthz', { config: { policy: policies.public }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { policy: policies.public }, schema: { hide: true } }, async (_req, reply: FastifyReply) => {
    const r = await readiness(database, app.lifecycle);
    if (!r.ready) reply.status(503).header('retry-after', '5');
    return { status: r.status, database: database.engine };
  });
  app.get('/metrics', { config: { policy: policies.public }, schema: { hide: true } }, async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );

  await app.register(homeRoutes);
  await app.register(guideRoutes);
  await app.register(unitRoutes);
  await app.register(staffRoutes);
  await app.register(authApiRoutes);
  await app.register(authPageRoutes);
  await app.register(privacyRoutes);
  await app.register(calendarApiRoutes);
  await app.register(calendarPageRoutes);
  await app.register(calendarAdminRoutes);
  await app.register(officeHoursPageRoutes);
  await app.register(catalogueApiRoutes);
  await app.register(cataloguePageRoutes);
  await app.register(catalogueAdminRoutes);
  await app.register(catalogueAdminPageRoutes);
  await app.register(catalogueEditorRoutes);
  await app.register(dossierApiRoutes);
  await app.register(deskApiRoutes);
  await app.register(paymentApiRoutes);
  await app.register(dossierPageRoutes);
  await app.register(deskPageRoutes);
  await app.register(dossierDocumentRoutes);
  await app.register(trackingRoutes);
  await app.register(verifyRoutes);
  await app.register(processingApiRoutes);
  await app.register(workPageRoutes);
  await app.register(citizenProcessingRoutes);
  await app.register(webhookRoutes);
  await app.register(statsApiRoutes);
  await app.register(indexApiRoutes);
  await app.register(ratingRoutes);
  await app.register(faqApiRoutes);
  await app.register(faqPageRoutes);
  await app.register(faqWorkRoutes);
  await app.register(surveyApiRoutes);
  await app.register(surveyPageRoutes);
  await app.register(contestApiRoutes);
  await app.register(contestPageRoutes);
  await app.register(contestRecoveryPageRoutes);
  await app.register(contestBankRoutes);
  await app.register(contestAdminPageRoutes);
  await app.register(contestFairnessApiRoutes);
  await app.register(contestFairnessPageRoutes);
  await app.register(learnApiRoutes);
  await app.register(learnPageRoutes);
  await app.register(learnAdminPageRoutes);
  await app.register(conferenceApiRoutes);
  await app.register(conferencePageRoutes);
  await app.register(conferenceWorkRoutes);
  await app.register(feedbackApiRoutes);
  await app.register(feedbackPageRoutes);
  await app.register(feedbackWorkRoutes);
  await app.register(statsPageRoutes);
  await app.register(openDataRoutes);
  if (config.payment.provider === 'sandbox') {
    await app.register(sandboxBankRoutes, { hashSecret: config.payment.hashSecret, merchantCode: config.payment.merchantCode });
  }
  return app;
}
