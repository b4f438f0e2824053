import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { classify, type Classification } from '../../domain/calendar/deadline.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { FrozenWorkflow } from '../../domain/workflow/workflow.js';
import type { DossierRow } from '../dossiers/dossier.repo.js';

export interface SheetLine {
  seq: number;
  stepName: { vi: string; en: string };
  unit: { vi: string; en: string };
  role: string;
  official: string | null;
  startedAt: Date;
  dueAt: Date | null;
  finishedAt: Date | null;
  outcome: string | null;
  note: string | null;
  /** Against the step's allowance; null while the step is open. */
  rating: Classification | null;
  /** An open step already past its allowance. */
  overdue: boolean;
}

export interface ControlSheet {
  receivedAt: Date | null;
  receivedBy: string | null;
  dueAt: Date | null;
  originalDueAt: Date | null;
  apologyAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  /** The dossier against its appointment (the original one when an apology moved it). */
  rating: Classification | null;
  lines: SheetLine[];
}

/**
 * A step is late when it ended after its due instant (allowances are often hours, so the day
 * rule alone would hide a late afternoon); otherwise early when it ended on an earlier working
 * day than the due day, else on time.
 */
export function rateStep(finishedAt: Date, dueAt: Date, calendar: WorkingCalendar): Classification {
  if (finishedAt > dueAt) return 'late';
  return classify(finishedAt, dueAt, calendar) === 'early' ? 'early' : 'on_time';
}

/** Form 05 (Circular 01/2018): every hand-over with its time, rated against the step's allowance. */
export async function controlSheet(db: Kysely<DB>, d: DossierRow, calendar: WorkingCalendar, now = new Date()): Promise<ControlSheet> {
  const [steps, reception] = await Promise.all([
    db
      .selectFrom('dossier_step as s')
      .innerJoin('unit as u', 'u.id', 's.unit_id')
      .leftJoin('account as f', 'f.id', 's.finished_by')
      .leftJoin('account as a', 'a.id', 's.assignee_id')
      .select([
        's.seq',
        's.step_index',
        's.role',
        's.started_at',
        's.due_at',
        's.finished_at',
        's.outcome',
        's.note',
        'u.name_vi',
        'u.name_en',
        'f.full_name as finished_by_name',
        'a.full_name as assignee_name',
      ])
      .where('s.dossier_id', '=', d.id)
      .orderBy('s.seq')
      .execute(),
    db
      .selectFrom('dossier_event as e')
      .leftJoin('account as a', 'a.id', 'e.actor_id')
      .select(['a.full_name'])
      .where('e.dossier_id', '=', d.id)
      .where('e.action', '=', 'receive')
      .orderBy('e.id')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const wf = d.workflow as FrozenWorkflow | null;
  const lines: SheetLine[] = steps.map((s) => ({
    seq: s.seq,
    stepName: wf?.steps[s.step_index]?.name ?? { vi: '', en: '' },
    unit: { vi: s.name_vi, en: s.name_en },
    role: s.role,
    official: s.finished_by_name ?? s.assignee_name ?? null,
    startedAt: s.started_at,
    dueAt: s.due_at,
    finishedAt: s.finished_at,
    outcome: s.outcome,
    note: s.note,
    rating: s.finished_at && s.due_at ? rateStep(s.finished_at, s.due_at, calendar) : null,
    overdue: !s.finished_at && !!s.due_at && s.due_at < now,
  }));
  const appointment = d.original_due_at ?? d.due_at;
  return {
    receivedAt: d.received_at,
    receivedBy: reception?.full_name ?? null,
    dueAt: d.due_at,
    originalDueAt: d.original_due_at,
    apologyAt: d.apology_at,
    finishedAt: d.finished_at,
    returnedAt: d.returned_at,
    rating: d.finished_at && appointment ? classify(d.finished_at, appointment, calendar) : null,
    lines,
  };
}
