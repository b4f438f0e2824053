import type { viContestSchool } from './vi.contest-school.js';

// Contest registration with a school and the per-school leaderboard (docs/contest.md).
export const enContestSchool: Record<keyof typeof viContestSchool, string> = {
  'err.contest_unit_or_school': 'Please choose either your ward, commune or department, or your school, not both.',
  'err.contest_school_invalid': 'Please choose a school from the list.',
  'contestSchool.register.unitHint':
    'Choose where you live or work. Wards and communes are listed by district. If you choose a school below, you do not need this field.',
  'contestSchool.register.unitFlag': 'required unless you choose a school',
  'contestSchool.register.school': 'School (for pupils and teachers)',
  'contestSchool.register.schoolHint':
    "Pupils and teachers choose their school. With a school, you count for the school's ward or commune and the field above is not used.",
  'contestSchool.register.schoolChoose': '– No school –',
  'contestSchool.board.schoolLead': 'Entries and average score per school (participants who registered with their school).',
  'contestSchool.board.col.school': 'School',
  'contestSchool.board.showSchools': 'Show by school',
};
