import { Type, type Static } from '@sinclair/typebox';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const FLAG_KINDS = ['ip_many_entries', 'device_many_entries', 'answers_too_fast', 'entry_too_short', 'regular_intervals'] as const;

export const FlagView = Type.Object({
  id: Type.Integer(),
  roundId: Type.Integer(),
  entryId: Type.Union([Type.Integer(), Type.Null()], { description: 'For the timing flags; null for an IP or a device' }),
  kind: Type.Union(FLAG_KINDS.map((k) => Type.Literal(k))),
  subject: Type.String({ description: "'entry:<id>', 'ip:<address>' or 'device:<id>'" }),
  evidence: Type.Record(Type.String(), Type.Unknown(), { description: 'The figures the rule saw, with its threshold' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('cleared')]),
  createdAt: Instant,
  updatedAt: Instant,
  reviewedBy: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: Nullable(Instant),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type FlagView = Static<typeof FlagView>;

export const DisqualifiedView = Type.Object({
  entryId: Type.Integer(),
  participant: Type.String(),
  reason: Type.String(),
  by: Type.Union([Type.String(), Type.Null()]),
  at: Instant,
});
export type DisqualifiedView = Static<typeof DisqualifiedView>;

export const RoundFlags = Type.Object({
  roundId: Type.Integer(),
  flags: Type.Array(FlagView),
  disqualified: Type.Array(DisqualifiedView),
});
export type RoundFlags = Static<typeof RoundFlags>;

export const FlagsQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('cleared'), Type.Literal('all')])) },
  { additionalProperties: false },
);

export const ReasonBody = Type.Object(
  { reason: Type.String({ maxLength: 1000, description: 'Why (mandatory; kept in the audit log and the ranking version)' }) },
  { additionalProperties: false },
);

export const ClearBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export const Decision = Type.Object({
  entryId: Type.Integer(),
  disqualified: Type.Boolean(),
  ranking: Type.Union([Type.Object({ version: Type.Integer(), hash: Type.String() }), Type.Null()], {
    description: 'The successor ranking when the round had been frozen already; null otherwise',
  }),
});
export type Decision = Static<typeof Decision>;

export const ScanResult = Type.Object({ roundId: Type.Integer(), flags: Type.Integer() });
