// Messages about processing after reception: to applicants (stopped, withdrawal declined) and to
// officials (deadline warnings and escalations, inbox only). Same wording rules as templates.ts.
import type { TemplateDefinition } from './templates.js';

/** The signature of messages sent on a unit's behalf (shared by the template files). */
export const SIGN_VI = `Trân trọng,
{unit}

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`;
export const SIGN_EN = `Kind regards,
{unit}

This is an automatic message. Please do not reply to it.`;

export const PROCESSING_TEMPLATES = {
  'dossier.stopped': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã dừng xử lý',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) đã dừng xử lý.
Lý do: {reason}

Nếu cần hỏi thêm, Ông/Bà vui lòng liên hệ {unit}. Chi tiết tại: {link}

${SIGN_VI}`,
      sms: 'Hồ sơ {code} đã dừng xử lý. Xem lý do tại: {link}',
    },
    en: {
      subject: 'Application {code} has been stopped',
      body: `Dear Sir or Madam,

Processing of application {code} ({procedure}) has been stopped.
Reason: {reason}

If you have questions, please contact {unit}. Details: {link}

${SIGN_EN}`,
      sms: 'Application {code} has been stopped. See why at: {link}',
    },
  },
  'dossier.withdrawal_declined': {
    version: 1,
    vi: {
      subject: 'Yêu cầu rút hồ sơ {code} chưa được chấp nhận',
      body: `Kính gửi Ông/Bà,

Yêu cầu rút hồ sơ {code} ({procedure}) của Ông/Bà chưa được chấp nhận. Hồ sơ tiếp tục được xử lý.
Lý do: {reason}

Chi tiết tại: {link}

${SIGN_VI}`,
      sms: 'Yêu cầu rút hồ sơ {code} chưa được chấp nhận, hồ sơ tiếp tục được xử lý. Xem tại: {link}',
    },
    en: {
      subject: 'Your request to withdraw application {code} was declined',
      body: `Dear Sir or Madam,

Your request to withdraw application {code} ({procedure}) was declined. Processing continues.
Reason: {reason}

Details: {link}

${SIGN_EN}`,
      sms: 'Your request to withdraw application {code} was declined; processing continues. Details: {link}',
    },
  },
  'work.due_soon': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} sắp đến hạn ({dueDate})',
      body: 'Hồ sơ {code} ({procedure}) đang chờ đồng chí xử lý sẽ đến hạn trả kết quả lúc {dueDate}. Xem tại: {link}',
      sms: 'Hồ sơ {code} sắp đến hạn {dueDate}.',
    },
    en: {
      subject: 'Dossier {code} is due soon ({dueDate})',
      body: 'Dossier {code} ({procedure}), waiting for you, is due at {dueDate}. Open: {link}',
      sms: 'Dossier {code} is due at {dueDate}.',
    },
  },
  'work.overdue': {
    version: 1,
    vi: {
      subject: 'Hồ sơ {code} đã quá hạn',
      body: 'Hồ sơ {code} ({procedure}) đã quá hạn trả kết quả ({dueDate}) và đã được báo lãnh đạo đơn vị. Nếu chưa gửi, hãy lập văn bản xin lỗi và hẹn lại (Mẫu 04). Xem tại: {link}',
      sms: 'Hồ sơ {code} đã quá hạn {dueDate}.',
    },
    en: {
      subject: 'Dossier {code} is overdue',
      body: 'Dossier {code} ({procedure}) has passed its appointment ({dueDate}); the unit’s leaders have been told. If not yet done, issue an apology with a new appointment (form 04). Open: {link}',
      sms: 'Dossier {code} is overdue since {dueDate}.',
    },
  },
  'work.escalated': {
    version: 1,
    vi: {
      subject: 'Báo cáo lãnh đạo: hồ sơ {code} quá hạn',
      body: 'Hồ sơ {code} ({procedure}) tại {unit} đã quá hạn trả kết quả ({dueDate}). Người đang giữ hồ sơ: {holder}. Xem tại: {link}',
      sms: 'Hồ sơ {code} quá hạn {dueDate}.',
    },
    en: {
      subject: 'Escalation: dossier {code} is overdue',
      body: 'Dossier {code} ({procedure}) at {unit} has passed its appointment ({dueDate}). Held by: {holder}. Open: {link}',
      sms: 'Dossier {code} overdue since {dueDate}.',
    },
  },
  'dossier.rate_invite': {
    version: 1,
    vi: {
      subject: 'Mời Ông/Bà đánh giá việc giải quyết hồ sơ {code}',
      body: `Kính gửi Ông/Bà,

Hồ sơ {code} ({procedure}) đã được trả kết quả. Mời Ông/Bà dành khoảng 30 giây cho biết mức độ hài
lòng: mở {lookup}, nhập 4 số cuối số điện thoại hoặc số căn cước, rồi bấm "Đánh giá mức độ hài lòng".

${SIGN_VI}`,
      sms: 'Hồ sơ {code} đã trả kết quả. Mời đánh giá mức độ hài lòng tại: {lookup}',
    },
    en: {
      subject: 'Please tell us how application {code} was handled',
      body: `Dear Sir or Madam,

The result of your application {code} ({procedure}) has been returned. Please take about 30 seconds
to tell us how satisfied you are: open {lookup}, enter the last 4 digits of your phone or ID number,
then choose "Rate how satisfied you are".

${SIGN_EN}`,
      sms: 'Application {code} is complete. Please rate it at: {lookup}',
    },
  },
  'rating.not_satisfied': {
    version: 1,
    vi: {
      subject: 'Người dân chưa hài lòng với hồ sơ {code}',
      body: 'Người nộp hồ sơ {code} ({procedure}) tại {unit} đánh giá: chưa hài lòng. Ý kiến: {comment}. Xem và ghi nhận việc xử lý tại: {link}',
      sms: 'Hồ sơ {code}: người dân chưa hài lòng.',
    },
    en: {
      subject: 'An applicant is not satisfied with dossier {code}',
      body: 'The applicant of dossier {code} ({procedure}) at {unit} rated it: not satisfied. Comment: {comment}. See it and record the follow-up at: {link}',
      sms: 'Dossier {code}: applicant not satisfied.',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;
