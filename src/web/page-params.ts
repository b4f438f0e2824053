import { AppError } from '../lib/errors.js';

// Page routes read their parameters by hand (a bad one is a 404 page, not a JSON 400), with the
// same formats as the API schemas.
const AGENCY_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$/;
const PROCEDURE_CODE = /^(\d\.\d{6}|L\.\d{6})$/;

function param(params: unknown, name: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

export function unitCodeParam(params: unknown): string {
  const code = param(params, 'code');
  if (!AGENCY_CODE.test(code)) throw new AppError('not_found');
  return code;
}

export function procedureCodeParam(params: unknown): string {
  const code = param(params, 'code');
  if (!PROCEDURE_CODE.test(code)) throw new AppError('not_found');
  return code;
}

/** A calendar year the pages can show (the calendar supports 1900–2100). */
export function yearParam(params: unknown): number {
  const raw = param(params, 'year');
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= 1900 && year <= 2100)) throw new AppError('not_found');
  return year;
}

/** A text field of a posted form (absent, repeated or non-text fields read as empty), bounded in length. */
export function formText(body: unknown, name: string, max = 20_000): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** Ids are PostgreSQL `integer` columns: a larger number would fail in the database, not just miss. */
export const MAX_ID = 2_147_483_647;

/** A numeric id in the path (pages): anything else is a 404, as for an unknown id. */
export function idParam(params: unknown): number {
  const raw = (params as Record<string, unknown> | undefined)?.id;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > MAX_ID) throw new AppError('not_found');
  return Number(raw);
}
