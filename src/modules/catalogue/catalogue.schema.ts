import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AgencyCode, IsoDate, UnitLevel } from '../units/units.schema.js';
import { Workflow } from '../../domain/workflow/schema.js';

const Text = (max = 4000) =>
  Type.Object({ vi: Type.String({ minLength: 1, maxLength: max }), en: Type.String({ maxLength: max }) }, { additionalProperties: false });
const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);

export const ProcedureCode = Type.String({
  pattern: '^(\\d\\.\\d{6}|L\\.\\d{6})$',
  description: 'National code d.dddddd, or L.dddddd for local procedures',
  examples: ['1.001193'],
});
export const TimeUnitName = Type.Union([Type.Literal('working_days'), Type.Literal('hours'), Type.Literal('days'), Type.Literal('months')]);
export const OnlineMode = Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('none')]);

const FormFieldBase = {
  name: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,40}$' }),
  label: Text(300),
  required: Type.Optional(Type.Boolean()),
  hint: Type.Optional(Text(500)),
};
const Option = Type.Object({ value: Type.String({ minLength: 1, maxLength: 100 }), label: Text(200) }, { additionalProperties: false });
const SimpleField = Type.Object(
  {
    ...FormFieldBase,
    type: Type.Union(
      ['text', 'textarea', 'number', 'date', 'select', 'address', 'citizen_id', 'phone', 'email'].map((t) => Type.Literal(t)),
    ),
    options: Type.Optional(Type.Array(Option, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const GroupField = Type.Object(
  { ...FormFieldBase, type: Type.Literal('group'), fields: Type.Array(SimpleField, { minItems: 1, maxItems: 30 }) },
  { additionalProperties: false },
);
export const FormField = Type.Union([SimpleField, GroupField]);

export const Document = Type.Object(
  {
    name: Text(500),
    originals: Nullable(Type.Integer({ minimum: 0, maximum: 20 })),
    copies: Nullable(Type.Integer({ minimum: 0, maximum: 20 })),
    template: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    note: Type.Optional(Nullable(Text(1000))),
    // False for documents needed only in some cases or only shown at the desk: online submission
    // does not insist on them. Absent means required.
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * How the fee is computed: a fixed amount, plus an amount per copy or page the applicant asks
 * for, unless the applicant claims one of the exemptions (checked by the desk). Level-4 dossiers
 * may pay online at any time; reception with the fee unpaid waits in status 6.
 */
export const FeeRules = Type.Object(
  {
    amount: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    // Some fees are lower when the dossier is filed online (to encourage it).
    onlineAmount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000_000 }))),
    note: Type.Optional(Nullable(Text(1000))),
    perUnit: Type.Optional(
      Nullable(
        Type.Object(
          {
            amount: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
            unit: Type.Union([Type.Literal('copy'), Type.Literal('page')]),
            field: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,40}$', description: 'Form field holding the count' }),
            free: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Units included in the fixed amount' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    exemptions: Type.Optional(
      Type.Array(
        Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,40}$' }), label: Text(300) }, { additionalProperties: false }),
        {
          maxItems: 20,
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type FeeRules = Static<typeof FeeRules>;

/** The rules of one version of a procedure; null means "not confirmed: ask the office". */
export const VersionContent = Type.Object(
  {
    effectiveFrom: Nullable(IsoDate),
    steps: Type.Array(Text(2000), { maxItems: 40 }),
    channels: Type.Array(Type.Union([Type.Literal('in_person'), Type.Literal('online'), Type.Literal('post')]), { maxItems: 3 }),
    submitTo: Nullable(Text(500)),
    documents: Type.Array(Document, { maxItems: 60 }),
    timeLimit: Nullable(
      Type.Object(
        { amount: Type.Integer({ minimum: 0, maximum: 3650 }), unit: TimeUnitName, note: Type.Optional(Nullable(Text(1000))) },
        { additionalProperties: false },
      ),
    ),
    fee: Nullable(FeeRules),
    applicants: Nullable(Text(1000)),
    legalBasis: Type.Array(Text(500), { maxItems: 40 }),
    result: Nullable(Text(500)),
    onlineLevel: Nullable(Type.Integer({ minimum: 1, maximum: 4 })),
    onlineMode: Nullable(OnlineMode),
    form: Type.Array(FormField, { maxItems: 60 }),
    // The steps after reception; absent: specialist, signing leader, desk in the receiving unit.
    workflow: Type.Optional(Nullable(Workflow)),
  },
  { additionalProperties: false },
);
export type VersionContent = Static<typeof VersionContent>;

export const ProcedureRecord = Type.Object(
  {
    code: Nullable(ProcedureCode),
    field: Type.String({ pattern: '^[a-z_]{2,40}$' }),
    levels: Type.Array(UnitLevel, { minItems: 1, maxItems: 4, uniqueItems: true }),
    name: Text(500),
    summary: Type.Optional(Text(2000)),
    version: VersionContent,
    confidence: Type.Optional(Type.Union([Type.Literal('sourced'), Type.Literal('partial')])),
    unconfirmed: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
    sources: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type ProcedureRecord = Static<typeof ProcedureRecord>;

export const FieldRecord = Type.Object(
  { code: Type.String({ pattern: '^[a-z_]{2,40}$' }), name: Text(200) },
  { additionalProperties: false },
);
export type FieldRecord = Static<typeof FieldRecord>;

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    field: Type.Optional(Type.String({ pattern: '^[a-z_]{2,40}$' })),
    level: Type.Optional(UnitLevel),
    unit: Type.Optional(AgencyCode),
    online: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('3'), Type.Literal('4')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 0 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

const Bi = Type.Object({ vi: Type.String(), en: Type.String() });
export const ProcedureSummary = Type.Object({
  code: Type.String(),
  field: Type.Object({ code: Type.String(), name: Bi }),
  levels: Type.Array(Type.String()),
  name: Bi,
  summary: Bi,
  timeLimit: Nullable(Type.Object({ amount: Type.Integer(), unit: Type.String() })),
  feeAmount: Nullable(Type.Integer()),
  onlineLevel: Nullable(Type.Integer()),
  onlineMode: Nullable(Type.String()),
});
export type ProcedureSummary = Static<typeof ProcedureSummary>;

export const ProcedureDetail = Type.Composite([
  ProcedureSummary,
  Type.Object({
    version: Type.Integer(),
    effectiveFrom: Type.String(),
    content: Type.Unsafe<VersionContent>(VersionContent),
    offeredBy: Type.Array(
      Type.Object({ code: Type.String(), name: Bi, onlineLevel: Nullable(Type.Integer()), onlineMode: Nullable(Type.String()) }),
    ),
  }),
]);
export type ProcedureDetail = Static<typeof ProcedureDetail>;

export const ProcedureCodeParams = Type.Object({ code: ProcedureCode }, { additionalProperties: false });
