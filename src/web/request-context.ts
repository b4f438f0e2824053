import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuditContext } from '../modules/audit/audit.js';
import type { Role } from '../db/types.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The audit trail's view of who is acting; `as` names the role the action needs, when known. */
export function auditContext(request: FastifyRequest, as?: { role: Role; unitId: number }): AuditContext {
  const actor = request.actor;
  const grant = as ? actor?.roles.find((g) => g.role === as.role && g.unitId === as.unitId) : actor?.roles[0];
  return {
    actorId: actor?.accountId ?? null,
    actorRole: as?.role ?? grant?.role ?? actor?.kind ?? null,
    unitId: as?.unitId ?? grant?.unitId ?? null,
    ip: request.ip,
  };
}
