// Messages of result verification (public pages and API errors); spread into vi.ts.
export const viResults = {
  'results.verify.title': 'Kiểm tra văn bản kết quả điện tử',
  'results.verify.lead':
    'Chọn tệp PDF kết quả giải quyết thủ tục hành chính mà bạn nhận được. Hệ thống cho biết văn bản có đúng là do cơ quan nhà nước ban hành qua hệ thống này và còn nguyên vẹn, chưa bị sửa đổi hay không.',
  'results.verify.qr': 'Nếu văn bản có mã QR, bạn cũng có thể quét mã để mở trang thông tin của chính văn bản đó.',
  'results.verify.file': 'Tệp PDF cần kiểm tra',
  'results.verify.fileHint': 'Dùng đúng tệp đã nhận, không in ra rồi quét lại. Tệp chỉ được dùng để kiểm tra, không được lưu lại.',
  'results.verify.button': 'Kiểm tra văn bản',
  'results.verify.again': 'Kiểm tra văn bản khác',
  'results.verify.api': 'Phần mềm khác có thể kiểm tra qua API: POST /api/v1/verify; danh sách khóa công khai: /api/v1/verify/keys.',

  'results.outcome.title': 'Kết quả kiểm tra',
  'results.outcome.authentic': 'Văn bản xác thực',
  'results.outcome.authenticFile': 'Tệp này đúng là văn bản do hệ thống ban hành và chưa bị sửa đổi. Chữ ký số hợp lệ.',
  'results.outcome.authenticRecord': 'Văn bản này đã được ban hành qua hệ thống. Chữ ký số của văn bản hợp lệ.',
  'results.outcome.paper':
    'Kết quả này được trả bằng bản giấy. Hãy đối chiếu bản giấy có chữ ký và con dấu của cơ quan với các thông tin dưới đây.',
  'results.outcome.notAuthentic': 'Không xác thực được văn bản',
  'results.outcome.advice': 'Không sử dụng văn bản này. Nếu cần, hãy liên hệ cơ quan đã giải quyết hồ sơ.',
  'results.reason.unknown_document':
    'Không có văn bản kết quả nào trùng khớp với tệp này. Tệp có thể đã bị sửa đổi (dù chỉ một ký tự) hoặc không phải do hệ thống ban hành.',
  'results.reason.bad_signature': 'Chữ ký số của văn bản không hợp lệ: thông tin lưu về văn bản đã bị thay đổi.',
  'results.reason.unknown_key': 'Văn bản được ký bằng một khóa không có trong danh sách khóa của hệ thống.',
  'results.reason.file_mismatch': 'Tệp đã chọn không phải là văn bản của mã QR này, hoặc đã bị sửa đổi.',

  'results.field.code': 'Mã hồ sơ',
  'results.field.kind': 'Loại văn bản',
  'results.field.medium': 'Hình thức',
  'results.field.issuedAt': 'Thời điểm ban hành',
  'results.field.unit': 'Cơ quan giải quyết',
  'results.field.procedure': 'Thủ tục hành chính',
  'results.field.applicant': 'Tên người yêu cầu',
  'results.field.keyId': 'Mã khóa ký',
  'results.field.sha256': 'Mã băm SHA-256 của tệp',
  'results.kind.approval': 'Kết quả giải quyết thủ tục hành chính',
  'results.kind.rejection': 'Văn bản từ chối giải quyết hồ sơ',
  'results.medium.electronic': 'Văn bản điện tử có chữ ký số',
  'results.medium.paper': 'Bản giấy',

  'results.token.title': 'Thông tin văn bản kết quả',
  'results.token.check': 'Kiểm tra một tệp với văn bản này',
  'results.token.checkHint': 'Chọn tệp PDF bạn nhận được để biết đó có đúng là văn bản này và chưa bị sửa đổi hay không.',

  'err.result_not_found': 'Không tìm thấy văn bản kết quả nào với mã kiểm tra này.',
  'err.invalid_sha256': 'Mã băm SHA-256 phải gồm đúng 64 chữ số hệ mười sáu.',
  'err.file_required': 'Vui lòng chọn tệp cần kiểm tra.',
  'err.not_a_pdf': 'Tệp đã chọn không phải là tệp PDF.',
} as const;
