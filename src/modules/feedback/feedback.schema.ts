import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FEEDBACK_KINDS, FEEDBACK_RATINGS, FEEDBACK_STATUSES } from '../../db/types.js';
import { ProcedureCode } from '../catalogue/catalogue.schema.js';

// Lengths here are generous on purpose: the service refuses oversize text with its own codes
// (feedback_title_too_long, ...), which say more than a schema's validation_failed.
const Kind = Type.Union(FEEDBACK_KINDS.map((k) => Type.Literal(k)));
const Status = Type.Union(FEEDBACK_STATUSES.map((s) => Type.Literal(s)));
const Rating = Type.Union(FEEDBACK_RATINGS.map((r) => Type.Literal(r)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const FeedbackCode = Type.String({ pattern: '^PAKN-\\d{6}-\\d{5}$', maxLength: 20 });
/** The secret of the author's follow link. */
export const FeedbackKey = Type.String({ minLength: 10, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const SubmitBody = Type.Object(
  {
    kind: Kind,
    title: Type.String({ maxLength: 2000 }),
    content: Type.String({ maxLength: 20000 }),
    name: Type.String({ maxLength: 500 }),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 300 })),
    unit: Type.Optional(Type.String({ maxLength: 40, description: 'Agency code of the unit concerned' })),
    dossier: Type.Optional(Type.String({ maxLength: 64, description: 'Code of a dossier the feedback is about' })),
    procedure: Type.Optional(Type.String({ maxLength: 20, description: 'Procedure code, e.g. 1.004873' })),
    locale: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
export type SubmitInput = Static<typeof SubmitBody>;

export const Submitted = Type.Object({
  code: Type.String(),
  key: Type.String({ description: 'Secret for following, replying, rating and reopening; shown once' }),
  trackUrl: Type.String(),
  status: Status,
  unit: Type.String(),
  answerBy: Instant,
});

export const KeyBody = Type.Object({ key: FeedbackKey }, { additionalProperties: false });
export const ReplyBody = Type.Object({ key: FeedbackKey, text: Type.String({ maxLength: 20000 }) }, { additionalProperties: false });
export const RateBody = Type.Object({ key: FeedbackKey, rating: Rating }, { additionalProperties: false });
export const ReopenBody = Type.Object({ key: FeedbackKey, reason: Type.String({ maxLength: 20000 }) }, { additionalProperties: false });
export type ReplyInput = Static<typeof ReplyBody>;

const Unit = Type.Object({ code: Type.String(), name: Type.Object({ vi: Type.String(), en: Type.String() }) });

/** What anyone may read: redacted texts, the unit, the dates; never the author. */
export const PublicItem = Type.Object({
  code: Type.String(),
  kind: Kind,
  title: Type.String(),
  question: Type.String(),
  answer: Type.String(),
  unit: Unit,
  procedure: Nullable(Type.String()),
  receivedAt: Instant,
  answeredAt: Instant,
  onTime: Type.Boolean(),
});
export type PublicItem = Static<typeof PublicItem>;

export const PublicListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    unit: Type.Optional(Type.String({ maxLength: 40 })),
    kind: Type.Optional(Kind),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type PublicListQuery = Static<typeof PublicListQuery>;

export const PublicList = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(PublicItem),
});

/** What the author sees with the key: their own texts, the status, deadlines and answer. */
export const AuthorView = Type.Object({
  code: Type.String(),
  kind: Kind,
  status: Status,
  title: Type.String(),
  content: Type.String(),
  unit: Unit,
  receivedAt: Instant,
  answerBy: Instant,
  infoQuestion: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Instant),
  rating: Nullable(Rating),
  canRate: Type.Boolean(),
  canReopen: Type.Boolean(),
  attachments: Type.Array(Type.Object({ name: Type.String(), size: Type.Integer() })),
  history: Type.Array(Type.Object({ action: Type.String(), at: Instant, status: Nullable(Status) })),
});
export type AuthorView = Static<typeof AuthorView>;

export const ActionBody = Type.Union([
  Type.Object(
    { action: Type.Literal('transfer'), unit: Type.String({ maxLength: 40 }), reason: Type.String({ maxLength: 4000 }) },
    { additionalProperties: false },
  ),
  Type.Object({ action: Type.Literal('reject'), reason: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('request_info'), question: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
  Type.Object(
    {
      action: Type.Literal('answer'),
      template: Type.Optional(Type.String({ maxLength: 60 })),
      text: Type.Optional(Type.String({ maxLength: 20000 })),
      submit: Type.Optional(Type.Boolean({ description: 'Send to the leader for approval' })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ action: Type.Literal('approve') }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('return'), reason: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
]);
export type ActionInput = Static<typeof ActionBody>;

export const QueueItem = Type.Object({
  code: Type.String(),
  kind: Kind,
  status: Status,
  title: Type.String(),
  unit: Unit,
  receivedAt: Instant,
  rejectBy: Instant,
  requestInfoBy: Instant,
  answerBy: Instant,
  late: Type.Boolean(),
});
export type QueueItem = Static<typeof QueueItem>;

export const FiguresQuery = Type.Object(
  {
    unit: Type.String({ minLength: 1, maxLength: 40 }),
    from: Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (Vietnam time)' }),
    to: Type.String({ maxLength: 10, description: 'Last day, YYYY-MM-DD (Vietnam time)' }),
  },
  { additionalProperties: false },
);
export type FiguresQuery = Static<typeof FiguresQuery>;

/**
 * An answered item turned into an FAQ entry. Every field is optional: left out, it is taken from
 * the item's public (redacted) texts and its procedure. Texts given are redacted again.
 */
export const ToFaqBody = Type.Object(
  {
    question: Type.Optional(Type.String({ minLength: 5, maxLength: 500 })),
    answer: Type.Optional(Type.String({ minLength: 1, maxLength: 10000 })),
    procedureCodes: Type.Optional(Type.Array(ProcedureCode, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type ToFaqInput = Static<typeof ToFaqBody>;

export const ToFaqResult = Type.Object({
  id: Type.Integer(),
  created: Type.Boolean({ description: 'false when the item already had an entry: that one is returned' }),
  editUrl: Type.String(),
});
export type ToFaqResult = Static<typeof ToFaqResult>;

export { Kind as FeedbackKindSchema, Rating as FeedbackRatingSchema, Status as FeedbackStatusSchema };
