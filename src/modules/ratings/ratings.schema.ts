import { Type, type Static } from '@sinclair/typebox';
import { RATING_OVERALL } from '../../db/types.js';
import { CoverageQuerySchema } from '../stats/stats.schema.js';

/** The nine criteria of the per-dossier evaluation (Decree 61/2018, Circular 01/2018; DESIGN §4.6). */
export const CRITERIA = [
  'total_time',
  'agency_time',
  'contacts',
  'agencies',
  'one_stop',
  'publicly_posted',
  'attitude',
  'feedback_handling',
  'online_quality',
] as const;
export type Criterion = (typeof CRITERIA)[number];

/** 2 good, 1 acceptable, 0 poor; a criterion left out was not answered. */
const Score = Type.Integer({ minimum: 0, maximum: 2 });

export const RatingBody = Type.Object(
  {
    code: Type.String({ maxLength: 64 }),
    check: Type.String({ maxLength: 16, description: "Last 4 digits of the applicant's phone or citizen ID" }),
    overall: Type.Union(RATING_OVERALL.map((o) => Type.Literal(o))),
    criteria: Type.Optional(
      Type.Partial(Type.Object(Object.fromEntries(CRITERIA.map((c) => [c, Score])) as Record<Criterion, typeof Score>), {
        additionalProperties: false,
      }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RatingInput = Static<typeof RatingBody>;

export const RatingView = Type.Object({
  code: Type.String(),
  overall: Type.Union(RATING_OVERALL.map((o) => Type.Literal(o))),
  criteria: Type.Record(Type.String(), Type.Integer()),
  comment: Type.Union([Type.String(), Type.Null()]),
  ratedAt: Type.String(),
  updatedAt: Type.String(),
  changeableUntil: Type.String(),
});
export type RatingView = Static<typeof RatingView>;

/** The same unit, subtree and period as the coverage report. */
export const SatisfactionQuery = CoverageQuerySchema;
export type SatisfactionQuery = Static<typeof SatisfactionQuery>;
