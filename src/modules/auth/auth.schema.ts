import { Type, type Static } from '@sinclair/typebox';

export const TokenRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254, description: 'Phone, e-mail, tax code or username' }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A label to recognise the token by' })),
  },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({ id: Type.Integer(), token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

export const TokenInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const TokenParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });

export const Registration = Type.Object(
  {
    kind: Type.Union([Type.Literal('citizen'), Type.Literal('business')]),
    fullName: Type.String({ maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    citizenId: Type.Optional(Type.String({ maxLength: 20 })),
    taxCode: Type.Optional(Type.String({ maxLength: 20 })),
    password: Type.String({ maxLength: 200 }),
    locale: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
export type Registration = Static<typeof Registration>;

export const Me = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  fullName: Type.String(),
  locale: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), unitCode: Type.String() })),
});
