/**
 * Every failure of the calendar code carries a stable snake_case code so the HTTP layer can map it
 * to a 4xx response without parsing messages.
 */
export type CalendarErrorCode =
  | 'invalid_date'
  | 'invalid_time'
  | 'invalid_lunar_date'
  | 'unknown_time_unit'
  | 'amount_out_of_range'
  | 'year_out_of_range'
  | 'invalid_office_hours'
  | 'invalid_pause'
  | 'open_pause'
  | 'unknown_convention'
  | 'date_outside_year'
  | 'duplicate_date'
  | 'not_a_weekend'
  | 'day_off_on_weekend'
  | 'year_mismatch';

export class CalendarError extends Error {
  constructor(
    public readonly code: CalendarErrorCode,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'CalendarError';
  }
}
