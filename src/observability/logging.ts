import { mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * Logs carry no personal data (docs/privacy.md, "Logs"): credentials are redacted by path, and a
 * request's URL is logged with the values of sensitive query parameters and anything shaped like a
 * phone number, an ID number, an e-mail address or a token replaced by `[redacted]`.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-contest-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.phone',
  '*.citizenId',
  '*.email',
];

const SENSITIVE_PARAM = /phone|token|key|check|cccd|citizen|email|password|secret|sig|identifier|otp|^q$/i;
const R = '[redacted]';

/** The URL with query values of sensitive names and personal-data-shaped path segments redacted. */
export function sanitizeUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const cleanPath = path
    .split('/')
    .map((seg) => (looksPersonal(decodeSafe(seg)) ? R : seg))
    .join('/');
  if (!query) return cleanPath;
  const cleanQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decodeSafe(pair.slice(0, eq));
      const value = decodeSafe(pair.slice(eq + 1).replace(/\+/g, ' '));
      return SENSITIVE_PARAM.test(name) || looksPersonal(value) ? `${pair.slice(0, eq)}=${R}` : pair;
    })
    .join('&');
  return `${cleanPath}?${cleanQuery}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A phone number (any usual spelling), a 9/12-digit ID number, an e-mail address, a long token. */
export function looksPersonal(value: string): boolean {
  const compact = value.replace(/[\s.\-()]/g, '');
  return (
    /(^|\D)(\+?84|0)[35789]\d{8}(\D|$)/.test(compact) ||
    /(^|\D)(\d{9}|\d{12})(\D|$)/.test(value) ||
    /[^\s@/]+@[^\s@/]+\.[a-z]{2,}/i.test(value) ||
    /^[A-Za-z0-9_-]{32,}$/.test(value)
  );
}

let fileFd: number | null = null;

/**
 * With MOTCUA_TEST_LOG_DIR set (the test runner sets it), every log line of this process is also
 * written to `<dir>/<pid>.log`, so scripts/test.mjs can search the logs of a whole run for personal
 * data. Written synchronously: a test process may exit right after its last request.
 */
function testLogFd(): number | null {
  const dir = process.env.MOTCUA_TEST_LOG_DIR;
  if (!dir) return null;
  if (fileFd === null) {
    mkdirSync(dir, { recursive: true });
    fileFd = openSync(join(dir, `${process.pid}.log`), 'a');
  }
  return fileFd;
}

/** Fastify's logger options; `enabled: false` logs nowhere unless the test log directory is set. */
export function loggerOptions(config: Config, enabled = true): FastifyServerOptions['logger'] {
  const fd = testLogFd();
  if (!enabled && fd === null) return false;
  const stream = {
    write(line: string) {
      if (enabled) process.stdout.write(line);
      if (fd !== null) writeSync(fd, line);
    },
  };
  return {
    // A test app is silent on stdout but logs at the production default into the test log file.
    level: enabled ? config.logLevel : 'info',
    redact: REDACT_PATHS,
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: sanitizeUrl(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
    stream,
  };
}
