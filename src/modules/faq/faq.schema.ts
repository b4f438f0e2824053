import { Type, type Static } from '@sinclair/typebox';
import { FAQ_SOURCE, FAQ_STATUS } from '../../db/types.js';
import { ProcedureCode } from '../catalogue/catalogue.schema.js';
import { AgencyCode } from '../units/units.schema.js';

export const FAQ_Q_MAX = 200;
export const FAQ_PAGE_SIZE = 20;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const FieldCode = Type.String({ pattern: '^[a-z_]{2,40}$', description: 'Field (lĩnh vực) code', examples: ['residence'] });
export const FaqStatus = Type.Union(FAQ_STATUS.map((s) => Type.Literal(s)));
export const FaqSource = Type.Union(FAQ_SOURCE.map((s) => Type.Literal(s)));

export const FaqSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: FAQ_Q_MAX, description: 'Words of the question, with or without diacritics' })),
    unit: Type.Optional(AgencyCode),
    field: Type.Optional(FieldCode),
    procedure: Type.Optional(ProcedureCode),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  },
  { additionalProperties: false },
);
export type FaqSearchQuery = Static<typeof FaqSearchQuery>;

const Bi = Type.Object({ vi: Type.String(), en: Nullable(Type.String()) });
const Named = Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) });

export const FaqSummary = Type.Object({
  id: Type.Integer(),
  question: Bi,
  unit: Named,
  field: Nullable(Named),
  needsConfirmation: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type FaqSummary = Static<typeof FaqSummary>;

export const FaqDetail = Type.Composite([
  FaqSummary,
  Type.Object({
    answer: Bi,
    confirmationNote: Nullable(Type.String()),
    procedures: Type.Array(Named),
    status: FaqStatus,
    publishedAt: Nullable(Type.String({ format: 'date-time' })),
    viewCount: Type.Integer(),
    fromFeedback: Type.Optional(
      Nullable(Type.String({ description: 'Code of the published feedback item (citizen question) the entry comes from' })),
    ),
  }),
]);
export type FaqDetail = Static<typeof FaqDetail>;

export const FaqPage = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  entries: Type.Array(FaqSummary),
});
export type FaqPage = Static<typeof FaqPage>;

/** What an official writes: the form and the API take the same fields. */
export const FaqInput = Type.Object(
  {
    unit: AgencyCode,
    field: Type.Optional(Nullable(FieldCode)),
    questionVi: Type.String({ minLength: 5, maxLength: 500 }),
    questionEn: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    answerVi: Type.String({ minLength: 1, maxLength: 10000 }),
    answerEn: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
    procedureCodes: Type.Array(ProcedureCode, { maxItems: 20, uniqueItems: true }),
    needsConfirmation: Type.Optional(Type.Boolean()),
    confirmationNote: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);
export type FaqInput = Static<typeof FaqInput>;

export const FaqIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export const FaqOfficialQuery = Type.Object(
  {
    status: Type.Optional(FaqStatus),
    unit: Type.Optional(AgencyCode),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  },
  { additionalProperties: false },
);
export type FaqOfficialQuery = Static<typeof FaqOfficialQuery>;

export const FaqOfficialRow = Type.Object({
  id: Type.Integer(),
  question: Type.String(),
  unit: Named,
  status: FaqStatus,
  needsConfirmation: Type.Boolean(),
  confirmationNote: Nullable(Type.String()),
  source: FaqSource,
  sourceRef: Nullable(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
  viewCount: Type.Integer(),
});
export type FaqOfficialRow = Static<typeof FaqOfficialRow>;

/** Text in Vietnamese, with an optional English version; a plain string is the Vietnamese. */
export type FaqText = string | { vi: string; en?: string | null };

/** What another module (answered feedback, a conference's minutes) hands over to become an entry. */
export interface FromSource {
  source: 'feedback' | 'conference' | 'manual' | 'seed';
  sourceRef: string | number;
  unitId: number;
  question: FaqText;
  answer: FaqText;
  procedureCodes: string[];
  field?: string | null;
  needsConfirmation?: boolean;
  confirmationNote?: string | null;
  /** Draft by default: an official reviews and publishes it. */
  publish?: boolean;
}
