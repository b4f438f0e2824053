import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { STATUS, canApply, nextStatus } from '../../domain/dossier/status.js';
import { AppError } from '../../lib/errors.js';
import { formatVnd } from '../../lib/money.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import * as repo from '../dossiers/dossier.repo.js';
import type { DossierService } from '../dossiers/dossier.service.js';
import type { Applicant } from '../dossiers/dossier.schema.js';
import { todayInVietnam } from '../units/units.service.js';
import { endPause } from '../processing/processing.resume.js';

type ResumePlan = { revision: number } & Awaited<ReturnType<typeof endPause>>;
import { IPN_RESPONSES, type GatewayNotice, type IpnResponse, type PaymentGateway } from './gateway.js';

export const CASH_ROLES = ['desk_officer'] as const;

export type PaymentOutcome = { status: 'paid' | 'failed' | 'cancelled' | 'pending'; dossierId: number; amount: number; txnRef: string };

/** Fees and their payment: online through the gateway (level 4) or in cash at the desk. */
export class PaymentService {
  constructor(
    private readonly dossiers: DossierService,
    private readonly gateway: PaymentGateway,
    private readonly baseUrl: string,
  ) {}

  private get db() {
    return this.dossiers.db;
  }

  private async outstanding(trx: Transaction<DB> | DossierService['db'], d: repo.DossierRow) {
    if (d.fee_amount === null) throw new AppError('fee_unknown');
    const due = d.fee_amount - (await this.dossiers.paidAmount(d.id, trx));
    if (due <= 0) throw new AppError('nothing_to_pay');
    return due;
  }

  /** Starts an online payment for the outstanding fee; returns the gateway URL to send the browser to. */
  async startOnline(actor: Actor, dossierId: number, clientIp: string): Promise<{ url: string; txnRef: string }> {
    const d = await repo.findDossier(this.db, dossierId);
    if (d.owner_id !== actor.accountId && d.created_by !== actor.accountId) throw new AppError('dossier_not_found');
    if (!canApply('pay', d.status)) throw new AppError('invalid_transition');
    const offer = await this.db
      .selectFrom('unit_procedure')
      .select('online_level')
      .where('unit_id', '=', d.unit_id)
      .where('procedure_id', '=', d.procedure_id)
      .executeTakeFirst();
    if (offer?.online_level !== 4) throw new AppError('online_payment_unavailable');
    const amount = await this.outstanding(this.db, d);
    const txnRef = `${d.id}${randomBytes(5).toString('hex').toUpperCase()}`;
    await this.db
      .insertInto('payment')
      .values({
        dossier_id: d.id,
        unit_id: d.unit_id,
        txn_ref: txnRef,
        amount,
        method: 'gateway',
        provider: this.gateway.name,
        status: 'pending',
      })
      .execute();
    const url = this.gateway.paymentUrl({
      txnRef,
      amount,
      orderInfo: `Thanh toan phi ho so ${d.code}`,
      returnUrl: `${this.baseUrl}/payments/return`,
      ipnUrl: `${this.baseUrl}/api/v1/payments/ipn`,
      locale: actor.locale,
      clientIp,
      createdAt: new Date(),
    });
    return { url, txnRef };
  }

  /**
   * Applies a gateway notice (server-to-server IPN or the browser's signed return): idempotent on
   * the transaction reference, refusing forged signatures and amounts that differ from ours.
   */
  async applyNotice(params: Record<string, string>): Promise<{ response: IpnResponse; outcome: PaymentOutcome | null }> {
    const n: GatewayNotice = this.gateway.verify(params);
    if (!n.valid) return { response: IPN_RESPONSES.invalidSignature, outcome: null };
    const known = await this.db.selectFrom('payment').select('dossier_id').where('txn_ref', '=', n.txnRef).executeTakeFirst();
    const plan = known ? await this.resumePlan(known.dossier_id) : null;
    return this.db.transaction().execute(async (trx) => {
      const p = await trx.selectFrom('payment').selectAll().where('txn_ref', '=', n.txnRef).forUpdate().executeTakeFirst();
      if (!p) return { response: IPN_RESPONSES.orderNotFound, outcome: null };
      const outcome = (status: PaymentOutcome['status']): PaymentOutcome => ({
        status,
        dossierId: p.dossier_id,
        amount: p.amount,
        txnRef: p.txn_ref,
      });
      if (n.amount !== p.amount) return { response: IPN_RESPONSES.invalidAmount, outcome: null };
      if (p.status !== 'pending') return { response: IPN_RESPONSES.alreadyConfirmed, outcome: outcome(p.status) };
      const now = new Date();
      if (n.outcome !== 'paid') {
        await trx
          .updateTable('payment')
          .set({ status: n.outcome, provider_txn: n.providerTxn, updated_at: now })
          .where('id', '=', p.id)
          .execute();
        return { response: IPN_RESPONSES.ok, outcome: outcome(n.outcome) };
      }
      await this.settle(trx, p.id, p.dossier_id, p.amount, {
        method: 'gateway',
        providerTxn: n.providerTxn,
        paidAt: n.paidAt ?? now,
        actorId: null,
        actorRole: 'gateway',
        plan,
      });
      return { response: IPN_RESPONSES.ok, outcome: outcome('paid') };
    });
  }

  /** The desk takes the outstanding fee in cash. */
  async recordCash(actor: Actor, dossierId: number, amount: number) {
    if (!Number.isInteger(amount) || amount <= 0) throw new AppError('invalid_amount');
    const plan = await this.resumePlan(dossierId);
    return this.db.transaction().execute(async (trx) => {
      const d = await repo.findDossier(trx, dossierId, true);
      assertUnitScope(actor, d.unit_path, CASH_ROLES);
      if (!canApply('pay', d.status)) throw new AppError('invalid_transition');
      const due = await this.outstanding(trx, d);
      if (amount !== due) throw new AppError('payment_amount_mismatch');
      const txnRef = `${d.id}C${randomBytes(5).toString('hex').toUpperCase()}`;
      const p = await trx
        .insertInto('payment')
        .values({
          dossier_id: d.id,
          unit_id: d.unit_id,
          txn_ref: txnRef,
          amount,
          method: 'cash',
          status: 'pending',
          recorded_by: actor.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return this.settle(trx, p.id, d.id, amount, {
        method: 'cash',
        providerTxn: null,
        paidAt: new Date(),
        actorId: actor.accountId,
        actorRole: 'desk_officer',
        plan,
      });
    });
  }

  private async settle(
    trx: Transaction<DB>,
    paymentId: number,
    dossierId: number,
    amount: number,
    how: {
      method: 'gateway' | 'cash';
      providerTxn: string | null;
      paidAt: Date;
      actorId: number | null;
      actorRole: string;
      plan: ResumePlan | null;
    },
  ) {
    const receiptNo = `BL-${todayInVietnam(how.paidAt).replaceAll('-', '').slice(2)}-${String(paymentId).padStart(6, '0')}`;
    await trx
      .updateTable('payment')
      .set({ status: 'paid', provider_txn: how.providerTxn, paid_at: how.paidAt, receipt_no: receiptNo, updated_at: new Date() })
      .where('id', '=', paymentId)
      .execute();
    const d = await repo.findDossier(trx, dossierId, true);
    const paid = await this.dossiers.paidAmount(dossierId, trx);
    const settled = d.fee_amount !== null && paid >= d.fee_amount;
    // A dossier in processing goes back to where it was when the obligation was recorded.
    const resumed = settled && d.status === STATUS.awaitingPayment && d.held_status !== null;
    const to = resumed ? d.held_status! : settled ? nextStatus('pay', d.status, false) : d.status;
    // The pause of the obligation ends with the payment; the plan was made for this revision.
    const plan = resumed && how.plan && how.plan.revision === d.revision ? how.plan : null;
    await trx
      .updateTable('dossier')
      .set({
        status: to,
        revision: d.revision + 1,
        updated_at: new Date(),
        ...(resumed ? { held_status: null } : {}),
        ...(plan ? { pauses: JSON.stringify(plan.pauses), due_at: plan.dueAt } : {}),
      })
      .where('id', '=', dossierId)
      .execute();
    await repo.appendEvent(trx, dossierId, {
      actorId: how.actorId,
      actorRole: how.actorRole,
      action: 'pay',
      from: d.status,
      to,
      data: { amount, method: how.method, receiptNo, providerTxn: how.providerTxn },
    });
    await this.dossiers.deps.notify(
      trx,
      { id: d.id, code: d.code, ownerId: d.owner_id, locale: d.locale, applicant: d.applicant as Applicant },
      'dossier.paid',
      {
        code: d.code ?? '',
        amount: formatVnd(amount, d.locale),
        receiptNo,
      },
    );
    return { receiptNo, status: to };
  }

  /**
   * A dossier waiting for a payment during processing has its clock stopped: what the pause and
   * the appointment become if the payment lands now. Read before the transaction (calendar).
   */
  private async resumePlan(dossierId: number): Promise<ResumePlan | null> {
    const d = await repo.findDossier(this.db, dossierId).catch(() => null);
    if (!d || d.status !== STATUS.awaitingPayment || d.held_status === null) return null;
    if (!((d.pauses as { to: string | null }[]) ?? []).some((p) => p.to === null)) return null;
    return { revision: d.revision, ...(await endPause(this.dossiers, d, new Date())) };
  }

  async paymentsOf(dossierId: number) {
    return this.db.selectFrom('payment').selectAll().where('dossier_id', '=', dossierId).orderBy('id').execute();
  }

  async receipt(paymentId: number) {
    return this.db.selectFrom('payment').selectAll().where('id', '=', paymentId).where('status', '=', 'paid').executeTakeFirst();
  }

  /** Payments received on one day (Vietnam time) by one unit, for the cashier's reconciliation with the bank. */
  async reconciliation(actor: Actor, unitCode: string, day: string) {
    const unit = await this.db.selectFrom('unit').select(['id', 'path']).where('code', '=', unitCode).executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    assertUnitScope(actor, unit.path, ['desk_officer', 'leader', 'unit_admin', 'city_admin']);
    const from = new Date(`${day}T00:00:00+07:00`);
    const rows = await this.db
      .selectFrom('payment as p')
      .innerJoin('dossier as d', 'd.id', 'p.dossier_id')
      .select([
        'p.receipt_no',
        'p.txn_ref',
        'p.method',
        'p.provider',
        'p.provider_txn',
        'p.amount',
        'p.paid_at',
        'd.code',
        'd.applicant_name',
      ])
      .where('p.unit_id', '=', unit.id)
      .where('p.status', '=', 'paid')
      .where('p.paid_at', '>=', from)
      .where('p.paid_at', '<', new Date(from.getTime() + 86_400_000))
      .orderBy('p.paid_at')
      .execute();
    const total = (m: string) => rows.filter((r) => r.method === m).reduce((s, r) => s + r.amount, 0);
    return { rows, totals: { gateway: total('gateway'), cash: total('cash'), all: total('gateway') + total('cash') } };
  }
}

export { STATUS };
