import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { STATUS_NAME, type StatusCode } from '../../domain/dossier/status.js';

// Status changes leave as webhooks through the job outbox (jobs/runner.ts): the job rows are
// written in the transaction of the change, so a rolled-back change is never announced and a
// committed one always is, at least once. docs/webhooks.md documents the event for receivers.

export const WEBHOOK_QUEUE = 'webhook.deliver';
export const STATUS_CHANGED = 'dossier.status_changed';
/** Bumped only for a change a receiver could trip over; adding a field is not one. */
export const EVENT_VERSION = 1;
/**
 * Attempts before a delivery is given up: with the runner's backoff (10 s doubling, capped at
 * 1 h) 30 attempts span about a day, so a receiver that is down overnight still gets the event.
 */
export const WEBHOOK_MAX_ATTEMPTS = 30;

/** The job payload: which subscription, and the event exactly as it was when the status changed. */
export interface WebhookJobPayload {
  subscriptionId: number;
  dossierId: number;
  event: StatusChangedEvent;
}

export interface StatusChangedEvent {
  id: string;
  type: typeof STATUS_CHANGED;
  version: number;
  occurredAt: string;
  action: string;
  dossier: {
    code: string | null;
    agencyCode: string;
    unitName: string;
    procedureCode: string;
    channel: 1 | 2 | 3;
    status: number;
    previousStatus: number | null;
    statusName: { vi: string; en: string };
    submittedAt: string | null;
    receivedAt: string | null;
    dueAt: string | null;
    finishedAt: string | null;
    returnedAt: string | null;
  };
}

/** Key order of the body as documented; jsonb does not keep the order it was built in. */
export const EVENT_KEYS = ['id', 'type', 'version', 'occurredAt', 'action', 'dossier'] as const;
export const DOSSIER_KEYS = [
  'code',
  'agencyCode',
  'unitName',
  'procedureCode',
  'channel',
  'status',
  'previousStatus',
  'statusName',
  'submittedAt',
  'receivedAt',
  'dueAt',
  'finishedAt',
  'returnedAt',
] as const;

// The same form as Date.prototype.toISOString (UTC, milliseconds, "Z") whatever the session's
// time zone, so timestamps in the body do not depend on the database server's settings.
const iso = (column: string): RawBuilder<string | null> =>
  sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Called in the transaction that changes a dossier's status, after the dossier row has been updated. One INSERT ... SELECT: nothing is written when no subscription is active. */
export async function enqueueStatusChange(
  trx: Transaction<DB>,
  dossierId: number,
  e: { eventHash: string; action: string; from: number | null; to: number; at: Date },
): Promise<void> {
  const statusName = STATUS_NAME[e.to as StatusCode];
  if (!statusName) throw new Error(`enqueueStatusChange: ${e.to} is not a national status code`);
  // One statement on the submission's hot path: the event is assembled from the dossier row as it
  // is now (inside the transaction), and the cross join with the active subscriptions yields one
  // job per subscription, or none. Parameters carry explicit types because jsonb_build_object
  // takes "any" and PostgreSQL cannot infer them. Personal data (applicant, form) is never read.
  await sql`
    insert into job (queue, payload, max_attempts)
    select ${WEBHOOK_QUEUE}::text,
      jsonb_build_object(
        'subscriptionId', s.id,
        'dossierId', d.id,
        'event', jsonb_build_object(
          'id', ${e.eventHash}::text,
          'type', ${STATUS_CHANGED}::text,
          'version', ${EVENT_VERSION}::int,
          'occurredAt', ${e.at.toISOString()}::text,
          'action', ${e.action}::text,
          'dossier', jsonb_build_object(
            'code', d.code,
            'agencyCode', u.code,
            'unitName', u.name_vi,
            'procedureCode', p.code,
            'channel', d.channel,
            'status', ${e.to}::int,
            'previousStatus', ${e.from}::int,
            'statusName', ${JSON.stringify(statusName)}::jsonb,
            'submittedAt', ${iso('d.submitted_at')},
            'receivedAt', ${iso('d.received_at')},
            'dueAt', ${iso('d.due_at')},
            'finishedAt', ${iso('d.finished_at')},
            'returnedAt', ${iso('d.returned_at')}
          )
        )
      ),
      ${WEBHOOK_MAX_ATTEMPTS}::int
    from webhook_subscription s
    cross join dossier d
    join unit u on u.id = d.unit_id
    join procedure p on p.id = d.procedure_id
    where s.active and d.id = ${dossierId}
  `.execute(trx);
}
