// The messages about a dossier from the fee to the result, and about delays, claims and
// withdrawals (wording rules: templates.ts).
import type { TemplateDefinition } from './templates.js';

export const DOSSIER_OUTCOME_TEMPLATES = {
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
