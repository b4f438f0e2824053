import { AppError } from '../../lib/errors.js';
import type { AccountKind, Role } from '../../db/types.js';

export interface RoleGrant {
  role: Role;
  unitId: number;
  unitCode: string;
  /** ltree path of the unit: the grant covers this unit and everything under it. */
  unitPath: string;
}

export interface Actor {
  accountId: number;
  kind: AccountKind;
  fullName: string;
  locale: 'vi' | 'en';
  roles: RoleGrant[];
  via: 'session' | 'token';
  sessionId: string | null;
}

/**
 * What a route declares about its callers. The unit part of an official's permission depends on
 * the resource, so routes declare the roles and services call `assertUnitScope` on the unit.
 */
export type Policy =
  { access: 'public' } | { access: 'authenticated' } | { access: 'citizen' } | { access: 'official'; roles: readonly Role[] };

export const policies = {
  public: { access: 'public' },
  authenticated: { access: 'authenticated' },
  citizen: { access: 'citizen' },
  official: (...roles: Role[]): Policy => ({ access: 'official', roles }),
} as const;

export function checkPolicy(actor: Actor | null, policy: Policy): void {
  if (policy.access === 'public') return;
  if (!actor) throw new AppError('unauthenticated');
  if (policy.access === 'authenticated') return;
  if (policy.access === 'citizen') {
    if (actor.kind === 'official') throw new AppError('forbidden');
    return;
  }
  if (!actor.roles.some((g) => policy.roles.includes(g.role))) throw new AppError('forbidden');
}

export function pathCovers(scopePath: string, targetPath: string): boolean {
  return targetPath === scopePath || targetPath.startsWith(`${scopePath}.`);
}

/** True when one of the actor's grants with one of these roles covers the unit at `unitPath`. */
export function hasUnitScope(actor: Actor | null, unitPath: string, roles: readonly Role[]): boolean {
  return !!actor?.roles.some((g) => roles.includes(g.role) && pathCovers(g.unitPath, unitPath));
}

export function assertUnitScope(actor: Actor | null, unitPath: string, roles: readonly Role[]): void {
  if (!actor) throw new AppError('unauthenticated');
  if (!hasUnitScope(actor, unitPath, roles)) throw new AppError('forbidden');
}
