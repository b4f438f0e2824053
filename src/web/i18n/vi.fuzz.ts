// Messages for refusals found by fuzzing every route (test/fuzz); spread into vi.ts.
export const viFuzz = {
  'err.malformed_url': 'Địa chỉ trang không hợp lệ.',
} as const;
