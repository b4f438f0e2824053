export const viOps = {
  'err.database_unavailable': 'Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.',
};
