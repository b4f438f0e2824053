// Personal data (Decree 13/2023): the citizen's copy of their data and its erasure; spread into vi.ts.
export const viPrivacy = {
  'err.erase_not_allowed': 'Tài khoản cán bộ do quản trị đơn vị vô hiệu hoá, không tự xoá được.',
  'privacy.title': 'Dữ liệu cá nhân của bạn',
  'privacy.download': 'Tải về toàn bộ dữ liệu của tôi (JSON)',
  'privacy.erase.title': 'Xoá tài khoản và dữ liệu cá nhân',
  'privacy.erase.lead':
    'Tài khoản, thông tin liên hệ, phiên đăng nhập, hộp thư và thông tin liên hệ trên phản ánh, hội nghị đối thoại, cuộc thi sẽ bị xoá. Hồ sơ thủ tục hành chính đã nộp và giấy tờ kèm theo được giữ lại theo quy định về lưu trữ hồ sơ.',
  'privacy.erase.password': 'Nhập mật khẩu để xác nhận',
  'privacy.erase.submit': 'Xoá vĩnh viễn tài khoản của tôi',
};
