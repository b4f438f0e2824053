import { Type, type Static } from '@sinclair/typebox';
import { Id } from './contest.schema.js';

// The question bank as the city admin sees it (with the key), the participant preview (without),
// imports and the generator. Only admin routes serve the schemas that carry a key.

const Label = Type.Object({ vi: Type.String(), en: Type.String() });
export const QuestionStatus = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('retired')]);
export type QuestionStatus = Static<typeof QuestionStatus>;

export const BankQuestionView = Type.Object({
  id: Type.Integer(),
  poolId: Type.Integer(),
  fieldCode: Type.String(),
  status: QuestionStatus,
  kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
  difficulty: Type.Integer(),
  text: Label,
  options: Type.Array(Type.Object({ id: Type.String(), text: Label, correct: Type.Boolean() })),
  explanation: Label,
  procedureCode: Type.Union([Type.String(), Type.Null()]),
  /** Drawn in at least one entry: it can no longer be edited or deleted, only retired. */
  drawn: Type.Boolean(),
});
export type BankQuestionView = Static<typeof BankQuestionView>;

/** A question exactly as a participant would get it in an entry: no key, no explanation. */
export const QuestionPreview = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
    text: Label,
    options: Type.Array(Type.Object({ id: Type.String(), text: Label }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type QuestionPreview = Static<typeof QuestionPreview>;

export const PoolSummary = Type.Object({
  id: Type.Integer(),
  contestId: Type.Integer(),
  fieldCode: Type.String(),
  name: Label,
  counts: Type.Object({ draft: Type.Integer(), active: Type.Integer(), retired: Type.Integer() }),
});
export type PoolSummary = Static<typeof PoolSummary>;

export const QuestionsQuery = Type.Object(
  { poolId: Type.Optional(Id), status: Type.Optional(QuestionStatus) },
  { additionalProperties: false },
);
export type QuestionsQuery = Static<typeof QuestionsQuery>;

export const RetireResult = Type.Object({
  id: Type.Integer(),
  outcome: Type.Union([Type.Literal('retired'), Type.Literal('deleted')], {
    description: 'deleted when it was never drawn in an entry, retired (kept, no longer drawn) otherwise',
  }),
});

export const ImportProblem = Type.Object({
  row: Type.Integer({ description: 'Line in the file (the header is line 1)' }),
  column: Type.String({ description: 'Column code, e.g. text_vi or correct' }),
  reason: Type.String({ description: 'Stable reason code, e.g. missing_text, no_correct_option, duplicate_in_bank' }),
});
export type ImportProblem = Static<typeof ImportProblem>;

export const ImportReport = Type.Object({
  id: Type.Integer(),
  contestId: Type.Integer(),
  fileName: Type.String(),
  rows: Type.Integer(),
  validRows: Type.Integer(),
  problems: Type.Array(ImportProblem),
  confirmedAt: Type.Union([Type.String(), Type.Null()]),
  /** After confirmation: how many questions were written. */
  imported: Type.Union([Type.Integer(), Type.Null()]),
});
export type ImportReport = Static<typeof ImportReport>;

export const ExportQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')])) },
  { additionalProperties: false },
);

export const GeneratorFact = Type.Union([
  Type.Literal('time_limit'),
  Type.Literal('fee'),
  Type.Literal('office'),
  Type.Literal('service_level'),
]);
export type GeneratorFact = Static<typeof GeneratorFact>;

export const GenerateBody = Type.Object(
  {
    procedureCodes: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\d\\.\\d{6}|L\\.\\d{6})$' }), {
        maxItems: 200,
        description: 'Procedures to draft from; absent: every procedure of the pool’s field',
      }),
    ),
    facts: Type.Optional(Type.Array(GeneratorFact, { minItems: 1, maxItems: 4, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type GenerateInput = Static<typeof GenerateBody>;

export const GenerateResult = Type.Object({
  created: Type.Array(Type.Integer(), { description: 'Ids of the new draft questions' }),
  /** Facts the catalogue does not give (or too few other values for wrong options) or already in the bank. */
  skipped: Type.Integer(),
});
