import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { OfficeHours, Pause, TimeUnit } from '../../domain/calendar/index.js';
import type { DossierFacts, StatLevel } from '../../domain/stats/contribution.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface FactRow {
  id: number;
  code: string | null;
  returned_at: Date | null;
  unit_id: number;
  procedure_id: number;
  channel: number;
  status: number | null;
  outcome: 'approved' | 'rejected' | null;
  received_at: Date | null;
  finished_at: Date | null;
  due_at: Date | null;
  original_due_at: Date | null;
  pauses: { from: string; to: string | null }[] | null;
  fee_amount: number | null;
  stat_state: number;
  time_limit_amount: number | null;
  time_limit_unit: string | null;
  withdrawn: boolean;
  electronic_result: boolean;
  paid_online: boolean;
  docs_digital: boolean;
}

/** Must read exactly as the predicate of dossier_stat_pending_idx, so the planner uses that index. */
export const PENDING = sql`d.stat_state < (case when d.finished_at is not null then 2 when d.received_at is not null then 1 else 0 end)`;

/**
 * The facts of the dossiers matching `where`, in one statement. The end-only facts are looked up
 * only for ended dossiers: an open dossier contributes its reception alone.
 */
export function selectFacts(db: Q, where: RawBuilder<unknown>, suffix: RawBuilder<unknown> = sql``) {
  return sql<FactRow>`
    select d.id, d.code, d.returned_at, d.unit_id, d.procedure_id, d.channel, d.status, d.outcome, d.received_at, d.finished_at, d.due_at,
      d.original_due_at, d.pauses, d.fee_amount::float8 as fee_amount, d.stat_state, pv.time_limit_amount, pv.time_limit_unit,
      (d.finished_at is not null and d.status = 8 and exists (select 1 from dossier_event e
        where e.dossier_id = d.id and e.action = 'withdraw_accept')) as withdrawn,
      (d.finished_at is not null and exists (select 1 from dossier_result r
        where r.dossier_id = d.id and r.medium = 'electronic' and r.file_sha256 is not null)) as electronic_result,
      (d.finished_at is not null and exists (select 1 from payment p
        where p.dossier_id = d.id and p.status = 'paid' and p.method = 'gateway')) as paid_online,
      (d.finished_at is not null and exists (select 1 from dossier_document x where x.dossier_id = d.id)
        and not exists (select 1 from dossier_document x where x.dossier_id = d.id and x.file_sha256 is null)) as docs_digital
    from dossier d join procedure_version pv on pv.id = d.procedure_version_id
    where ${where} ${suffix}`.execute(db);
}

/** Office hours of the units that set their own; the others keep the default. */
export async function officeHoursByUnit(db: Q): Promise<Map<number, OfficeHours>> {
  const rows = await db.selectFrom('unit_office_hours').select(['unit_id', 'hours']).execute();
  return new Map(rows.map((r) => [r.unit_id, r.hours as OfficeHours]));
}

export function toFacts(r: FactRow, hours: Map<number, OfficeHours>): DossierFacts {
  const pauses: Pause[] = (r.pauses ?? []).map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
  return {
    receivedAt: r.received_at,
    finishedAt: r.finished_at,
    status: r.status,
    outcome: r.outcome,
    withdrawn: r.withdrawn,
    dueAt: r.due_at,
    originalDueAt: r.original_due_at,
    pauses,
    timeLimit:
      r.time_limit_amount === null || r.time_limit_unit === null
        ? null
        : { amount: r.time_limit_amount, unit: r.time_limit_unit as TimeUnit },
    hours: hours.get(r.unit_id) ?? null,
    electronicResult: r.electronic_result,
    digitised: r.docs_digital && r.electronic_result,
    withFee: (r.fee_amount ?? 0) > 0,
    paidOnline: r.paid_online,
  };
}

export const levelOf = (n: number): StatLevel => (n >= 2 ? 2 : n === 1 ? 1 : 0);
