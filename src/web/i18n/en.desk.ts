import type { viDesk } from './vi.desk.js';

export const enDesk: Record<keyof typeof viDesk, string> = {
  'desk.title': 'One-stop desk',
};
