/**
 * Processing after reception (DESIGN §4.3): a dossier walks the steps of the workflow it was
 * received with, and every move maps onto the national status codes 1-10. Pure functions: the
 * service reads and writes rows, this decides what is allowed and what follows.
 */
import { STATUS, type StatusCode } from '../dossier/status.js';
import type { StepAllowance, StepDef, StepKind, StepUnit, Workflow } from './schema.js';

export type { StepAllowance, StepDef, StepKind, StepUnit, Workflow } from './schema.js';

/** A step with its unit resolved for one dossier, as frozen at reception. */
export interface FrozenStep extends StepDef {
  unitId: number;
  unitCode: string;
  unitPath: string;
}

export interface FrozenWorkflow {
  /** 'procedure' when the procedure version defines it, 'default' when derived from the time limit. */
  source: 'procedure' | 'default';
  steps: FrozenStep[];
}

export type WorkflowProblem =
  | 'workflow_no_return_last'
  | 'workflow_sign_count'
  | 'workflow_sign_role'
  | 'workflow_return_role'
  | 'workflow_return_not_after_sign'
  | 'workflow_duplicate_key';

/** Structural rules every workflow obeys, so every dossier can end with a result handed over. */
export function checkWorkflow(w: Workflow): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const steps = w.steps;
  const last = steps[steps.length - 1]!;
  if (last.kind !== 'return' || steps.slice(0, -1).some((s) => s.kind === 'return')) problems.push('workflow_no_return_last');
  if (last.kind === 'return' && last.role !== 'desk_officer') problems.push('workflow_return_role');
  const signs = steps.filter((s) => s.kind === 'sign');
  if (signs.length !== 1) problems.push('workflow_sign_count');
  if (signs.some((s) => s.role !== 'leader')) problems.push('workflow_sign_role');
  if (signs.length === 1 && steps[steps.length - 2]?.kind !== 'sign') problems.push('workflow_return_not_after_sign');
  if (new Set(steps.map((s) => s.key)).size !== steps.length) problems.push('workflow_duplicate_key');
  return problems;
}

const NAMES = {
  process: { vi: 'Chuyên viên xử lý hồ sơ', en: 'Specialist examines the dossier' },
  sign: { vi: 'Lãnh đạo ký duyệt', en: 'Leader decides and signs' },
  return: { vi: 'Bộ phận một cửa trả kết quả', en: 'One-stop desk returns the result' },
} as const;

/**
 * The workflow of a procedure that defines none: specialist, signing leader, desk, all in the
 * receiving unit. The leader gets a working day (a quarter of a same-day limit), the specialist
 * the rest; handing over the result is given half a day.
 */
export function defaultWorkflow(limit: { amount: number; unit: 'working_days' | 'hours' | 'days' | 'months' } | null): Workflow {
  const hours = limitInOfficeHours(limit);
  const leader: StepAllowance =
    hours >= 16 ? { amount: 1, unit: 'working_days' } : { amount: Math.max(1, Math.floor(hours / 4)), unit: 'hours' };
  const specialist: StepAllowance =
    hours >= 16 && hours % 8 === 0
      ? { amount: hours / 8 - 1, unit: 'working_days' }
      : { amount: Math.max(1, hours - (leader.unit === 'hours' ? leader.amount : 8)), unit: 'hours' };
  const here: StepUnit = { at: 'receiving' };
  return {
    steps: [
      { key: 'process', kind: 'process', role: 'specialist', unit: here, allowance: specialist, name: NAMES.process },
      { key: 'sign', kind: 'sign', role: 'leader', unit: here, allowance: leader, name: NAMES.sign },
      { key: 'return', kind: 'return', role: 'desk_officer', unit: here, allowance: { amount: 4, unit: 'hours' }, name: NAMES.return },
    ],
  };
}

/** Office hours a time limit stands for (8 a working day; calendar days and months approximated by working days). */
export function limitInOfficeHours(limit: { amount: number; unit: string } | null): number {
  if (!limit) return 10 * 8;
  switch (limit.unit) {
    case 'hours':
      return Math.max(2, limit.amount);
    case 'working_days':
      return Math.max(4, limit.amount * 8);
    case 'days':
      return Math.max(8, Math.floor((limit.amount * 5) / 7) * 8);
    default:
      return Math.max(8, limit.amount * 22 * 8);
  }
}

// --- the state machine -------------------------------------------------------------------------

export type ProcessAction =
  | 'pass'
  | 'return_step'
  | 'request_supplement'
  | 'resume'
  | 'obligation'
  | 'paid'
  | 'approve'
  | 'reject'
  | 'return_result'
  | 'withdraw_request'
  | 'withdraw_accept'
  | 'withdraw_decline'
  | 'stop';

export interface FlowState {
  status: StatusCode;
  /** Index of the step holding the dossier; null before reception and once it has ended. */
  step: number | null;
  /** The status to go back to after a payment (6) or a declined withdrawal (7). */
  held: StatusCode | null;
}

export class WorkflowError extends Error {
  override name = 'WorkflowError';
  constructor(readonly code: 'invalid_transition' | 'no_next_step' | 'no_previous_step') {
    super(code);
  }
}

const WORKING: readonly StatusCode[] = [STATUS.received, STATUS.processing];
const OPEN: readonly StatusCode[] = [STATUS.received, STATUS.processing, STATUS.supplement, STATUS.awaitingPayment];

/** The state reception starts: the first step, and status 2, or 6 while a fee is unpaid. */
export function startState(feeOutstanding: boolean): FlowState {
  return feeOutstanding
    ? { status: STATUS.awaitingPayment, step: 0, held: STATUS.received }
    : { status: STATUS.received, step: 0, held: null };
}

/** Which actions the state allows at its current step (for offering buttons and for checking). */
export function allowedActions(kinds: readonly StepKind[], s: FlowState): ProcessAction[] {
  return ALL_ACTIONS.filter((a) => {
    try {
      transition(kinds, s, a);
      return true;
    } catch {
      return false;
    }
  });
}

export const ALL_ACTIONS: readonly ProcessAction[] = [
  'pass',
  'return_step',
  'request_supplement',
  'resume',
  'obligation',
  'paid',
  'approve',
  'reject',
  'return_result',
  'withdraw_request',
  'withdraw_accept',
  'withdraw_decline',
  'stop',
];

/** The state after an action, or a WorkflowError when the action is not allowed now. */
export function transition(kinds: readonly StepKind[], s: FlowState, a: ProcessAction): FlowState {
  const kind = s.step === null ? null : kinds[s.step];
  const bad = (): never => {
    throw new WorkflowError('invalid_transition');
  };
  switch (a) {
    case 'pass': {
      if (!WORKING.includes(s.status) || (kind !== 'process' && kind !== 'review')) return bad();
      const next = kinds[s.step! + 1];
      if (!next || next === 'return') throw new WorkflowError('no_next_step');
      return { status: STATUS.processing, step: s.step! + 1, held: null };
    }
    case 'return_step':
      if (!WORKING.includes(s.status) || kind === null || kind === 'return') return bad();
      if (s.step === 0) throw new WorkflowError('no_previous_step');
      return { status: STATUS.processing, step: s.step! - 1, held: null };
    case 'request_supplement':
      if (!WORKING.includes(s.status) || (kind !== 'process' && kind !== 'review')) return bad();
      return { status: STATUS.supplement, step: s.step, held: STATUS.processing };
    case 'resume':
      if (s.status !== STATUS.supplement || s.step === null) return bad();
      return { status: STATUS.processing, step: s.step, held: null };
    case 'obligation':
      if (!WORKING.includes(s.status) || kind === null || kind === 'return') return bad();
      return { status: STATUS.awaitingPayment, step: s.step, held: STATUS.processing };
    case 'paid':
      if (s.status !== STATUS.awaitingPayment) return bad();
      return { status: s.held ?? STATUS.received, step: s.step, held: null };
    case 'approve':
    case 'reject':
      if (!WORKING.includes(s.status) || kind !== 'sign') return bad();
      return { status: STATUS.processed, step: s.step! + 1, held: null };
    case 'return_result':
      if (s.status !== STATUS.processed || kind !== 'return') return bad();
      return { status: STATUS.returned, step: null, held: null };
    case 'withdraw_request':
      if (s.status !== STATUS.submitted && !OPEN.includes(s.status)) return bad();
      return { status: STATUS.withdrawalRequested, step: s.step, held: s.status };
    case 'withdraw_accept':
      if (s.status !== STATUS.withdrawalRequested) return bad();
      return { status: STATUS.stopped, step: null, held: null };
    case 'withdraw_decline':
      if (s.status !== STATUS.withdrawalRequested || s.held === null) return bad();
      return { status: s.held, step: s.step, held: null };
    case 'stop':
      if (!OPEN.includes(s.status)) return bad();
      return { status: STATUS.stopped, step: null, held: null };
  }
}
