import type { Role } from '../../db/types.js';
import type { FrozenWorkflow } from '../../domain/workflow/workflow.js';
import { pathCovers, type Actor } from '../auth/policy.js';

const OFFICIAL_ROLES: readonly Role[] = ['desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin'];

interface Visible {
  owner_id: number | null;
  created_by: number;
  unit_path: string;
  workflow: unknown;
}

/**
 * Who may see a dossier: its applicant and filer; officials whose grant covers the receiving unit
 * or a unit on its workflow (a grant covers its unit's subtree, so a district sees its wards'
 * dossiers). Sibling units, and child units that are not on the path, see nothing.
 */
export function canSeeDossier(actor: Actor | null, d: Visible): boolean {
  if (!actor) return false;
  if (actor.kind !== 'official') return d.owner_id === actor.accountId || d.created_by === actor.accountId;
  const paths = [d.unit_path, ...((d.workflow as FrozenWorkflow | null)?.steps ?? []).map((s) => s.unitPath)];
  return actor.roles.some((g) => OFFICIAL_ROLES.includes(g.role) && paths.some((p) => pathCovers(g.unitPath, p)));
}

/** The actor holds one of these roles in exactly this unit (acting is never inherited by parent units). */
export function isOfficialAt(actor: Actor, unitId: number, roles: readonly Role[]): boolean {
  return actor.roles.some((g) => g.unitId === unitId && roles.includes(g.role));
}

export function actsAt(actor: Actor, unitId: number, role: Role): boolean {
  return isOfficialAt(actor, unitId, [role]);
}
