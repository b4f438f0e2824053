import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** HSTS for a year and every subdomain (the preload list asks for the same; we do not opt in to it). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** helmet's response headers for a policy, computed once (helmet writes into this recorder). */
function recordHelmet(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

export interface SecurityHeaders {
  /** Headers for every response: the CSP there allows no inline script at all. */
  readonly base: Readonly<Record<string, string>>;
  /** The same CSP with one nonce added to script-src, for an HTML page that may carry inline scripts. */
  cspWithNonce(nonce: string): string;
}

const PLACEHOLDER = 'motcua-nonce-placeholder';

type CspDirectives = NonNullable<Exclude<HelmetOptions['contentSecurityPolicy'], boolean | undefined>['directives']>;

/**
 * The security headers, decided by helmet once at start-up. @fastify/helmet rebuilt the whole
 * middleware on every request, 5-8% of the server's time on every route (bench/README.md,
 * contest); a page's nonce is therefore a string concatenation around the precomputed policy.
 * Framing is refused twice (frame-ancestors 'none' and X-Frame-Options DENY, for old browsers).
 * HSTS is not among them: whether a response went over HTTPS is decided per deployment or request
 * (app.ts).
 */
export function securityHeaders(directives: Readonly<CspDirectives>): SecurityHeaders {
  const scriptSrc = (directives.scriptSrc ?? ["'self'"]) as string[];
  const record = (d: CspDirectives) =>
    recordHelmet({ contentSecurityPolicy: { directives: d }, xFrameOptions: { action: 'deny' }, strictTransportSecurity: false });
  const base = record(directives);
  const withPlaceholder = record({ ...directives, scriptSrc: [...scriptSrc, `'nonce-${PLACEHOLDER}'`] });
  const [before, after] = withPlaceholder['content-security-policy']!.split(PLACEHOLDER) as [string, string];
  return {
    base: Object.freeze(base),
    cspWithNonce: (nonce) => before + nonce + after,
  };
}

/**
 * A fresh nonce: 122 random bits from node's buffered UUID source, far cheaper than a
 * randomBytes() call per page. Its characters (hex and "-") are valid in a CSP nonce-source.
 */
export const newNonce = (): string => randomUUID();
