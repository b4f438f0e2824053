// Messages about feedback and questions (phản ánh, kiến nghị): to the author, who may have no
// account (e-mail, SMS, and the inbox when logged in), and to the unit's leaders (inbox only).
// {link} is the author's follow page (code + secret key), which needs no login.
import type { TemplateDefinition } from './templates.js';
import { SIGN_EN, SIGN_VI } from './templates.processing.js';

export const FEEDBACK_TEMPLATES = {
  'feedback.received': {
    version: 1,
    vi: {
      subject: 'Đã nhận phản ánh, kiến nghị {code}',
      body: `Kính gửi Ông/Bà,

Chúng tôi đã nhận phản ánh, kiến nghị của Ông/Bà.

Mã số: {code}
Nơi giải quyết: {unit}
Hạn trả lời: {dueDate}

Ông/Bà theo dõi, bổ sung thông tin và xem câu trả lời tại đường dẫn dưới đây. Vui lòng giữ kín đường dẫn này:
{link}

${SIGN_VI}`,
      sms: 'Đã nhận phản ánh {code}. Hạn trả lời {dueDate}. Theo dõi tại: {link}',
    },
    en: {
      subject: 'Your feedback {code} has been received',
      body: `Dear Sir or Madam,

We have received your feedback.

Code: {code}
Handled by: {unit}
Answer due by: {dueDate}

You can follow it, add information and read the answer at the link below. Please keep this link private:
{link}

${SIGN_EN}`,
      sms: 'Feedback {code} received. Answer due {dueDate}. Follow it at: {link}',
    },
  },
  'feedback.info_requested': {
    version: 1,
    vi: {
      subject: 'Phản ánh {code}: cần Ông/Bà cho thêm thông tin',
      body: `Kính gửi Ông/Bà,

Để trả lời phản ánh, kiến nghị {code}, chúng tôi cần Ông/Bà cho biết thêm:
{reason}

Ông/Bà vui lòng trả lời tại: {link}

${SIGN_VI}`,
      sms: 'Phản ánh {code}: cần Ông/Bà cho thêm thông tin. Trả lời tại: {link}',
    },
    en: {
      subject: 'Feedback {code}: we need more information',
      body: `Dear Sir or Madam,

To answer your feedback {code}, we need to know more:
{reason}

Please reply at: {link}

${SIGN_EN}`,
      sms: 'Feedback {code}: we need more information. Reply at: {link}',
    },
  },
  'feedback.rejected': {
    version: 1,
    vi: {
      subject: 'Phản ánh {code} không được xem xét',
      body: `Kính gửi Ông/Bà,

Phản ánh, kiến nghị {code} không được xem xét.
Lý do: {reason}

Chi tiết tại: {link}

${SIGN_VI}`,
      sms: 'Phản ánh {code} không được xem xét. Xem lý do tại: {link}',
    },
    en: {
      subject: 'Feedback {code} cannot be considered',
      body: `Dear Sir or Madam,

Your feedback {code} cannot be considered.
Reason: {reason}

Details: {link}

${SIGN_EN}`,
      sms: 'Feedback {code} cannot be considered. See why at: {link}',
    },
  },
  'feedback.answered': {
    version: 1,
    vi: {
      subject: 'Phản ánh {code} đã có câu trả lời',
      body: `Kính gửi Ông/Bà,

Phản ánh, kiến nghị {code} đã có câu trả lời của {unit}.

Ông/Bà xem câu trả lời và cho biết Ông/Bà có hài lòng không tại: {link}

${SIGN_VI}`,
      sms: 'Phản ánh {code} đã có câu trả lời. Xem tại: {link}',
    },
    en: {
      subject: 'Feedback {code} has been answered',
      body: `Dear Sir or Madam,

{unit} has answered your feedback {code}.

Read the answer and tell us whether you are satisfied at: {link}

${SIGN_EN}`,
      sms: 'Feedback {code} has been answered. Read it at: {link}',
    },
  },
  'feedback.awaiting_approval': {
    version: 1,
    vi: {
      subject: 'Câu trả lời phản ánh {code} chờ lãnh đạo duyệt',
      body: 'Câu trả lời phản ánh, kiến nghị {code} của {unit} đang chờ lãnh đạo duyệt. Xem và duyệt tại: {link}',
      sms: 'Phản ánh {code}: câu trả lời chờ duyệt.',
    },
    en: {
      subject: 'The answer to feedback {code} awaits approval',
      body: 'The answer of {unit} to feedback {code} awaits a leader’s approval. Review and approve it at: {link}',
      sms: 'Feedback {code}: answer awaits approval.',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;
