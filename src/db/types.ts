import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp, DateOnly, Json } from './types.columns.js';
import type {
  ContestTable,
  ContestRoundTable,
  ContestPoolTable,
  ContestQuestionTable,
  ContestImportTable,
  ContestParticipantTable,
  ContestParticipantTokenTable,
  ContestRecoveryCodeTable,
  ContestEntryTable,
  ContestAnswerTable,
  ContestCertificateTable,
  ContestRateWindowTable,
  ContestFlagTable,
  ContestRankingTable,
  ContestRankingEntryTable,
  SchoolTable,
  LearnClassTable,
  LearnPupilTable,
  LearnAttemptTable,
} from './types.contest.js';
import type {
  FaqEntryTable,
  FaqProcedureTable,
  SurveyTable,
  SurveyInvitationTable,
  SurveyResponseTable,
  ConferenceTable,
  ConferenceRegistrationTable,
  ConferenceQuestionTable,
  ConferenceQuestionSupportTable,
  ConferenceCommitmentTable,
  ConferenceCommitmentEventTable,
  FeedbackCodeCounterTable,
  FeedbackTable,
  FeedbackEventTable,
  FeedbackRatingTable,
  FeedbackAttachmentTable,
} from './types.engagement.js';
import type {
  DossierCodeCounterTable,
  DossierTable,
  DossierStepTable,
  DossierResultTable,
  SigningKeyTable,
  WebhookSubscriptionTable,
  WebhookDeliveryTable,
  DossierDocumentTable,
  DossierEventTable,
  DossierSupplementTable,
  PaymentTable,
  JobTable,
  NotificationTable,
  DossierRatingTable,
  StatDossierDayTable,
  StatUnitDayTable,
  StatUnitMonthTable,
} from './types.dossier.js';
export * from './types.contest.js';
export * from './types.dossier.js';
export * from './types.engagement.js';

// Kysely's view of the tables; the SQL in migrations/ is the source of truth. The tables of public
// engagement and of the contest are in types.engagement.ts and types.contest.ts.

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
