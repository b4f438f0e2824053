import type { Actor } from '../modules/auth/policy.js';
import type { Locale, Translate } from './i18n/index.js';

/** What every page needs to render the shell: language, the person, where we are, the form token. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  actor: Actor | null;
  /** Path and query of the current page, for the language switch. */
  url: string;
  csrfToken: string;
  /** This response's CSP nonce: an inline <script> must carry it (nonce={ctx.nonce}) or it will not run. */
  nonce: string;
  requestId: string;
  /** Larger text and stronger contrast, chosen by the visitor and kept in a cookie. */
  easyRead: boolean;
}
