import { Type, type Static } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const UnitLevel = Type.Union([Type.Literal('department'), Type.Literal('district'), Type.Literal('commune')]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Named = Type.Object({ vi: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ minLength: 1, maxLength: 2000 }) });

/** Which units: one by code, those of a level under a unit, or every unit of a level. */
export const Selector = Type.Union([
  Type.Object({ code: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
  Type.Object({ under: Type.String({ maxLength: 40 }), level: UnitLevel }, { additionalProperties: false }),
  Type.Object({ level: UnitLevel }, { additionalProperties: false }),
]);
export type Selector = Static<typeof Selector>;

const Outcomes = {
  early: Type.Optional(Count),
  onTime: Type.Optional(Count),
  late: Type.Optional(Count),
  openWithinDeadline: Type.Optional(Count),
  openOverdue: Type.Optional(Count),
  refused: Type.Optional(Count),
  withdrawn: Type.Optional(Count),
  stopped: Type.Optional(Count),
};
export const OUTCOMES = Object.keys(Outcomes) as (keyof typeof Outcomes)[];
export type Outcome = (typeof OUTCOMES)[number];

/** A scenario (docs/scenarios.md): what to create; the figures then come from the report engine. */
export const ScenarioSpec = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]{1,60}$' }),
    description: Named,
    seed: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }),
    period: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
    units: Type.Optional(
      Type.Array(
        Type.Object(
          { parent: Selector, level: UnitLevel, count: Type.Integer({ minimum: 1, maximum: 100_000 }) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    procedures: Type.Array(
      Type.Object(
        {
          key: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })),
          name: Type.Optional(Named),
          count: Type.Integer({ minimum: 1, maximum: 100_000 }),
          field: Type.String({ pattern: '^[a-z_]{2,40}$' }),
          level: Type.Integer({ minimum: 1, maximum: 4 }),
          unitLevel: UnitLevel,
          offeredBy: Selector,
          /** Each procedure offered by one unit of the selection in turn, rather than by all of them. */
          spread: Type.Optional(Type.Boolean()),
          timeLimitDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    dossiers: Type.Array(
      Type.Object(
        {
          unit: Selector,
          procedure: Type.Optional(Type.String({ maxLength: 40 })),
          channel: Type.Union([Type.Literal('in_person'), Type.Literal('online'), Type.Literal('post')]),
          ...Outcomes,
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
export type ScenarioSpec = Static<typeof ScenarioSpec>;
