/** API summaries that are longer than a line. */
export const withdrawalRoutesNote =
  'The applicant asks to withdraw the dossier (status 7); the receiving unit accepts (8, stopped) or declines (back to where it was)';
