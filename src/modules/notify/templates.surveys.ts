// The invitation to a satisfaction survey (docs/surveys.md). Same wording rules as templates.ts;
// {link} holds the person's secret token, so the text never asks them to forward it.
import type { TemplateDefinition } from './templates.js';

export const SURVEY_TEMPLATES = {
  'survey.invite': {
    version: 1,
    vi: {
      subject: 'Mời Ông/Bà cho ý kiến về việc làm thủ tục hành chính',
      body: `Kính gửi Ông/Bà,

Trong 12 tháng qua, Ông/Bà đã làm thủ tục "{procedure}" tại {unit}.
Thành phố mời Ông/Bà cho biết mức độ hài lòng để các cơ quan phục vụ người dân tốt hơn.

Phiếu không ghi tên, mất khoảng 5 phút. Ông/Bà không cần đăng nhập.
Mở phiếu tại: {link}
Ông/Bà có thể trả lời đến hết ngày {dueDate}.

Đường dẫn này chỉ dành cho Ông/Bà, xin đừng chuyển cho người khác.

Trân trọng.

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Mời Ông/Bà cho ý kiến về dịch vụ hành chính (5 phút, không ghi tên), trước {dueDate}: {link}',
    },
    en: {
      subject: 'Please tell us about your experience with an administrative service',
      body: `Dear Sir or Madam,

In the last 12 months you used the procedure "{procedure}" at {unit}.
The city invites you to say how satisfied you were, so that offices can serve people better.

The form is anonymous and takes about 5 minutes. No login is needed.
Open it at: {link}
You can answer until the end of {dueDate}.

This link is for you only; please do not pass it on.

Kind regards.

This is an automatic message. Please do not reply to it.`,
      sms: 'Please tell us about an administrative service (5 min, anonymous) by {dueDate}: {link}',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;
