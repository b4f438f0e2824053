import type { viFuzz } from './vi.fuzz.js';

// Messages for refusals found by fuzzing every route (test/fuzz); spread into en.ts.
export const enFuzz: Record<keyof typeof viFuzz, string> = {
  'err.malformed_url': 'The address is not a valid URL.',
};
