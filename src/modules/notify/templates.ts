// Messages to citizens about their dossiers, in both languages. Rules for the wording:
// - plain, polite Vietnamese that an elderly reader understands: "Ông/Bà", short sentences, one
//   thing to do at a time, no jargon or abbreviations;
// - full diacritics everywhere, SMS included (sent as Unicode SMS: 70 characters a part, so the
//   SMS text stays short and names the dossier by its code only);
// - {placeholders} are filled with values already formatted for the locale by the caller:
//   code, procedure, unit (the office's name), dueDate (e.g. 05/12/2026), reason (an officer's
//   text), amount (e.g. 150.000 đồng), link (an absolute URL to the dossier), holder (the
//   official holding an overdue dossier, in messages to leaders).
// Change a text => bump its version: the inbox row records which version a citizen received.

import { PROCESSING_TEMPLATES } from './templates.processing.js';
import { SURVEY_TEMPLATES } from './templates.surveys.js';
import { CONFERENCE_TEMPLATES } from './templates.conferences.js';
import { FEEDBACK_TEMPLATES } from './templates.feedback.js';
import { CONTEST_TEMPLATES } from './templates.contest.js';

export type Locale = 'vi' | 'en';

export interface MessageTexts {
  subject: string;
  body: string;
  sms: string;
}

export interface TemplateDefinition {
  version: number;
  vi: MessageTexts;
  en: MessageTexts;
}

export const TEMPLATES = {
  ...PROCESSING_TEMPLATES,
  ...SURVEY_TEMPLATES,
  ...CONFERENCE_TEMPLATES,
  ...FEEDBACK_TEMPLATES,
  ...CONTEST_TEMPLATES,
  'dossier.submitted': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã được gửi thành công',
      body: `Kính gửi Ông/Bà,

Ông/Bà đã gửi hồ sơ trực tuyến thành công.

Mã hồ sơ: {code}
Thủ tục: {procedure}
Nơi tiếp nhận: {unit}

Cán bộ sẽ kiểm tra hồ sơ và báo lại cho Ông/Bà. Ông/Bà chưa cần đến cơ quan.
Ông/Bà có thể xem tình trạng hồ sơ tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} đã được gửi thành công. Cán bộ sẽ kiểm tra và báo lại cho Ông/Bà. Xem tại: {link}',
    },
    en: {
      subject: 'Application {code} has been submitted',
      body: `Dear Sir or Madam,

Your online application has been submitted.

Application code: {code}
Procedure: {procedure}
Receiving office: {unit}

An officer will check your application and contact you. You do not need to visit the office yet.
You can follow your application at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Application {code} has been submitted. An officer will check it and contact you. Details: {link}',
    },
  },

  'dossier.received': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã được tiếp nhận',
      body: `Kính gửi Ông/Bà,

Hồ sơ của Ông/Bà đã được tiếp nhận và đang được giải quyết.

Mã hồ sơ: {code}
Thủ tục: {procedure}
Ngày hẹn trả kết quả: {dueDate}

Ông/Bà vui lòng giữ mã hồ sơ để tra cứu. Cơ quan sẽ báo cho Ông/Bà khi có kết quả.
Ông/Bà có thể xem tình trạng hồ sơ tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} đã được tiếp nhận. Ngày hẹn trả kết quả: {dueDate}. Xem tại: {link}',
    },
    en: {
      subject: 'Application {code} has been accepted',
      body: `Dear Sir or Madam,

Your application has been accepted and is being processed.

Application code: {code}
Procedure: {procedure}
Result expected on: {dueDate}

Please keep your application code. We will tell you when the result is ready.
You can follow your application at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Application {code} has been accepted. Result expected on {dueDate}. Details: {link}',
    },
  },

  'dossier.supplement_requested': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} cần bổ sung giấy tờ',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) cần bổ sung hoặc sửa lại giấy tờ như sau:

{reason}

Ông/Bà vui lòng bổ sung trực tuyến tại: {link}
hoặc mang giấy tờ đến {unit}.

Trong thời gian chờ Ông/Bà bổ sung, thời hạn giải quyết hồ sơ được tạm dừng.
Nếu cần hướng dẫn thêm, Ông/Bà vui lòng liên hệ {unit}.

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} cần bổ sung giấy tờ. Ông/Bà vui lòng xem hướng dẫn tại: {link}',
    },
    en: {
      subject: 'Application {code}: more documents are needed',
      body: `Dear Sir or Madam,

Your application {code} ({procedure}) needs the following documents to be added or corrected:

{reason}

Please add them online at: {link}
or bring them to {unit}.

While we wait for your documents, the processing time is paused.
If you need help, please contact {unit}.

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Application {code} needs more documents. Please see the instructions at: {link}',
    },
  },

  'dossier.supplement_provided': {
    version: 1,
    vi: {
      subject: 'Đã nhận giấy tờ bổ sung cho hồ sơ {code}',
      body: `Kính gửi Ông/Bà,

Cơ quan đã nhận giấy tờ bổ sung của Ông/Bà cho hồ sơ {code} ({procedure}).
Hồ sơ tiếp tục được giải quyết. Cơ quan sẽ báo cho Ông/Bà khi có kết quả.

Ông/Bà có thể xem tình trạng hồ sơ tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Đã nhận giấy tờ bổ sung cho hồ sơ {code}. Hồ sơ tiếp tục được giải quyết.',
    },
    en: {
      subject: 'Additional documents received for application {code}',
      body: `Dear Sir or Madam,

We have received your additional documents for application {code} ({procedure}).
Processing continues. We will tell you when the result is ready.

You can follow your application at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Additional documents received for application {code}. Processing continues.',
    },
  },

  'dossier.refused': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} không được giải quyết',
      body: `Kính gửi Ông/Bà,

Rất tiếc, hồ sơ {code} ({procedure}) của Ông/Bà không được giải quyết vì lý do sau:

{reason}

Nếu có điều gì chưa rõ, Ông/Bà vui lòng liên hệ {unit}.
Ông/Bà có thể xem chi tiết tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Rất tiếc, hồ sơ {code} không được giải quyết. Lý do và hướng dẫn xem tại: {link}',
    },
    en: {
      subject: 'Application {code} has been refused',
      body: `Dear Sir or Madam,

We are sorry: your application {code} ({procedure}) has been refused for the following reason:

{reason}

If anything is unclear, please contact {unit}.
You can see the details at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'We are sorry: application {code} has been refused. Reason and advice: {link}',
    },
  },

  'dossier.payment_required': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code}: mời Ông/Bà nộp phí, lệ phí',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) cần nộp phí, lệ phí.

Số tiền: {amount}

Ông/Bà có thể thanh toán trực tuyến tại: {link}
hoặc nộp trực tiếp tại {unit}.

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} cần nộp phí, lệ phí {amount}. Thanh toán tại: {link}',
    },
    en: {
      subject: 'Application {code}: a fee is due',
      body: `Dear Sir or Madam,

A fee is due for application {code} ({procedure}).

Amount: {amount}

You can pay online at: {link}
or pay in person at {unit}.

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'A fee of {amount} is due for application {code}. Pay at: {link}',
    },
  },

  'dossier.paid': {
    version: 1,
    vi: {
      subject: 'Đã nhận tiền phí, lệ phí cho hồ sơ {code}',
      body: `Kính gửi Ông/Bà,

Cơ quan đã nhận số tiền {amount} cho hồ sơ {code} ({procedure}).
Xin cảm ơn Ông/Bà.

Ông/Bà có thể xem và tải biên lai tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Đã nhận {amount} cho hồ sơ {code}. Xin cảm ơn Ông/Bà.',
    },
    en: {
      subject: 'Payment received for application {code}',
      body: `Dear Sir or Madam,

We have received {amount} for application {code} ({procedure}).
Thank you.

You can view and download the receipt at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'We have received {amount} for application {code}. Thank you.',
    },
  },

  'dossier.result_ready': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã có kết quả',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) đã có kết quả.

Ông/Bà có thể xem kết quả tại: {link}
Nếu nhận kết quả bản giấy, Ông/Bà vui lòng mang theo giấy tờ tùy thân đến {unit}.

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} đã có kết quả. Xem tại: {link}',
    },
    en: {
      subject: 'The result of application {code} is ready',
      body: `Dear Sir or Madam,

The result of your application {code} ({procedure}) is ready.

You can see it at: {link}
To collect a paper copy, please bring your identity document to {unit}.

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'The result of application {code} is ready. Details: {link}',
    },
  },

  'dossier.delayed': {
    version: 1,
    vi: {
      subject: 'Xin lỗi Ông/Bà: hồ sơ {code} chưa có kết quả đúng hẹn',
      body: `Kính gửi Ông/Bà,

{unit} thành thật xin lỗi Ông/Bà vì hồ sơ {code} ({procedure}) chưa giải quyết xong đúng hẹn.

Lý do: {reason}
Ngày hẹn trả kết quả mới: {dueDate}

Mong Ông/Bà thông cảm. Ông/Bà có thể xem tình trạng hồ sơ tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Xin lỗi Ông/Bà, hồ sơ {code} chưa có kết quả đúng hẹn. Ngày hẹn mới: {dueDate}. Xem tại: {link}',
    },
    en: {
      subject: 'We apologise: application {code} is delayed',
      body: `Dear Sir or Madam,

{unit} sincerely apologises: your application {code} ({procedure}) could not be completed on time.

Reason: {reason}
New expected date: {dueDate}

Thank you for your patience. You can follow your application at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'We apologise: application {code} is delayed. New expected date: {dueDate}. Details: {link}',
    },
  },

  'dossier.claimed': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã được thêm vào tài khoản của Ông/Bà',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) nộp tại {unit} đã được thêm vào tài khoản của Ông/Bà.
Từ nay Ông/Bà có thể theo dõi hồ sơ này trực tuyến tại: {link}

Nếu không phải Ông/Bà thực hiện việc này, xin Ông/Bà báo ngay cho {unit}.

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} đã được thêm vào tài khoản của Ông/Bà. Nếu không phải Ông/Bà làm, xin báo ngay cho cơ quan.',
    },
    en: {
      subject: 'Application {code} has been added to your account',
      body: `Dear Sir or Madam,

Application {code} ({procedure}), filed at {unit}, has been added to your account.
You can now follow it online at: {link}

If you did not do this, please tell {unit} at once.

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Application {code} has been added to your account. If this was not you, please tell the office at once.',
    },
  },

  'dossier.withdrawn': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã được rút theo yêu cầu',
      body: `Kính gửi Ông/Bà,

Theo yêu cầu của Ông/Bà, hồ sơ {code} ({procedure}) đã được rút và sẽ không được giải quyết tiếp.

Nếu Ông/Bà không yêu cầu rút hồ sơ, xin Ông/Bà báo ngay cho {unit}.
Ông/Bà có thể xem chi tiết tại: {link}

Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Hồ sơ {code} đã được rút theo yêu cầu của Ông/Bà. Nếu không phải Ông/Bà yêu cầu, xin báo ngay cho cơ quan.',
    },
    en: {
      subject: 'Application {code} has been withdrawn',
      body: `Dear Sir or Madam,

As you asked, application {code} ({procedure}) has been withdrawn and will not be processed further.

If you did not ask for this, please tell {unit} at once.
You can see the details at: {link}

Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`,
      sms: 'Application {code} has been withdrawn as you asked. If this was not you, please tell the office at once.',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

export type TemplateKey = keyof typeof TEMPLATES;

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type LocalePlaceholders<K extends TemplateKey, L extends Locale> = Placeholders<
  (typeof TEMPLATES)[K][L]['subject'] | (typeof TEMPLATES)[K][L]['body'] | (typeof TEMPLATES)[K][L]['sms']
>;

/** The parameters a template needs, for callers who want the check at compile time. */
export type TemplateParams<K extends TemplateKey> = Record<LocalePlaceholders<K, 'vi'> | LocalePlaceholders<K, 'en'>, string>;

// Compile-time check: both languages of a template use the same placeholders.
type Mismatched = {
  [K in TemplateKey]: [LocalePlaceholders<K, 'vi'>] extends [LocalePlaceholders<K, 'en'>]
    ? [LocalePlaceholders<K, 'en'>] extends [LocalePlaceholders<K, 'vi'>]
      ? never
      : K
    : K;
}[TemplateKey];
const _samePlaceholders: [Mismatched] extends [never] ? true : Mismatched = true;
void _samePlaceholders;

export interface RenderedMessage {
  subject: string;
  body: string;
  sms: string;
  version: number;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.hasOwn(TEMPLATES, key);
}

/**
 * Fills a template. A placeholder without a value throws (a programming error, caught by the
 * caller's tests, never a message with "{code}" in it); extra parameters are ignored. Values are
 * inserted once (a "{x}" inside a value stays as typed) and the result is NFC-normalised so that
 * decomposed diacritics from pasted text count as one character each in an SMS.
 */
export function renderTemplate(key: TemplateKey, locale: Locale, params: Readonly<Record<string, string>>): RenderedMessage {
  if (!isTemplateKey(key)) throw new TemplateError(`unknown message template "${String(key)}"`);
  const template: TemplateDefinition = TEMPLATES[key];
  if (locale !== 'vi' && locale !== 'en') throw new TemplateError(`unknown locale "${String(locale)}" for template "${key}"`);
  const texts = template[locale];
  const fill = (text: string) =>
    text
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = Object.hasOwn(params, name) ? params[name] : undefined;
        if (typeof value !== 'string') throw new TemplateError(`template "${key}" (${locale}) needs the parameter {${name}}`);
        return value;
      })
      .normalize('NFC');
  return { subject: fill(texts.subject), body: fill(texts.body), sms: fill(texts.sms), version: template.version };
}
