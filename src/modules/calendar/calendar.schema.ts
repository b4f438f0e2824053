import { Type, type Static } from '@sinclair/typebox';
import { AgencyCode, IsoDate } from '../units/units.schema.js';

const Named = Type.Object(
  { vi: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const DayEntry = Type.Object({ date: IsoDate, name: Named }, { additionalProperties: false });

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2100 }) }, { additionalProperties: false });

export const YearCalendarBody = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
    holidays: Type.Array(DayEntry, { maxItems: 60 }),
    daysOff: Type.Array(DayEntry, { maxItems: 60 }),
    workingWeekends: Type.Array(IsoDate, { maxItems: 60 }),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'The government decision this follows' })),
  },
  { additionalProperties: false },
);
export type YearCalendarBody = Static<typeof YearCalendarBody>;

export const YearCalendarView = Type.Object({
  year: Type.Integer(),
  status: Type.Union([Type.Literal('published'), Type.Literal('proposed')]),
  version: Type.Union([Type.Integer(), Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  holidays: Type.Array(Type.Object({ date: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) })),
  daysOff: Type.Array(Type.Object({ date: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) })),
  workingWeekends: Type.Array(Type.String()),
});
export type YearCalendarView = Static<typeof YearCalendarView>;

export const LunarQuery = Type.Object({ date: IsoDate }, { additionalProperties: false });
export const LunarView = Type.Object({ day: Type.Integer(), month: Type.Integer(), year: Type.Integer(), leap: Type.Boolean() });
export const SolarQuery = Type.Object(
  {
    day: Type.Integer({ minimum: 1, maximum: 30 }),
    month: Type.Integer({ minimum: 1, maximum: 12 }),
    year: Type.Integer({ minimum: 1900, maximum: 2100 }),
    leap: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const WorkingDaysQuery = Type.Object(
  { from: IsoDate, to: IsoDate, unitCode: Type.Optional(AgencyCode) },
  { additionalProperties: false },
);

export const TimeUnit = Type.Union([Type.Literal('working_days'), Type.Literal('hours'), Type.Literal('days'), Type.Literal('months')]);
export const DeadlineQuery = Type.Object(
  {
    receivedAt: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
      description: 'ISO 8601 instant with an offset, e.g. 2026-02-13T15:01:00+07:00',
    }),
    amount: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
    unit: Type.String({ maxLength: 20 }),
    unitCode: Type.Optional(AgencyCode),
  },
  { additionalProperties: false },
);
export const SkippedView = Type.Object({
  date: Type.String(),
  kind: Type.String(),
  reason: Type.Object({ vi: Type.String(), en: Type.String() }),
});
export const DeadlineView = Type.Object({
  dueAt: Type.String(),
  countFrom: Type.String(),
  calendarStatus: Type.Record(Type.String(), Type.Union([Type.Literal('published'), Type.Literal('proposed')]), {
    description: 'Whether each year the computation touched is published or only proposed',
  }),
  skipped: Type.Array(SkippedView),
});

const Session = Type.Object(
  { start: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), end: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) },
  { additionalProperties: false },
);
export const OfficeHoursBody = Type.Object(
  { sessions: Type.Array(Session, { minItems: 1, maxItems: 6 }), cutoff: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) },
  { additionalProperties: false },
);
export const OfficeHoursView = Type.Object({
  unitCode: Type.String(),
  custom: Type.Boolean(),
  sessions: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  cutoff: Type.String(),
});
