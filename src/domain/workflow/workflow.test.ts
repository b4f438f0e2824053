import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { STATUS, type StatusCode } from '../dossier/status.js';
import {
  ALL_ACTIONS,
  allowedActions,
  checkWorkflow,
  defaultWorkflow,
  startState,
  transition,
  WorkflowError,
  type FlowState,
  type StepKind,
  type Workflow,
} from './workflow.js';

/** Valid workflows: some process/review steps, then sign, then return. */
const kindsArb = fc
  .array(fc.constantFrom<StepKind>('process', 'review'), { minLength: 0, maxLength: 6 })
  .map((k): StepKind[] => [...k, 'sign', 'return']);

describe('workflow rules', () => {
  test('the default workflow is specialist, signing leader, desk, and passes the structural check', () => {
    for (const limit of [
      null,
      { amount: 0, unit: 'working_days' as const },
      { amount: 5, unit: 'working_days' as const },
      { amount: 8, unit: 'hours' as const },
      { amount: 30, unit: 'days' as const },
    ]) {
      const w = defaultWorkflow(limit);
      assert.deepEqual(
        w.steps.map((s) => `${s.kind}:${s.role}`),
        ['process:specialist', 'sign:leader', 'return:desk_officer'],
      );
      assert.deepEqual(checkWorkflow(w), []);
      for (const s of w.steps) assert.ok(s.allowance.amount >= 1, JSON.stringify(s));
    }
    // 5 working days: the specialist gets 4 of them, the leader one.
    const five = defaultWorkflow({ amount: 5, unit: 'working_days' });
    assert.deepEqual(five.steps[0]!.allowance, { amount: 4, unit: 'working_days' });
    assert.deepEqual(five.steps[1]!.allowance, { amount: 1, unit: 'working_days' });
  });

  test('a workflow must end with one signing step then the desk returning', () => {
    const base = defaultWorkflow(null);
    const [p, sign, ret] = base.steps as [Workflow['steps'][number], Workflow['steps'][number], Workflow['steps'][number]];
    assert.deepEqual(checkWorkflow({ steps: [p, ret] }), ['workflow_sign_count']);
    assert.ok(checkWorkflow({ steps: [p, sign] }).includes('workflow_no_return_last'));
    assert.ok(checkWorkflow({ steps: [sign, p, ret] }).includes('workflow_return_not_after_sign'));
    assert.ok(checkWorkflow({ steps: [p, { ...sign, role: 'specialist' }, ret] }).includes('workflow_sign_role'));
    assert.ok(checkWorkflow({ steps: [p, sign, { ...ret, role: 'leader' }] }).includes('workflow_return_role'));
    assert.ok(checkWorkflow({ steps: [p, { ...p }, sign, ret] }).includes('workflow_duplicate_key'));
  });

  test('the national code after each action of one whole path', () => {
    const kinds: StepKind[] = ['process', 'review', 'process', 'sign', 'return'];
    let s = startState(false);
    const seen: number[] = [s.status];
    for (const a of ['pass', 'pass', 'request_supplement', 'resume', 'obligation', 'paid', 'pass', 'approve', 'return_result'] as const) {
      s = transition(kinds, s, a);
      seen.push(s.status);
    }
    assert.deepEqual(seen, [2, 4, 4, 5, 4, 6, 4, 4, 9, 10]);
    assert.equal(s.step, null);
    assert.throws(() => transition(kinds, startState(false), 'approve'), WorkflowError);
    assert.deepEqual(startState(true), { status: STATUS.awaitingPayment, step: 0, held: STATUS.received });
  });

  test('property: any sequence of allowed actions keeps the state consistent with the national codes', () => {
    fc.assert(
      fc.property(kindsArb, fc.boolean(), fc.array(fc.nat(), { maxLength: 40 }), (kinds, unpaid, picks) => {
        let s: FlowState = startState(unpaid);
        for (const pick of picks) {
          const allowed = allowedActions(kinds, s);
          // Every action not offered is refused.
          for (const a of ALL_ACTIONS.filter((x) => !allowed.includes(x))) assert.throws(() => transition(kinds, s, a), WorkflowError);
          if (allowed.length === 0) break;
          s = transition(kinds, s, allowed[pick % allowed.length]!);
          assert.ok(s.status >= 1 && s.status <= 10);
          const kind = s.step === null ? null : kinds[s.step];
          // Ended dossiers are held by nobody; a processed one waits at the return step.
          if (s.status === STATUS.stopped || s.status === STATUS.returned) assert.equal(s.step, null);
          else assert.notEqual(s.step, null);
          if (s.status === STATUS.processed) assert.equal(kind, 'return');
          if (kind === 'return')
            assert.ok(([STATUS.processed, STATUS.withdrawalRequested, STATUS.stopped] as StatusCode[]).includes(s.status));
          // Only 6 and 7 remember where to go back to.
          if (s.held !== null)
            assert.ok(s.status === STATUS.awaitingPayment || s.status === STATUS.withdrawalRequested || s.status === STATUS.supplement);
        }
      }),
      { numRuns: 500 },
    );
  });
});
