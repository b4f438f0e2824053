import type { Kysely, Selectable } from 'kysely';
import type { DB, WebhookSubscriptionTable } from '../../db/types.js';
import { randomToken } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';
import type { Delivery, NewWebhook, Webhook, WebhookWithSecret } from './webhooks.schema.js';

// Subscriptions are managed by city administrators only (the routes' policy): an endpoint receives
// the status changes of every unit in the city, so there is no unit scope to check.

/** 256 random bits; the prefix makes a leaked secret recognisable to secret scanners and people. */
export function newSecret(): string {
  return `whsec_${randomToken(32)}`;
}

/**
 * The URL as it will be stored, or an AppError. Plain http is refused unless allowed (it is by
 * default outside production, where receivers are often on a laptop or an intranet). Private and
 * loopback addresses are allowed on purpose: a district's own system is commonly on the intranet,
 * and only city administrators can register an endpoint.
 */
export function checkWebhookUrl(raw: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('webhook_url_invalid', {}, { url: 'webhook_url_invalid' });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '' || url.hash !== '') {
    throw new AppError('webhook_url_invalid', {}, { url: 'webhook_url_invalid' });
  }
  // Credentials in a URL end up in logs and lists; the signature is what authenticates deliveries.
  if (url.username !== '' || url.password !== '') throw new AppError('webhook_url_credentials', {}, { url: 'webhook_url_credentials' });
  if (url.protocol === 'http:' && !allowHttp) throw new AppError('webhook_url_insecure', {}, { url: 'webhook_url_insecure' });
  return url.href;
}

type Row = Selectable<WebhookSubscriptionTable>;

function view(r: Pick<Row, 'id' | 'name' | 'url' | 'active' | 'created_by' | 'created_at'>): Webhook {
  return { id: r.id, name: r.name, url: r.url, active: r.active, createdBy: r.created_by, createdAt: r.created_at.toISOString() };
}

const PUBLIC_COLUMNS = ['id', 'name', 'url', 'active', 'created_by', 'created_at'] as const;

export class WebhookService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { allowHttp: boolean },
  ) {}

  /** Every subscription, newest first; never the secrets. */
  async list(): Promise<Webhook[]> {
    const rows = await this.db.selectFrom('webhook_subscription').select(PUBLIC_COLUMNS).orderBy('id', 'desc').execute();
    return rows.map(view);
  }

  async create(input: NewWebhook, actor: Actor, ctx: AuditContext): Promise<WebhookWithSecret> {
    const url = checkWebhookUrl(input.url, this.opts.allowHttp);
    const name = input.name.trim().normalize('NFC');
    const secret = newSecret();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('webhook_subscription')
        .values({ name, url, secret, created_by: actor.accountId })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'webhook.create', entityType: 'webhook_subscription', entityId: row.id, after: { name, url } });
      return { ...view(row), secret };
    });
  }

  /**
   * Stops deliveries for good: jobs still pending for it are dropped when they come due. There is
   * no re-enabling; create a new subscription (with a new secret) instead. Disabling twice is a no-op.
   */
  async disable(id: number, ctx: AuditContext): Promise<Webhook> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('webhook_subscription').select(PUBLIC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new AppError('webhook_not_found');
      if (!row.active) return view(row);
      await trx.updateTable('webhook_subscription').set({ active: false }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, {
        action: 'webhook.disable',
        entityType: 'webhook_subscription',
        entityId: id,
        before: { active: true },
        after: { active: false },
      });
      return view({ ...row, active: false });
    });
  }

  /**
   * Replaces the secret at once; pending retries are signed with the new one (the secret is read
   * at delivery time). A receiver still checking the old secret answers 401, which is retried, so
   * nothing is lost if it is updated within the retry window.
   */
  async rotateSecret(id: number, ctx: AuditContext): Promise<WebhookWithSecret> {
    const secret = newSecret();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('webhook_subscription').select(PUBLIC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new AppError('webhook_not_found');
      if (!row.active) throw new AppError('webhook_disabled');
      await trx.updateTable('webhook_subscription').set({ secret }).where('id', '=', id).execute();
      // The audit trail says that the secret changed, never what it is.
      await recordAudit(trx, ctx, { action: 'webhook.rotate_secret', entityType: 'webhook_subscription', entityId: id });
      return { ...view(row), secret };
    });
  }

  /** The latest delivery records of a subscription (one per event, updated at each attempt). */
  async deliveries(id: number, limit: number): Promise<Delivery[]> {
    const exists = await this.db.selectFrom('webhook_subscription').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new AppError('webhook_not_found');
    const rows = await this.db
      .selectFrom('webhook_delivery as w')
      .leftJoin('dossier as d', 'd.id', 'w.dossier_id')
      .select(['w.event_id', 'd.code', 'w.attempts', 'w.status_code', 'w.last_error', 'w.delivered_at', 'w.created_at'])
      .where('w.subscription_id', '=', id)
      .orderBy('w.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      dossierCode: r.code,
      attempts: r.attempts,
      statusCode: r.status_code,
      lastError: r.last_error,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
