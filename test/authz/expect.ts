import type { Policy } from '../../src/modules/auth/policy.js';
import type { Scope } from '../../src/modules/auth/scopes.js';

/**
 * The expected decision of every matrix cell, derived from a route's declared `policy` and
 * `scope` alone. Written independently of policy.ts (no call into checkPolicy or pathCovers), so
 * a bug there shows up as a disagreement instead of being copied into the expectation.
 */

export const ROLES = ['anonymous', 'citizen', 'otherCitizen', 'desk', 'specialist', 'leader', 'unitAdmin', 'cityAdmin'] as const;
export type MatrixRole = (typeof ROLES)[number];

/**
 * Where the target resource lies, seen from the officials under test, who all hold their role at
 * the district of Hà Đông (the city admin at the city root): the district itself, one of its wards,
 * a sibling unit under the same parent (another district), and a ward inside another district.
 */
export const CELLS = ['own', 'child', 'sibling', 'otherDistrict'] as const;
export type Cell = (typeof CELLS)[number];

export const CELL_UNITS: Record<Cell, string> = {
  own: '000.00.42.H26', // Hà Đông district
  child: '000.13.42.H26', // Quang Trung ward, under Hà Đông
  sibling: '000.00.35.H26', // Cầu Giấy district, Hà Đông's sibling under the city
  otherDistrict: '000.01.35.H26', // Dịch Vọng ward, inside Cầu Giấy
};

const GRANT: Partial<Record<MatrixRole, string>> = {
  desk: 'desk_officer',
  specialist: 'specialist',
  leader: 'leader',
  unitAdmin: 'unit_admin',
  cityAdmin: 'city_admin',
};

const isCitizen = (r: MatrixRole) => r === 'citizen' || r === 'otherCitizen';

/** A grant at Hà Đông covers Hà Đông and its wards; the city admin's covers everything. */
function covers(role: MatrixRole, cell: Cell): boolean {
  return role === 'cityAdmin' || cell === 'own' || cell === 'child';
}

/** Acting is never inherited: only a grant at exactly the resource's unit. */
function exactlyAt(role: MatrixRole, cell: Cell): boolean {
  return role !== 'cityAdmin' && cell === 'own';
}

/** Targets whose resource is not in one of the four cells: the decision does not vary by cell. */
export function unitless(scope: Scope): boolean {
  return scope.target === 'none' || scope.target === 'city' || scope.target === 'account';
}

export function expected(policy: Policy, scope: Scope, role: MatrixRole, cell: Cell): boolean {
  if (role === 'anonymous') return policy.access === 'public';
  if (policy.access === 'citizen' && !isCitizen(role)) return false;
  if (policy.access === 'official' && (isCitizen(role) || !policy.roles.includes(GRANT[role] as never))) return false;
  switch (scope.target) {
    case 'none':
      return true;
    case 'city':
      return isCitizen(role) || policy.access === 'public' || role === 'cityAdmin';
    case 'account':
      // The fixture record (a token, a notification) belongs to `citizen`.
      return role === 'citizen';
    case 'dossier':
      // Every fixture dossier is `citizen`'s; officials by the dossier's unit.
      if (isCitizen(role)) return role === 'citizen';
      return scope.officials === 'exact' ? exactlyAt(role, cell) : covers(role, cell);
    default:
      // A unit or a record of a unit: officials by that unit; citizens passed the policy.
      return isCitizen(role) || covers(role, cell);
  }
}
