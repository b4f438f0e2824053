import { pii } from '../../lib/pii.js';
import { openText } from '../../lib/pii-fields.js';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DB } from '../../db/types.js';
import { normalizePhone } from '../../domain/identity.js';
import { PermanentJobError, type JobLog, type JobRunner } from '../../jobs/runner.js';
import { renderTemplate, type Locale, type TemplateKey } from './templates.js';

// The notification outbox (DESIGN.md §2, Messages): notify() runs inside the transaction of the
// change it reports, writing the inbox row and one job per channel; workers deliver later. If the
// change rolls back, nothing is sent; if it commits, every channel is attempted until it succeeds
// or gives up (see jobs/runner.ts for retries).

type Q = Kysely<DB> | Transaction<DB>;

export const EMAIL_QUEUE = 'email';
export const SMS_QUEUE = 'sms';

export interface NotifyInput {
  template: TemplateKey;
  locale: Locale;
  /** Values already formatted for the locale; see templates.ts. A missing one throws. */
  params: Record<string, string>;
  /** Inbox owner; null for an applicant without an account (no inbox row then). */
  accountId: number | null;
  dossierId: number | null;
  email: string | null;
  phone: string | null;
}

export interface NotifyChannels {
  email: boolean;
  sms: boolean;
  /** Right-hand side of e-mail Message-IDs (the site's host); `motcua` when not given. */
  messageDomain?: string;
}

export interface NotifyResult {
  notificationId: number | null;
  emailJobId: number | null;
  smsJobId: number | null;
}

export interface EmailJobPayload {
  notificationId: number | null;
  template: TemplateKey;
  version: number;
  locale: Locale;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface SmsJobPayload {
  notificationId: number | null;
  template: TemplateKey;
  version: number;
  /** National form as stored (0912345678); converted to +84 when sent. */
  to: string;
  text: string;
  /** Stable across retries: the idempotency key for providers that accept one. */
  ref: string;
}

/**
 * Renders the template once, now (so the texts and version are those in force when the event
 * happened), and records the message in the caller's transaction: the inbox row when there is an
 * account, an 'email' job when there is an address and the channel is on, an 'sms' job likewise.
 */
export async function notify(trx: Q, n: NotifyInput, channels: NotifyChannels): Promise<NotifyResult> {
  const rendered = renderTemplate(n.template, n.locale, n.params);
  let notificationId: number | null = null;
  if (n.accountId !== null) {
    const row = await trx
      .insertInto('notification')
      .values({
        account_id: n.accountId,
        dossier_id: n.dossierId,
        template: n.template,
        template_version: rendered.version,
        locale: n.locale,
        subject: rendered.subject,
        body: rendered.body,
        read_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    notificationId = row.id;
  }
  // One key per message, fixed before the first delivery attempt and stored in the job, so every
  // retry of this message carries the same identity.
  const key = notificationId !== null ? `notification-${notificationId}` : `message-${randomUUID()}`;
  let emailJobId: number | null = null;
  let smsJobId: number | null = null;
  const jobs: { queue: string; payload: EmailJobPayload | SmsJobPayload }[] = [];
  const email = n.email?.trim();
  if (channels.email && email) {
    const payload: EmailJobPayload = {
      notificationId,
      template: n.template,
      version: rendered.version,
      locale: n.locale,
      to: email,
      subject: rendered.subject,
      text: rendered.body,
      messageId: `<${key}@${channels.messageDomain ?? 'motcua'}>`,
    };
    jobs.push({ queue: EMAIL_QUEUE, payload });
  }
  const phone = n.phone?.trim();
  if (channels.sms && phone) {
    const payload: SmsJobPayload = {
      notificationId,
      template: n.template,
      version: rendered.version,
      // Sealed like every stored phone number: the job table is kept for weeks (RETENTION_DAYS).
      to: pii().encrypt(phone),
      text: rendered.sms,
      ref: key,
    };
    jobs.push({ queue: SMS_QUEUE, payload });
  }
  // Both channels in one statement: a submission's transaction is short on round trips.
  if (jobs.length > 0) {
    const ids = await trx
      .insertInto('job')
      .values(jobs.map((j) => ({ queue: j.queue, payload: JSON.stringify(j.payload) })))
      .returning(['id', 'queue'])
      .execute();
    emailJobId = ids.find((r) => r.queue === EMAIL_QUEUE)?.id ?? null;
    smsJobId = ids.find((r) => r.queue === SMS_QUEUE)?.id ?? null;
  }
  return { notificationId, emailJobId, smsJobId };
}

/** What the e-mail handler needs from a nodemailer transport (tests may pass a fake). */
export type MailTransport = Pick<Transporter, 'sendMail'>;

/**
 * An SMTP transport from SMTP_URL (smtp://user:pass@host:587 or smtps://host:465). Timeouts are
 * kept well under the job lease (jobs/runner.ts, 300 s) so a hung server fails the attempt
 * instead of the lease. No pooling: messages are few and each job sends one.
 */
export function emailTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
}

export interface SmsProvider {
  name: string;
  /**
   * `to` in international form (+84...). `ref` is stable across retries of one message; a carrier
   * API that accepts a client reference should pass it, so that a retry after a crash is not
   * delivered twice.
   */
  send(to: string, text: string, ref?: string): Promise<{ id: string }>;
}

export interface SandboxSmsMessage {
  to: string;
  text: string;
  at: Date;
  id: string;
}

/** Keeps sent SMS in memory (the last 1000) and logs them; for development, tests and demos. */
export class SandboxSms implements SmsProvider {
  readonly name = 'sandbox';
  readonly sent: SandboxSmsMessage[] = [];
  static readonly MAX_KEPT = 1000;
  readonly #byRef = new Map<string, string>();
  readonly #log: JobLog | null;

  constructor(log: JobLog | null = null) {
    this.#log = log;
  }

  async send(to: string, text: string, ref?: string): Promise<{ id: string }> {
    // Behaves like a carrier that honours client references: a repeat is acknowledged, not resent.
    const known = ref === undefined ? undefined : this.#byRef.get(ref);
    if (known) return { id: known };
    const id = `sandbox-${randomUUID()}`;
    this.sent.push({ to, text, at: new Date(), id });
    if (this.sent.length > SandboxSms.MAX_KEPT) this.sent.splice(0, this.sent.length - SandboxSms.MAX_KEPT);
    if (ref !== undefined) {
      this.#byRef.set(ref, id);
      if (this.#byRef.size > SandboxSms.MAX_KEPT) this.#byRef.delete(this.#byRef.keys().next().value!);
    }
    this.#log?.info({ sms: { to: maskPhone(to), text, id } }, 'sandbox SMS (not sent to a carrier)');
    return { id };
  }
}

function maskPhone(international: string): string {
  return international.length > 7 ? `${international.slice(0, 5)}***${international.slice(-3)}` : '***';
}

/** A Vietnamese mobile number (any accepted typing) in the +84 form carriers expect, or null. */
export function toInternationalPhone(phone: string): string | null {
  const national = normalizePhone(phone);
  return national === null ? null : `+84${national.slice(1)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(payload: Record<string, unknown>, field: string): string {
  const v = payload[field];
  if (typeof v !== 'string' || v === '') throw new PermanentJobError(`malformed job payload: ${field} missing`);
  return v;
}

export interface NotificationDeps {
  /** Null when SMTP_URL is unset: e-mail jobs are dropped (logged). */
  transport: MailTransport | null;
  from: string;
  /** Null when SMS_PROVIDER=none: SMS jobs are dropped (logged). */
  sms: SmsProvider | null;
  log?: JobLog;
}

/**
 * Registers the delivery handlers. Delivery is at least once (a crash after the send but before
 * the job is marked done repeats the send), so each channel makes a repeat recognisable:
 *
 * - e-mail carries a deterministic Message-ID (<notification-<id>@<site host>>, or a random key fixed
 *   in the job when there is no inbox row). A redelivery after a crash is the same message, byte
 *   for byte in its identity: receiving servers and mail clients that de-duplicate by Message-ID
 *   (e.g. Gmail) show it once, and any other client threads it as the same message;
 * - SMS passes the same stable key as the provider's client reference (SmsProvider.send `ref`).
 *
 * The inbox row is written once by notify(), never by a handler, so retries cannot duplicate it.
 */
export function registerNotificationJobs(runner: JobRunner, deps: NotificationDeps): void {
  const log = deps.log;

  runner.register(EMAIL_QUEUE, async (raw, job) => {
    if (!isRecord(raw)) throw new PermanentJobError('malformed job payload');
    const to = str(raw, 'to');
    const messageId = str(raw, 'messageId');
    const subject = str(raw, 'subject');
    const text = str(raw, 'text');
    const locale = raw.locale === 'en' ? 'en' : 'vi';
    if (!deps.transport) {
      log?.info({ job: job.id, messageId }, 'e-mail not sent: SMTP_URL is not configured');
      return;
    }
    try {
      await deps.transport.sendMail({
        from: deps.from,
        to,
        subject,
        text,
        messageId,
        headers: {
          // RFC 3834: an automatic message; asks out-of-office responders not to answer it.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          'Content-Language': locale,
        },
      });
    } catch (e) {
      // A recipient the server refuses for good (5xx on RCPT TO) will not be accepted on a retry.
      const err = e as { code?: unknown; responseCode?: unknown; message?: unknown };
      if (err.code === 'EENVELOPE' && typeof err.responseCode === 'number' && err.responseCode >= 500) {
        throw new PermanentJobError(`recipient refused: ${String(err.message)}`);
      }
      throw e;
    }
  });

  runner.register(SMS_QUEUE, async (raw, job) => {
    if (!isRecord(raw)) throw new PermanentJobError('malformed job payload');
    const text = str(raw, 'text');
    // A job queued before phones were sealed still holds the number in clear.
    const to = toInternationalPhone(openText(str(raw, 'to'), pii()) as string);
    if (to === null) throw new PermanentJobError('not a Vietnamese mobile number');
    const ref = typeof raw.ref === 'string' ? raw.ref : `job-${job.id}`;
    if (!deps.sms) {
      log?.info({ job: job.id, ref }, 'SMS not sent: SMS_PROVIDER=none');
      return;
    }
    await deps.sms.send(to, text, ref);
  });
}
