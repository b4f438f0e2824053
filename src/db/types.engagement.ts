import type { ColumnType, Generated } from 'kysely';
import type { Timestamp, DateOnly, Json } from './types.columns.js';
import type { MediaType } from './types.js';

// Kysely's view of the tables of public engagement: FAQ, surveys, dialogue conferences, feedback
// (part of types.ts; the SQL in migrations/ is the source of truth).
export const FAQ_STATUS = ['draft', 'published', 'archived'] as const;
export type FaqStatus = (typeof FAQ_STATUS)[number];
export const FAQ_SOURCE = ['seed', 'feedback', 'conference', 'manual'] as const;
export type FaqSource = (typeof FAQ_SOURCE)[number];

export interface FaqEntryTable {
  id: Generated<number>;
  unit_id: number;
  field_code: string | null;
  question_vi: string;
  question_en: string | null;
  answer_vi: string;
  answer_en: string | null;
  status: Generated<FaqStatus>;
  needs_confirmation: Generated<boolean>;
  confirmation_note: string | null;
  source: FaqSource;
  source_ref: string | null;
  view_count: Generated<number>;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_by: number | null;
  updated_at: Generated<Date>;
  published_at: Date | null;
  confirmed_by: number | null;
  confirmed_at: Date | null;
}

export interface FaqProcedureTable {
  faq_id: number;
  procedure_id: number;
}

export type SurveyState = 'draft' | 'open' | 'closed';

export interface SurveyTable {
  id: Generated<number>;
  title: string;
  questionnaire: ColumnType<unknown, string, string>;
  unit_ids: number[] | null;
  sample_mode: 'per_unit' | 'total';
  sample_size: number;
  opens_at: Timestamp;
  closes_at: Timestamp;
  state: Generated<SurveyState>;
  seed: string | null;
  population: number | null;
  eligible_from: Date | null;
  created_by: number;
  created_at: Generated<Date>;
  launched_by: number | null;
  launched_at: Date | null;
  closed_by: number | null;
  closed_at: Date | null;
}

export interface SurveyInvitationTable {
  id: Generated<number>;
  survey_id: number;
  unit_id: number;
  dossier_id: number;
  applicant_key: string;
  token_hash: string;
  invited_at: Timestamp;
  responded_at: Date | null;
}

export interface SurveyResponseTable {
  invitation_id: number;
  survey_id: number;
  unit_id: number;
  answers: ColumnType<unknown, string, string>;
  submitted_at: Timestamp;
}

export const CONFERENCE_STATUS = ['scheduled', 'held', 'minutes_published', 'cancelled'] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUS)[number];
export const COMMITMENT_STATUS = ['open', 'in_progress', 'done'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUS)[number];
export type QuestionModeration = 'pending' | 'accepted' | 'declined';

export interface ConferenceTable {
  id: Generated<number>;
  unit_id: number;
  topic: string;
  description: Generated<string>;
  starts_at: Timestamp;
  place: string;
  chair: string;
  leaders: ColumnType<unknown, string, string>;
  registration_closes_at: Timestamp;
  capacity: number | null;
  status: Generated<ConferenceStatus>;
  cancel_reason: string | null;
  held_at: Date | null;
  minutes_published_at: Date | null;
  cancelled_at: Date | null;
  created_by: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConferenceRegistrationTable {
  id: Generated<number>;
  conference_id: number;
  full_name: string;
  /** Sealed (docs/privacy.md); phone_hash keeps one registration per number. */
  phone: string | null;
  phone_hash: ColumnType<string | null, string | null | undefined, string | null>;
  email: string | null;
  organisation: string | null;
  account_id: number | null;
  locale: Generated<'vi' | 'en'>;
  created_at: Generated<Date>;
}

export interface ConferenceQuestionTable {
  id: Generated<number>;
  conference_id: number;
  source: 'advance' | 'room';
  asker_name: string | null;
  asker_phone: string | null;
  asker_email: string | null;
  asker_account_id: number | null;
  asker_locale: Generated<'vi' | 'en'>;
  body: string;
  procedure_code: string | null;
  field_code: string | null;
  moderation: Generated<QuestionModeration>;
  decline_reason: string | null;
  moderated_by: number | null;
  moderated_at: Date | null;
  supports: Generated<number>;
  draft_answer: string | null;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | null;
  created_at: Generated<Date>;
  /** The published text (personal data removed), set on acceptance: migration 202611300005. */
  body_public: string | null;
}

export interface ConferenceQuestionSupportTable {
  question_id: number;
  account_id: number;
  created_at: Generated<Date>;
}

export interface ConferenceCommitmentTable {
  id: Generated<number>;
  conference_id: number;
  question_id: number;
  what: string;
  responsible: string;
  responsible_unit_id: number | null;
  due_date: DateOnly;
  status: Generated<CommitmentStatus>;
  evidence: string | null;
  evidence_url: string | null;
  done_at: Date | null;
  created_by: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConferenceCommitmentEventTable {
  id: Generated<number>;
  commitment_id: number;
  at: Generated<Date>;
  actor_id: number;
  status: CommitmentStatus;
  note: string | null;
  evidence_url: string | null;
}

export const FEEDBACK_KINDS = ['question', 'regulation', 'conduct'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export const FEEDBACK_STATUSES = ['received', 'rejected', 'info_requested', 'answering', 'awaiting_approval', 'published'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];
export const FEEDBACK_RATINGS = ['satisfied', 'not_satisfied'] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

export interface FeedbackCodeCounterTable {
  day: DateOnly;
  last: number;
}

export interface FeedbackTable {
  id: Generated<number>;
  code: string;
  key_hash: string;
  kind: FeedbackKind;
  status: FeedbackStatus;
  title: string;
  content: string;
  public_title: string;
  public_content: string;
  author_name: string;
  author_phone: string | null;
  author_email: string | null;
  author_account_id: number | null;
  /** Set when the author's contact data was erased (their request, or the retention purge). */
  contact_erased_at: Date | null;
  locale: 'vi' | 'en';
  unit_id: number;
  about_unit_id: number | null;
  dossier_id: number | null;
  procedure_id: number | null;
  received_at: Date;
  reject_by: Date;
  request_info_by: Date;
  answer_by: Date;
  answer_from: Date;
  waits: ColumnType<unknown, string | undefined, string>;
  info_question: string | null;
  info_requested_at: Date | null;
  reason: string | null;
  answer_text: string | null;
  answer_public: string | null;
  answer_template: string | null;
  answered_by: number | null;
  approved_by: number | null;
  approved_at: Date | null;
  publish_by: Date | null;
  published_at: Date | null;
  reopen_count: Generated<number>;
  search_text: Generated<string>;
  updated_at: Date;
}

export interface FeedbackEventTable {
  id: Generated<number>;
  feedback_id: number;
  at: Date;
  unit_id: number;
  actor_id: number | null;
  actor_kind: 'author' | 'official' | 'system';
  action: string;
  from_status: FeedbackStatus | null;
  to_status: FeedbackStatus | null;
  note: string | null;
  data: Json;
}

export interface FeedbackRatingTable {
  feedback_id: number;
  round: number;
  rating: FeedbackRating;
  rated_at: Date;
}

export interface FeedbackAttachmentTable {
  id: Generated<number>;
  feedback_id: number;
  file_sha256: string;
  name: string;
  media_type: MediaType;
  size: number;
  uploaded_at: Date;
}
