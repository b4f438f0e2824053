// The one-time code that lets a contest participant continue on another device
// (contest.recovery.ts). Same wording rules as templates.ts; the SMS is the message that matters,
// so it is short and leads with the code (phones show it in the notification), and names the
// portal's host, the one place the code may be typed.
import type { TemplateDefinition } from './templates.js';

export const CONTEST_TEMPLATES = {
  'contest.recovery_code': {
    version: 2,
    vi: {
      subject: 'Mã xác nhận cuộc thi: {code}',
      body: `Kính gửi Ông/Bà,

Mã xác nhận để tiếp tục dự thi "{contest}" trên thiết bị mới là: {code}
Chỉ nhập mã trên trang {site}. Mã dùng được trong {minutes} phút và chỉ dùng một lần.

Nếu Ông/Bà không yêu cầu mã này, xin bỏ qua tin này. Không đưa mã cho bất kỳ ai.

Đây là thư tự động. Ông/Bà không cần trả lời thư này.`,
      sms: 'Mã xác nhận dự thi: {code}. Chỉ nhập trên {site}, trong {minutes} phút. Không đưa mã này cho ai.',
    },
    en: {
      subject: 'Contest confirmation code: {code}',
      body: `Dear Sir or Madam,

The code to continue the contest "{contest}" on a new device is: {code}
Enter it only on {site}. It works for {minutes} minutes and only once.

If you did not ask for this code, please ignore this message. Never give the code to anyone.

This is an automatic message. Please do not reply to it.`,
      sms: 'Contest confirmation code: {code}. Enter it only on {site}, within {minutes} minutes. Never give it to anyone.',
    },
  },
} as const satisfies Record<string, TemplateDefinition>;
