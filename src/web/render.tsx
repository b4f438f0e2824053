import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { PageContext } from './context.js';
import { translator } from './i18n/index.js';
import { newNonce, type SecurityHeaders } from './security-headers.js';

/**
 * The response's CSP nonce, made on the first page rendered for it (an error page after a failed
 * form renders a second time): the header then allows inline scripts carrying it, and only those.
 */
function nonceFor(request: FastifyRequest, reply: FastifyReply): string {
  if (!request.cspNonce) {
    request.cspNonce = newNonce();
    const headers = request.server.securityHeaders as SecurityHeaders | undefined;
    if (headers) reply.header('content-security-policy', headers.cspWithNonce(request.cspNonce));
  }
  return request.cspNonce;
}

/** Values quoted by messages whose code reaches a page without them (the upload limit). */
export function messageDefaults(request: FastifyRequest): Record<string, number> {
  const bytes = request.server.config?.uploadMaxBytes;
  return bytes ? { maxMb: Math.round((bytes / 1048576) * 10) / 10 } : {};
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  let csrfToken = '';
  try {
    csrfToken = reply.generateCsrf();
  } catch {
    // Before the cookie plugin is ready (very early failures) there is no token to offer.
  }
  return {
    locale: request.locale,
    t: translator(request.locale, messageDefaults(request)),
    actor: request.actor,
    url: request.url,
    csrfToken,
    nonce: nonceFor(request, reply),
    requestId: request.id,
    easyRead: request.easyRead,
  };
}

export function renderHtml(reply: FastifyReply, page: VNode): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}
