import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/types.js';
import { hashPassword } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { isAcceptablePassword, normalizeEmail, normalizeName } from '../../domain/identity.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import type { UnitService } from '../units/units.service.js';
import type { NewAssignment, StaffMember } from './staff.schema.js';

// Who may hand out which role: a unit admin staffs their own subtree but cannot create admins
// above themselves; only a city admin makes city admins.
const GRANTORS: Record<Role, Role[]> = {
  desk_officer: ['unit_admin', 'city_admin'],
  specialist: ['unit_admin', 'city_admin'],
  leader: ['unit_admin', 'city_admin'],
  unit_admin: ['unit_admin', 'city_admin'],
  city_admin: ['city_admin'],
};

export class StaffService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly units: UnitService,
  ) {}

  /** The officials of a unit (not of its sub-units); the actor must administer the unit. */
  async list(unitCode: string, actor: Actor | null): Promise<StaffMember[]> {
    const unit = await this.units.findRow(unitCode);
    assertUnitScope(actor, unit.path, ['unit_admin', 'city_admin', 'leader']);
    const rows = await this.db
      .selectFrom('role_assignment as r')
      .innerJoin('account as a', 'a.id', 'r.account_id')
      .select(['r.id as assignmentId', 'a.id as accountId', 'a.full_name as fullName', 'a.email', 'r.role'])
      .where('r.unit_id', '=', unit.id)
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({ ...r, unitCode }));
  }

  /** Gives a role at a unit to an official, creating the official's account when new. */
  async assign(unitCode: string, input: NewAssignment, actor: Actor, ctx: AuditContext): Promise<StaffMember> {
    const unit = await this.units.findRow(unitCode);
    assertUnitScope(actor, unit.path, GRANTORS[input.role]);
    if (input.role === 'city_admin' && unit.level !== 'city') throw new AppError('role_not_assignable');
    const email = normalizeEmail(input.email);
    if (!email) throw new AppError('invalid_email', {}, { email: 'invalid_email' });
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.db.transaction().execute(async (trx) => {
      let account = await trx
        .selectFrom('account_identifier as i')
        .innerJoin('account as a', 'a.id', 'i.account_id')
        .select(['a.id', 'a.kind', 'a.full_name', 'a.email'])
        .where('i.identifier', '=', email)
        .executeTakeFirst();
      if (account && account.kind !== 'official') throw new AppError('role_not_assignable');
      if (!account) {
        const fullName = input.fullName ? normalizeName(input.fullName) : null;
        if (!fullName) throw new AppError('invalid_name', {}, { fullName: 'invalid_name' });
        if (!passwordHash || !isAcceptablePassword(input.password!)) throw new AppError('weak_password', {}, { password: 'weak_password' });
        const created = await trx
          .insertInto('account')
          .values({
            kind: 'official',
            full_name: fullName,
            email,
            username: email,
            phone: null,
            citizen_id: null,
            tax_code: null,
            password_hash: passwordHash,
            locked_until: null,
            disabled_at: null,
          })
          .returning(['id', 'kind', 'full_name', 'email'])
          .executeTakeFirstOrThrow();
        await trx.insertInto('account_identifier').values({ identifier: email, account_id: created.id, kind: 'email' }).execute();
        await recordAudit(trx, ctx, { action: 'account.create_official', entityType: 'account', entityId: created.id, after: { email } });
        account = created;
      }
      const row = await trx
        .insertInto('role_assignment')
        .values({ account_id: account.id, role: input.role, unit_id: unit.id, created_by: actor.accountId })
        .onConflict((oc) => oc.columns(['account_id', 'role', 'unit_id']).doUpdateSet({ role: input.role }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: 'role.assign',
        entityType: 'role_assignment',
        entityId: row.id,
        after: { accountId: account.id, role: input.role, unit: unit.code },
      });
      return { assignmentId: row.id, accountId: account.id, fullName: account.full_name, email: account.email, role: input.role, unitCode };
    });
  }

  async revoke(unitCode: string, assignmentId: number, actor: Actor, ctx: AuditContext): Promise<void> {
    const unit = await this.units.findRow(unitCode);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('role_assignment')
        .selectAll()
        .where('id', '=', assignmentId)
        .where('unit_id', '=', unit.id)
        .executeTakeFirst();
      // An assignment elsewhere is reported as missing, not as forbidden: ids reveal nothing.
      if (!row) throw new AppError('not_found');
      assertUnitScope(actor, unit.path, GRANTORS[row.role]);
      await trx.deleteFrom('role_assignment').where('id', '=', row.id).execute();
      await recordAudit(trx, ctx, {
        action: 'role.revoke',
        entityType: 'role_assignment',
        entityId: row.id,
        before: { accountId: row.account_id, role: row.role, unit: unit.code },
      });
    });
  }
}
