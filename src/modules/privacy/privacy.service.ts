import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { randomToken } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { pii } from '../../lib/pii.js';
import { decryptAccount } from '../../lib/pii-store.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import type { Actor } from '../auth/policy.js';

/** What an erasure removed or anonymised, and what it kept because the law requires it. */
export interface ErasureReport {
  sessions: number;
  apiTokens: number;
  loginNames: number;
  notifications: number;
  feedback: number;
  conferenceRegistrations: number;
  conferenceQuestions: number;
  contestParticipants: number;
  /** Dossiers kept with their applicant data: records of administrative procedures (docs/privacy.md). */
  dossiersKept: number;
}

const ERASED_NAME = '(đã xoá)';

/**
 * A citizen's own data (Decree 13/2023 Art. 9 and 14: the right to access and to obtain a copy)
 * and its erasure (Art. 9 and 16), for citizen and business accounts. Officials' accounts belong to
 * their unit and are disabled by its admin instead.
 */
export class PrivacyService {
  constructor(readonly db: Kysely<DB>) {}

  /** Everything stored about the caller, decrypted, as one JSON document. */
  async export(actor: Actor) {
    const id = actor.accountId;
    const db = this.db;
    const account = decryptAccount(await db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    const [identifiers, sessions, tokens, dossiers, notifications, feedback, registrations, questions, contest, audit] = await Promise.all([
      db.selectFrom('account_identifier').select('kind').where('account_id', '=', id).execute(),
      db
        .selectFrom('session')
        .select(['created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
        .where('account_id', '=', id)
        .execute(),
      db
        .selectFrom('api_token')
        .select(['name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
        .where('account_id', '=', id)
        .execute(),
      db
        .selectFrom('dossier as d')
        .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
        .select([
          'd.id',
          'd.code',
          'p.code as procedure',
          'd.status',
          'd.applicant',
          'd.form_data',
          'd.submitted_at',
          'd.finished_at',
          'd.created_at',
        ])
        .where((eb) => eb.or([eb('d.owner_id', '=', id), eb('d.created_by', '=', id)]))
        .orderBy('d.id')
        .execute(),
      db
        .selectFrom('notification')
        .select(['template', 'subject', 'body', 'created_at', 'read_at'])
        .where('account_id', '=', id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('feedback')
        .select(['code', 'kind', 'status', 'title', 'content', 'author_name', 'author_phone', 'author_email', 'received_at'])
        .where('author_account_id', '=', id)
        .execute(),
      db
        .selectFrom('conference_registration')
        .select(['conference_id', 'full_name', 'phone', 'email', 'organisation', 'created_at'])
        .where('account_id', '=', id)
        .execute(),
      db.selectFrom('conference_question').select(['conference_id', 'body', 'created_at']).where('asker_account_id', '=', id).execute(),
      account.phone_hash
        ? db
            .selectFrom('contest_participant')
            .select(['contest_id', 'name', 'phone', 'citizen_id', 'registered_at'])
            .where('phone_hash', '=', account.phone_hash)
            .execute()
        : Promise.resolve([]),
      db
        .selectFrom('audit_event')
        .select(['at', 'action', 'entity_type', 'entity_id', 'ip'])
        .where('actor_id', '=', id)
        .orderBy('id')
        .execute(),
    ]);
    const c = pii();
    return {
      exportedAt: new Date().toISOString(),
      controller: 'motcua',
      account: {
        kind: account.kind,
        fullName: account.full_name,
        phone: account.phone,
        email: account.email,
        citizenId: account.citizen_id,
        taxCode: account.tax_code,
        locale: account.locale,
        createdAt: account.created_at,
        loginNames: identifiers.map((i) => i.kind),
      },
      sessions,
      apiTokens: tokens,
      dossiers,
      notifications,
      feedback,
      conferenceRegistrations: registrations,
      conferenceQuestions: questions,
      contestParticipations: contest.map((p) => ({ ...p, phone: c.decrypt(p.phone), citizen_id: c.decryptNullable(p.citizen_id) })),
      activity: audit,
    };
  }

  /**
   * Erases what the law does not require to keep: the login, the profile's contact and identity
   * data, sessions, tokens, the inbox, the contact data left on feedback, dialogues and contests.
   * Dossiers, their documents, events, payments and results are kept unchanged: they are records
   * of administrative procedures (docs/privacy.md, "What is kept"). The account row stays, emptied
   * and disabled, because those records point to it.
   */
  async erase(actor: Actor, ctx: AuditContext): Promise<ErasureReport> {
    if (actor.kind === 'official') throw new AppError('erase_not_allowed');
    const id = actor.accountId;
    return this.db.transaction().execute(async (trx) => {
      const account = await trx.selectFrom('account').select(['phone_hash']).where('id', '=', id).executeTakeFirstOrThrow();
      const n = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }[]) =>
        r.reduce((s, x) => s + Number(x.numDeletedRows ?? x.numUpdatedRows ?? 0n), 0);
      const report: ErasureReport = {
        sessions: n(await trx.deleteFrom('session').where('account_id', '=', id).execute()),
        apiTokens: n(await trx.deleteFrom('api_token').where('account_id', '=', id).execute()),
        loginNames: n(await trx.deleteFrom('account_identifier').where('account_id', '=', id).execute()),
        notifications: n(await trx.deleteFrom('notification').where('account_id', '=', id).where('dossier_id', 'is', null).execute()),
        feedback: n(
          await trx
            .updateTable('feedback')
            .set({
              author_name: ERASED_NAME,
              author_phone: null,
              author_email: null,
              author_account_id: null,
              contact_erased_at: new Date(),
            })
            .where('author_account_id', '=', id)
            .execute(),
        ),
        conferenceRegistrations: n(await trx.deleteFrom('conference_registration').where('account_id', '=', id).execute()),
        conferenceQuestions: n(
          await trx
            .updateTable('conference_question')
            .set({ asker_name: null, asker_phone: null, asker_email: null, asker_account_id: null })
            .where('asker_account_id', '=', id)
            .execute(),
        ),
        contestParticipants: account.phone_hash
          ? n(
              await trx
                .updateTable('contest_participant')
                // The phone column is required: an empty ciphertext, and a hash no phone can match.
                .set((eb) => ({
                  name: ERASED_NAME,
                  phone: pii().encrypt(''),
                  phone_hash: sql<string>`'erased:' || ${eb.ref('id')}`,
                  citizen_id: null,
                  citizen_id_hash: null,
                }))
                .where('phone_hash', '=', account.phone_hash)
                .execute(),
            )
          : 0,
        dossiersKept: Number(
          (
            await trx
              .selectFrom('dossier')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where((eb) => eb.or([eb('owner_id', '=', id), eb('created_by', '=', id)]))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      };
      await trx
        .updateTable('account')
        .set({
          full_name: ERASED_NAME,
          phone: null,
          phone_hash: null,
          email: null,
          citizen_id: null,
          citizen_id_hash: null,
          // A password nobody knows: the account can never be logged into again.
          password_hash: `erased$${randomToken(16)}`,
          disabled_at: new Date(),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'account.erase', entityType: 'account', entityId: id, after: { ...report } });
      return report;
    });
  }
}
