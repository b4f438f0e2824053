import type { viWebhooks } from './vi.webhooks.js';

export const enWebhooks: Record<keyof typeof viWebhooks, string> = {
  'err.webhook_not_found': 'Webhook subscription not found.',
  'err.webhook_url_invalid': 'The endpoint address is not valid: give a complete http:// or https:// address, without a # part.',
  'err.webhook_url_credentials': 'Do not put a user name or password in the address; receivers authenticate deliveries by their signature.',
  'err.webhook_url_insecure': 'The endpoint address must use https://.',
  'err.webhook_disabled': 'This webhook subscription is disabled; create a new one instead.',
};
