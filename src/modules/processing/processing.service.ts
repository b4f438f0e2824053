import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { StatusCode } from '../../domain/dossier/status.js';
import {
  WorkflowError,
  allowedActions,
  transition,
  type FlowState,
  type FrozenStep,
  type FrozenWorkflow,
  type ProcessAction,
} from '../../domain/workflow/workflow.js';
import { AppError } from '../../lib/errors.js';
import { formatVnd } from '../../lib/money.js';
import type { Actor } from '../auth/policy.js';
import * as repo from '../dossiers/dossier.repo.js';
import type { Offer } from '../dossiers/dossier.rules.js';
import type { Applicant } from '../dossiers/dossier.schema.js';
import type { DossierService } from '../dossiers/dossier.service.js';
import type { PreparedResult, ResultService } from '../results/results.service.js';
import { actsAt, canSeeDossier, isOfficialAt } from './processing.access.js';
import { stepDueAt } from './workflow.resolve.js';
import { checkInput, clean, type CheckedInput } from './processing.input.js';
import { finishStep, openStep, stepColumns } from './processing.steps.js';

export { finishStep, openStep, stepColumns };

export interface ActBody {
  action: Exclude<ProcessAction, 'resume' | 'paid' | 'withdraw_request'>;
  revision: number;
  note?: string | null | undefined;
  /** Why: required to return a step, reject, stop, or decline a withdrawal. */
  reason?: string | null | undefined;
  /** request_supplement: every missing or incorrect document with its reason (form 02). */
  items?: { item: number; reason: string }[] | undefined;
  /** obligation: the amount the applicant must pay. */
  amount?: number | undefined;
  /** approve: what is decided; reject: uses `reason`. */
  decision?: string | null | undefined;
  legalBasis?: string | null | undefined;
  medium?: 'electronic' | 'paper' | undefined;
  /** return_result */
  method?: 'desk' | 'post' | 'online' | undefined;
  tracking?: string | null | undefined;
}

export type DossierRow = repo.DossierRow;

/** Moves received dossiers along their workflow: the actions of specialists, leaders and the desk after reception. */
export class ProcessingService {
  constructor(
    readonly dossiers: DossierService,
    private readonly results: ResultService,
  ) {}

  get db() {
    return this.dossiers.db;
  }

  async load(actor: Actor, id: number): Promise<DossierRow> {
    const d = await repo.findDossier(this.db, id);
    if (!canSeeDossier(actor, d)) throw new AppError('dossier_not_found');
    return d;
  }

  async act(actor: Actor, id: number, body: ActBody): Promise<{ status: number; step: number | null; revision: number }> {
    const pre = await this.load(actor, id);
    // A dossier not yet received has no workflow; it can still be withdrawn.
    const wf = (pre.workflow as FrozenWorkflow | null) ?? { source: 'default', steps: [] };
    if (pre.status === null) throw new AppError('invalid_transition');
    const state: FlowState = { status: pre.status as StatusCode, step: pre.step_index, held: pre.held_status as StatusCode | null };
    const next = move(wf, state, body.action);
    this.authorize(actor, pre, wf, body.action);
    const input = checkInput(pre, body);
    const now = new Date();
    const nextStep = next.step !== null && next.step !== state.step ? wf.steps[next.step]! : null;
    const stepDue = nextStep ? await stepDueAt(this.dossiers.deps.calendar, nextStep.unitCode, nextStep.allowance, now) : null;
    const prepared = body.action === 'approve' || body.action === 'reject' ? await this.prepareResult(actor, pre, body, now) : null;
    return this.db.transaction().execute(async (trx) => {
      const d = await repo.findDossier(trx, id, true);
      if (d.revision !== body.revision || d.revision !== pre.revision) throw new AppError('dossier_conflict');
      const from = pre.status as StatusCode;
      const current = state.step === null ? null : wf.steps[state.step]!;
      const crossing = !!nextStep && !!current && nextStep.unitId !== current.unitId;
      const eventAction =
        body.action === 'pass' && crossing ? 'transfer' : body.action === 'return_step' && crossing ? 'transfer_return' : body.action;
      const set: Record<string, unknown> = {
        status: next.status,
        step_index: next.step,
        held_status: next.held,
        revision: d.revision + 1,
        updated_at: now,
      };
      if (nextStep) Object.assign(set, stepColumns(nextStep, now, stepDue));
      if (next.step === null) Object.assign(set, stepColumns(null, now, null));
      const data: Record<string, unknown> = { fromStep: state.step, toStep: next.step };
      if (crossing) Object.assign(data, { fromUnit: current!.unitCode, toUnit: nextStep!.unitCode });
      switch (body.action) {
        case 'pass':
          if (input.proposal) set.proposal = JSON.stringify({ ...input.proposal, by: actor.accountId });
          if (input.proposal) data.proposal = input.proposal;
          break;
        case 'request_supplement':
          data.round = await this.openSupplement(trx, actor, d, input.items!, input.note, now, set);
          data.items = input.items;
          break;
        case 'obligation': {
          set.fee_amount = (d.fee_amount ?? 0) + input.amount!;
          data.amount = input.amount;
          // The time the applicant takes to pay is not processing time (Decree 61/2018 Art. 18).
          const pauses = (d.pauses as { from: string; to: string | null }[]) ?? [];
          if (!pauses.some((p) => p.to === null)) set.pauses = JSON.stringify([...pauses, { from: now.toISOString(), to: null }]);
          break;
        }
        case 'approve':
        case 'reject': {
          set.outcome = body.action === 'approve' ? 'approved' : 'rejected';
          set.finished_at = now;
          const resultId = await this.results.record(trx, id, actor.accountId, prepared!, input.reason);
          Object.assign(data, { resultId, medium: prepared!.medium, legalBasis: input.legalBasis });
          break;
        }
        case 'return_result':
          Object.assign(set, { returned_at: now, return_method: body.method, return_tracking: input.tracking });
          Object.assign(data, { method: body.method, tracking: input.tracking });
          break;
        case 'withdraw_accept':
        case 'stop':
          set.finished_at = now;
          break;
        default:
          break;
      }
      await trx.updateTable('dossier').set(set).where('id', '=', id).execute();
      await finishStep(trx, id, actor.accountId, now, eventAction, input.note ?? input.reason);
      if (nextStep) await openStep(trx, id, next.step!, nextStep, now, stepDue);
      await repo.appendEvent(trx, id, {
        actorId: actor.accountId,
        actorRole: roleFor(body.action, current),
        action: eventAction,
        from,
        to: next.status,
        note: input.reason ?? input.note,
        at: now,
        data,
      });
      await this.tellApplicant(trx, d, body.action, input, next.status);
      return { status: next.status, step: next.step, revision: d.revision + 1 };
    });
  }

  /** The actions this actor may take on the dossier now (the forms a page offers). */
  options(actor: Actor, d: DossierRow): ActBody['action'][] {
    const wf = (d.workflow as FrozenWorkflow | null) ?? { source: 'default' as const, steps: [] };
    if (d.status === null) return [];
    const s: FlowState = { status: d.status as StatusCode, step: d.step_index, held: d.held_status as StatusCode | null };
    return allowedActions(
      wf.steps.map((x) => x.kind),
      s,
    ).filter((a): a is ActBody['action'] => {
      if (a === 'resume' || a === 'paid' || a === 'withdraw_request') return false;
      try {
        this.authorize(actor, d, wf, a as ActBody['action']);
        return true;
      } catch {
        return false;
      }
    });
  }

  /**
   * The result PDF for someone allowed to see the dossier. The applicant downloading an electronic
   * result that is ready (9) is the online return: the dossier becomes 10.
   */
  async resultFile(actor: Actor, id: number): Promise<{ bytes: Buffer; code: string; kind: string }> {
    const d = await this.load(actor, id);
    const r = await this.results.latest(this.db, id);
    if (!r || !r.file_sha256) throw new AppError('not_found');
    const applicant = actor.kind !== 'official' && (d.owner_id === actor.accountId || d.created_by === actor.accountId);
    if (applicant && d.status === 9 && d.workflow) {
      const now = new Date();
      await this.db.transaction().execute(async (trx) => {
        const cur = await repo.findDossier(trx, id, true);
        if (cur.status !== 9) return;
        const wf = cur.workflow as FrozenWorkflow;
        const next = move(wf, { status: 9, step: cur.step_index, held: null }, 'return_result');
        await trx
          .updateTable('dossier')
          .set({
            status: next.status,
            step_index: null,
            ...stepColumns(null, now, null),
            returned_at: now,
            return_method: 'online',
            revision: cur.revision + 1,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await finishStep(trx, id, null, now, 'return_result', null);
        await repo.appendEvent(trx, id, {
          actorId: actor.accountId,
          actorRole: 'applicant',
          action: 'return_result',
          from: 9,
          to: next.status,
          at: now,
          data: { method: 'online' },
        });
        await this.dossiers.deps.notify(
          trx,
          { id, code: cur.code, ownerId: cur.owner_id, locale: cur.locale, applicant: cur.applicant as Applicant },
          'dossier.rate_invite',
          { procedure: cur.locale === 'en' ? cur.procedure_en : cur.procedure_vi, unit: cur.locale === 'en' ? cur.unit_en : cur.unit_vi },
        );
      });
    }
    return { bytes: await this.results.readFile(r.file_sha256), code: d.code ?? String(id), kind: r.kind };
  }

  /** Who may take which action: the role of the step in the unit holding it; the receiving unit for withdrawals. */
  private authorize(actor: Actor, d: DossierRow, wf: FrozenWorkflow, action: ActBody['action']) {
    const step = d.step_index === null ? null : wf.steps[d.step_index]!;
    switch (action) {
      case 'withdraw_accept':
      case 'withdraw_decline':
        if (isOfficialAt(actor, d.unit_id, ['desk_officer', 'leader'])) return;
        throw new AppError('forbidden');
      case 'stop':
        if (isOfficialAt(actor, d.unit_id, ['leader']) || (step && isOfficialAt(actor, step.unitId, ['leader']))) return;
        throw new AppError('forbidden');
      default: {
        const s = step ?? null;
        if (!s) throw new AppError('invalid_transition');
        if (!actsAt(actor, s.unitId, s.role) && !(s.role !== 'desk_officer' && isOfficialAt(actor, s.unitId, ['leader']))) {
          throw new AppError('forbidden');
        }
        // An assigned dossier is the assignee's; the unit's leaders may still act on it.
        if (d.assignee_id !== null && d.assignee_id !== actor.accountId && !isOfficialAt(actor, s.unitId, ['leader'])) {
          throw new AppError('not_assignee');
        }
      }
    }
  }

  private async prepareResult(actor: Actor, d: DossierRow, body: ActBody, at: Date): Promise<PreparedResult> {
    const kind = body.action === 'approve' ? 'approval' : 'rejection';
    if (body.medium === 'paper') return this.results.preparePaper(kind, at);
    const text = kind === 'approval' ? clean(body.decision) : clean(body.reason);
    if (!text) throw new AppError(kind === 'approval' ? 'decision_required' : 'reason_required');
    // The unit whose leader signs issues the result: the district, when a ward transferred it.
    const signing = (d.workflow as FrozenWorkflow).steps[d.step_index!]!;
    const [signer, issuer] = await Promise.all([
      this.db.selectFrom('account').select('full_name').where('id', '=', actor.accountId).executeTakeFirstOrThrow(),
      this.db.selectFrom('unit').select(['code', 'name_vi', 'name_en']).where('id', '=', signing.unitId).executeTakeFirstOrThrow(),
    ]);
    return this.results.prepareElectronic({
      dossierId: d.id,
      code: d.code!,
      locale: d.locale,
      procedure: { vi: d.procedure_vi, en: d.procedure_en },
      procedureCode: d.procedure_code,
      unit: { vi: issuer.name_vi, en: issuer.name_en },
      unitCode: issuer.code,
      applicantName: d.applicant_name,
      kind,
      text,
      legalBasis: clean(body.legalBasis),
      signerName: signer.full_name,
      issuedAt: at,
    });
  }

  /** Form 02 from a processing step: the desk hands the request to the applicant; the clock stops until the supplement is received. */
  private async openSupplement(
    trx: Transaction<DB>,
    actor: Actor,
    d: DossierRow,
    items: { item: number; reason: string }[],
    note: string | null,
    now: Date,
    set: Record<string, unknown>,
  ) {
    await repo.closeSupplements(trx, d.id, now);
    const last = await trx
      .selectFrom('dossier_supplement')
      .select('round')
      .where('dossier_id', '=', d.id)
      .orderBy('round', 'desc')
      .executeTakeFirst();
    const round = (last?.round ?? 0) + 1;
    await trx
      .insertInto('dossier_supplement')
      .values({ dossier_id: d.id, round, requested_by: actor.accountId, items: JSON.stringify(items), note })
      .execute();
    const pauses = (d.pauses as { from: string; to: string | null }[]) ?? [];
    if (!pauses.some((p) => p.to === null)) pauses.push({ from: now.toISOString(), to: null });
    set.pauses = JSON.stringify(pauses);
    return round;
  }

  private async tellApplicant(trx: Transaction<DB>, d: DossierRow, action: ActBody['action'], input: CheckedInput, to: number) {
    const tell = (template: string, params: Record<string, string> = {}) =>
      this.dossiers.deps.notify(
        trx,
        { id: d.id, code: d.code, ownerId: d.owner_id, locale: d.locale, applicant: d.applicant as Applicant },
        template,
        {
          procedure: d.locale === 'en' ? d.procedure_en : d.procedure_vi,
          unit: d.locale === 'en' ? d.unit_en : d.unit_vi,
          ...params,
        },
      );
    const docs = (d.content as Offer['content']).documents;
    switch (action) {
      case 'request_supplement':
        return tell('dossier.supplement_requested', {
          reason: input.items!.map((x) => (x.item === -1 ? x.reason : docs[x.item]!.name[d.locale] || docs[x.item]!.name.vi)).join('; '),
        });
      case 'obligation':
        return tell('dossier.payment_required', { amount: formatVnd(input.amount!, d.locale) });
      case 'approve':
      case 'reject':
        return tell('dossier.result_ready');
      case 'withdraw_accept':
        return tell('dossier.withdrawn');
      case 'stop':
        return tell('dossier.stopped', { reason: input.reason ?? '' });
      case 'withdraw_decline':
        return tell('dossier.withdrawal_declined', { reason: input.reason ?? '' });
      case 'return_result':
        return tell('dossier.rate_invite');
      default:
        void to;
        return undefined;
    }
  }
}

function move(wf: FrozenWorkflow, s: FlowState, action: ProcessAction): FlowState {
  try {
    return transition(
      wf.steps.map((x) => x.kind),
      s,
      action,
    );
  } catch (e) {
    if (e instanceof WorkflowError) throw new AppError(e.code === 'invalid_transition' ? 'invalid_transition' : e.code);
    throw e;
  }
}

function roleFor(action: string, step: FrozenStep | null): string {
  if (action === 'withdraw_accept' || action === 'withdraw_decline') return 'desk_officer';
  if (action === 'stop') return 'leader';
  return step?.role ?? 'leader';
}
