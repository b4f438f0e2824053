import { pii } from '../../src/lib/pii.js';
import { lookupChecks, sealApplicant } from '../../src/lib/pii-fields.js';
import { loadQuestionnaire } from '../../src/domain/surveys/questionnaire.js';
import type { TestApp } from '../helpers/app.js';

let seq = 0;

/**
 * A copy of a dossier with another applicant (and optionally unit, status, return date): the
 * survey population without walking each dossier through processing.
 */
export async function cloneDossier(
  t: TestApp,
  fromId: number,
  over: { phone: string | null; ownerId?: number | null; unitId?: number; status?: number; returnedAt?: Date; email?: string | null },
): Promise<number> {
  const src = await t.db.selectFrom('dossier').selectAll().where('id', '=', fromId).executeTakeFirstOrThrow();
  const { id: _id, ...rest } = src;
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest))
    values[k] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  seq++;
  const applicant = {
    ...(src.applicant as Record<string, unknown>),
    phone: over.phone,
    email: over.email ?? null,
    name: `Người dân ${seq}`,
  };
  const row = await t.db
    .insertInto('dossier')
    .values({
      ...(values as Record<string, never>),
      code: `SV${seq}-260101-${String(seq).padStart(4, '0')}`,
      idempotency_key: null,
      owner_id: over.ownerId ?? null,
      created_by: src.created_by,
      applicant: JSON.stringify(sealApplicant(applicant)),
      applicant_phone: pii().encryptNullable(over.phone),
      applicant_phone_hash: pii().hashNullable('phone', over.phone),
      applicant_citizen_id: null,
      applicant_citizen_id_hash: null,
      lookup_checks: lookupChecks(pii(), over.phone),
      unit_id: over.unitId ?? src.unit_id,
      status: over.status ?? src.status,
      returned_at: over.returnedAt ?? src.returned_at,
      // The copied columns complete the row; the type checker cannot see through the loop above.
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The highest job and notification ids so far: links sent after a mark belong to the next launch. */
export async function mark(t: TestApp) {
  const j = await t.db
    .selectFrom('job')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  const n = await t.db
    .selectFrom('notification')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return { job: Number(j?.m ?? 0), notification: Number(n?.m ?? 0) };
}

/** The survey links sent since a mark, by phone (SMS jobs) and by account (inbox). */
export async function surveyLinks(t: TestApp, since: { job: number; notification: number }) {
  const token = (text: string) => /\/survey\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
  const byPhone = new Map<string, string>();
  for (const j of await t.db.selectFrom('job').select('payload').where('queue', '=', 'sms').where('id', '>', since.job).execute()) {
    const p = j.payload as { to: string; text: string; template: string };
    const tk = p.template === 'survey.invite' ? token(p.text) : undefined;
    if (tk) byPhone.set(pii().decrypt(p.to), tk);
  }
  const byAccount = new Map<number, string>();
  for (const n of await t.db
    .selectFrom('notification')
    .select(['account_id', 'body'])
    .where('template', '=', 'survey.invite')
    .where('id', '>', since.notification)
    .execute()) {
    const tk = token(n.body);
    if (tk && n.account_id !== null) byAccount.set(n.account_id, tk);
  }
  return { byPhone, byAccount };
}

/** Every required question of the SIPAS questionnaire answered with `value` (4 = satisfied). */
export function fullAnswers(value = 4): Record<string, unknown> {
  const out: Record<string, unknown> = { overall: value };
  for (const f of loadQuestionnaire().factors) if (f.satisfaction.required) out[f.satisfaction.key] = value;
  return out;
}
