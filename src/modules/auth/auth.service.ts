import type { Kysely } from 'kysely';
import type { DB, AccountKind } from '../../db/types.js';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../lib/crypto.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import {
  isAcceptablePassword,
  isValidCitizenId,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeTaxCode,
} from '../../domain/identity.js';
import { pii } from '../../lib/pii.js';
import { phoneIdentifier } from '../../lib/pii-store.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import * as repo from './auth.repo.js';
import type { Actor, RoleGrant } from './policy.js';

export interface AuthSettings {
  sessionTtlHours: number;
  tokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
}

export interface RegistrationInput {
  kind: 'citizen' | 'business';
  fullName: string;
  phone?: string | undefined;
  email?: string | undefined;
  citizenId?: string | undefined;
  taxCode?: string | undefined;
  password: string;
  locale?: 'vi' | 'en' | undefined;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** Checks every field and reports all problems at once, as a form needs. */
function validateRegistration(input: RegistrationInput) {
  const fields: Record<string, ErrorCode> = {};
  const fullName = normalizeName(input.fullName);
  if (!fullName) fields.fullName = 'invalid_name';
  const phone = blank(input.phone) ? null : normalizePhone(input.phone!);
  if (!blank(input.phone) && !phone) fields.phone = 'invalid_phone';
  const email = blank(input.email) ? null : normalizeEmail(input.email!);
  if (!blank(input.email) && !email) fields.email = 'invalid_email';
  if (blank(input.phone) && blank(input.email)) fields.phone = 'contact_required';
  const citizenId = blank(input.citizenId) ? null : input.citizenId!.replace(/\s/g, '');
  if (citizenId && !isValidCitizenId(citizenId)) fields.citizenId = 'invalid_citizen_id';
  const taxCode = blank(input.taxCode) ? null : normalizeTaxCode(input.taxCode!);
  if (!blank(input.taxCode) && !taxCode) fields.taxCode = 'invalid_tax_code';
  if (input.kind === 'business' && blank(input.taxCode)) fields.taxCode = 'tax_code_required';
  if (!isAcceptablePassword(input.password)) fields.password = 'weak_password';
  const first = Object.values(fields)[0];
  if (first) throw new AppError(first, {}, fields);
  return { fullName: fullName!, phone, email, citizenId, taxCode };
}

export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly settings: AuthSettings,
  ) {}

  async register(input: RegistrationInput, ctx: AuditContext): Promise<number> {
    const v = validateRegistration(input);
    const passwordHash = await hashPassword(input.password);
    const cipher = pii();
    const identifiers = [
      // A phone login name is stored as its keyed hash only (docs/privacy.md).
      ...(v.phone ? [{ identifier: phoneIdentifier(cipher, v.phone), kind: 'phone' as const }] : []),
      ...(v.email ? [{ identifier: v.email, kind: 'email' as const }] : []),
      ...(v.taxCode ? [{ identifier: v.taxCode, kind: 'tax_code' as const }] : []),
    ];
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('account_identifier')
        .select('identifier')
        .where(
          'identifier',
          'in',
          identifiers.map((i) => i.identifier),
        )
        .executeTakeFirst();
      if (taken) throw new AppError('identifier_taken');
      if (v.citizenId) {
        const other = await trx
          .selectFrom('account')
          .select('id')
          .where('citizen_id_hash', '=', cipher.hash('citizen_id', v.citizenId))
          .executeTakeFirst();
        if (other) throw new AppError('citizen_id_taken', {}, { citizenId: 'citizen_id_taken' });
      }
      const account = await trx
        .insertInto('account')
        .values({
          kind: input.kind as AccountKind,
          full_name: v.fullName,
          phone: cipher.encryptNullable(v.phone),
          phone_hash: cipher.hashNullable('phone', v.phone),
          email: v.email,
          username: null,
          citizen_id: cipher.encryptNullable(v.citizenId),
          citizen_id_hash: cipher.hashNullable('citizen_id', v.citizenId),
          tax_code: v.taxCode,
          password_hash: passwordHash,
          locale: input.locale ?? 'vi',
          locked_until: null,
          disabled_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('account_identifier')
        .values(identifiers.map((i) => ({ ...i, account_id: account.id })))
        .execute();
      await recordAudit(
        trx,
        { ...ctx, actorId: account.id },
        {
          action: 'account.register',
          entityType: 'account',
          entityId: account.id,
          after: { kind: input.kind, identifiers: identifiers.map((i) => i.kind), hasCitizenId: !!v.citizenId },
        },
      );
      return account.id;
    });
  }

  /** Re-asks the password before an irreversible step (erasing the account). */
  async confirmPassword(accountId: number, password: string): Promise<void> {
    const account = await repo.findAccount(this.db, accountId);
    if (!account || !(await verifyPassword(password, account.password_hash))) throw new AppError('invalid_credentials');
  }

  /** Verifies credentials, counting failures and locking the account after too many. */
  async authenticate(identifierInput: string, password: string, ctx: AuditContext): Promise<number> {
    const identifier = normalizeLogin(identifierInput);
    const account = identifier ? await repo.findAccountByIdentifier(this.db, identifier) : undefined;
    if (!account || account.disabled_at) {
      // Same work as a real check, so response time does not reveal which accounts exist.
      await verifyPassword(password, DUMMY_HASH);
      throw new AppError('invalid_credentials');
    }
    const now = new Date();
    if (account.locked_until && account.locked_until > now) {
      throw new AppError('account_locked', { minutes: Math.ceil((account.locked_until.getTime() - now.getTime()) / 60000) });
    }
    if (await verifyPassword(password, account.password_hash)) {
      if (account.failed_logins > 0 || account.locked_until) {
        await this.db.updateTable('account').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
      }
      return account.id;
    }
    const failures = account.failed_logins + 1;
    if (failures >= this.settings.loginMaxFailures) {
      const until = new Date(now.getTime() + this.settings.loginLockMinutes * 60000);
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('account').set({ failed_logins: 0, locked_until: until }).where('id', '=', account.id).execute();
        await recordAudit(trx, ctx, { action: 'account.lock', entityType: 'account', entityId: account.id, after: { lockedUntil: until } });
      });
      throw new AppError('account_locked', { minutes: this.settings.loginLockMinutes });
    }
    await this.db.updateTable('account').set({ failed_logins: failures }).where('id', '=', account.id).execute();
    throw new AppError('invalid_credentials');
  }

  /** Returns the raw session token for the cookie; only its hash is stored. */
  async createSession(accountId: number, ctx: AuditContext & { userAgent: string | null }): Promise<string> {
    const token = randomToken();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('session')
        .values({
          id: sha256(token),
          account_id: accountId,
          expires_at: new Date(Date.now() + this.settings.sessionTtlHours * 3600_000),
          ip: ctx.ip,
          user_agent: ctx.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
      await recordAudit(trx, { ...ctx, actorId: accountId }, { action: 'session.create', entityType: 'account', entityId: accountId });
    });
    return token;
  }

  async actorFromSession(token: string): Promise<Actor | null> {
    const id = sha256(token);
    const row = await repo.findSessionActor(this.db, id);
    if (!row || row.expires_at <= new Date()) return null;
    // Touch at most once a minute: every page view need not write.
    if (Date.now() - row.last_seen_at.getTime() > 60_000) {
      await this.db.updateTable('session').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
    }
    return toActor(row, 'session', id);
  }

  async actorFromToken(token: string): Promise<Actor | null> {
    const row = await repo.findTokenActor(this.db, sha256(token));
    if (!row) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
      await this.db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
    }
    return toActor(row, 'token', null);
  }

  async logout(sessionId: string, ctx: AuditContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const s = await trx.deleteFrom('session').where('id', '=', sessionId).returning('account_id').executeTakeFirst();
      if (s) await recordAudit(trx, ctx, { action: 'session.delete', entityType: 'account', entityId: s.account_id });
    });
  }

  /** Ends every session and revokes every API token of the account. */
  async logoutEverywhere(accountId: number, ctx: AuditContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const sessions = await trx.deleteFrom('session').where('account_id', '=', accountId).returning('id').execute();
      const tokens = await trx
        .updateTable('api_token')
        .set({ revoked_at: new Date() })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      await recordAudit(trx, ctx, {
        action: 'session.delete_all',
        entityType: 'account',
        entityId: accountId,
        after: { sessions: sessions.length, tokens: tokens.length },
      });
    });
  }

  async createApiToken(accountId: number, name: string, ctx: AuditContext) {
    const token = `mc_${randomToken()}`;
    const expiresAt = new Date(Date.now() + this.settings.tokenTtlDays * 86400_000);
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('api_token')
        .values({ account_id: accountId, name, token_hash: sha256(token), expires_at: expiresAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(
        trx,
        { ...ctx, actorId: accountId },
        { action: 'api_token.create', entityType: 'api_token', entityId: r.id, after: { name } },
      );
      return r;
    });
    return { id: row.id, token, expiresAt };
  }

  listApiTokens(accountId: number) {
    return this.db
      .selectFrom('api_token')
      .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .execute();
  }

  listSessions(accountId: number) {
    return this.db
      .selectFrom('session')
      .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent', 'expires_at'])
      .where('account_id', '=', accountId)
      .where('expires_at', '>', new Date())
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Revokes one of the account's own tokens; another account's token id is "not found". */
  async revokeApiToken(accountId: number, tokenId: number, ctx: AuditContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('api_token')
        .set({ revoked_at: new Date() })
        .where('id', '=', tokenId)
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!r) throw new AppError('token_not_found');
      await recordAudit(trx, ctx, { action: 'api_token.revoke', entityType: 'api_token', entityId: tokenId });
    });
  }
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * A login name as typed (a phone in any usual form, an e-mail, a tax code or a username), in the
 * form account_identifier holds it: a phone number as its keyed hash.
 */
export function normalizeLogin(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 254) return null;
  const phone = normalizePhone(trimmed);
  if (phone) return phoneIdentifier(pii(), phone);
  return normalizeEmail(trimmed) ?? normalizeTaxCode(trimmed) ?? trimmed.toLowerCase();
}

function toActor(
  row: {
    account_id: number;
    kind: Actor['kind'];
    full_name: string;
    locale: Actor['locale'];
    disabled_at: Date | null;
    grants: RoleGrant[];
  },
  via: Actor['via'],
  sessionId: string | null,
): Actor | null {
  if (row.disabled_at) return null;
  return { accountId: row.account_id, kind: row.kind, fullName: row.full_name, locale: row.locale, roles: row.grants, via, sessionId };
}
