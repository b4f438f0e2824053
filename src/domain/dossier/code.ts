/** Dossier code `<agency code>-<yyMMdd>-<4-digit daily sequence>`, e.g. 000.00.12.H26-190614-0042. */
export const DOSSIER_CODE = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4})$/;
export const MAX_DAILY_SEQUENCE = 9999;

export function formatDossierCode(agencyCode: string, vnDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DAILY_SEQUENCE) throw new RangeError('sequence out of range');
  const [y, m, d] = vnDate.split('-');
  return `${agencyCode}-${y!.slice(2)}${m}${d}-${String(sequence).padStart(4, '0')}`;
}

export function isDossierCode(s: string): boolean {
  return DOSSIER_CODE.test(s);
}
