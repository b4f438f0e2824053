import { randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/types.js';
import { normalizePhone } from '../../domain/identity.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { maskPhone, pii } from '../../lib/pii.js';
import { notify } from '../notify/notify.service.js';
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
  /** The least time between two codes to one participant on one device (each SMS costs the city money). */
  resendAfterMs: number;
  /** Codes per participant asked from one IP address in 24 hours. */
  perDayPerIp: number;
  /** Codes per participant in 24 hours, from anywhere: what one phone number can be sent. */
  perDay: number;
  /** Codes asked from one IP address in an hour, for any participant: no SMS flood from one place. */
  perIpHour: number;
  /**
   * Codes sent in 24 hours, site-wide (CONTEST_RECOVERY_SMS_PER_DAY): each is an SMS the city pays
   * for, and many addresses together pass every limit above.
   */
  perDaySite: number;
}

export const RECOVERY_RULES: RecoveryRules = {
  ttlMs: 10 * 60_000,
  maxAttempts: 5,
  resendAfterMs: 60_000,
  perDayPerIp: 5,
  perDay: 20,
  perIpHour: 30,
  perDaySite: 2000,
};
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CODE = /^\d{6}$/;
/** The device secret: what randomToken(24) gives. */
const DEVICE = /^[A-Za-z0-9_-]{32}$/;

const refused = (code: ErrorCode, params: Record<string, number> = {}) => ({ ok: false as const, code, params });
const codeHash = (participantId: number, code: string) => pii().hash('contest_code', `${participantId}:${code}`);

/**
 * Whether codes reach phones. The sandbox carrier only logs what it would send, code included: in
 * production no code would reach anyone, and the log would hold working codes. eSMS in its own
 * test mode (ESMS_SANDBOX) delivers nothing either.
 */
export const recoveryDeliverable = (c: Pick<Config, 'env' | 'smsProvider' | 'esms'>) => {
  if (c.smsProvider === 'esms') return c.esms !== null && !c.esms.sandbox;
  return c.smsProvider === 'sandbox' && c.env !== 'production';
};

/** Who asks: the IP address, and the device's secret if it has one from an earlier code. */
export interface RecoveryClient {
  ip: string | null;
  device?: string | undefined;
}

/** The first key of the per-address advisory locks (the two-key form: apart from single-key locks). */
const IP_LOCK_CLASS = 7_301;
/** The advisory lock of the site-wide count, taken after the address's (always in this order). */
const SITE_LOCK: [number, number] = [7_302, 0];

export class ContestRecovery {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly admin: ContestAdmin,
    /** Whether codes reach phones: an SMS channel that really delivers (services.ts). */
    readonly available: boolean,
    /** The portal's host name: the SMS says where the code may be typed, against phishing. */
    private readonly site: string,
    readonly rules: RecoveryRules = RECOVERY_RULES,
  ) {}

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
    return { p, contest, phone };
  }

  /**
   * Sends a new code to the registered phone, bound to the asking device: the answer carries the
   * device's secret (a new one unless it sent a valid one), which verify() needs. Any earlier code
   * of this participant on this device stops working. Refused (429) within resendAfterMs of the
   * device's last code, or past the limits per participant and IP, per participant, and per IP.
   */
  async sendCode(contestId: number, rawPhone: string, locale: Locale, client: RecoveryClient, now = new Date()) {
    const { p, contest, phone } = await this.registration(contestId, rawPhone);
    if (!p) throw new AppError('contest_recovery_not_registered');
    const device = client.device && DEVICE.test(client.device) ? client.device : randomToken(24);
    const deviceHash = sha256(device);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const minutes = Math.round(this.rules.ttlMs / 60_000);
    const expiresAt = new Date(now.getTime() + this.rules.ttlMs);
    const dayAgo = new Date(now.getTime() - DAY_MS);
    await this.db.transaction().execute(async (trx) => {
      // Two requests at once for one participant take turns, so both cannot pass the checks below.
      // FOR NO KEY UPDATE, not FOR UPDATE: the latter also blocks the foreign-key checks of rows
      // that refer to the participant (a verify's new token, an entry), and a verify holding its
      // code row while it waits for us, as we wait for that row, was a deadlock (a 500).
      await trx.selectFrom('contest_participant').select('id').where('id', '=', p.id).forNoKeyUpdate().executeTakeFirstOrThrow();
      const recent = await trx
        .selectFrom('contest_recovery_code')
        .select(['created_at', 'device_hash', 'client_ip'])
        .where('participant_id', '=', p.id)
        .where('created_at', '>', dayAgo)
        .orderBy('created_at', 'desc')
        .execute();
      const last = recent.find((r) => r.device_hash === deviceHash)?.created_at.getTime();
      if (last !== undefined && now.getTime() - last < this.rules.resendAfterMs) {
        throw new AppError('contest_recovery_wait', { seconds: Math.ceil((last + this.rules.resendAfterMs - now.getTime()) / 1000) });
      }
      if (recent.length >= this.rules.perDay || recent.filter((r) => r.client_ip === client.ip).length >= this.rules.perDayPerIp) {
        throw new AppError('contest_recovery_too_many');
      }
      if (client.ip !== null) {
        // Requests from one address for different participants take turns here, so together they
        // cannot pass the hourly cap (the participant's row lock above does not cover them).
        await sql`select pg_advisory_xact_lock(${IP_LOCK_CLASS}, hashtext(${client.ip}))`.execute(trx);
        const fromIp = await trx
          .selectFrom('contest_recovery_code')
          .select('created_at')
          .where('client_ip', '=', client.ip)
          .where('created_at', '>', new Date(now.getTime() - HOUR_MS))
          .orderBy('created_at')
          .execute();
        if (fromIp.length >= this.rules.perIpHour) {
          const frees = fromIp[fromIp.length - this.rules.perIpHour]!.created_at.getTime() + HOUR_MS;
          throw new AppError('contest_rate_limited', { seconds: Math.max(1, Math.ceil((frees - now.getTime()) / 1000)) });
        }
      }
      // Requests for different participants from different addresses take turns only here, so
      // together they cannot pass the budget.
      await sql`select pg_advisory_xact_lock(${SITE_LOCK[0]}, ${SITE_LOCK[1]})`.execute(trx);
      const today = await trx
        .selectFrom('contest_recovery_code')
        .select('created_at')
        .where('created_at', '>', dayAgo)
        .orderBy('created_at', 'desc')
        .limit(this.rules.perDaySite)
        .execute();
      if (today.length >= this.rules.perDaySite) {
        // The oldest of the budget's codes leaves the 24 hours first (none when the budget is 0).
        const frees = (today.at(-1)?.created_at.getTime() ?? now.getTime()) + DAY_MS;
        throw new AppError('contest_recovery_budget_spent', { seconds: Math.max(1, Math.ceil((frees - now.getTime()) / 1000)) });
      }
      // Only the newest code of a device works.
      await trx
        .updateTable('contest_recovery_code')
        .set({ expires_at: now })
        .where('participant_id', '=', p.id)
        .where('device_hash', '=', deviceHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      await trx
        .insertInto('contest_recovery_code')
        .values({
          participant_id: p.id,
          code_hash: codeHash(p.id, code),
          device_hash: deviceHash,
          client_ip: client.ip,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      // In the same transaction: the SMS job exists exactly when the code does.
      await notify(
        trx,
        {
          template: 'contest.recovery_code',
          locale,
          params: { code, minutes: String(minutes), contest: contest.title[locale], site: this.site },
          accountId: null,
          dossierId: null,
          email: null,
          phone,
        },
        { email: false, sms: true, messageDomain: this.site },
      );
    });
    return { sentTo: maskPhone(phone), expiresAt, device };
  }

  /**
   * Checks the code the device was sent and gives it a participant token. A wrong code counts
   * against the code's tries (kept even though the request is refused). A phone not registered, a
   * device that asked for no code, a used, replaced or expired code: all are "expired", so this
   * step tells nobody whether a phone took part.
   */
  async verify(contestId: number, rawPhone: string, rawCode: string, device: string | undefined, now = new Date()) {
    const code = rawCode.replace(/[\s.-]/g, '');
    if (!CODE.test(code)) throw new AppError('contest_recovery_code_format');
    const { p } = await this.registration(contestId, rawPhone);
    if (!p || !device || !DEVICE.test(device)) throw new AppError('contest_recovery_code_expired');
    const outcome = await this.db.transaction().execute(async (trx) => {
      // The device's newest code whatever its state: a code replaced a moment ago never passes
      // for the current one, whichever clock each request read.
      const row = await trx
        .selectFrom('contest_recovery_code')
        .select(['id', 'code_hash', 'attempts', 'used_at', 'expires_at'])
        .where('participant_id', '=', p.id)
        .where('device_hash', '=', sha256(device))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.used_at !== null || row.expires_at <= now) return refused('contest_recovery_code_expired');
      if (row.attempts >= this.rules.maxAttempts) return refused('contest_recovery_tries_used');
      const expected = Buffer.from(row.code_hash);
      const actual = Buffer.from(codeHash(p.id, code));
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        await trx
          .updateTable('contest_recovery_code')
          .set({ attempts: row.attempts + 1 })
          .where('id', '=', row.id)
          .execute();
        const left = this.rules.maxAttempts - row.attempts - 1;
        return left > 0 ? refused('contest_recovery_code_invalid', { left }) : refused('contest_recovery_tries_used');
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
    if (!outcome.ok) throw new AppError(outcome.code, outcome.params);
    this.admin.cache.rememberParticipant(sha256(outcome.token), { id: p.id, contest_id: p.contest_id });
    return { participantId: p.id, token: outcome.token };
  }
}
