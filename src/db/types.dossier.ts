import type { ColumnType, Generated } from 'kysely';
import type { Measure } from '../domain/stats/measures.js';
import type { Timestamp, DateOnly, Json } from './types.columns.js';

// Kysely's view of the tables of dossiers and what hangs on them: steps, results, documents,
// payments, jobs, notifications, ratings, statistics (part of types.ts; the SQL in migrations/ is
// the source of truth).
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
