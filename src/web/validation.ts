import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

const base: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };

/**
 * Query strings and path parameters arrive as text and must be coerced ("3" -> 3). JSON bodies
 * must not be: coercion would silently turn 0 into null (or null into 0) in nullable fields.
 * Unknown fields are errors everywhere, never silently dropped.
 */
export function installValidators(app: FastifyInstance): void {
  const { coercing, exact } = (compilers ??= {
    coercing: addFormats(new Ajv({ ...base, coerceTypes: 'array' })),
    exact: addFormats(new Ajv({ ...base, coerceTypes: false })),
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema));
}

// Shared by every app in the process: Ajv caches compiled schemas by identity, and the route
// schemas are module constants, so a second app (tests build one per file) compiles nothing again.
let compilers: { coercing: Ajv; exact: Ajv } | undefined;
