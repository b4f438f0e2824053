import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { computeDue } from '../../domain/calendar/deadline.js';
import {
  defaultWorkflow,
  type FrozenStep,
  type FrozenWorkflow,
  type StepAllowance,
  type Workflow,
} from '../../domain/workflow/workflow.js';
import { AppError } from '../../lib/errors.js';
import type { CalendarService } from '../calendar/calendar.service.js';

interface ReceivingUnit {
  unit_id: number;
  unit_code: string;
  unit_path: string;
  content: unknown;
  time_limit_amount: number | null;
  time_limit_unit: string | null;
}

/** The workflow a dossier is received with: the version's own, or the default one; units resolved for this dossier. */
export async function freezeWorkflow(db: Kysely<DB>, d: ReceivingUnit): Promise<FrozenWorkflow> {
  const own = (d.content as { workflow?: Workflow | null }).workflow;
  const limit = d.time_limit_unit ? { amount: d.time_limit_amount ?? 0, unit: d.time_limit_unit as 'working_days' } : null;
  const def = own ?? defaultWorkflow(limit);
  const steps: FrozenStep[] = [];
  const cache = new Map<string, { id: number; code: string; path: string }>();
  for (const s of def.steps) {
    const key = JSON.stringify(s.unit);
    let unit = cache.get(key);
    if (!unit) {
      unit = await resolveUnit(db, d, s.unit);
      cache.set(key, unit);
    }
    steps.push({ ...s, unitId: unit.id, unitCode: unit.code, unitPath: unit.path });
  }
  return { source: own ? 'procedure' : 'default', steps };
}

async function resolveUnit(db: Kysely<DB>, d: ReceivingUnit, ref: Workflow['steps'][number]['unit']) {
  if (ref.at === 'receiving') return { id: d.unit_id, code: d.unit_code, path: d.unit_path };
  const q = db.selectFrom('unit').select(['id', 'code', 'path']).where('valid_to', 'is', null);
  const row =
    ref.at === 'unit'
      ? await q.where('code', '=', ref.code).executeTakeFirst()
      : await q
          .where('level', '=', ref.level)
          .where((eb) => eb(eb.ref('path'), '@>', d.unit_path as never))
          .executeTakeFirst();
  // A workflow naming a unit this dossier's office has none of cannot be followed: the admin must fix it.
  if (!row) throw new AppError('workflow_unit_missing');
  return row;
}

/** When a step started at `at` is due, counted in the office hours of the unit holding it. */
export async function stepDueAt(calendar: CalendarService, unitCode: string, allowance: StepAllowance, at: Date): Promise<Date> {
  const [cal, { hours }] = await Promise.all([calendar.calendar(), calendar.officeHours(unitCode)]);
  return computeDue({ receivedAt: at, amount: allowance.amount, unit: allowance.unit, calendar: cal, hours }).dueAt;
}
