import { PermanentJobError } from '../../jobs/runner.js';
import type { JobLog } from '../../jobs/runner.js';
import type { SmsProvider } from './notify.service.js';

/** eSMS.vn (VIHAT), the brandname SMS carrier the adapter speaks to: docs/operations.md, "SMS". */
export interface EsmsConfig {
  /** The send endpoint (SendMultipleMessage_V4_post_json); another URL only for a test double. */
  url: string;
  apiKey: string;
  secretKey: string;
  /** The sender name shown on the phone, registered with the carrier beforehand. */
  brandname: string;
  /** eSMS's own test mode: the request is checked, nothing is delivered or charged. */
  sandbox: boolean;
}

export const ESMS_SEND_URL = 'https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/';

// Timeouts well under the job lease (jobs/runner.ts): a hung carrier fails the attempt, not the lease.
const TIMEOUT_MS = 30_000;

// CodeResult values from eSMS's table of error codes. Those about this message or number will
// not change on a retry; the others are about the account (keys, balance, brandname, template,
// the server's IP not whitelisted) and an operator can mend them while the job backs off.
const ACCEPTED = '100';
const DUPLICATE_REQUEST = '124';
const ABOUT_THE_MESSAGE: Record<string, string> = {
  '99': 'the number is blocked at the carrier',
  '108': 'the carrier refuses the number’s format',
  '177': 'the number’s network is not registered for this brandname',
};

interface EsmsReply {
  CodeResult?: unknown;
  SMSID?: unknown;
  ErrorMessage?: unknown;
}

/**
 * Sends customer-care brandname SMS (SmsType 2) through eSMS.vn's JSON API, one request per
 * message. The job's stable `ref` goes as RequestId, which eSMS refuses to repeat (code 124): a
 * retry after a crash between the send and the job's completion is acknowledged, not sent twice.
 */
export class EsmsSms implements SmsProvider {
  readonly name = 'esms';

  constructor(
    private readonly cfg: EsmsConfig,
    private readonly log: JobLog | null = null,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async send(to: string, text: string, ref?: string): Promise<{ id: string }> {
    const body = {
      ApiKey: this.cfg.apiKey,
      SecretKey: this.cfg.secretKey,
      Brandname: this.cfg.brandname,
      SmsType: '2',
      Phone: nationalForm(to),
      Content: text,
      // Vietnamese with its diacritics needs the Unicode charset; plain ASCII goes cheaper as GSM.
      IsUnicode: /[^\x20-\x7e\n]/.test(text) ? '1' : '0',
      Sandbox: this.cfg.sandbox ? '1' : '0',
      ...(ref === undefined ? {} : { RequestId: ref }),
    };
    let res: Response;
    try {
      res = await fetch(this.cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new Error(`eSMS unreachable: ${(e as Error).message}`);
    }
    const raw = await res.text();
    if (!res.ok) throw new Error(`eSMS answered HTTP ${res.status}`);
    let reply: EsmsReply;
    try {
      reply = JSON.parse(raw) as EsmsReply;
    } catch {
      throw new Error(`eSMS answered HTTP ${res.status} with a body that is not JSON`);
    }
    const code = String(reply.CodeResult ?? '');
    if (code === ACCEPTED && typeof reply.SMSID === 'string' && reply.SMSID !== '') return { id: reply.SMSID };
    if (code === DUPLICATE_REQUEST && ref !== undefined) {
      this.log?.info({ ref }, 'eSMS already has this message (RequestId seen before): not sent again');
      return { id: `esms-request-${ref}` };
    }
    const why = typeof reply.ErrorMessage === 'string' ? reply.ErrorMessage : JSON.stringify(reply).slice(0, 200);
    if (Object.hasOwn(ABOUT_THE_MESSAGE, code)) throw new PermanentJobError(`eSMS code ${code}: ${ABOUT_THE_MESSAGE[code]} (${why})`);
    // The account needs an operator: said loudly, and the job retries with backoff meanwhile.
    this.log?.error({ code, why }, 'eSMS refused the message for an account reason; the job will retry');
    throw new Error(`eSMS code ${code || '(none)'}: ${why}`);
  }
}

/** +84912345678 -> 0912345678, the form eSMS's own examples and console use. */
function nationalForm(international: string): string {
  return international.startsWith('+84') ? `0${international.slice(3)}` : international;
}
