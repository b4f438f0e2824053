/**
 * Lives of simulated dossiers, played through the live system's own rules with a simulated clock:
 * the intake and processing state machines give every status, the deadline engine every
 * appointment, and the classification is checked against the outcome asked for. Nothing here
 * writes a figure: the report engine counts these dossiers like any other.
 */
import { classify, computeDue, type OfficeHours, type WorkingCalendar } from '../../../domain/calendar/index.js';
import { vnInstantMs } from '../../../domain/calendar/days.js';
import { DEFAULT_OFFICE_HOURS } from '../../../domain/calendar/office-hours.js';
import { canApply, nextStatus, type IntakeAction, type StatusCode } from '../../../domain/dossier/status.js';
import { startState, transition, type FlowState, type ProcessAction } from '../../../domain/workflow/workflow.js';
import type { Outcome } from './scenario.schema.js';

const KINDS = ['process', 'sign', 'return'] as const;
const MIN = 60_000;
const HOUR = 60 * MIN;

export interface SimEvent {
  at: Date;
  action: string;
  from: number | null;
  to: number | null;
  role: string;
}

export interface SimDossier {
  channel: 1 | 2 | 3;
  status: number;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  outcome: 'approved' | null;
  events: SimEvent[];
}

/** A small deterministic generator, so a scenario gives the same data every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Life {
  constructor(
    readonly cal: WorkingCalendar,
    /** Working days of the period, ascending (day numbers). */
    readonly days: number[],
    readonly random: () => number,
  ) {}

  private int(lo: number, hi: number) {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  /** A morning or early-afternoon instant (before the 15:00 cutoff, so the day of receipt counts). */
  private officeTime(day: number): Date {
    const minutes = this.random() < 0.6 ? this.int(8 * 60, 11 * 60) : this.int(13 * 60 + 30, 14 * 60 + 50);
    return new Date(vnInstantMs(day, minutes * MIN));
  }

  /** The receipt day for an outcome: finished ones early enough to end in the period, open ones late enough. */
  private receiptDay(outcome: Outcome, amount: number): number {
    const n = this.days.length;
    let lo = 0;
    let hi = n - 1;
    if (outcome === 'openWithinDeadline') lo = Math.max(0, n - Math.max(1, Math.floor(amount / 2)));
    else if (outcome === 'openOverdue') hi = n - amount - 3;
    else if (outcome !== 'refused') hi = n - amount - 5;
    if (hi < lo) throw new Error(`the period is too short for a ${amount}-working-day procedure`);
    return this.days[this.int(lo, hi)]!;
  }

  play(outcome: Outcome, channel: 1 | 2 | 3, amount: number, hours: OfficeHours = DEFAULT_OFFICE_HOURS): SimDossier {
    const day = this.receiptDay(outcome, amount);
    const receivedAt = this.officeTime(day);
    const events: SimEvent[] = [];
    const submittedAt = new Date(receivedAt.getTime() - (channel === 2 ? this.int(10, 600) : this.int(1, 10)) * MIN);
    let status: number | null = null;
    const intake = (action: IntakeAction, at: Date, role: string) => {
      if (!canApply(action, status)) throw new Error(`scenario: ${action} from ${status}`);
      const to = nextStatus(action, status, false);
      events.push({ at, action: action === 'submit' && channel !== 2 ? 'register' : action, from: status, to, role });
      status = to;
    };
    intake('submit', submittedAt, channel === 2 ? 'citizen' : 'desk_officer');
    if (outcome === 'refused') {
      const at = new Date(submittedAt.getTime() + this.int(5, 120) * MIN);
      intake('refuse', at, 'desk_officer');
      return {
        channel,
        status: status!,
        submittedAt,
        receivedAt: null,
        dueAt: null,
        finishedAt: at,
        returnedAt: null,
        outcome: null,
        events,
      };
    }
    const dueAt = computeDue({ receivedAt, amount, unit: 'working_days', calendar: this.cal, hours }).dueAt;
    let flow: FlowState = startState(false);
    events.push({ at: receivedAt, action: 'receive', from: status, to: flow.status, role: 'desk_officer' });
    const step = (action: ProcessAction, at: Date, role: string) => {
      const next = transition(KINDS, flow, action);
      events.push({ at, action, from: flow.status, to: next.status, role });
      flow = next;
    };
    const dueDay = this.cal.firstWorkingOnOrAfterDn(Math.floor((dueAt.getTime() + 7 * HOUR) / 86_400_000));
    const recDay = day;
    let finishedAt: Date | null = null;
    let returnedAt: Date | null = null;
    let result: 'approved' | null = null;
    const at = (d: number, notBefore: Date) => {
      const t = this.officeTime(d);
      return t > notBefore ? t : new Date(notBefore.getTime() + this.int(30, 90) * MIN);
    };
    switch (outcome) {
      case 'early':
      case 'onTime':
      case 'late': {
        const d =
          outcome === 'onTime'
            ? dueDay
            : outcome === 'late'
              ? this.cal.addWorkingDn(dueDay, this.int(1, 3))
              : this.pickWorkingDay(recDay, this.cal.addWorkingDn(dueDay, -1));
        finishedAt = at(d, new Date(receivedAt.getTime() + 2 * HOUR));
        step('pass', new Date(finishedAt.getTime() - this.int(20, 60) * MIN), 'specialist');
        step('approve', finishedAt, 'leader');
        returnedAt = new Date(finishedAt.getTime() + this.int(10, 90) * MIN);
        step('return_result', returnedAt, 'desk_officer');
        result = 'approved';
        const want = outcome === 'onTime' ? 'on_time' : outcome;
        const got = classify(finishedAt, dueAt, this.cal);
        if (got !== want) throw new Error(`scenario: asked for ${want}, the rules say ${got}`);
        break;
      }
      case 'withdrawn':
      case 'stopped': {
        finishedAt = at(this.cal.addWorkingDn(recDay, this.int(1, Math.max(1, amount - 1))), receivedAt);
        if (outcome === 'withdrawn') {
          step('withdraw_request', new Date(finishedAt.getTime() - this.int(30, 240) * MIN), 'citizen');
          step('withdraw_accept', finishedAt, 'leader');
        } else {
          step('stop', finishedAt, 'leader');
        }
        break;
      }
      case 'openWithinDeadline':
      case 'openOverdue':
        if (this.random() < 0.7) step('pass', new Date(receivedAt.getTime() + this.int(30, 240) * MIN), 'specialist');
        break;
    }
    return {
      channel,
      status: flow.status as StatusCode,
      submittedAt,
      receivedAt,
      dueAt,
      finishedAt,
      returnedAt,
      outcome: result,
      events,
    };
  }

  private pickWorkingDay(from: number, to: number): number {
    const n = this.cal.countWorkingDn(from, to + 1);
    if (n <= 0) return from;
    return this.cal.addWorkingDn(this.cal.firstWorkingOnOrAfterDn(from), this.int(0, n - 1));
  }
}
