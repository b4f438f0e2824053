import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { normalizePhone } from '../../domain/identity.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { maskPhone, pii } from '../../lib/pii.js';
import { notify, type NotifyChannels } from '../notify/notify.service.js';
import type { Locale } from '../notify/templates.js';
import type { ContestAdmin } from './contest.admin.js';

// Taking part on another device (docs/contest.md): one registration per phone and contest means a
// participant whose cookie is gone (a new phone, a cleared browser) could never take part again.
// A code sent by SMS to the registered number proves they hold it, and gives this device a token
// of its own. The first device keeps its token: tokens are only added, so the per-process token
// cache (contest.cache.ts) never holds a mapping that has become wrong.

export interface RecoveryRules {
  /** How long a code works. */
  ttlMs: number;
  /** Wrong tries before a code stops working (a new one must be asked for). */
  maxAttempts: number;
  /** The least time between two codes to one participant (each SMS costs the city money). */
  resendAfterMs: number;
  /** Codes per participant in 24 hours: with maxAttempts, at most 25 guesses a day at 1 in 1,000,000. */
  perDay: number;
}

export const RECOVERY_RULES: RecoveryRules = { ttlMs: 10 * 60_000, maxAttempts: 5, resendAfterMs: 60_000, perDay: 5 };
const DAY_MS = 86_400_000;
const CODE = /^\d{6}$/;

const codeHash = (participantId: number, code: string) => pii().hash('contest_code', `${participantId}:${code}`);

export class ContestRecovery {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly admin: ContestAdmin,
    private readonly channels: NotifyChannels,
    readonly rules: RecoveryRules = RECOVERY_RULES,
  ) {}

  /** Whether codes can be delivered at all (SMS_PROVIDER=none: no link to recovery is shown). */
  get available(): boolean {
    return this.channels.sms;
  }

  /** The registration of this phone in this contest (erased registrations match no phone). */
  private async registration(contestId: number, rawPhone: string) {
    if (!this.available) throw new AppError('contest_recovery_unavailable');
    const phone = normalizePhone(rawPhone);
    if (!phone) throw new AppError('invalid_phone');
    const contest = await this.admin.contest(contestId, { drafts: false });
    const p = await this.db
      .selectFrom('contest_participant')
      .select(['id', 'contest_id'])
      .where('contest_id', '=', contestId)
      .where('phone_hash', '=', pii().hash('phone', phone))
      .executeTakeFirst();
    if (!p) throw new AppError('contest_recovery_not_registered');
    return { p, contest, phone };
  }

  /**
   * Sends a new code to the registered phone; any earlier code of the participant stops working.
   * Refused (429) within resendAfterMs of the last code, or past perDay codes in 24 hours.
   */
  async sendCode(contestId: number, rawPhone: string, locale: Locale, now = new Date()) {
    const { p, contest, phone } = await this.registration(contestId, rawPhone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const minutes = Math.round(this.rules.ttlMs / 60_000);
    const expiresAt = new Date(now.getTime() + this.rules.ttlMs);
    await this.db.transaction().execute(async (trx) => {
      // Two requests at once for one participant take turns, so both cannot pass the checks below.
      await trx.selectFrom('contest_participant').select('id').where('id', '=', p.id).forUpdate().executeTakeFirstOrThrow();
      const recent = await trx
        .selectFrom('contest_recovery_code')
        .select('created_at')
        .where('participant_id', '=', p.id)
        .where('created_at', '>', new Date(now.getTime() - DAY_MS))
        .orderBy('created_at', 'desc')
        .execute();
      const last = recent[0]?.created_at.getTime();
      if (last !== undefined && now.getTime() - last < this.rules.resendAfterMs) {
        throw new AppError('contest_recovery_wait', {
          seconds: String(Math.ceil((last + this.rules.resendAfterMs - now.getTime()) / 1000)),
        });
      }
      if (recent.length >= this.rules.perDay) throw new AppError('contest_recovery_too_many');
      // Only the newest code works; codes older than a day are kept no longer than the count needs.
      await trx
        .updateTable('contest_recovery_code')
        .set({ expires_at: now })
        .where('participant_id', '=', p.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      await trx
        .deleteFrom('contest_recovery_code')
        .where('participant_id', '=', p.id)
        .where('created_at', '<=', new Date(now.getTime() - DAY_MS))
        .execute();
      await trx
        .insertInto('contest_recovery_code')
        .values({ participant_id: p.id, code_hash: codeHash(p.id, code), created_at: now, expires_at: expiresAt })
        .execute();
      // In the same transaction: the SMS job exists exactly when the code does.
      await notify(
        trx,
        {
          template: 'contest.recovery_code',
          locale,
          params: { code, minutes: String(minutes), contest: contest.title[locale] },
          accountId: null,
          dossierId: null,
          email: null,
          phone,
        },
        { email: false, sms: true, messageDomain: this.channels.messageDomain },
      );
    });
    return { sentTo: maskPhone(phone), expiresAt };
  }

  /**
   * Checks the code and gives this device a participant token. A wrong code counts against the
   * code's tries (kept even though the request is refused); a used, replaced or expired code is
   * refused as expired.
   */
  async verify(contestId: number, rawPhone: string, rawCode: string, now = new Date()) {
    const code = rawCode.replace(/[\s.-]/g, '');
    if (!CODE.test(code)) throw new AppError('contest_recovery_code_format');
    const { p } = await this.registration(contestId, rawPhone);
    const outcome = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('contest_recovery_code')
        .select(['id', 'code_hash', 'attempts'])
        .where('participant_id', '=', p.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.attempts >= this.rules.maxAttempts) return { ok: false as const, left: 0 };
      const expected = Buffer.from(row.code_hash);
      const actual = Buffer.from(codeHash(p.id, code));
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        await trx
          .updateTable('contest_recovery_code')
          .set({ attempts: row.attempts + 1 })
          .where('id', '=', row.id)
          .execute();
        return { ok: false as const, left: this.rules.maxAttempts - row.attempts - 1 };
      }
      await trx.updateTable('contest_recovery_code').set({ used_at: now }).where('id', '=', row.id).execute();
      const token = randomToken(32);
      await trx
        .insertInto('contest_participant_token')
        .values({ token_hash: sha256(token), participant_id: p.id })
        .execute();
      return { ok: true as const, token };
    });
    // Thrown after the commit, so a wrong try is counted.
    if (!outcome.ok) {
      if (outcome.left === 0) throw new AppError('contest_recovery_code_expired');
      throw new AppError('contest_recovery_code_invalid', { left: String(outcome.left) });
    }
    this.admin.cache.rememberParticipant(sha256(outcome.token), { id: p.id, contest_id: p.contest_id });
    return { participantId: p.id, token: outcome.token };
  }
}
