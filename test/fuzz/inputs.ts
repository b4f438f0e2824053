import fc from 'fast-check';

/** A JSON schema as TypeBox emits it (only the keywords the generators read). */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
}

const MB = 1024 * 1024;

/** Strings that break naive code: SQL, markup, odd Unicode, control characters, path tricks. */
export const NASTY: readonly string[] = [
  "' or 1=1 --",
  "1'; drop table account; --",
  '"; drop table dossier; --',
  '1 union select password_hash from account',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '{{7*7}}${7*7}<%= 7*7 %>',
  'a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b',
  '\u202egnp.exe\u202c',
  '\u200b\u200c\u200d\u2060\ufeff',
  '\ud800',
  'x\udfffy',
  '👩‍👩‍👧‍👦🇻🇳',
  'Nguye\u0302\u0303n', // decomposed "Nguyễn"
  'a\u0000b',
  '\u0000',
  '\r\n\t\u000b\u000c\u0085\u2028\u2029',
  '../../../../etc/passwd',
  '..%2f..%2fpackage.json',
  '%00',
  '%ff%fe',
  ' ',
  '',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999999',
  '2026-02-30',
  '2026-13-01T25:61:61Z',
  '0912345678',
  '001090012345',
  '000.13.42.H26',
  '1.004873',
];

/** Nasty strings plus generated ones: random full Unicode, and long runs up to `huge` characters. */
export function nastyString(huge = MB): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(256, 4096, 70_000, huge).map((n) => 'ạ'.repeat(Math.ceil(n / 3))) },
  );
}

/** Values of every JSON type, for "wrong type" mutations. */
const ANY_TYPE: readonly unknown[] = [0, -1, 1.5, 2 ** 53, true, false, null, [], [1, 'a'], {}, { a: 1 }, '', 'text', '1'];

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const DATE = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true });

/** A value the schema accepts (as far as its keywords say); the start of every mutation. */
export function valid(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant('x');
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => valid(a, depth + 1)));
  if (s.allOf?.length) return valid(s.allOf[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return validString(s);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min, 1000));
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(Math.max(min, max), 2 ** 31) });
    }
    case 'number': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? Math.max(min, 1000);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(s.items, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object': {
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      if (!keys.length) return fc.constant({});
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) model[k] = valid(props[k], depth + 1);
      return fc.record(model, { requiredKeys: keys.filter((k) => s.required?.includes(k)) });
    }
    default:
      return fc.constant('x');
  }
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 30, 60));
  switch (s.format) {
    case 'date':
      return DATE.map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return DATE.map((d) => d.toISOString());
    case 'email':
      return fc.constantFrom('nguyen.van.an@example.vn', 'a@b.vn');
    case 'uri':
      return fc.constant('https://example.vn/hook');
    case 'uuid':
      return fc.uuid();
  }
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      const fits = (v: string) => v.length <= (s.maxLength ?? Infinity) && v.length >= min;
      // Real values of the domain first (a random string matching \d{4}-\d{2}-\d{2} is rarely a date).
      const real = realistic().filter((v) => re.test(v) && fits(v));
      const random = fc.stringMatching(re).filter(fits);
      return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: random }) : random;
    } catch {
      // A pattern JavaScript cannot compile: fall through to plain text.
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' });
}

/** Values the app's patterns are written for: dates, unit and procedure codes, phones, ids, years. */
function realistic(): string[] {
  const today = new Date().toISOString().slice(0, 10);
  const year = today.slice(0, 4);
  return [
    today,
    `${year}-12-01`,
    `${year}-02-29`,
    `${today}T08:30:00.000Z`,
    `${today}T08:30:00+07:00`,
    '08:30',
    year,
    `${year}-06`,
    '000.13.42.H26',
    '000.00.42.H26',
    '1.004873',
    '1.000894',
    '0912345678',
    '001090012345',
    '0100109106',
    'vi',
    'en',
  ];
}

type Path = (string | number)[];

/** Every path to a value inside `v` (the root is the empty path). */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: unknown, path: Path, fn: (v: unknown) => unknown | typeof DROP): unknown {
  if (!path.length) return fn(root);
  const copy: unknown = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  const c = copy as Record<string | number, unknown>;
  const next = setAt(c[head!], rest, fn);
  if (next === DROP) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete c[head!];
  } else c[head!] = next;
  return copy;
}

const DROP = Symbol('drop');

export type Mutation = 'valid' | 'nasty' | 'wrongType' | 'drop' | 'extra' | 'range' | 'whole';
const MUTATIONS: readonly Mutation[] = ['valid', 'nasty', 'nasty', 'wrongType', 'drop', 'extra', 'range', 'whole'];

const OUT_OF_RANGE = [-1, 0, -(2 ** 31) - 1, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 0.5, -0.000001, 1e21];

/** A value built from the schema, then broken in one way (or kept valid, with odd text inside). */
export function mutated(s: JsonSchema | undefined, huge = MB): fc.Arbitrary<{ value: unknown; mutation: Mutation }> {
  return fc
    .tuple(
      valid(s),
      fc.constantFrom(...MUTATIONS),
      fc.nat(),
      nastyString(huge),
      fc.constantFrom(...ANY_TYPE),
      fc.constantFrom(...OUT_OF_RANGE),
    )
    .map(([base, mutation, pick, nasty, other, number]) => {
      const all = paths(base);
      const path = all[pick % all.length]!;
      switch (mutation) {
        case 'valid':
          return { value: base, mutation };
        case 'nasty': {
          // Put the odd text where text goes, if there is a string leaf; anywhere otherwise.
          const strings = all.filter((p) => typeof getAt(base, p) === 'string');
          return { value: setAt(base, strings.length ? strings[pick % strings.length]! : path, () => nasty), mutation };
        }
        case 'wrongType': {
          const t = typeOf(getAt(base, path));
          return { value: setAt(base, path, () => (typeOf(other) === t ? `${String(other)}!` : other)), mutation };
        }
        case 'drop': {
          const inside = all.filter((p) => p.length > 0);
          return { value: inside.length ? setAt(base, inside[pick % inside.length]!, () => DROP) : undefined, mutation };
        }
        case 'extra': {
          const objects = all.filter((p) => typeOf(getAt(base, p)) === 'object');
          const key = ['isAdmin', 'role', 'unitCode', 'id', 'constructor', 'status', nasty.slice(0, 40)][pick % 7]!;
          return {
            value: objects.length
              ? setAt(base, objects[pick % objects.length]!, (o) => ({ ...(o as object), [key]: other }))
              : { [key]: other },
            mutation,
          };
        }
        case 'range': {
          const numbers = all.filter((p) => typeof getAt(base, p) === 'number');
          return { value: setAt(base, numbers.length ? numbers[pick % numbers.length]! : path, () => number), mutation };
        }
        case 'whole':
          return { value: other, mutation };
      }
    });
}

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)?.[k];
  return v;
}

/** JSON texts that are not JSON, or are JSON a parser may choke on. */
export const BROKEN_JSON: readonly string[] = [
  '{"a": ',
  '{',
  '[1, 2',
  '{"a":1}}',
  "{'a': 1}",
  'nul',
  '',
  ' ',
  '{"__proto__": {"isAdmin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
  '{"a": "\\ud800"}',
  '{"a": 1e999999}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  '\u0000',
  '\ufeff{}',
];

/** URL-encodes text byte for byte, so lone surrogates and NUL reach the server as they would from a raw client. */
export function encode(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('binary')
    .replace(/[^A-Za-z0-9\-_.~]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A query string from an object, arrays as repeated keys, other objects as text; `raw` appends undecodable bytes. */
export function queryString(value: unknown, raw = ''): string {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return raw ? `?${raw}` : value === undefined ? '' : `?v=${encode(String(value))}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${encode(typeof x === 'object' ? JSON.stringify(x) : String(x))}`);
  }
  if (raw) parts.push(raw);
  return parts.length ? `?${parts.join('&')}` : '';
}
