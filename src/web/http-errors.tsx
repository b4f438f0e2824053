import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CalendarError } from '../domain/calendar/index.js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../lib/errors.js';
import { isMessageKey, translator, type MessageKey } from './i18n/index.js';
import { Layout } from './layout.js';
import { messageDefaults, pageContext, renderHtml } from './render.js';

/** The one place where failures become HTTP: status, stable code, localized message. */
interface Problem {
  status: number;
  code: ErrorCode;
  params: Record<string, string | number>;
  fields: { field: string; code: string; message: MessageKey }[];
}

const AJV_KEYWORD: Record<string, MessageKey> = {
  required: 'val.required',
  additionalProperties: 'val.unknown',
  type: 'val.type',
  maxLength: 'val.tooLong',
  minLength: 'val.tooShort',
  maxItems: 'val.tooLong',
  minItems: 'val.tooShort',
  format: 'val.format',
  pattern: 'val.format',
  minimum: 'val.range',
  maximum: 'val.range',
  exclusiveMinimum: 'val.range',
  exclusiveMaximum: 'val.range',
  enum: 'val.enum',
  const: 'val.enum',
  anyOf: 'val.invalid',
};

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function fromValidation(issues: AjvIssue[], context: string | undefined): Problem['fields'] {
  const seen = new Set<string>();
  const out: Problem['fields'] = [];
  for (const i of issues) {
    const extra = (i.params.missingProperty ?? i.params.additionalProperty) as string | undefined;
    const path = `${i.instancePath.replace(/^\//, '').replace(/\//g, '.')}${extra ? `${i.instancePath ? '.' : ''}${extra}` : ''}`;
    const field = `${context ?? 'body'}${path ? `.${path}` : ''}`;
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, code: i.keyword, message: AJV_KEYWORD[i.keyword] ?? 'val.invalid' });
  }
  return out;
}

export function toProblem(err: unknown): Problem {
  // Domain code stays free of HTTP: its error codes are mapped here like the services' ones.
  if (err instanceof CalendarError) return toProblem(new AppError(err.code));
  if (err instanceof AppError) {
    return {
      status: ERROR_STATUS[err.code],
      code: err.code,
      params: err.params,
      fields: Object.entries(err.fields).map(([field, code]) => ({ field, code, message: `err.${code}` as MessageKey })),
    };
  }
  const e = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  const simple = (code: ErrorCode): Problem => ({ status: ERROR_STATUS[code], code, params: {}, fields: [] });
  if (e?.validation) {
    return { ...simple('validation_failed'), fields: fromValidation(e.validation, e.validationContext) };
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return simple('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return simple('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return simple('malformed_json');
    // A path parameter longer than any key names nothing.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return simple('not_found');
    case 'FST_ERR_BAD_URL':
      return simple('malformed_url');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return simple('csrf_invalid');
  }
  if (isDatabaseUnavailable(err)) return simple('database_unavailable');
  const status = e?.statusCode ?? 500;
  if (status === 429) return simple('rate_limited');
  if (status === 404) return simple('not_found');
  if (status === 413) return simple('payload_too_large');
  if (status === 415) return simple('unsupported_media_type');
  if (status === 400 && (err instanceof SyntaxError || /json/i.test(e?.message ?? ''))) return simple('malformed_json');
  if (status >= 400 && status < 500) return { ...simple('validation_failed'), status };
  return simple('internal');
}

/** API callers and machines get problem+json; people get a page in their language. */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/api/') || path === '/healthz' || path === '/readyz' || path === '/metrics';
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const p = toProblem(err);
  // A round's results being computed is expected at its close, not a failure to look into.
  // Nor is the day's SMS budget spent: an alert watches for it (docs/operations.md, section 8), and a
  // flood of such refusals must not flood the log with stack traces.
  if (p.status >= 500 && p.code !== 'contest_results_pending' && p.code !== 'contest_recovery_budget_spent')
    request.log.error({ err }, 'request failed');
  else request.log[p.code === 'contest_recovery_budget_spent' ? 'warn' : 'info']({ code: p.code, status: p.status }, 'request refused');
  const locale = request.locale ?? 'vi';
  const t = translator(locale, messageDefaults(request));
  const messageKey = `err.${p.code}`;
  const title = isMessageKey(messageKey) ? t(messageKey, p.params) : t('err.internal');
  // A refusal that knows its wait (a rate window, a code asked for a moment ago) says so.
  if (p.status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', String(p.params.seconds ?? 60));
  if (p.code === 'database_unavailable') reply.header('retry-after', '5');
  if (p.code === 'contest_recovery_budget_spent') reply.header('retry-after', String(p.params.seconds));
  if (p.code === 'contest_results_pending') reply.header('retry-after', '15');
  if (wantsJson(request)) {
    return reply
      .status(p.status)
      .type('application/problem+json; charset=utf-8')
      .send({
        type: `urn:motcua:error:${p.code}`,
        title,
        status: p.status,
        code: p.code,
        requestId: request.id,
        ...(p.fields.length ? { errors: p.fields.map((f) => ({ field: f.field, code: f.code, message: t(f.message) })) } : {}),
      });
  }
  const ctx = pageContext(request, reply);
  const is404 = p.code === 'not_found' || p.code === 'route_not_found';
  // A 5xx the person can act on (wait and retry) says so; the others stay generic.
  const failed = p.status >= 500 && p.code !== 'contest_results_pending';
  const heading = is404 ? t('error.404.title') : failed ? t('error.500.title') : t('error.generic.title');
  const body = is404 ? t('error.404.body') : failed ? t('error.500.body', { id: request.id }) : title;
  return renderHtml(
    reply.status(p.status),
    <Layout ctx={ctx} title={heading} hasError={!is404 && !failed}>
      <h1>{heading}</h1>
      <p class="lead">{body}</p>
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </Layout>,
  );
}
