import type { LightMyRequestResponse } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';

/**
 * A body that passes the route's schema, so that a unit-scope check in the service is reached:
 * validation runs after the policy check but before the handler, and a 400 would say nothing
 * about the scope. Strings with a pattern get the first sample that fits, plain ones some text.
 */
const STRING_SAMPLES = [
  '000.13.42.H26',
  '1.004194',
  '0912345678',
  '001090012345',
  '2026-12-01',
  '2026-12-01T08:00:00.000Z',
  '08:00',
  'authz@example.vn',
  'https://example.vn/hook',
  'a'.repeat(64),
  'abc',
  '1',
];

function sampleString(s: TSchema): string {
  if (s.format === 'email') return 'authz@example.vn';
  if (s.format === 'date') return '2026-12-01';
  if (s.format === 'date-time') return '2026-12-01T08:00:00.000Z';
  if (s.format === 'uri') return 'https://example.vn/hook';
  const min = Number(s.minLength ?? 0);
  const max = Number(s.maxLength ?? Infinity);
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    const fits = STRING_SAMPLES.find((x) => re.test(x) && x.length >= min && x.length <= max);
    if (fits !== undefined) return fits;
  }
  // Plain text that is not blank: services reject blank text after trimming, which would be a
  // refusal of the body rather than a decision about the caller.
  return TEXT.slice(0, max).padEnd(Math.max(min, 1), 'x');
}

const TEXT = 'Nội dung kiểm tra quyền truy cập';

export function sample(schema: TSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.anyOf) return sample((schema.anyOf as TSchema[])[0]!);
  if (schema.oneOf) return sample((schema.oneOf as TSchema[])[0]!);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>((schema.required as string[] | undefined) ?? []);
      for (const [k, p] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) if (required.has(k)) out[k] = sample(p);
      return out;
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample(schema.items as TSchema));
    case 'null':
      return null;
    default:
      try {
        return Value.Create(schema);
      } catch {
        return {};
      }
  }
}

export type Decision = 'allow' | 'deny';

/**
 * How a response is read (docs/authorization.md repeats this):
 * - deny: 401 `unauthenticated` (or a page's 401); 403; a redirect to /login; and 404 when the route targets a fixture record (it
 *   exists, so "not found" is the service hiding it from this caller).
 * - inconclusive (the test fails): 429, any 5xx, and 403 `csrf_invalid` (the harness is wrong).
 * - allow: anything else: the request got past authorization, even if the body or the record's
 *   state was then refused (400, 409, 422...).
 */
export function readDecision(res: LightMyRequestResponse, targeted: boolean): Decision | `inconclusive: ${string}` {
  const code = codeOf(res);
  if (res.statusCode === 429 || res.statusCode >= 500) return `inconclusive: ${res.statusCode} ${code ?? ''}`;
  if (res.statusCode === 403 && code === 'csrf_invalid') return 'inconclusive: csrf';
  // A 401 with another code answers a credential the route itself checks (a password, a contest
  // token): the request was past authorization. A page's 401 carries no code: a deny.
  if (res.statusCode === 401) return code === undefined || code === 'unauthenticated' ? 'deny' : 'allow';
  if (res.statusCode === 403) return 'deny';
  if (res.statusCode >= 300 && res.statusCode < 400 && String(res.headers.location ?? '').startsWith('/login')) return 'deny';
  if (res.statusCode === 404 && targeted) return 'deny';
  return 'allow';
}

function codeOf(res: LightMyRequestResponse): string | undefined {
  if (!String(res.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    return (res.json() as { code?: string }).code;
  } catch {
    return undefined;
  }
}
