import { every } from '../../jobs/periodic.js';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { pii } from '../../lib/pii.js';
import type { App } from '../../web/request-context.js';

/**
 * How long each kind of record keeps its personal data, in days (docs/privacy.md, "Retention").
 * Dossiers, their documents, events, payments and results, and the audit log are not here: they
 * are records of administrative procedures, kept under the archives rules, never purged by motcua.
 */
export const RETENTION_DEFAULTS = {
  /** Login sessions, counted from their expiry. */
  sessions: 90,
  /** Revoked or expired API tokens, from their expiry. */
  apiTokens: 365,
  /** Inbox messages, from when they were sent. */
  notifications: 730,
  /** Finished or failed background jobs (their payload holds a recipient's address), from the end. */
  jobs: 30,
  /** Contact data on feedback (name, phone, e-mail), from its receipt; the feedback stays. */
  feedbackContact: 1095,
  /** Dialogue registrations deleted, and askers' contact data removed, from the conference's start. */
  conferenceContact: 365,
  /** Contest participants' phone and ID numbers, from their registration; name and scores stay. */
  contestContact: 365,
} as const;

export type RetentionKind = keyof typeof RETENTION_DEFAULTS;
export type Retention = Record<RetentionKind, number>;

/** Parses `RETENTION_DAYS=sessions=30,jobs=7` over the defaults; unknown kinds are an error. */
export function parseRetention(text: string | undefined): Retention {
  const out: Retention = { ...RETENTION_DEFAULTS };
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-zA-Z]+)=(\d{1,5})$/.exec(part);
    if (!m || !(m[1]! in RETENTION_DEFAULTS)) {
      throw new Error(`RETENTION_DAYS: "${part}" is not <kind>=<days> with a kind among ${Object.keys(RETENTION_DEFAULTS).join(', ')}.`);
    }
    out[m[1] as RetentionKind] = Number(m[2]);
  }
  return out;
}

export type PurgeReport = Record<RetentionKind, number>;

const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }[]) =>
  r.reduce((s, x) => s + Number(x.numDeletedRows ?? x.numUpdatedRows ?? 0n), 0);

/** Deletes or anonymises every record past its retention at `now`; one statement per kind. */
export async function purgeExpired(db: Kysely<DB>, retention: Retention, now = new Date()): Promise<PurgeReport> {
  const before = (kind: RetentionKind) => new Date(now.getTime() - retention[kind] * 86_400_000);
  const erasedPhone = pii().encrypt('');
  return db.transaction().execute(async (trx) => {
    const report: PurgeReport = {
      sessions: count(await trx.deleteFrom('session').where('expires_at', '<', before('sessions')).execute()),
      apiTokens: count(await trx.deleteFrom('api_token').where('expires_at', '<', before('apiTokens')).execute()),
      notifications: count(await trx.deleteFrom('notification').where('created_at', '<', before('notifications')).execute()),
      jobs: count(
        await trx
          .deleteFrom('job')
          .where((eb) => eb.or([eb('done_at', '<', before('jobs')), eb('failed_at', '<', before('jobs'))]))
          .execute(),
      ),
      feedbackContact: count(
        await trx
          .updateTable('feedback')
          .set({ author_name: '(đã xoá)', author_phone: null, author_email: null, contact_erased_at: now })
          .where('contact_erased_at', 'is', null)
          .where('received_at', '<', before('feedbackContact'))
          .execute(),
      ),
      conferenceContact:
        count(
          await trx
            .deleteFrom('conference_registration')
            .where('conference_id', 'in', (eb) =>
              eb.selectFrom('conference').select('id').where('starts_at', '<', before('conferenceContact')),
            )
            .execute(),
        ) +
        count(
          await trx
            .updateTable('conference_question')
            .set({ asker_name: null, asker_phone: null, asker_email: null })
            .where((eb) => eb.or([eb('asker_phone', 'is not', null), eb('asker_email', 'is not', null)]))
            .where('conference_id', 'in', (eb) =>
              eb.selectFrom('conference').select('id').where('starts_at', '<', before('conferenceContact')),
            )
            .execute(),
        ),
      contestContact: count(
        await trx
          .updateTable('contest_participant')
          .set((eb) => ({
            phone: erasedPhone,
            phone_hash: sql<string>`'erased:' || ${eb.ref('id')}`,
            citizen_id: null,
            citizen_id_hash: null,
          }))
          .where('registered_at', '<', before('contestContact'))
          .where('phone_hash', 'not like', 'erased:%')
          .execute(),
      ),
    };
    return report;
  });
}

/** Runs the purge every `everyMs` (with JOBS=on), like the statistics roll-up. */
export function startRetentionPurge(app: App, everyMs = 6 * 3_600_000): () => void {
  return every(app.log, 'retention purge', everyMs, async () => {
    const r = await purgeExpired(app.services.privacy.db, app.config.retention);
    if (Object.values(r).some((n) => n > 0)) app.log.info({ purged: r }, 'retention purge');
  });
}
