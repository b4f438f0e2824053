// The messages about a dossier from its submission to a refusal (wording rules: templates.ts); the
// rest of its life is in templates.dossier-outcome.ts.
import type { TemplateDefinition } from './templates.js';

export const DOSSIER_TEMPLATES = {
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
} as const satisfies Record<string, TemplateDefinition>;
