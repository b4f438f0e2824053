// Errors that mean "the database cannot be reached right now" (a PostgreSQL restart or failover,
// connections dropped by an administrator, a network cut), as opposed to a bad statement. A
// request that meets one gets 503 database_unavailable, which a client may retry, not a 500.

const SQLSTATE = /^(08|57P0[1-3])/; // connection exceptions; admin/crash shutdown, cannot connect now
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^[0-9A-Z]{5}$/.test(code) && SQLSTATE.test(code)) return true;
  if (NODE_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return PG_MESSAGES.some((m) => message.startsWith(m));
}
