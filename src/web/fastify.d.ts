import type { Actor, Policy } from '../modules/auth/policy.js';
import type { Locale } from './i18n/index.js';
import type { Services } from '../services.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    easyRead: boolean;
    /** The CSP nonce of this response, once a page has been rendered for it ('' before). */
    cspNonce: string;
  }
  interface FastifyContextConfig {
    /** Who may call the route; every route must declare one (enforced at registration). */
    policy?: Policy;
    /** What the route's resource is scoped to (modules/auth/scopes.ts); needed when it has one. */
    scope?: import('../modules/auth/scopes.js').Scope;
    /** The handler reads a multipart body itself and checks its CSRF token (web/multipart.ts). */
    multipart?: boolean;
  }
  interface FastifyInstance {
    services: Services;
    config: Config;
    routeList: import('../app.js').RegisteredRoute[];
    jobs: import('../jobs/runner.js').JobRunner;
    /** Serving or draining (SIGTERM received): /readyz reports it. */
    lifecycle: import('../ops/lifecycle.js').Lifecycle;
    securityHeaders: import('./security-headers.js').SecurityHeaders;
  }
}
