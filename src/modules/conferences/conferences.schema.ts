import { Type, type Static } from '@sinclair/typebox';
import { COMMITMENT_STATUS, CONFERENCE_STATUS } from '../../db/types.js';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union(CONFERENCE_STATUS.map((s) => Type.Literal(s)));
const CStatus = Type.Union(COMMITMENT_STATUS.map((s) => Type.Literal(s)));
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const IdParams = Type.Object({ id: Id });
export const QuestionParams = Type.Object({ id: Id, qid: Id });

export const Leader = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), title: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export type Leader = Static<typeof Leader>;

export const ConferenceBody = Type.Object(
  {
    unit: Type.String({ minLength: 1, maxLength: 40, description: 'Agency code of the organising unit' }),
    topic: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    startsAt: Type.String({ format: 'date-time' }),
    place: Type.String({ minLength: 1, maxLength: 300 }),
    chair: Type.String({ minLength: 1, maxLength: 200 }),
    leaders: Type.Array(Leader, { maxItems: 30 }),
    registrationClosesAt: Type.String({ format: 'date-time' }),
    capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ConferenceInput = Static<typeof ConferenceBody>;
export const ConferencePatch = Type.Partial(Type.Omit(ConferenceBody, ['unit']), { additionalProperties: false });
export type ConferencePatch = Static<typeof ConferencePatch>;

export const ListQuery = Type.Object(
  {
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')])),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const ConferenceSummary = Type.Object({
  id: Type.Integer(),
  unit: Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) }),
  topic: Type.String(),
  startsAt: Type.String(),
  place: Type.String(),
  status: Status,
  registrationClosesAt: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  registered: Type.Integer(),
});
export type ConferenceSummary = Static<typeof ConferenceSummary>;

export const CommitmentEvent = Type.Object({
  at: Type.String(),
  status: CStatus,
  by: Type.String({ description: 'The official who made the change' }),
  note: Nullable(Type.String()),
  evidenceUrl: Nullable(Type.String()),
});

export const CommitmentView = Type.Object({
  id: Type.Integer(),
  conferenceId: Type.Integer(),
  questionId: Type.Integer(),
  what: Type.String(),
  responsible: Type.String(),
  responsibleUnit: Type.Union([
    Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) }),
    Type.Null(),
  ]),
  dueDate: Type.String(),
  status: CStatus,
  late: Type.Boolean(),
  evidence: Nullable(Type.String()),
  evidenceUrl: Nullable(Type.String()),
  doneAt: Nullable(Type.String()),
  events: Type.Array(CommitmentEvent),
});
export type CommitmentView = Static<typeof CommitmentView>;

/** A question as the public sees it: the asker by initials only, the answer once the minutes are out. */
export const PublicQuestion = Type.Object({
  id: Type.Integer(),
  source: Type.Union([Type.Literal('advance'), Type.Literal('room')]),
  asker: Type.String({ description: 'Initials only' }),
  text: Type.String(),
  procedureCode: Nullable(Type.String()),
  fieldCode: Nullable(Type.String()),
  supports: Type.Integer(),
  answer: Nullable(Type.String()),
  commitments: Type.Array(CommitmentView),
});
export type PublicQuestion = Static<typeof PublicQuestion>;

export const ConferenceView = Type.Composite([
  ConferenceSummary,
  Type.Object({
    description: Type.String(),
    chair: Type.String(),
    leaders: Type.Array(Leader),
    cancelReason: Nullable(Type.String()),
    heldAt: Nullable(Type.String()),
    minutesPublishedAt: Nullable(Type.String()),
    questions: Type.Array(PublicQuestion),
  }),
]);
export type ConferenceView = Static<typeof ConferenceView>;

export const RegistrationBody = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    organisation: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type RegistrationInput = Static<typeof RegistrationBody>;

export const QuestionBody = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    // Longer than the limit on purpose: an oversize question gets its own code, question_too_long.
    text: Type.String({ maxLength: 20000 }),
    procedureCode: Type.Optional(Type.String({ maxLength: 20 })),
    fieldCode: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type QuestionInput = Static<typeof QuestionBody>;

export const RoomQuestionBody = Type.Object(
  {
    askerName: Type.Optional(Type.String({ maxLength: 200 })),
    text: Type.String({ maxLength: 20000 }),
    answer: Type.Optional(Type.String({ maxLength: 10000 })),
  },
  { additionalProperties: false },
);
export type RoomQuestionInput = Static<typeof RoomQuestionBody>;

export const ModerationBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('accept'), Type.Literal('decline')]),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ModerationInput = Static<typeof ModerationBody>;

export const TextBody = Type.Object({ text: Type.String({ maxLength: 10000 }) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false });

export const CommitmentBody = Type.Object(
  {
    what: Type.String({ minLength: 1, maxLength: 2000 }),
    responsible: Type.String({ minLength: 1, maxLength: 300, description: 'Person or office responsible' }),
    responsibleUnit: Type.Optional(Type.String({ maxLength: 40, description: 'Agency code of the responsible unit' })),
    dueDate: Day,
  },
  { additionalProperties: false },
);
export type CommitmentInput = Static<typeof CommitmentBody>;

export const CommitmentStatusBody = Type.Object(
  {
    status: CStatus,
    note: Type.Optional(Type.String({ maxLength: 5000 })),
    evidence: Type.Optional(Type.String({ maxLength: 5000 })),
    evidenceUrl: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type CommitmentStatusInput = Static<typeof CommitmentStatusBody>;

export const CommitmentQuery = Type.Object(
  {
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    status: Type.Optional(CStatus),
    late: Type.Optional(Type.Boolean()),
    conference: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CommitmentQuery = Static<typeof CommitmentQuery>;
