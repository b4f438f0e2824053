// Contest registration with a school and the per-school leaderboard (docs/contest.md).
export const viContestSchool = {
  'err.contest_unit_or_school': 'Xin chọn một trong hai: phường, xã (hoặc sở, ngành) hoặc trường học, không chọn cả hai.',
  'err.contest_school_invalid': 'Xin chọn trường học trong danh sách.',
  'contestSchool.register.unitHint':
    'Chọn nơi Ông/Bà sinh sống hoặc làm việc. Các phường, xã được xếp theo quận, huyện. Nếu Ông/Bà chọn trường học ở ô dưới, không cần chọn ô này.',
  'contestSchool.register.unitFlag': 'bắt buộc nếu không chọn trường',
  'contestSchool.register.school': 'Trường học (nếu là học sinh, giáo viên)',
  'contestSchool.register.schoolHint':
    'Học sinh, giáo viên chọn trường của mình. Khi đã chọn trường, Ông/Bà được tính cho phường, xã của trường và ô phường, xã ở trên không được dùng.',
  'contestSchool.register.schoolChoose': '– Không chọn trường –',
  'contestSchool.board.schoolLead': 'Số bài thi và điểm trung bình theo trường học (người dự thi đăng ký với trường của mình).',
  'contestSchool.board.col.school': 'Trường học',
  'contestSchool.board.showSchools': 'Xem theo trường học',
} as const;
