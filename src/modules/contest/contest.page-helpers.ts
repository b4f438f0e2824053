import { AppError } from '../../lib/errors.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { policies } from '../auth/policy.js';
import type { PageError } from './contest.admin-views.js';

export const ADMIN = { policy: policies.official('city_admin') };
export const PAGE = { config: ADMIN, schema: { hide: true } };

/** Errors a page shows in place (with their HTTP status); anything else is the error page. */
export function shown(e: unknown): AppError {
  if (
    e instanceof AppError &&
    (e.code.startsWith('contest_') ||
      ['validation_failed', 'unknown_field', 'file_empty', 'file_too_large', 'file_required'].includes(e.code))
  )
    return e;
  throw e;
}
export const asError = (e: AppError | undefined): PageError =>
  e ? { message: `err.${e.code}` as MessageKey, params: e.params } : undefined;

export const vnInstant = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local);
export const vnLocal = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
export const int = (s: string) => (/^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : NaN);

export function list(body: unknown, name: string, max = 300): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '').slice(0, max);
}
