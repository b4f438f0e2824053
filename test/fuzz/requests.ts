import fc from 'fast-check';
import type { RegisteredRoute } from '../../src/app.js';
import { BROKEN_JSON, encode, mutated, NASTY, nastyString, queryString, type JsonSchema } from './inputs.js';
import { paramValue, type World } from './world.js';

/** What is sent besides the caller's credentials (added at send time, with the CSRF token). */
export interface Spec {
  url: string;
  headers: Record<string, string>;
  body:
    | { kind: 'none' }
    | { kind: 'raw'; contentType: string; text: string }
    | { kind: 'json'; value: unknown }
    | { kind: 'form'; fields: [string, string][]; csrf: boolean }
    | { kind: 'multipart'; variant: MultipartVariant; fields: [string, string][]; fileName: string; csrf: boolean };
  note: string;
}

export const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isPage = (r: RegisteredRoute) => !r.url.startsWith('/api/');

/** Query and form names every page may read, besides those found in the forms the run has seen. */
export const COMMON_NAMES = [
  'q',
  'page',
  'lang',
  'easy',
  'next',
  'year',
  'from',
  'to',
  'unit',
  'status',
  'field',
  'sort',
  'code',
  'phone',
  'key',
  'id',
];

const RAW_QUERY = [
  '%',
  '%zz',
  '%ff%fe',
  '%c0%af',
  'a[b]=1',
  'a=1&a=2&a=3',
  '=',
  '&&&',
  'lang=xx',
  'page=-1',
  'page=1e9',
  `q=${'%41'.repeat(5000)}`,
];

function pathArb(r: RegisteredRoute, w: World): fc.Arbitrary<{ path: string; note: string }> {
  const names = [...r.url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');
  const base = names.map((n) => paramValue(r.url, n, w));
  const fill = (vals: string[]) => {
    let i = 0;
    return r.url.replace(/:(\w+)|\*/g, () => vals[i++]!);
  };
  if (!names.length) return fc.constant({ path: r.url, note: '' });
  const bad = fc.oneof(
    nastyString(4096).map(encode),
    fc.constantFrom(
      '0',
      '-1',
      '1.5',
      '1e3',
      '99999999999999999999',
      '2147483648',
      'NaN',
      '%2e%2e%2f%2e%2e%2fpackage.json',
      '%zz',
      '%E0%A4%A',
      '%ff',
      'a'.repeat(120),
    ),
  );
  return fc.tuple(fc.nat(names.length * 2 - 1), bad).map(([pick, v]) => {
    // Half the time every id is a real record's, so the handler runs; otherwise one is broken.
    if (pick >= names.length) return { path: fill(base), note: '' };
    const vals = [...base];
    vals[pick] = v;
    return { path: fill(vals), note: `param ${names[pick]}` };
  });
}

function queryArb(r: RegisteredRoute, dict: () => string[]): fc.Arbitrary<{ query: string; note: string }> {
  const schema = (r.schema as { querystring?: JsonSchema } | undefined)?.querystring;
  const raw = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERY) });
  if (schema) {
    return fc
      .tuple(mutated(schema, 64 * 1024), raw)
      .map(([m, extra]) => ({ query: queryString(m.value, extra), note: `query ${m.mutation}` }));
  }
  const names = fc.constant(null).map(() => dict());
  const pairs = names.chain((ns) =>
    fc.array(fc.tuple(fc.constantFrom(...ns), fc.oneof(fc.constantFrom('1', 'vi', 'en', '2026'), nastyString(8192))), { maxLength: 4 }),
  );
  return fc.tuple(pairs, raw).map(([ps, extra]) => ({ query: queryString(Object.fromEntries(ps), extra), note: 'query' }));
}

function headersArb(r: RegisteredRoute, w: World): fc.Arbitrary<Record<string, string>> {
  const schema = (r.schema as { headers?: JsonSchema } | undefined)?.headers;
  if (!schema) return fc.constant({});
  return fc.tuple(mutated(schema, 8192), fc.boolean()).map(([m, real]) => {
    const out: Record<string, string> = {};
    const value =
      m.value && typeof m.value === 'object' && !Array.isArray(m.value) ? (m.value as Record<string, unknown>) : { 'x-fuzz': m.value };
    // Header values travel as Latin-1 text: odd Unicode is sent percent-encoded, as a proxy would pass it on.
    for (const [k, v] of Object.entries(value)) if (/^[a-z0-9-]+$/i.test(k)) out[k] = encode(String(v)).slice(0, 8192);
    if (real && 'x-contest-token' in (schema.properties ?? {})) out['x-contest-token'] = w.contestToken;
    return out;
  });
}

export type MultipartVariant =
  | 'ok'
  | 'badBoundary'
  | 'noBoundary'
  | 'truncated'
  | 'wrongField'
  | 'hugePart'
  | 'hugeField'
  | 'twoFiles'
  | 'fileFirst'
  | 'htmlAsPdf'
  | 'manyParts'
  | 'empty';
const VARIANTS: MultipartVariant[] = [
  'ok',
  'badBoundary',
  'noBoundary',
  'truncated',
  'wrongField',
  'hugePart',
  'hugeField',
  'twoFiles',
  'fileFirst',
  'htmlAsPdf',
  'manyParts',
  'empty',
];

function bodyArb(r: RegisteredRoute, dict: () => string[]): fc.Arbitrary<{ body: Spec['body']; note: string }> {
  const schema = (r.schema as { body?: JsonSchema } | undefined)?.body;
  const options: { weight: number; arbitrary: fc.Arbitrary<{ body: Spec['body']; note: string }> }[] = [];
  if (r.multipart) {
    const fields = fc.array(
      fc.tuple(
        fc.constantFrom('item', 'note', 'title', 'kind', 'sha256', ...dict().slice(0, 20)),
        fc.oneof(fc.constantFrom('0', '-1', '1'), nastyString(4096)),
      ),
      { maxLength: 3 },
    );
    const mp = fc.tuple(fc.constantFrom(...VARIANTS), fields, fc.oneof(fc.constant('giay-to.pdf'), nastyString(300)), fc.boolean());
    options.push({
      weight: 4,
      arbitrary: mp.map(([variant, f, fileName, noCsrf]) => ({
        body: { kind: 'multipart', variant, fields: f, fileName, csrf: !noCsrf },
        note: `multipart ${variant}`,
      })),
    });
  }
  if (schema) {
    options.push({
      weight: 6,
      arbitrary: mutated(schema).map((m) => ({ body: { kind: 'json', value: m.value }, note: `json ${m.mutation}` })),
    });
    options.push({
      weight: 1,
      arbitrary: fc
        .constantFrom(...BROKEN_JSON)
        .map((text) => ({ body: { kind: 'raw', contentType: 'application/json', text }, note: 'broken json' })),
    });
  }
  if (UNSAFE.has(r.method) && isPage(r) && !schema) {
    const names = fc.constant(null).map(() => dict());
    const value = fc.oneof(fc.constantFrom('1', '0', 'on', 'yes', '2026-12-01', '0912345678'), nastyString(200 * 1024));
    const fields = names.chain((ns) => fc.array(fc.tuple(fc.constantFrom(...ns), value), { maxLength: 8 }));
    options.push({
      weight: 6,
      arbitrary: fc
        .tuple(fields, fc.nat(9))
        .map(([f, n]) => ({ body: { kind: 'form', fields: f, csrf: n !== 0 }, note: n === 0 ? 'form without csrf' : 'form' })),
    });
  }
  if (UNSAFE.has(r.method)) {
    options.push({
      weight: 1,
      arbitrary: fc
        .constantFrom(
          { contentType: 'text/plain', text: 'hello' },
          { contentType: 'application/xml', text: '<a/>' },
          { contentType: 'multipart/form-data', text: 'x' },
          { contentType: 'application/x-www-form-urlencoded', text: '%%%&&=&a=%ff' },
          { contentType: 'application/json; charset=utf-16', text: '{}' },
          { contentType: 'application/json', text: `{"a":"${'b'.repeat(1024 * 1024 + 10)}"}` },
        )
        .map((raw) => ({ body: { kind: 'raw', ...raw }, note: `raw ${raw.contentType}` })),
    });
  }
  if (!options.length) return fc.constant({ body: { kind: 'none' }, note: '' });
  return fc.oneof(...options);
}

export function requestArb(r: RegisteredRoute, w: World, dict: () => string[]): fc.Arbitrary<Spec> {
  return fc.tuple(pathArb(r, w), queryArb(r, dict), headersArb(r, w), bodyArb(r, dict)).map(([p, q, headers, b]) => ({
    url: `${p.path}${q.query}`,
    headers,
    body: b.body,
    note: [p.note, q.note, b.note].filter(Boolean).join(', '),
  }));
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** The bytes of a multipart body: well-formed, or broken the way the variant says. */
export function multipartPayload(
  b: Extract<Spec['body'], { kind: 'multipart' }>,
  csrf: string | null,
  maxBytes: number,
): { payload: Buffer; contentType: string } {
  const boundary = '----motcuafuzz7MA4YWxkTrZu0gW';
  const field = (k: string, v: string) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const file = (name: string, bytes: Buffer, fieldName = 'file') =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${b.fileName.replace(/"/g, '%22')}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    ]);
  const parts: Buffer[] = [];
  const token = csrf !== null && b.csrf ? [field('_csrf', csrf)] : [];
  const fields = [field('item', '0'), ...b.fields.map(([k, v]) => field(k, v))];
  switch (b.variant) {
    case 'fileFirst':
      parts.push(file('x', PDF), ...token, ...fields);
      break;
    case 'wrongField':
      parts.push(...token, field('nope', '1'), file('x', PDF, 'attachment[]'));
      break;
    case 'hugePart':
      parts.push(...token, ...fields, file('x', Buffer.concat([PDF, Buffer.alloc(maxBytes + 1, 0x20)])));
      break;
    case 'hugeField':
      parts.push(...token, field('item', 'ạ'.repeat(40_000)), file('x', PDF));
      break;
    case 'twoFiles':
      parts.push(...token, ...fields, file('x', PDF), file('y', PDF));
      break;
    case 'htmlAsPdf':
      parts.push(...token, ...fields, file('x', Buffer.from('<html><script>alert(1)</script></html>')));
      break;
    case 'manyParts':
      parts.push(...token, ...Array.from({ length: 40 }, (_, i) => field(`f${i}`, 'x')), file('x', PDF));
      break;
    case 'empty':
      parts.push(...token, ...fields, file('x', Buffer.alloc(0)));
      break;
    default:
      parts.push(...token, ...fields, file('x', PDF));
  }
  let payload = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  let contentType = `multipart/form-data; boundary=${boundary}`;
  if (b.variant === 'badBoundary') contentType = 'multipart/form-data; boundary=not-the-one-used';
  if (b.variant === 'noBoundary') contentType = 'multipart/form-data';
  if (b.variant === 'truncated') payload = payload.subarray(0, Math.floor(payload.length * 0.6));
  return { payload, contentType };
}

export { NASTY };
