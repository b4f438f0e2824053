import { Type, type Static } from '@sinclair/typebox';
import { AgencyCode } from '../units/units.schema.js';

export const StaffMember = Type.Object({
  assignmentId: Type.Integer(),
  accountId: Type.Integer(),
  fullName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  unitCode: Type.String(),
});
export type StaffMember = Static<typeof StaffMember>;

export const StaffParams = Type.Object({ code: AgencyCode }, { additionalProperties: false });
export const AssignmentParams = Type.Object(
  { code: AgencyCode, id: Type.Integer({ minimum: 1, maximum: 2147483647 }) },
  { additionalProperties: false },
);

export const NewAssignment = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, format: 'email' }),
    role: Type.Union([
      Type.Literal('desk_officer'),
      Type.Literal('specialist'),
      Type.Literal('leader'),
      Type.Literal('unit_admin'),
      Type.Literal('city_admin'),
    ]),
    fullName: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type NewAssignment = Static<typeof NewAssignment>;
