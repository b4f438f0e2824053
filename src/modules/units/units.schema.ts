import { Type, type Static } from '@sinclair/typebox';

export const AgencyCode = Type.String({
  pattern: '^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9A-Z]{2}$',
  description: 'Agency e-ID (Decision 20/2020/QĐ-TTg), e.g. 000.00.00.H26',
  examples: ['000.00.00.H26'],
});
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD', examples: ['2026-11-26'] });
export const UnitLevel = Type.Union([Type.Literal('city'), Type.Literal('department'), Type.Literal('district'), Type.Literal('commune')]);
export const UnitKind = Type.Union(
  ['city', 'province', 'department', 'urban_district', 'rural_district', 'town', 'ward', 'commune', 'township'].map((k) => Type.Literal(k)),
);
export const Bilingual = Type.Object(
  { vi: Type.String({ minLength: 2, maxLength: 200 }), en: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Unit = Type.Object({
  code: Type.String(),
  name: Type.Object({ vi: Type.String(), en: Type.String() }),
  level: UnitLevel,
  kind: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  ancestors: Type.Array(Type.String(), { description: 'Codes of the enclosing units, from the top' }),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()], { description: 'First day the unit no longer exists' }),
});
export type UnitView = Static<typeof Unit>;

export type UnitNode = UnitView & { children: UnitNode[] };
export const UnitTree = Type.Recursive((Self) => Type.Composite([Unit, Type.Object({ children: Type.Array(Self) })]), {
  $id: 'UnitNode',
});

export const ListUnitsQuery = Type.Object(
  {
    level: Type.Optional(UnitLevel),
    parent: Type.Optional(AgencyCode),
    at: Type.Optional(IsoDate),
    shape: Type.Optional(Type.Union([Type.Literal('flat'), Type.Literal('tree')], { default: 'flat' })),
  },
  { additionalProperties: false },
);
export type ListUnitsQuery = Static<typeof ListUnitsQuery>;

export const UnitCodeParams = Type.Object({ code: AgencyCode }, { additionalProperties: false });
export const AtQuery = Type.Object({ at: Type.Optional(IsoDate) }, { additionalProperties: false });

export const UnitDetail = Type.Composite([
  Unit,
  Type.Object({
    children: Type.Array(Type.String()),
    predecessors: Type.Array(Type.Object({ code: Type.String(), kind: Type.String(), effectiveDate: Type.String() })),
    successors: Type.Array(Type.Object({ code: Type.String(), kind: Type.String(), effectiveDate: Type.String() })),
  }),
]);
export type UnitDetail = Static<typeof UnitDetail>;

export const NewUnit = Type.Object(
  {
    code: AgencyCode,
    name: Bilingual,
    level: UnitLevel,
    kind: UnitKind,
    parentCode: Type.Union([AgencyCode, Type.Null()]),
    validFrom: IsoDate,
  },
  { additionalProperties: false },
);
export type NewUnit = Static<typeof NewUnit>;

export const Reorganization = Type.Object(
  {
    kind: Type.Union([Type.Literal('merge'), Type.Literal('split')]),
    effectiveDate: IsoDate,
    from: Type.Array(AgencyCode, { minItems: 1, maxItems: 50, uniqueItems: true }),
    into: Type.Array(
      Type.Union([Type.Object({ existing: AgencyCode }, { additionalProperties: false }), Type.Omit(NewUnit, ['validFrom'])]),
      {
        minItems: 1,
        maxItems: 50,
      },
    ),
  },
  { additionalProperties: false },
);
export type Reorganization = Static<typeof Reorganization>;
