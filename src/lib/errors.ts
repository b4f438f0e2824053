/**
 * A failure the caller can act on. Services throw these with a stable code; the HTTP edge
 * (web/http-errors.ts) alone decides the status and the localized message.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    /** Per-field problems, for forms: field name -> error code. */
    readonly fields: Record<string, ErrorCode> = {},
  ) {
    super(code);
  }
}

export const ERROR_STATUS = {
  not_found: 404,
  route_not_found: 404,
  validation_failed: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  csrf_invalid: 403,
  rate_limited: 429,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  account_locked: 423,
  identifier_taken: 409,
  citizen_id_taken: 409,
  invalid_phone: 400,
  invalid_email: 400,
  invalid_citizen_id: 400,
  invalid_tax_code: 400,
  invalid_name: 400,
  weak_password: 400,
  contact_required: 400,
  tax_code_required: 400,
  unit_not_found: 404,
  invalid_unit_tree: 400,
  unit_code_taken: 409,
  invalid_date: 400,
  token_not_found: 404,
  role_not_assignable: 403,
  account_not_found: 404,
  invalid_time: 400,
  invalid_lunar_date: 400,
  unknown_time_unit: 400,
  amount_out_of_range: 400,
  year_out_of_range: 400,
  invalid_office_hours: 400,
  invalid_pause: 400,
  open_pause: 400,
  unknown_convention: 400,
  date_outside_year: 400,
  duplicate_date: 400,
  not_a_weekend: 400,
  day_off_on_weekend: 400,
  year_mismatch: 400,
  range_too_long: 400,
  procedure_not_found: 404,
  duplicate_procedure_code: 400,
  unknown_field: 400,
  invalid_catalogue_file: 400,
  procedure_not_offerable: 400,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
