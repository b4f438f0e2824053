import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { FrozenStep } from '../../domain/workflow/workflow.js';

/** The dossier columns that say who holds it now; all null once nobody does. */
export function stepColumns(step: FrozenStep | null, now: Date, due: Date | null) {
  return {
    step_unit_id: step?.unitId ?? null,
    step_role: step?.role ?? null,
    assignee_id: null,
    step_started_at: step ? now : null,
    step_due_at: step ? due : null,
  };
}

/** Closes the open hand-over row of a dossier (the control sheet's line for the step just done). */
export async function finishStep(
  trx: Transaction<DB>,
  dossierId: number,
  by: number | null,
  at: Date,
  outcome: string,
  note: string | null,
) {
  await trx
    .updateTable('dossier_step')
    .set({ finished_at: at, finished_by: by, outcome, note })
    .where('dossier_id', '=', dossierId)
    .where('finished_at', 'is', null)
    .execute();
}

export async function openStep(
  trx: Transaction<DB>,
  dossierId: number,
  index: number,
  step: FrozenStep,
  at: Date,
  due: Date | null,
  assignee: number | null = null,
) {
  const last = await trx
    .selectFrom('dossier_step')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  await trx
    .insertInto('dossier_step')
    .values({
      dossier_id: dossierId,
      seq: Number(last?.seq ?? 0) + 1,
      step_index: index,
      step_key: step.key,
      unit_id: step.unitId,
      role: step.role,
      assignee_id: assignee,
      started_at: at,
      allowance: JSON.stringify(step.allowance),
      due_at: due,
    })
    .execute();
}
