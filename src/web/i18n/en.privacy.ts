// Personal data (Decree 13/2023): the citizen's copy of their data and its erasure; spread into en.ts.
import type { viPrivacy } from './vi.privacy.js';

export const enPrivacy: Record<keyof typeof viPrivacy, string> = {
  'err.erase_not_allowed': "Officials' accounts are disabled by their unit's admin and cannot erase themselves.",
  'privacy.title': 'Your personal data',
  'privacy.download': 'Download all my data (JSON)',
  'privacy.erase.title': 'Erase my account and personal data',
  'privacy.erase.lead':
    'Your account, contact details, sessions, inbox and the contact details on your feedback, dialogue registrations and contest entries are erased. Dossiers you submitted and their documents are kept, as the rules on administrative records require.',
  'privacy.erase.password': 'Enter your password to confirm',
  'privacy.erase.submit': 'Erase my account for good',
};
