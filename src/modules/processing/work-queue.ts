import { sql, type Kysely } from 'kysely';
import type { DB, Role, StepRole } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../auth/policy.js';
import * as repo from '../dossiers/dossier.repo.js';
import { isOfficialAt } from './processing.access.js';

export interface QueueFilter {
  unit?: string | undefined;
  procedure?: string | undefined;
  status?: number | undefined;
  channel?: number | undefined;
  /** Leaders: 'all' (default) or one role's steps; others see their own role's steps. */
  role?: StepRole | undefined;
  /** 'mine': assigned to me; 'unassigned'; default: mine and unassigned (everyone's for leaders). */
  assigned?: 'mine' | 'unassigned' | undefined;
  page?: number | undefined;
}

export const PAGE_SIZE = 50;
export const MAX_PAGE = 200;
/**
 * Counting stops here: a longer queue shows "1,000+" rather than scanning it all (the counts read
 * the queue in appointment order, so overdue and due-soon are exact while they fit under the cap).
 */
export const COUNT_CAP = 1_000;
export const DUE_SOON_MS = 24 * 3_600_000;
export const QUEUE_ROLES: readonly Role[] = ['desk_officer', 'specialist', 'leader'];

/** The units where the actor works a queue, and how: leaders see the whole unit. */
export function queueUnits(actor: Actor) {
  const byUnit = new Map<number, { unitId: number; unitCode: string; roles: StepRole[] }>();
  for (const g of actor.roles) {
    if (!QUEUE_ROLES.includes(g.role)) continue;
    const u = byUnit.get(g.unitId) ?? { unitId: g.unitId, unitCode: g.unitCode, roles: [] };
    u.roles.push(g.role as StepRole);
    byUnit.set(g.unitId, u);
  }
  return [...byUnit.values()];
}

/**
 * A unit's open dossiers waiting for the actor's role, by appointment (overdue first). One range
 * of dossier_work_queue_idx (step_unit_id, due_at, id): fast however long the queue is.
 */
export async function workQueue(db: Kysely<DB>, actor: Actor, f: QueueFilter, now = new Date()) {
  const units = queueUnits(actor);
  const unit = f.unit ? units.find((u) => u.unitCode === f.unit) : units[0];
  if (!unit) throw new AppError('forbidden');
  const leader = unit.roles.includes('leader');
  const roles: StepRole[] = leader ? (f.role ? [f.role] : ['desk_officer', 'specialist', 'leader']) : unit.roles;
  let procedureId: number | null = null;
  if (f.procedure) {
    const p = await db.selectFrom('procedure').select('id').where('code', '=', f.procedure).executeTakeFirst();
    procedureId = p?.id ?? -1;
  }
  const page = Math.min(Math.max(1, f.page ?? 1), MAX_PAGE);
  // Filters shared by the list and the counts.
  let base = db.selectFrom('dossier as d').where('d.step_unit_id', '=', unit.unitId);
  // A leader's whole unit needs no role test (step_unit_id and step_role are set together), and
  // without it PostgreSQL estimates the range right (it takes the two columns as independent).
  if (roles.length < QUEUE_ROLES.length) base = base.where('d.step_role', 'in', roles);
  if (procedureId !== null) base = base.where('d.procedure_id', '=', procedureId);
  if (f.status) base = base.where('d.status', '=', f.status);
  if (f.channel) base = base.where('d.channel', '=', f.channel as 1 | 2 | 3);
  if (f.assigned === 'mine') base = base.where('d.assignee_id', '=', actor.accountId);
  else if (f.assigned === 'unassigned') base = base.where('d.assignee_id', 'is', null);
  else if (!leader) base = base.where((eb) => eb.or([eb('d.assignee_id', 'is', null), eb('d.assignee_id', '=', actor.accountId)]));
  const soon = new Date(now.getTime() + DUE_SOON_MS);
  const [rows, counts] = await Promise.all([
    base
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .leftJoin('account as a', 'a.id', 'd.assignee_id')
      .select([
        'd.id',
        'd.code',
        'd.status',
        'd.channel',
        'd.applicant_name',
        'd.received_at',
        'd.due_at',
        'd.step_due_at',
        'd.step_role',
        'd.step_index',
        sql<{ vi: string; en: string } | null>`d.workflow -> 'steps' -> d.step_index -> 'name'`.as('step_name'),
        'd.assignee_id',
        'd.apology_at',
        'd.revision',
        'a.full_name as assignee_name',
        'p.code as procedure_code',
        'p.name_vi as procedure_vi',
        'p.name_en as procedure_en',
      ])
      .orderBy('d.due_at')
      .orderBy('d.id')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    db
      .selectFrom(
        // By appointment, so a capped count still counts every overdue and due-soon dossier up to
        // the cap (they come first), and the range is read in index order rather than sorted.
        base
          .select(['d.due_at'])
          .orderBy('d.due_at')
          .limit(COUNT_CAP + 1)
          .as('q'),
      )
      .select((eb) => [
        eb.fn.countAll<string>().as('total'),
        sql<string>`count(*) filter (where q.due_at < ${now})`.as('overdue'),
        sql<string>`count(*) filter (where q.due_at >= ${now} and q.due_at < ${soon})`.as('dueSoon'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    unit,
    leader,
    page,
    rows: rows.map((r) => ({
      ...r,
      stepName: r.step_name,
      overdue: !!r.due_at && r.due_at < now,
      dueSoon: !!r.due_at && r.due_at >= now && r.due_at < soon,
    })),
    total: Number(counts.total),
    capped: Number(counts.total) > COUNT_CAP,
    overdue: Number(counts.overdue),
    dueSoon: Number(counts.dueSoon),
  };
}
export type WorkQueue = Awaited<ReturnType<typeof workQueue>>;

/** The specialists of a unit, for the leader's assignment list. */
export async function specialistsOf(db: Kysely<DB>, unitId: number) {
  return db
    .selectFrom('role_assignment as r')
    .innerJoin('account as a', 'a.id', 'r.account_id')
    .select(['a.id', 'a.full_name'])
    .where('r.unit_id', '=', unitId)
    .where('r.role', '=', 'specialist')
    .where('a.disabled_at', 'is', null)
    .orderBy('a.full_name')
    .execute();
}

/**
 * A leader assigns (or reassigns) dossiers waiting at a specialist step of their unit. Each row
 * changes only if it is still at that unit's specialist step; the result says how many did.
 */
export async function assign(db: Kysely<DB>, actor: Actor, unitCode: string, ids: number[], assigneeId: number | null) {
  const unit = queueUnits(actor).find((u) => u.unitCode === unitCode);
  if (!unit || !isOfficialAt(actor, unit.unitId, ['leader'])) throw new AppError('forbidden');
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { assigned: 0 };
  if (unique.length > 200) throw new AppError('too_many_dossiers');
  if (assigneeId !== null) {
    const ok = (await specialistsOf(db, unit.unitId)).some((s) => s.id === assigneeId);
    if (!ok) throw new AppError('assignee_invalid');
  }
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('dossier')
      .select(['id', 'status', 'revision'])
      .where('id', 'in', unique)
      .where('step_unit_id', '=', unit.unitId)
      .where('step_role', '=', 'specialist')
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const r of rows) {
      await trx
        .updateTable('dossier')
        .set({ assignee_id: assigneeId, revision: r.revision + 1, updated_at: now })
        .where('id', '=', r.id)
        .execute();
      await trx
        .updateTable('dossier_step')
        .set({ assignee_id: assigneeId })
        .where('dossier_id', '=', r.id)
        .where('finished_at', 'is', null)
        .execute();
      await repo.appendEvent(trx, r.id, {
        actorId: actor.accountId,
        actorRole: 'leader',
        action: 'assign',
        from: r.status,
        to: r.status,
        at: now,
        data: { assigneeId },
      });
    }
    return { assigned: rows.length };
  });
}
