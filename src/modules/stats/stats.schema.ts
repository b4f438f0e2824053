import { Type, type Static } from '@sinclair/typebox';

/** Query of GET /api/v1/reports/dossiers (and of the dashboards, which use the same names). */
export const ReportQuerySchema = Type.Object(
  {
    unit: Type.String({ minLength: 1, maxLength: 40 }),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
    period: Type.Optional(Type.String({ maxLength: 40 })),
    subtree: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    convention: Type.Optional(Type.Union([Type.Literal('pause'), Type.Literal('restart')])),
    procedure: Type.Optional(Type.String({ maxLength: 20 })),
    field: Type.Optional(Type.String({ maxLength: 40 })),
    channel: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')])),
    detail: Type.Optional(Type.Literal('procedures', { description: 'also one row per procedure, with its average processing time' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuerySchema>;

const Named = Type.Object({ vi: Type.String(), en: Type.String() });
const Rate = Type.Union([Type.Number(), Type.Null()], { description: 'percent with two decimals; null when the denominator is 0' });

/** The figures of one unit (or one row of a breakdown) over one period. */
export const FiguresSchema = Type.Object({
  received: Type.Object({
    total: Type.Integer({ description: 'newly received in the period' }),
    online: Type.Integer(),
    inPerson: Type.Integer(),
    post: Type.Integer(),
    carriedOver: Type.Integer({ description: 'received before the period and not ended by its start' }),
  }),
  finished: Type.Object({
    total: Type.Integer(),
    early: Type.Integer(),
    onTime: Type.Integer(),
    late: Type.Integer(),
    rejected: Type.Integer({ description: 'of the finished: processing ended with a refusal decision' }),
  }),
  inProgress: Type.Object({ total: Type.Integer(), withinDeadline: Type.Integer(), overdue: Type.Integer() }),
  stopped: Type.Integer({ description: 'withdrawn + stopped' }),
  stoppedBy: Type.Object({ withdrawn: Type.Integer(), stopped: Type.Integer() }),
  refusedAtReception: Type.Integer({ description: 'submitted, refused by the desk, never received' }),
  onTimeRate: Rate,
  onlineShare: Rate,
});
export type Figures = Static<typeof FiguresSchema>;

export const ReportSchema = Type.Object({
  unit: Type.Object({ code: Type.String(), name: Named, level: Type.String() }),
  subtree: Type.Boolean(),
  period: Type.Object({ from: Type.String(), to: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  convention: Type.Union([Type.Literal('pause'), Type.Literal('restart')]),
  filters: Type.Object({
    procedure: Type.Union([Type.String(), Type.Null()]),
    field: Type.Union([Type.String(), Type.Null()]),
    channel: Type.Union([Type.Integer(), Type.Null()]),
  }),
  /** The instant open dossiers were measured at: the end of the period, or now if that is earlier. */
  measuredAt: Type.String(),
  ...FiguresSchema.properties,
  /** One row per child unit (subtree reports) for league tables and drill-down. */
  units: Type.Array(Type.Object({ code: Type.String(), name: Named, level: Type.String(), ...FiguresSchema.properties })),
  /** One row per procedure with dossiers in the period, with the average processing time in the procedure's own unit. */
  procedures: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Named,
      received: Type.Integer(),
      finished: Type.Integer(),
      onTime: Type.Integer(),
      late: Type.Integer(),
      averageTime: Type.Union([Type.Null(), Type.Object({ value: Type.Number(), unit: Type.String() })]),
    }),
  ),
});
export type Report = Static<typeof ReportSchema>;

export const CoverageQuerySchema = Type.Object(
  {
    unit: Type.String({ minLength: 1, maxLength: 40 }),
    subtree: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    period: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuerySchema>;

export const FIGURES = [
  'received',
  'received.online',
  'received.inPerson',
  'received.post',
  'received.carriedOver',
  'finished',
  'finished.early',
  'finished.onTime',
  'finished.late',
  'inProgress',
  'inProgress.withinDeadline',
  'inProgress.overdue',
  'stopped',
  'refusedAtReception',
] as const;
export type Figure = (typeof FIGURES)[number];

/** GET /api/v1/dossiers: the dossiers behind a figure (officials, within their units). */
export const DossierListQuerySchema = Type.Object(
  {
    unit: Type.String({ minLength: 1, maxLength: 40 }),
    subtree: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    receivedFrom: Type.Optional(Type.String({ maxLength: 10 })),
    receivedTo: Type.Optional(Type.String({ maxLength: 10 })),
    figure: Type.Optional(Type.Union(FIGURES.map((f) => Type.Literal(f)))),
    period: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
    convention: Type.Optional(Type.Union([Type.Literal('pause'), Type.Literal('restart')])),
    procedure: Type.Optional(Type.String({ maxLength: 20 })),
    field: Type.Optional(Type.String({ maxLength: 40 })),
    channel: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type DossierListQuery = Static<typeof DossierListQuerySchema>;

export const CLASSIFICATIONS = [
  'early',
  'on_time',
  'late',
  'in_progress',
  'overdue',
  'withdrawn',
  'stopped',
  'refused',
  'not_received',
] as const;
export type ListClass = (typeof CLASSIFICATIONS)[number];

export const DossierListItemSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  unit: Type.String(),
  procedure: Type.String(),
  channel: Type.Integer(),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  returnedAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer({ description: 'national status code 1-10' }),
  classification: Type.Union(CLASSIFICATIONS.map((c) => Type.Literal(c))),
});
export type DossierListItem = Static<typeof DossierListItemSchema>;
