import { Type, type Static } from '@sinclair/typebox';

/**
 * A procedure version's workflow (DESIGN §4.3): the steps a received dossier goes through. Units
 * are relative to the receiving unit, so one workflow serves every ward or district offering the
 * procedure; they are resolved to real units when a dossier is received, and frozen there.
 */
export const StepUnit = Type.Union([
  Type.Object({ at: Type.Literal('receiving') }, { additionalProperties: false }),
  // The receiving unit's ancestor at this level: a ward's district, or the city.
  Type.Object(
    { at: Type.Literal('level'), level: Type.Union([Type.Literal('district'), Type.Literal('city')]) },
    { additionalProperties: false },
  ),
  // A named unit, e.g. a city department.
  Type.Object({ at: Type.Literal('unit'), code: Type.String({ pattern: '^[0-9A-Z.]{5,40}$' }) }, { additionalProperties: false }),
]);
export type StepUnit = Static<typeof StepUnit>;

export const StepKind = Type.Union([
  // Examine the dossier and pass it on (specialist).
  Type.Literal('process'),
  // Check and pass on (head of division, or a ward leader confirming before a transfer).
  Type.Literal('review'),
  // Decide: approve or reject, issuing the result (signing leader). Exactly one per workflow.
  Type.Literal('sign'),
  // Hand the result to the applicant (one-stop desk). Always the last step.
  Type.Literal('return'),
]);
export type StepKind = Static<typeof StepKind>;

export const StepRoleName = Type.Union([Type.Literal('desk_officer'), Type.Literal('specialist'), Type.Literal('leader')]);

export const Allowance = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: 2600 }),
    unit: Type.Union([Type.Literal('hours'), Type.Literal('working_days')]),
  },
  { additionalProperties: false },
);
export type StepAllowance = Static<typeof Allowance>;

export const StepDef = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }),
    kind: StepKind,
    role: StepRoleName,
    unit: StepUnit,
    allowance: Allowance,
    name: Type.Object(
      { vi: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ maxLength: 200 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type StepDef = Static<typeof StepDef>;

export const Workflow = Type.Object({ steps: Type.Array(StepDef, { minItems: 2, maxItems: 20 }) }, { additionalProperties: false });
export type Workflow = Static<typeof Workflow>;
