// Taking part on another device with a code sent by SMS (contest.recovery.ts).
export const viContestRecovery = {
  'err.contest_recovery_unavailable':
    'Hệ thống chưa gửi được tin nhắn, nên chưa thể tiếp tục trên thiết bị khác. Xin dự thi trên thiết bị Ông/Bà đã dùng để đăng ký.',
  'err.contest_recovery_not_registered': 'Số điện thoại này chưa đăng ký cuộc thi này. Xin kiểm tra lại số, hoặc đăng ký mới.',
  'err.contest_recovery_wait': 'Mã vừa được gửi. Xin đợi {seconds} giây rồi hãy yêu cầu mã mới.',
  'err.contest_recovery_budget_spent':
    'Hôm nay hệ thống đã gửi hết số mã có thể gửi qua tin nhắn. Ông/Bà vui lòng tiếp tục trên thiết bị đã dùng khi đăng ký, hoặc thử lại vào ngày mai.',
  'err.contest_recovery_too_many': 'Đã gửi nhiều mã cho số điện thoại này trong 24 giờ qua. Xin thử lại sau.',
  'err.contest_recovery_code_format': 'Xin nhập mã gồm 6 chữ số trong tin nhắn.',
  'err.contest_recovery_code_invalid': 'Mã chưa đúng. Ông/Bà còn {left} lần thử với mã này.',
  'err.contest_recovery_code_expired': 'Mã này đã hết hạn hoặc đã được dùng. Xin bấm “Gửi mã mới” để nhận mã khác.',
  'err.contest_recovery_tries_used': 'Ông/Bà đã nhập sai mã 5 lần. Xin bấm “Gửi mã mới” để nhận mã khác.',
  'contestRecovery.link': 'Đã đăng ký trên điện thoại hoặc máy tính khác? Tiếp tục trên thiết bị này',
  'contestRecovery.title': 'Tiếp tục dự thi trên thiết bị này',
  'contestRecovery.lead':
    'Nếu Ông/Bà đã đăng ký trên điện thoại hoặc máy tính khác, xin nhập số điện thoại đã đăng ký. Hệ thống sẽ gửi một mã gồm 6 chữ số qua tin nhắn đến số đó.',
  'contestRecovery.send': 'Gửi mã cho tôi',
  'contestRecovery.sent': 'Hệ thống đã gửi mã đến số {phone}. Mã dùng được trong {minutes} phút.',
  'contestRecovery.code': 'Mã xác nhận',
  'contestRecovery.codeHint': '6 chữ số, trong tin nhắn vừa gửi đến điện thoại của Ông/Bà.',
  'contestRecovery.confirm': 'Xác nhận',
  'contestRecovery.resendLead': 'Chưa nhận được tin nhắn sau 1 phút? Ông/Bà có thể xin mã mới.',
  'contestRecovery.resend': 'Gửi mã mới',
  'contestRecovery.otherNumber': 'Nhập số điện thoại khác',
  'contestRecovery.keep': 'Thiết bị đã dùng để đăng ký vẫn dự thi được như trước.',
};
