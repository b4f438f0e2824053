// Messages of the webhook administration API; spread into vi.ts.
export const viWebhooks = {
  'err.webhook_not_found': 'Không tìm thấy đăng ký nhận thông báo (webhook).',
  'err.webhook_url_invalid': 'Địa chỉ nhận thông báo không hợp lệ: cần một địa chỉ http:// hoặc https:// đầy đủ, không có phần #.',
  'err.webhook_url_credentials': 'Không ghi tên đăng nhập hoặc mật khẩu trong địa chỉ; hệ thống nhận xác thực thông báo bằng chữ ký.',
  'err.webhook_url_insecure': 'Địa chỉ nhận thông báo phải dùng https://.',
  'err.webhook_disabled': 'Đăng ký nhận thông báo này đã bị tắt; hãy tạo đăng ký mới.',
} as const;
