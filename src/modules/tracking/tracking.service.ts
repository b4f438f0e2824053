import { lookupCheckHash } from '../../lib/pii-fields.js';
import { timingSafeEqual } from 'node:crypto';
import { sql, type CompiledQuery, type InferResult, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { isDossierCode } from '../../domain/dossier/code.js';
import { STATUS, STATUS_NAME, type StatusCode } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';

type Named = { vi: string; en: string };

/** What the citizen must do next, by national status (DESIGN §4.3). */
export type NextStep = 'wait_desk' | 'wait' | 'supplement' | 'pay' | 'withdrawal' | 'refused' | 'stopped' | 'collect' | 'done';

export interface TrackingEvent {
  at: Date;
  action: string;
  /** The status after the event (null when the event did not change it, e.g. a hand-over). */
  status: StatusCode | null;
  /** Only for refusals, rejections, stops and apologies: the reason the citizen was also told in writing. */
  reason: string | null;
  /** For hand-overs between units: where the dossier went. */
  toUnit: Named | null;
}

export interface TrackingView {
  code: string;
  procedure: { code: string; name: Named };
  unit: { code: string; name: Named };
  channel: 1 | 2 | 3;
  /** The given name only (last word of the full name): enough to recognise one's own dossier. */
  applicantFirstName: string;
  status: StatusCode;
  statusName: Named;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  /** Set when form 04 moved the appointment: the appointment before the apology. */
  originalDueAt: Date | null;
  apologyAt: Date | null;
  /** Received, then asked for a supplement: the clock is stopped and the due date will move. */
  clockPaused: boolean;
  timeline: TrackingEvent[];
  next: {
    step: NextStep;
    /** Status 5: the documents asked for, with the reason given for each. */
    documents: { name: Named | null; reason: string }[];
    /** Status 5: the applicant has said the supplement is complete. */
    supplementSent: boolean;
    /** Status 6: what remains to pay, in đồng (null if the fee is not known). */
    amountDue: number | null;
    /** Status 6: the offer is level 4 and someone holds an account that can pay. */
    payOnline: boolean;
    /** Statuses 3 and 8, or a rejected request: why. */
    reason: string | null;
    rejected: boolean;
    /** An electronic result can be downloaded from "My dossiers". */
    electronicResult: boolean;
    postalTracking: string | null;
  };
}

// Notes of these actions are the reason the citizen is told in writing (forms 03 and 04, the
// rejection, the stop and declined-withdrawal messages); every other note is internal and is never selected.
const REASON_ACTIONS = ['refuse', 'reject', 'stop', 'withdraw_decline', 'apologize'];
// Shown although they leave the status alone: the citizen sees a new appointment or a new office.
const ALWAYS_SHOWN = ['transfer', 'apologize'];

// Guessing the 4-digit factor across many addresses is held back per code: after this many
// wrong answers for one code in the window, that code is refused for the rest of the window, to
// everyone (the owner can still follow it in "My dossiers" or at the desk). Counted the same way
// for codes that do not exist, so the 429 says nothing about existence. In-memory, so per process.
export const MAX_FAILURES_PER_CODE = 10;
const FAILURE_WINDOW_MS = 60 * 60 * 1000;
const MAX_TRACKED_CODES = 100_000;

/** "Nguyễn Văn An" -> "An": Vietnamese names put the given name last. */
export function firstName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  return parts[parts.length - 1] ?? '';
}

const lastFour = (v: string | null): Buffer => {
  const digits = (v ?? '').replace(/\D/g, '');
  // A value with fewer than 4 digits can never match: compare against bytes no input can produce.
  return digits.length >= 4 ? Buffer.from(digits.slice(-4)) : Buffer.from([0, 0, 0, 0]);
};

/** Constant time whichever of the two matches, and whether the dossier has a phone or an ID at all. */
function factorMatches(check: string, phone: string | null, citizenId: string | null): boolean {
  const given = Buffer.from(check);
  const a = timingSafeEqual(given, lastFour(phone));
  const b = timingSafeEqual(given, lastFour(citizenId));
  return a || b;
}

export class TrackingService {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(readonly db: Kysely<DB>) {}

  /** Parses the two inputs as a person types them; throws the 400 codes for malformed ones. */
  static parse(rawCode: string, rawCheck: string): { code: string; check: string } {
    const code = rawCode.trim().toUpperCase();
    if (!isDossierCode(code)) throw new AppError('invalid_dossier_code');
    const check = rawCheck.replace(/\s/g, '');
    if (!/^\d{4}$/.test(check)) throw new AppError('invalid_lookup_check');
    return { code, check };
  }

  async lookup(rawCode: string, rawCheck: string, now = Date.now()): Promise<TrackingView> {
    const { code, check } = TrackingService.parse(rawCode, rawCheck);
    this.#guard(code, now);
    const d = await findDossier(this.db, code, check);
    // Evaluated even without a dossier, so an unknown code costs the same as a wrong factor.
    const ok = factorMatches(check, d?.applicant_phone ?? null, d?.applicant_citizen_id ?? null);
    if (!d || !ok || d.status === null) {
      this.#fail(code, now);
      throw new AppError('lookup_failed');
    }
    // The statement already brought the public events when the factor matched; this decides.
    const events = (d.events ?? []).map((e) => ({ ...e, at: new Date(e.at) }));
    return present(d, events);
  }

  #guard(code: string, now: number) {
    const f = this.#failures.get(code);
    if (f && now - f.since < FAILURE_WINDOW_MS && f.count >= MAX_FAILURES_PER_CODE) throw new AppError('rate_limited');
  }

  #fail(code: string, now: number) {
    const f = this.#failures.get(code);
    if (f && now - f.since < FAILURE_WINDOW_MS) f.count++;
    else {
      if (this.#failures.size >= MAX_TRACKED_CODES) this.#sweep(now);
      this.#failures.set(code, { count: 1, since: now });
    }
  }

  #sweep(now: number) {
    for (const [k, f] of this.#failures) if (now - f.since >= FAILURE_WINDOW_MS) this.#failures.delete(k);
    // Still full of fresh entries (a flood of distinct codes): forgetting is better than growing.
    if (this.#failures.size >= MAX_TRACKED_CODES) this.#failures.clear();
  }
}

interface SupplementCell {
  items: { item: number; reason: string }[];
  sent: boolean;
}
interface DocumentCell {
  name?: Named;
}
interface ResultCell {
  kind: 'approval' | 'rejection';
  medium: 'electronic' | 'paper';
  reason: string | null;
}

/**
 * One statement by the unique code. What only some statuses need (the open supplement, the
 * amount paid, the result) is read in CASE branches, so other dossiers do not pay for it; the
 * version's document list is read only while a supplement is open.
 */
function lookupQuery(db: Kysely<DB>, code: string, check: string) {
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('unit as u', 'u.id', 'd.unit_id')
    .innerJoin('procedure_version as pv', 'pv.id', 'd.procedure_version_id')
    .leftJoin('unit_procedure as up', (j) => j.onRef('up.unit_id', '=', 'd.unit_id').onRef('up.procedure_id', '=', 'd.procedure_id'))
    .select([
      'd.id',
      'd.code',
      'd.status',
      'd.channel',
      'd.owner_id',
      'd.applicant_name',
      'd.applicant_phone',
      'd.applicant_citizen_id',
      'd.submitted_at',
      'd.received_at',
      'd.due_at',
      'd.original_due_at',
      'd.apology_at',
      'd.outcome',
      'd.fee_amount',
      'd.pauses',
      'd.return_method',
      'd.return_tracking',
      'p.code as procedure_code',
      'p.name_vi as procedure_vi',
      'p.name_en as procedure_en',
      'u.code as unit_code',
      'u.name_vi as unit_vi',
      'u.name_en as unit_en',
      'up.online_level',
      sql<SupplementCell | null>`case when d.status = ${STATUS.supplement} then (
          select json_build_object('items', s.items, 'sent', s.provided_at is not null) from dossier_supplement s
          where s.dossier_id = d.id and s.closed_at is null order by s.round desc limit 1) end`.as('supplement'),
      sql<DocumentCell[] | null>`case when d.status = ${STATUS.supplement} then pv.content -> 'documents' end`.as('documents'),
      sql<number | null>`case when d.status = ${STATUS.awaitingPayment} then (
          select coalesce(sum(pm.amount), 0) from payment pm where pm.dossier_id = d.id and pm.status = 'paid') end`.as('paid'),
      sql<ResultCell | null>`case when d.status in (${STATUS.processed}, ${STATUS.returned}) or d.outcome is not null then (
          select json_build_object('kind', r.kind, 'medium', r.medium, 'reason', r.reason) from dossier_result r
          where r.dossier_id = d.id order by r.id desc limit 1) end`.as('result'),
      // One round trip: the public events come with the dossier, read only when the second factor
      // matches (the caller checks it again, in constant time, before showing anything).
      sql<JsonEvent[] | null>`case when ${check} = any(d.lookup_checks) then (
          select coalesce(json_agg(json_build_object(
            'at', e.at, 'action', e.action, 'from_status', e.from_status, 'to_status', e.to_status,
            'reason', case when e.action in (${sql.join(REASON_ACTIONS)}) then e.note end,
            'to_unit_vi', tu.name_vi, 'to_unit_en', tu.name_en) order by e.id), '[]'::json)
          from dossier_event e left join unit tu on tu.code = e.data ->> 'toUnit'
          where e.dossier_id = d.id and (e.to_status is distinct from e.from_status
            or e.action in (${sql.join(ALWAYS_SHOWN)}) or e.data ->> 'toUnit' is not null)) end`.as('events'),
    ])
    .where('d.code', '=', code);
}

// Built and compiled once per database: the lookup is the busiest public statement, and building
// a query of this size costs more than running it. The two inputs are put in by position markers.
const CODE_MARK = '\u0000code';
const CHECK_MARK = '\u0000check';
const compiledLookups = new WeakMap<Kysely<DB>, CompiledQuery>();

export async function findDossier(db: Kysely<DB>, code: string, check = ''): Promise<DossierRow | undefined> {
  let compiled = compiledLookups.get(db);
  if (!compiled) {
    compiled = lookupQuery(db, CODE_MARK, CHECK_MARK).compile();
    compiledLookups.set(db, compiled);
  }
  // The numbers are sealed; the statement compares the keyed hash of the four digits instead.
  const checkHash = check === '' ? '' : lookupCheckHash(check);
  const parameters = compiled.parameters.map((p) => (p === CODE_MARK ? code : p === CHECK_MARK ? checkHash : p));
  const result = await db.executeQuery<DossierRow>({ ...compiled, parameters });
  return result.rows[0];
}

interface JsonEvent {
  at: string;
  action: string;
  from_status: number | null;
  to_status: number | null;
  reason: string | null;
  to_unit_vi: string | null;
  to_unit_en: string | null;
}

type DossierRow = InferResult<ReturnType<typeof lookupQuery>>[number];
type EventRow = Omit<JsonEvent, 'at'> & { at: Date };

function nextStep(status: StatusCode): NextStep {
  switch (status) {
    case STATUS.submitted:
      return 'wait_desk';
    case STATUS.received:
    case STATUS.processing:
      return 'wait';
    case STATUS.supplement:
      return 'supplement';
    case STATUS.awaitingPayment:
      return 'pay';
    case STATUS.withdrawalRequested:
      return 'withdrawal';
    case STATUS.refused:
      return 'refused';
    case STATUS.stopped:
      return 'stopped';
    case STATUS.processed:
      return 'collect';
    case STATUS.returned:
      return 'done';
  }
}

/** Plain data for the page and the API; nothing personal beyond the given name. */
export function present(d: DossierRow, events: EventRow[]): TrackingView {
  const status = d.status as StatusCode;
  const step = nextStep(status);
  const timeline: TrackingEvent[] = events.map((e) => ({
    at: e.at,
    action: e.action,
    status: e.to_status !== e.from_status ? (e.to_status as StatusCode | null) : null,
    reason: e.reason,
    toUnit: e.to_unit_vi !== null ? { vi: e.to_unit_vi, en: e.to_unit_en ?? '' } : null,
  }));
  // The reason of an ending is the one given with the event that led into it.
  const endedBy = [...timeline].reverse().find((e) => e.status === status && e.reason);
  const rejected = d.outcome === 'rejected' || d.result?.kind === 'rejection';
  const rejection = rejected ? (d.result?.reason ?? [...timeline].reverse().find((e) => e.action === 'reject')?.reason ?? null) : null;
  const docs = d.documents ?? [];
  const pauses = (d.pauses as { to: string | null }[] | null) ?? [];
  // Someone with an account (the owner, or the relative who filed online) can pay and download.
  const hasAccount = d.owner_id !== null || d.channel === 2;
  return {
    code: d.code!,
    procedure: { code: d.procedure_code, name: { vi: d.procedure_vi, en: d.procedure_en } },
    unit: { code: d.unit_code, name: { vi: d.unit_vi, en: d.unit_en } },
    channel: d.channel as 1 | 2 | 3,
    applicantFirstName: firstName(d.applicant_name),
    status,
    statusName: STATUS_NAME[status],
    submittedAt: d.submitted_at,
    receivedAt: d.received_at,
    dueAt: d.due_at,
    originalDueAt: d.apology_at ? d.original_due_at : null,
    apologyAt: d.apology_at,
    clockPaused: status === STATUS.supplement && d.received_at !== null && pauses.some((p) => p.to === null),
    timeline,
    next: {
      step,
      documents:
        step === 'supplement'
          ? (d.supplement?.items ?? []).map((x) => ({ name: x.item >= 0 ? (docs[x.item]?.name ?? null) : null, reason: x.reason }))
          : [],
      supplementSent: step === 'supplement' && !!d.supplement?.sent,
      amountDue: step === 'pay' && d.fee_amount !== null ? Math.max(0, d.fee_amount - Number(d.paid ?? 0)) : null,
      payOnline: step === 'pay' && d.online_level === 4 && hasAccount,
      reason: step === 'refused' || step === 'stopped' ? (endedBy?.reason ?? null) : rejection,
      rejected,
      electronicResult: (step === 'collect' || step === 'done') && d.result?.medium === 'electronic' && hasAccount,
      postalTracking: step === 'done' && d.return_method === 'post' ? d.return_tracking : null,
    },
  };
}
