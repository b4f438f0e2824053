import { Type, type Static } from '@sinclair/typebox';

// Participant-facing schemas are closed lists of fields with no place for a correct option, a
// score or an explanation: the serializer drops anything else a service might ever return. Only
// the result schemas, served after the round has closed, carry them.

const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant, e.g. 2026-12-01T08:00:00+07:00' });
// Texts are trimmed before they are stored: one made of spaces only is empty, and refused here.
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Bilingual = (max: number) => Type.Object({ vi: Text(max), en: Text(max) }, { additionalProperties: false });
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 });
export const IdParams = Type.Object({ id: Id });

export const CreateContestBody = Type.Object({ title: Bilingual(200) }, { additionalProperties: false });
export type CreateContestInput = Static<typeof CreateContestBody>;

export const CreateRoundBody = Type.Object(
  {
    opensAt: Instant,
    closesAt: Instant,
    questionCount: Type.Integer({ minimum: 1, maximum: 100 }),
    timeLimitSeconds: Type.Integer({ minimum: 10, maximum: 7200 }),
  },
  { additionalProperties: false },
);
export type CreateRoundInput = Static<typeof CreateRoundBody>;

export const CreatePoolBody = Type.Object(
  { fieldCode: Type.String({ minLength: 1, maxLength: 60 }), name: Bilingual(200) },
  { additionalProperties: false },
);
export type CreatePoolInput = Static<typeof CreatePoolBody>;
export const RenamePoolBody = Type.Object({ name: Bilingual(200) }, { additionalProperties: false });

export const CreateQuestionBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
    difficulty: Type.Integer({ minimum: 1, maximum: 3, description: '1 easy, 2 medium, 3 hard' }),
    text: Bilingual(1000),
    options: Type.Array(Type.Object({ text: Bilingual(500), correct: Type.Boolean() }, { additionalProperties: false }), {
      minItems: 2,
      maxItems: 8,
    }),
    explanation: Bilingual(2000),
    procedureCode: Type.Optional(Type.String({ pattern: '^(\\d\\.\\d{6}|L\\.\\d{6})$' })),
  },
  { additionalProperties: false },
);
export type CreateQuestionInput = Static<typeof CreateQuestionBody>;

export const RoundPhase = Type.Union([Type.Literal('draft'), Type.Literal('scheduled'), Type.Literal('open'), Type.Literal('closed')]);
export type RoundPhase = Static<typeof RoundPhase>;

export const RoundView = Type.Object({
  id: Type.Integer(),
  contestId: Type.Integer(),
  phase: RoundPhase,
  opensAt: Type.String(),
  closesAt: Type.String(),
  questionCount: Type.Integer(),
  timeLimitSeconds: Type.Integer(),
  graceSeconds: Type.Number(),
});
export type RoundView = Static<typeof RoundView>;

export const ContestView = Type.Object({
  id: Type.Integer(),
  title: Type.Object({ vi: Type.String(), en: Type.String() }),
  rounds: Type.Array(RoundView),
});
export type ContestView = Static<typeof ContestView>;

export const PoolView = Type.Object({
  id: Type.Integer(),
  contestId: Type.Integer(),
  fieldCode: Type.String(),
  name: Type.Object({ vi: Type.String(), en: Type.String() }),
});

/** For the admin only (the route is city_admin): the question as stored, with its key. */
export const AdminQuestionView = Type.Object({
  id: Type.Integer(),
  poolId: Type.Integer(),
  kind: Type.String(),
  difficulty: Type.Integer(),
  options: Type.Array(Type.Object({ id: Type.String(), correct: Type.Boolean() })),
});

export const RegisterBody = Type.Object(
  {
    name: Text(120),
    phone: Type.String({ minLength: 1, maxLength: 20 }),
    citizenId: Type.Optional(Type.String({ maxLength: 20 })),
    // Exactly one of the two (contest_unit_or_school otherwise): a school counts for its ward or district.
    unitCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Code of the ward, district or department' })),
    schoolCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Code of the school (instead of unitCode)' })),
  },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const Registered = Type.Object({
  participantId: Type.Integer(),
  token: Type.String({ description: 'Send it as the x-contest-token header; it is shown only once' }),
});

/** Taking part on another device: a code is sent by SMS to the registered phone (contest.recovery.ts). */
const Device = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The device secret from the answer that sent the code: the code works only with it',
});
export const RecoveryBody = Type.Object(
  {
    phone: Type.String({ minLength: 1, maxLength: 20 }),
    device: Type.Optional({ ...Device, description: 'The secret from an earlier code, to ask again from the same device' }),
  },
  { additionalProperties: false },
);
export const RecoverySent = Type.Object({
  sentTo: Type.String({ description: 'The phone number the code went to, masked (0912***678)' }),
  expiresAt: Type.String({ format: 'date-time' }),
  device: Type.String({ description: 'Keep it: verify needs it with the code, and a new code for this device is asked with it' }),
});
export const RecoveryVerifyBody = Type.Object(
  {
    phone: Type.String({ minLength: 1, maxLength: 20 }),
    code: Type.String({ minLength: 1, maxLength: 12, description: 'The 6 digits from the SMS (spaces allowed)' }),
    device: Device,
  },
  { additionalProperties: false },
);

const Label = Type.Object({ vi: Type.String(), en: Type.String() });

/** What a participant sees of an entry while the round is open: questions and their own choices. */
export const EntryView = Type.Object(
  {
    entryId: Type.Integer(),
    roundId: Type.Integer(),
    startedAt: Type.String(),
    deadlineAt: Type.String({ description: 'Time is up then; answers are still accepted for graceSeconds' }),
    graceSeconds: Type.Number(),
    submittedAt: Type.Union([Type.String(), Type.Null()]),
    prediction: Type.Union([Type.Integer(), Type.Null()]),
    questions: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
          text: Label,
          options: Type.Array(Type.Object({ id: Type.String(), text: Label }, { additionalProperties: false })),
          chosen: Type.Array(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EntryView = Static<typeof EntryView>;

export const AnswerBody = Type.Object(
  { questionId: Id, chosen: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 8 }) },
  { additionalProperties: false },
);
export const Answered = Type.Object({ questionId: Type.Integer(), chosen: Type.Array(Type.String()), answeredAt: Type.String() });

export const AnswersBody = Type.Object(
  { answers: Type.Array(AnswerBody, { minItems: 1, maxItems: 100, description: 'The same question twice: the later one counts' }) },
  { additionalProperties: false },
);
export const AnswersSaved = Type.Object({ answers: Type.Array(Answered) });

export const SubmitBody = Type.Object(
  {
    answers: Type.Optional(
      Type.Array(AnswerBody, { maxItems: 100, description: 'Answers saved before the entry closes, as by PUT .../answers' }),
    ),
    prediction: Type.Integer({
      minimum: 0,
      maximum: 100_000_000,
      description: 'How many entries of this round will have every answer right',
    }),
  },
  { additionalProperties: false },
);

export const RankedEntry = Type.Object({
  rank: Type.Integer(),
  entryId: Type.Integer(),
  score: Type.Integer(),
  prediction: Type.Union([Type.Integer(), Type.Null()]),
  distance: Type.Union([Type.Integer(), Type.Null()]),
  timeTakenMs: Type.Integer(),
  submittedAt: Type.String(),
});

const RankingChange = Type.Union([
  Type.Object({
    action: Type.Union([Type.Literal('disqualify'), Type.Literal('reinstate')]),
    entryId: Type.Integer(),
    reason: Type.String(),
  }),
  Type.Null(),
]);

export const RoundResults = Type.Object({
  roundId: Type.Integer(),
  version: Type.Integer({ description: '1 at the close; +1 for each disqualification or reinstatement after it' }),
  previousHash: Type.Union([Type.String(), Type.Null()], { description: 'Hash of the version this one succeeds' }),
  change: RankingChange,
  disqualified: Type.Array(Type.Integer(), { description: 'Entries left out of this version' }),
  actualAllCorrect: Type.Integer(),
  rankedAt: Type.String(),
  hash: Type.String({
    description:
      'SHA-256 (hex) of the published text of this version: GET …/results/ranking.json (canonical JSON of the whole ranking, every entry)',
  }),
  total: Type.Integer({ description: 'Entries ranked by this version' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  pages: Type.Integer(),
  entries: Type.Array(RankedEntry, { description: 'This page of the ranking, in ranking order' }),
  history: Type.Array(
    Type.Object({
      version: Type.Integer(),
      hash: Type.String(),
      previousHash: Type.Union([Type.String(), Type.Null()]),
      change: RankingChange,
      rankedAt: Type.String(),
    }),
    { description: 'Every version, oldest first; GET ?version=n returns an older one in full' },
  ),
});

export const ResultsQuery = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default 1,000' })),
  },
  { additionalProperties: false },
);

/** Only the version: the published text is the whole ranking, never a page. */
export const RankingTextQuery = Type.Pick(ResultsQuery, ['version'], { additionalProperties: false });

/** One entry's result, after the round has closed: the key and the explanations are public then. */
export const EntryResult = Type.Object({
  entryId: Type.Integer(),
  rank: Type.Union([Type.Integer(), Type.Null()]),
  score: Type.Integer(),
  questions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      chosen: Type.Array(Type.String()),
      correct: Type.Array(Type.String()),
      right: Type.Boolean(),
      explanation: Label,
      procedureCode: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type EntryResult = Static<typeof EntryResult>;

export const LeaderboardQuery = Type.Object(
  {
    level: Type.Optional(
      Type.Union([Type.Literal('district'), Type.Literal('commune'), Type.Literal('school')], {
        description: 'district (default): district-level units and departments; commune: wards and communes; school: schools',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LeaderboardLevel = 'district' | 'commune' | 'school';

export const UnitsLeaderboard = Type.Object({
  roundId: Type.Integer(),
  level: Type.Union([Type.Literal('district'), Type.Literal('commune'), Type.Literal('school')]),
  /** The hash of the frozen ranking these figures come from. */
  hash: Type.String(),
  units: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      unitCode: Type.String(),
      name: Type.Object({ vi: Type.String(), en: Type.String() }),
      level: Type.String(),
      entries: Type.Integer(),
      averageScore: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
export type UnitsLeaderboard = Static<typeof UnitsLeaderboard>;

export const WinnersQuery = Type.Object(
  { top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })) },
  { additionalProperties: false },
);
