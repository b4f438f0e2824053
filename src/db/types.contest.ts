import type { ColumnType, Generated } from 'kysely';

// Kysely's view of the tables of the contest, schools and learning mode (part of types.ts; the
// SQL in migrations/ is the source of truth).
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
