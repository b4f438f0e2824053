// Messages to people who registered for a dialogue conference or sent it a question. Same wording
// rules as templates.ts; {topic}, {when} (e.g. 08:00 05/12/2026) and {place} describe the meeting.
import type { TemplateDefinition } from './templates.js';
import { SIGN_EN, SIGN_VI } from './templates.processing.js';

export const CONFERENCE_TEMPLATES = {
  'conference.registered': {
    version: 1,
    vi: {
      subject: 'Ông/Bà đã đăng ký dự hội nghị đối thoại',
      body: `Kính gửi Ông/Bà,

Ông/Bà đã đăng ký dự hội nghị đối thoại.

Chủ đề: {topic}
Thời gian: {when}
Địa điểm: {place}

Ông/Bà có thể xem chương trình và gửi câu hỏi tại: {link}

${SIGN_VI}`,
      sms: 'Ông/Bà đã đăng ký dự hội nghị đối thoại lúc {when}. Xem tại: {link}',
    },
    en: {
      subject: 'You are registered for the dialogue conference',
      body: `Dear Sir or Madam,

You are registered for the dialogue conference.

Topic: {topic}
Time: {when}
Place: {place}

You can see the agenda and send questions at: {link}

${SIGN_EN}`,
      sms: 'You are registered for the dialogue conference at {when}. Details: {link}',
    },
  },

  'conference.minutes_published': {
    version: 1,
    vi: {
      subject: 'Đã có biên bản hội nghị đối thoại',
      body: `Kính gửi Ông/Bà,

Biên bản hội nghị đối thoại đã được công bố, gồm câu trả lời cho từng câu hỏi và các việc cơ quan cam kết thực hiện.

Chủ đề: {topic}
Thời gian: {when}
Địa điểm: {place}

Ông/Bà xem biên bản tại: {link}

${SIGN_VI}`,
      sms: 'Đã có biên bản hội nghị đối thoại ngày {when}, gồm câu trả lời và việc cơ quan cam kết. Xem tại: {link}',
    },
    en: {
      subject: 'The minutes of the dialogue conference are published',
      body: `Dear Sir or Madam,

The minutes of the dialogue conference are published, with the answer to each question and what the office committed to do.

Topic: {topic}
Time: {when}
Place: {place}

Read the minutes at: {link}

${SIGN_EN}`,
      sms: 'The minutes of the dialogue conference of {when} are published, with answers and commitments: {link}',
    },
  },

  'conference.cancelled': {
    version: 1,
    vi: {
      subject: 'Hội nghị đối thoại đã bị hủy',
      body: `Kính gửi Ông/Bà,

Rất tiếc, hội nghị đối thoại Ông/Bà đã đăng ký sẽ không diễn ra.

Chủ đề: {topic}
Thời gian dự kiến: {when}
Địa điểm: {place}
Lý do: {reason}

Ông/Bà xem thông tin tại: {link}

${SIGN_VI}`,
      sms: 'Hội nghị đối thoại lúc {when} đã bị hủy. Xem lý do tại: {link}',
    },
    en: {
      subject: 'The dialogue conference is cancelled',
      body: `Dear Sir or Madam,

We are sorry: the dialogue conference you registered for will not take place.

Topic: {topic}
Planned time: {when}
Place: {place}
Reason: {reason}

More information: {link}

${SIGN_EN}`,
      sms: 'The dialogue conference at {when} is cancelled. Reason at: {link}',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;
