import { every } from '../../jobs/periodic.js';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { FileStore } from '../../lib/storage.js';
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
  /**
   * One-time SMS codes to continue a contest on another device, from when they were sent: they
   * work 10 minutes and count against a day's limit (contest.recovery.ts), then serve nothing.
   */
  contestCodes: 1,
  /**
   * Files uploaded (`POST /api/v1/files`) but never attached to a dossier, a result or a feedback,
   * from their last upload: identity papers someone started to send and abandoned.
   */
  unattachedUploads: 7,
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

/**
 * The tables whose rows hold a stored file. A table added with a reference to `stored_file` and
 * not listed here makes the purge fail on the foreign key (loudly) rather than delete its files;
 * test/privacy/retention.test.ts compares this list with the database's foreign keys.
 */
export const FILE_REFERENCES = ['dossier_document', 'dossier_result', 'feedback_attachment'] as const;

/**
 * Deletes or anonymises every record past its retention at `now`; one statement per kind. With a
 * file store, the bytes of the uploads purged are deleted after the rows' deletion has committed.
 */
export async function purgeExpired(db: Kysely<DB>, retention: Retention, now = new Date(), files?: FileStore): Promise<PurgeReport> {
  const { report, uploads } = await purgeRows(db, retention, now);
  for (const sha of uploads) {
    // Uploaded again since the rows were deleted: the new row owns the bytes now.
    const again = await db.selectFrom('stored_file').select('sha256').where('sha256', '=', sha).executeTakeFirst();
    if (!again) await files?.remove(sha);
  }
  return report;
}

async function purgeRows(db: Kysely<DB>, retention: Retention, now: Date): Promise<{ report: PurgeReport; uploads: string[] }> {
  const before = (kind: RetentionKind) => new Date(now.getTime() - retention[kind] * 86_400_000);
  const erasedPhone = pii().encrypt('');
  return db.transaction().execute(async (trx) => {
    const unattached = sql.join(
      FILE_REFERENCES.map((t) => sql`not exists (select 1 from ${sql.table(t)} x where x.file_sha256 = sf.sha256)`),
      sql` and `,
    );
    const uploads = (
      await sql<{ sha256: string }>`delete from stored_file sf where sf.created_at < ${before('unattachedUploads')} and ${unattached}
        returning sf.sha256`.execute(trx)
    ).rows.map((r) => r.sha256);
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
      contestCodes: count(await trx.deleteFrom('contest_recovery_code').where('created_at', '<', before('contestCodes')).execute()),
      unattachedUploads: uploads.length,
    };
    return { report, uploads };
  });
}

/** Runs the purge every `everyMs` (with JOBS=on), like the statistics roll-up. */
export function startRetentionPurge(app: App, everyMs = 6 * 3_600_000): () => void {
  return every(app.log, 'retention purge', everyMs, async () => {
    const r = await purgeExpired(app.services.privacy.db, app.config.retention, new Date(), app.services.files);
    if (Object.values(r).some((n) => n > 0)) app.log.info({ purged: r }, 'retention purge');
  });
}
