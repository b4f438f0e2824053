import { Type, type Static } from '@sinclair/typebox';

const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof Text>>(t: T) => Type.Union([Type.Null(), t]);

export const ACTIONS = [
  'pass',
  'return_step',
  'request_supplement',
  'obligation',
  'approve',
  'reject',
  'return_result',
  'withdraw_accept',
  'withdraw_decline',
  'stop',
] as const;

export const ActBodySchema = Type.Object(
  {
    action: Type.Union(ACTIONS.map((a) => Type.Literal(a))),
    revision: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
    note: Type.Optional(Nullable(Text(2000))),
    reason: Type.Optional(Nullable(Text(2000))),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          { item: Type.Integer({ minimum: -1, maximum: 59 }), reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 60 },
      ),
    ),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 })),
    decision: Type.Optional(Nullable(Text(2000))),
    legalBasis: Type.Optional(Nullable(Text(500))),
    medium: Type.Optional(Type.Union([Type.Literal('electronic'), Type.Literal('paper')])),
    method: Type.Optional(Type.Union([Type.Literal('desk'), Type.Literal('post'), Type.Literal('online')])),
    tracking: Type.Optional(Nullable(Text(64))),
  },
  { additionalProperties: false },
);
export type ActBodyInput = Static<typeof ActBodySchema>;

export const QueueQuery = Type.Object(
  {
    unit: Type.Optional(Type.String({ pattern: '^[0-9A-Z.]{5,40}$' })),
    procedure: Type.Optional(Type.String({ pattern: '^(\\d\\.\\d{6}|L\\.\\d{6})$' })),
    status: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    channel: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    role: Type.Optional(Type.Union([Type.Literal('desk_officer'), Type.Literal('specialist'), Type.Literal('leader')])),
    assigned: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unassigned')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

export const AssignBody = Type.Object(
  {
    unit: Type.String({ pattern: '^[0-9A-Z.]{5,40}$' }),
    ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 200 }),
    assigneeId: Type.Union([Type.Null(), Type.Integer({ minimum: 1 })]),
  },
  { additionalProperties: false },
);

export const ApologyBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 1 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    newDueAt: Type.String({ maxLength: 40, description: 'ISO 8601 instant with offset, e.g. 2026-12-03T17:00:00+07:00' }),
  },
  { additionalProperties: false },
);

export const WithdrawalBody = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
