import { Type, type Static } from '@sinclair/typebox';

/** A sample above this is a typing error, not a survey: SIPAS samples a few hundred per unit. */
export const MAX_SAMPLE = 20_000;

const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant, e.g. 2026-12-01T08:00:00+07:00' });

export const CreateSurveyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    units: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        maxItems: 500,
        description: 'Unit codes covered; absent or empty = every unit with a returned dossier in the 12 months before launch',
      }),
    ),
    sampleMode: Type.Union([Type.Literal('per_unit'), Type.Literal('total')]),
    // Range checked by the service, which answers with its own code (survey_sample_size_invalid).
    sampleSize: Type.Integer({ description: `1 to ${MAX_SAMPLE}` }),
    opensAt: Instant,
    closesAt: Instant,
  },
  { additionalProperties: false },
);
export type CreateSurveyInput = Static<typeof CreateSurveyBody>;

export const SurveyPhase = Type.Union([Type.Literal('draft'), Type.Literal('scheduled'), Type.Literal('open'), Type.Literal('closed')]);
export type SurveyPhase = Static<typeof SurveyPhase>;

export const SurveyView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  phase: SurveyPhase,
  units: Type.Union([
    Type.Array(Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) })),
    Type.Null(),
  ]),
  sampleMode: Type.Union([Type.Literal('per_unit'), Type.Literal('total')]),
  sampleSize: Type.Integer(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  launchedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()]),
  invited: Type.Integer(),
  responded: Type.Integer(),
  /** Public once the draw is done: with the population it reproduces who was drawn. */
  seed: Type.Union([Type.String(), Type.Null()]),
});
export type SurveyView = Static<typeof SurveyView>;

export const SurveyIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export const ResponseBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 100 }),
    answers: Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), {
      description: 'Question key -> 1..5, a list of option keys (expectations) or text (comment)',
    }),
  },
  { additionalProperties: false },
);
export type ResponseInput = Static<typeof ResponseBody>;

/** Columns of the CSV export and the open-data rows, in this order (schemaVersion 1). */
export const RESULT_COLUMNS = [
  'unitCode',
  'unitNameVi',
  'unitNameEn',
  'invited',
  'responded',
  'responseRate',
  'suppressed',
  'sipasIndex',
  'overallMean',
  'overallSatisfiedShare',
  ...(['access', 'procedure', 'civil_servant', 'result', 'feedback'] as const).flatMap((f) => [
    `${f}Mean`,
    `${f}SatisfiedShare`,
    `${f}Answers`,
  ]),
] as const;
