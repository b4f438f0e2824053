import type { Actor, Policy } from '../modules/auth/policy.js';
import type { Locale } from './i18n/index.js';
import type { Services } from '../services.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    easyRead: boolean;
  }
  interface FastifyContextConfig {
    /** Who may call the route; every route must declare one (enforced at registration). */
    policy?: Policy;
  }
  interface FastifyInstance {
    services: Services;
    config: Config;
    routeList: import('../app.js').RegisteredRoute[];
  }
}
