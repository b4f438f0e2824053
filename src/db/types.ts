import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Measure } from '../domain/stats/measures.js';

// Kysely's view of the tables; the SQL in migrations/ is the source of truth.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | null, string | null>;

export type UnitLevel = 'city' | 'department' | 'district' | 'commune';
export type Role = 'desk_officer' | 'specialist' | 'leader' | 'unit_admin' | 'city_admin';
export type AccountKind = 'citizen' | 'business' | 'official';
export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface AppSettingTable {
  key: string;
  value: string;
}

export interface UnitTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  level: UnitLevel;
  kind: string;
  parent_id: number | null;
  path: string;
  valid_from: DateOnly;
  valid_to: string | null;
  created_at: Generated<Date>;
}

export interface UnitSuccessionTable {
  predecessor_id: number;
  successor_id: number;
  kind: 'merge' | 'split' | 'rename';
  effective_date: DateOnly;
}

export interface AccountTable {
  id: Generated<number>;
  kind: AccountKind;
  full_name: string;
  /** AES-GCM ciphertext (src/lib/pii.ts); phone_hash / citizen_id_hash are the lookup hashes. */
  phone: string | null;
  phone_hash: string | null;
  email: string | null;
  username: string | null;
  citizen_id: string | null;
  citizen_id_hash: string | null;
  tax_code: string | null;
  password_hash: string;
  locale: Generated<'vi' | 'en'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AccountIdentifierTable {
  identifier: string;
  account_id: number;
  kind: 'phone' | 'email' | 'tax_code' | 'username';
}

export interface RoleAssignmentTable {
  id: Generated<number>;
  account_id: number;
  role: Role;
  unit_id: number;
  created_at: Generated<Date>;
  created_by: number | null;
}

export interface SessionTable {
  id: string;
  account_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_role: string | null;
  unit_id: number | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  prev_hash: string | null;
  hash: string;
}

export interface CalendarYearTable {
  year: number;
  version: number;
  holidays: ColumnType<unknown, string, string>;
  days_off: ColumnType<unknown, string, string>;
  working_weekends: ColumnType<unknown, string, string>;
  note: string | null;
  published_at: Generated<Date>;
  published_by: number | null;
}

export interface UnitOfficeHoursTable {
  unit_id: number;
  hours: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
  updated_by: number | null;
}

export interface FieldTable {
  code: string;
  name_vi: string;
  name_en: string;
  sort: Generated<number>;
}

export interface ProcedureTable {
  id: Generated<number>;
  code: string;
  field_code: string;
  levels: UnitLevel[];
  name_vi: string;
  name_en: string;
  summary_vi: Generated<string>;
  summary_en: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProcedureVersionTable {
  id: Generated<number>;
  procedure_id: number;
  version: number;
  effective_from: DateOnly;
  content: ColumnType<unknown, string, string>;
  time_limit_amount: number | null;
  time_limit_unit: string | null;
  fee_amount: number | null;
  online_level: number | null;
  online_mode: 'full' | 'partial' | 'none' | null;
  published_at: Generated<Date>;
  published_by: number | null;
}

export interface UnitProcedureTable {
  unit_id: number;
  procedure_id: number;
  online_level: number | null;
  online_mode: 'full' | 'partial' | 'none' | null;
}

export interface StoredFileTable {
  sha256: string;
  size: number;
  media_type: MediaType;
  created_at: Generated<Date>;
}

export interface DossierCodeCounterTable {
  agency_code: string;
  day: DateOnly;
  last: number;
}

export interface DossierTable {
  id: Generated<number>;
  code: string | null;
  unit_id: number;
  procedure_id: number;
  procedure_version_id: number;
  channel: 1 | 2 | 3;
  status: number | null;
  owner_id: number | null;
  created_by: number;
  assisted: Json;
  applicant: Json;
  applicant_name: Generated<string>;
  /** Sealed (docs/privacy.md); the hashes beside them are keyed lookups. */
  applicant_phone: string | null;
  applicant_phone_hash: ColumnType<string | null, string | null | undefined, string | null>;
  applicant_citizen_id: string | null;
  applicant_citizen_id_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Keyed hashes of the last four digits a tracking lookup accepts. */
  lookup_checks: ColumnType<string[], string[] | undefined, string[]>;
  form_data: ColumnType<unknown, string | undefined, string>;
  locale: Generated<'vi' | 'en'>;
  fee_amount: ColumnType<number | null, number | null | undefined, number | null>;
  fee_basis: Json;
  submitted_at: Date | null;
  received_at: Date | null;
  due_at: Date | null;
  pauses: ColumnType<unknown, string | undefined, string>;
  finished_at: Date | null;
  idempotency_key: string | null;
  revision: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  workflow: ColumnType<unknown, string | null | undefined, string | null>;
  step_index: number | null;
  step_unit_id: number | null;
  step_role: StepRole | null;
  assignee_id: number | null;
  step_started_at: Date | null;
  step_due_at: Date | null;
  held_status: number | null;
  proposal: ColumnType<unknown, string | null | undefined, string | null>;
  outcome: 'approved' | 'rejected' | null;
  original_due_at: Date | null;
  apology_at: Date | null;
  returned_at: Date | null;
  return_method: 'desk' | 'post' | 'online' | null;
  return_tracking: string | null;
  warned_at: Date | null;
  escalated_at: Date | null;
  stat_state: Generated<number>;
}

export type StepRole = 'desk_officer' | 'specialist' | 'leader';

export interface DossierStepTable {
  id: Generated<number>;
  dossier_id: number;
  seq: number;
  step_index: number;
  step_key: string;
  unit_id: number;
  role: StepRole;
  assignee_id: number | null;
  started_at: Date;
  allowance: ColumnType<unknown, string, string>;
  due_at: Date | null;
  finished_at: Date | null;
  finished_by: number | null;
  outcome: string | null;
  note: string | null;
}

export interface DossierResultTable {
  id: Generated<number>;
  dossier_id: number;
  kind: 'approval' | 'rejection';
  medium: 'electronic' | 'paper';
  file_sha256: string | null;
  verify_token: string;
  key_id: string | null;
  signature: string | null;
  issued_at: Date;
  issued_by: number;
  reason: string | null;
}

export interface SigningKeyTable {
  id: string;
  algorithm: 'ed25519';
  public_key: string;
  created_at: Generated<Date>;
  retired_at: Date | null;
}

export interface WebhookSubscriptionTable {
  id: Generated<number>;
  name: string;
  url: string;
  secret: string;
  active: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  subscription_id: number;
  event_id: string;
  dossier_id: number | null;
  attempts: Generated<number>;
  status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface DossierDocumentTable {
  id: Generated<number>;
  dossier_id: number;
  item: number;
  file_sha256: string | null;
  file_name: string | null;
  media_type: string | null;
  size: number | null;
  paper: Generated<boolean>;
  round: Generated<number>;
  uploaded_by: number | null;
  created_at: Generated<Date>;
}

export interface DossierEventTable {
  id: Generated<number>;
  dossier_id: number;
  at: Timestamp;
  actor_id: number | null;
  actor_role: string | null;
  action: string;
  from_status: number | null;
  to_status: number | null;
  note: string | null;
  data: Json;
  prev_hash: string | null;
  hash: string;
}

export interface DossierSupplementTable {
  id: Generated<number>;
  dossier_id: number;
  round: number;
  requested_at: Generated<Date>;
  requested_by: number;
  items: ColumnType<unknown, string, string>;
  note: string | null;
  provided_at: Date | null;
  closed_at: Date | null;
}

export interface PaymentTable {
  id: Generated<number>;
  dossier_id: number;
  unit_id: number;
  txn_ref: string;
  amount: ColumnType<number, number, number>;
  method: 'gateway' | 'cash';
  provider: string | null;
  status: 'pending' | 'paid' | 'failed' | 'cancelled';
  provider_txn: string | null;
  paid_at: Date | null;
  recorded_by: number | null;
  receipt_no: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface JobTable {
  id: Generated<number>;
  queue: string;
  payload: ColumnType<unknown, string, string>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Date | null;
  last_error: string | null;
  done_at: Date | null;
  failed_at: Date | null;
  created_at: Generated<Date>;
}

export interface NotificationTable {
  id: Generated<number>;
  account_id: number | null;
  dossier_id: number | null;
  template: string;
  template_version: number;
  locale: 'vi' | 'en';
  subject: string;
  body: string;
  created_at: Generated<Date>;
  read_at: Date | null;
}

export const RATING_OVERALL = ['very_satisfied', 'satisfied', 'not_satisfied'] as const;
export type RatingOverall = (typeof RATING_OVERALL)[number];

export interface DossierRatingTable {
  dossier_id: number;
  unit_id: number;
  procedure_id: number;
  overall: RatingOverall;
  criteria: ColumnType<unknown, string, string>;
  comment: string | null;
  officer_id: number | null;
  rated_at: Date;
  updated_at: Date;
  follow_up_state: 'open' | 'closed' | null;
  follow_up_note: string | null;
  follow_up_by: number | null;
  follow_up_at: Date | null;
}

type StatMeasureColumns = { [K in Measure]: Generated<number> };
export type StatDossierDayTable = StatMeasureColumns & { day: DateOnly; unit_id: number; procedure_id: number; channel: number };
export type StatUnitDayTable = StatMeasureColumns & { day: DateOnly; unit_id: number; channel: number };
export type StatUnitMonthTable = StatMeasureColumns & { month: DateOnly; unit_id: number; channel: number };

export interface DB {
  app_setting: AppSettingTable;
  unit: UnitTable;
  unit_succession: UnitSuccessionTable;
  account: AccountTable;
  account_identifier: AccountIdentifierTable;
  role_assignment: RoleAssignmentTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  calendar_year: CalendarYearTable;
  unit_office_hours: UnitOfficeHoursTable;
  field: FieldTable;
  procedure: ProcedureTable;
  procedure_version: ProcedureVersionTable;
  unit_procedure: UnitProcedureTable;
  stored_file: StoredFileTable;
  dossier_code_counter: DossierCodeCounterTable;
  dossier: DossierTable;
  dossier_document: DossierDocumentTable;
  dossier_event: DossierEventTable;
  dossier_supplement: DossierSupplementTable;
  payment: PaymentTable;
  job: JobTable;
  notification: NotificationTable;
  dossier_step: DossierStepTable;
  dossier_result: DossierResultTable;
  signing_key: SigningKeyTable;
  webhook_subscription: WebhookSubscriptionTable;
  webhook_delivery: WebhookDeliveryTable;
  stat_dossier_day: StatDossierDayTable;
  stat_unit_day: StatUnitDayTable;
  stat_unit_month: StatUnitMonthTable;
  dossier_rating: DossierRatingTable;
  faq_entry: FaqEntryTable;
  faq_procedure: FaqProcedureTable;
  survey: SurveyTable;
  survey_invitation: SurveyInvitationTable;
  survey_response: SurveyResponseTable;
  conference: ConferenceTable;
  conference_registration: ConferenceRegistrationTable;
  conference_question: ConferenceQuestionTable;
  conference_question_support: ConferenceQuestionSupportTable;
  conference_commitment: ConferenceCommitmentTable;
  conference_commitment_event: ConferenceCommitmentEventTable;
  feedback_code_counter: FeedbackCodeCounterTable;
  feedback: FeedbackTable;
  feedback_event: FeedbackEventTable;
  feedback_rating: FeedbackRatingTable;
  feedback_attachment: FeedbackAttachmentTable;
  contest: ContestTable;
  contest_round: ContestRoundTable;
  contest_pool: ContestPoolTable;
  contest_question: ContestQuestionTable;
  contest_participant: ContestParticipantTable;
  contest_participant_token: ContestParticipantTokenTable;
  contest_recovery_code: ContestRecoveryCodeTable;
  contest_entry: ContestEntryTable;
  contest_answer: ContestAnswerTable;
  contest_certificate: ContestCertificateTable;
  contest_import: ContestImportTable;
  contest_rate_window: ContestRateWindowTable;
  contest_flag: ContestFlagTable;
  contest_ranking: ContestRankingTable;
  contest_ranking_entry: ContestRankingEntryTable;
  school: SchoolTable;
  learn_class: LearnClassTable;
  learn_pupil: LearnPupilTable;
  learn_attempt: LearnAttemptTable;
}

export type UnitRow = Selectable<UnitTable>;
export type AccountRow = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;

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

export type ContestRoundState = 'draft' | 'published';
export type ContestQuestionKind = 'single' | 'multiple';

export interface ContestTable {
  id: Generated<number>;
  title_vi: string;
  title_en: string;
  created_by: number;
  created_at: Generated<Date>;
}

export interface ContestRoundTable {
  id: Generated<number>;
  contest_id: number;
  opens_at: Date;
  closes_at: Date;
  question_count: number;
  time_limit_seconds: number;
  state: Generated<ContestRoundState>;
  published_by: number | null;
  published_at: Date | null;
}

export interface ContestPoolTable {
  id: Generated<number>;
  contest_id: number;
  field_code: string;
  name_vi: string;
  name_en: string;
}

export interface ContestQuestionTable {
  id: Generated<number>;
  pool_id: number;
  kind: ContestQuestionKind;
  difficulty: number;
  text_vi: string;
  text_en: string;
  options: ColumnType<{ id: string; vi: string; en: string }[], string, string>;
  correct: string[];
  explanation_vi: string;
  explanation_en: string;
  procedure_code: string | null;
  created_by: number;
  created_at: Generated<Date>;
  status: Generated<ContestQuestionStatus>;
  updated_at: Generated<Date>;
}

export type ContestQuestionStatus = 'draft' | 'active' | 'retired';

export interface ContestImportTable {
  id: Generated<number>;
  contest_id: number;
  file_name: string;
  rows: ColumnType<unknown, string, string>;
  problems: ColumnType<{ row: number; column: string; reason: string }[], string, string>;
  created_by: number;
  created_at: Generated<Date>;
  confirmed_at: Date | null;
}

export interface ContestParticipantTable {
  id: Generated<number>;
  contest_id: number;
  name: string;
  /** AES-GCM ciphertext (src/lib/pii.ts); unique per contest through phone_hash. */
  phone: string;
  phone_hash: string;
  citizen_id: string | null;
  citizen_id_hash: string | null;
  unit_id: number;
  token_hash: string;
  registered_at: Generated<Date>;
  client_ip: string | null;
  device_id: string | null;
  ua_hash: string | null;
  school_id: number | null;
}

/** A token given on another device after an SMS code (contest.recovery.ts); the registration's own is on the participant. */
export interface ContestParticipantTokenTable {
  token_hash: string;
  participant_id: number;
  created_at: Generated<Date>;
}

export interface ContestRecoveryCodeTable {
  id: Generated<number>;
  participant_id: number;
  code_hash: string;
  device_hash: string;
  client_ip: string | null;
  created_at: Date;
  expires_at: Date;
  attempts: Generated<number>;
  used_at: Date | null;
}

export interface ContestEntryTable {
  id: Generated<number>;
  round_id: number;
  participant_id: number;
  seed: string;
  questions: ColumnType<{ questionId: number; optionIds: string[] }[], string, string>;
  started_at: Date;
  submitted_at: Date | null;
  prediction: number | null;
  client_ip: string | null;
  device_id: string | null;
  ua_hash: string | null;
  disqualified_at: Date | null;
  disqualified_by: number | null;
  disqualified_reason: string | null;
}

export interface ContestAnswerTable {
  entry_id: number;
  question_id: number;
  chosen: string[];
  answered_at: Date;
}

export interface ContestCertificateTable {
  id: Generated<number>;
  entry_id: number;
  code: string;
  issued_at: Generated<Date>;
}

export interface ContestRateWindowTable {
  scope: string;
  key: string;
  window_start: Date;
  hits: number;
}

export type ContestFlagKind = 'ip_many_entries' | 'device_many_entries' | 'answers_too_fast' | 'entry_too_short' | 'regular_intervals';

export interface ContestFlagTable {
  id: Generated<number>;
  round_id: number;
  entry_id: number | null;
  kind: ContestFlagKind;
  subject: string;
  evidence: ColumnType<Record<string, unknown>, string, string>;
  created_at: Date;
  updated_at: Date;
  status: Generated<'open' | 'cleared'>;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

export interface ContestRankingTable {
  round_id: number;
  version: number;
  document: ColumnType<unknown, string, string>;
  hash: string;
  previous_hash: string | null;
  created_by: number | null;
  created_at: Date;
  /** How many entries the version ranks (its rows in contest_ranking_entry). */
  entry_count: number;
}

/** One entry's line of a frozen ranking version, in ranking order (`position` from 1). */
export interface ContestRankingEntryTable {
  round_id: number;
  version: number;
  position: number;
  rank: number;
  entry_id: number;
  score: number;
  prediction: number | null;
  distance: number | null;
  time_taken_ms: number;
  submitted_at: Date;
}

export type SchoolKind = 'primary' | 'lower_secondary' | 'upper_secondary';

export interface SchoolTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  kind: SchoolKind;
  unit_id: number;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface LearnClassTable {
  id: Generated<number>;
  school_id: number;
  teacher_name: string;
  name: string;
  code: string;
  teacher_token_hash: string;
  created_at: Generated<Date>;
}

export interface LearnPupilTable {
  id: Generated<number>;
  class_id: number;
  name: string;
  token_hash: string;
  joined_at: Generated<Date>;
}

export interface LearnAttemptTable {
  id: Generated<number>;
  pupil_id: number;
  lesson_slug: string;
  question_key: string;
  chosen: string[];
  correct: boolean;
  answered_at: Generated<Date>;
}
