import { Type, type Static } from '@sinclair/typebox';

const Named = Type.Object({ vi: Type.String(), en: Type.String() });
export const SCHOOL_KINDS = ['primary', 'lower_secondary', 'upper_secondary'] as const;
export const SchoolKind = Type.Union(SCHOOL_KINDS.map((k) => Type.Literal(k)));
export const SCHOOL_CODE = '^[A-Z0-9][A-Z0-9.-]{1,39}$';

export const CreateSchoolBody = Type.Object(
  {
    code: Type.String({ pattern: SCHOOL_CODE, description: "This portal's identifier of the school, e.g. HD-THCS-LE-QUY-DON" }),
    name: Type.Object(
      { vi: Type.String({ minLength: 2, maxLength: 200 }), en: Type.String({ minLength: 2, maxLength: 200 }) },
      { additionalProperties: false },
    ),
    kind: SchoolKind,
    unitCode: Type.String({ maxLength: 40, description: 'The ward/commune or district the school belongs to' }),
  },
  { additionalProperties: false },
);
export type CreateSchoolInput = Static<typeof CreateSchoolBody>;

export const SchoolView = Type.Object({
  code: Type.String(),
  name: Named,
  kind: SchoolKind,
  unit: Type.Object({ code: Type.String(), name: Named, level: Type.String() }),
});
export type SchoolView = Static<typeof SchoolView>;

export const SchoolsQuery = Type.Object(
  { unit: Type.Optional(Type.String({ maxLength: 40, description: 'Only schools of this unit and the units under it' })) },
  { additionalProperties: false },
);

/** The demo seed file (seed/learn/schools.demo.json). */
export const SchoolsSeedFile = Type.Object(
  {
    description: Type.String(),
    schools: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: SCHOOL_CODE }),
          unit: Type.String(),
          kind: SchoolKind,
          name: Type.Object({ vi: Type.String({ minLength: 2 }), en: Type.String({ minLength: 2 }) }, { additionalProperties: false }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
