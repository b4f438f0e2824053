// Labels and plain definitions of the statistics (docs/metrics.md is the reference); spread into vi.ts.
export const viStats = {
  'stats.fig.received.total': 'Tiếp nhận mới',
  'stats.fig.received.carriedOver': 'Kỳ trước chuyển sang',
  'stats.fig.received.inPerson': 'Trực tiếp',
  'stats.fig.received.online': 'Trực tuyến',
  'stats.fig.received.post': 'Bưu chính',
  'stats.fig.finished.total': 'Đã giải quyết',
  'stats.fig.finished.early': 'Trước hạn',
  'stats.fig.finished.onTime': 'Đúng hạn',
  'stats.fig.finished.late': 'Quá hạn',
  'stats.fig.finished.rejected': 'Có kết quả từ chối',
  'stats.fig.inProgress.total': 'Đang giải quyết',
  'stats.fig.inProgress.withinDeadline': 'Trong hạn',
  'stats.fig.inProgress.overdue': 'Quá hạn',
  'stats.fig.stopped': 'Rút/dừng',
  'stats.fig.stoppedBy.withdrawn': 'Rút hồ sơ',
  'stats.fig.stoppedBy.stopped': 'Dừng xử lý',
  'stats.fig.refusedAtReception': 'Từ chối tiếp nhận',
  'stats.fig.onTimeRate': 'Tỷ lệ đúng hạn (%)',
  'stats.fig.onlineShare': 'Tỷ lệ trực tuyến (%)',
  'stats.fig.averageTime': 'Thời gian giải quyết trung bình',

  'stats.def.received.total':
    'Số hồ sơ được tiếp nhận trong kỳ: nhận tại bộ phận một cửa, hoặc hồ sơ nộp trực tuyến được chấp nhận trong kỳ.',
  'stats.def.received.carriedOver': 'Hồ sơ tiếp nhận trước kỳ và chưa kết thúc khi kỳ bắt đầu.',
  'stats.def.received.inPerson': 'Hồ sơ tiếp nhận mới được nộp trực tiếp tại bộ phận một cửa.',
  'stats.def.received.online': 'Hồ sơ tiếp nhận mới được nộp trực tuyến.',
  'stats.def.received.post': 'Hồ sơ tiếp nhận mới được gửi qua dịch vụ bưu chính.',
  'stats.def.finished.total':
    'Hồ sơ kết thúc xử lý bằng một kết quả (quyết định chấp thuận hoặc từ chối) trong kỳ. Thời điểm kết thúc là lúc văn bản kết quả được ký.',
  'stats.def.finished.early': 'Hồ sơ đã giải quyết, kết thúc vào một ngày làm việc trước ngày hẹn trả.',
  'stats.def.finished.onTime': 'Hồ sơ đã giải quyết, kết thúc đúng vào ngày hẹn trả. Ngày nghỉ được tính như ngày làm việc kế tiếp.',
  'stats.def.finished.late': 'Hồ sơ đã giải quyết, kết thúc sau ngày hẹn trả.',
  'stats.def.finished.rejected': 'Trong số hồ sơ đã giải quyết, những hồ sơ có kết quả là quyết định từ chối.',
  'stats.def.inProgress.total':
    'Hồ sơ đã tiếp nhận đến hết kỳ và chưa kết thúc vào thời điểm đo (cuối kỳ, hoặc lúc hiện tại nếu kỳ chưa hết).',
  'stats.def.inProgress.withinDeadline': 'Hồ sơ đang giải quyết và chưa quá ngày hẹn trả.',
  'stats.def.inProgress.overdue':
    'Hồ sơ đang giải quyết có ngày hẹn trả trước thời điểm đo. Khi hồ sơ đang chờ bổ sung, thời gian giải quyết tạm dừng.',
  'stats.def.stopped': 'Hồ sơ đã tiếp nhận, kết thúc trong kỳ mà không có kết quả: người nộp rút hồ sơ hoặc cơ quan dừng xử lý.',
  'stats.def.stoppedBy.withdrawn': 'Người nộp xin rút hồ sơ và được chấp nhận.',
  'stats.def.stoppedBy.stopped': 'Cơ quan dừng xử lý hồ sơ.',
  'stats.def.refusedAtReception':
    'Hồ sơ bị bộ phận một cửa từ chối trong kỳ, trước khi được tiếp nhận. Các hồ sơ này không được tính là hồ sơ tiếp nhận.',
  'stats.def.onTimeRate':
    '(Trước hạn + Đúng hạn) ÷ Đã giải quyết × 100, làm tròn đến hai chữ số thập phân. Không có giá trị khi không có hồ sơ nào được giải quyết.',
  'stats.def.onlineShare':
    'Hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận mới × 100. Không có giá trị khi không có hồ sơ nào được tiếp nhận.',
  'stats.def.averageTime':
    'Với mỗi thủ tục: thời gian trung bình từ khi tiếp nhận đến khi kết thúc của các hồ sơ đã giải quyết trong kỳ, theo đơn vị thời hạn của thủ tục. Thời gian chờ được trừ ra.',

  'stats.group.received': 'Tiếp nhận',
  'stats.group.finished': 'Đã giải quyết',
  'stats.group.inProgress': 'Đang giải quyết',

  'stats.convention.pause': 'Tạm dừng tính thời gian khi chờ bổ sung, chờ nghĩa vụ tài chính (Quyết định 766/QĐ-TTg)',
  'stats.convention.restart': 'Tính lại thời hạn từ khi kết thúc lần chờ cuối cùng (Nghị định 61/2018/NĐ-CP)',

  'stats.unit.working_days': 'ngày làm việc',
  'stats.unit.hours': 'giờ làm việc',
  'stats.unit.days': 'ngày (kể cả ngày nghỉ)',
  'stats.unit.months': 'tháng',

  'stats.period.month': 'tháng {month}/{year}',
  'stats.period.quarter': 'quý {quarter}/{year}',
  'stats.period.half1': '6 tháng đầu năm {year}',
  'stats.period.half2': '6 tháng cuối năm {year}',
  'stats.period.nineMonths': '9 tháng năm {year}',
  'stats.period.year': 'năm {year}',
  'stats.period.calendar': '{period}, theo lịch dương',

  'stats.filter.procedure': 'thủ tục {code}',
  'stats.filter.field': 'lĩnh vực {code}',
  'stats.filter.channel': 'kênh nộp: {channel}',

  'stats.export.sheet': 'Báo cáo',
  'stats.export.title': 'Báo cáo tình hình giải quyết thủ tục hành chính',
  'stats.export.unit': 'Đơn vị',
  'stats.export.subtree': '{name} (gồm các đơn vị cấp dưới)',
  'stats.export.period': 'Kỳ báo cáo',
  'stats.export.convention': 'Cách tính hạn',
  'stats.export.filters': 'Lọc theo',
  'stats.export.measuredAt': 'Hồ sơ đang giải quyết tính đến',
  'stats.export.generated': 'Lập lúc {time}',
  'stats.export.figures': 'Số liệu chính',
  'stats.export.byUnit': 'Theo đơn vị',
  'stats.export.byProcedure': 'Theo thủ tục',
  'stats.export.page': 'Trang {page}',

  'stats.col.unit': 'Đơn vị',
  'stats.col.code': 'Mã',
  'stats.col.procedure': 'Thủ tục',
  'stats.col.total': 'Tổng',
  'stats.col.value': 'Số liệu',
  'stats.col.timeUnit': 'Đơn vị thời gian',
  'stats.noValue': '—',
} as const;
