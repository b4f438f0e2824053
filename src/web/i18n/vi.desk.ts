// Messages of the one-stop desk pages; spread into vi.ts.
export const viDesk = {
  'desk.title': 'Bộ phận một cửa',
};
