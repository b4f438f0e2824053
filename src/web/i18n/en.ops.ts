import type { viOps } from './vi.ops.js';

export const enOps: Record<keyof typeof viOps, string> = {
  'err.database_unavailable': 'The service cannot reach its database for the moment. Please try again in a few minutes.',
};
