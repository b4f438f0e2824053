import type { viResults } from './vi.results.js';

// Every key of vi.results.ts; spread into en.ts.
export const enResults: Record<keyof typeof viResults, string> = {
  'results.verify.title': 'Verify an electronic result document',
  'results.verify.lead':
    'Choose the PDF result of an administrative procedure that you received. The system tells you whether it really was issued by a government office through this system and is intact, not changed in any way.',
  'results.verify.qr': 'If the document has a QR code, you can also scan it to open the page of that very document.',
  'results.verify.file': 'PDF file to check',
  'results.verify.fileHint':
    'Use the file exactly as you received it, not a printed and scanned copy. The file is only checked, never kept.',
  'results.verify.button': 'Check the document',
  'results.verify.again': 'Check another document',
  'results.verify.api': 'Other software can check documents through the API: POST /api/v1/verify; public keys: /api/v1/verify/keys.',

  'results.outcome.title': 'Result of the check',
  'results.outcome.authentic': 'Authentic document',
  'results.outcome.authenticFile':
    'This file is a document issued through the system and has not been changed. The digital signature is valid.',
  'results.outcome.authenticRecord': 'This document was issued through the system. Its digital signature is valid.',
  'results.outcome.paper':
    'This result was issued on paper. Compare the paper copy, signed and stamped by the office, with the details below.',
  'results.outcome.notAuthentic': 'The document could not be confirmed',
  'results.outcome.advice': 'Do not rely on this document. If needed, contact the office that handled the dossier.',
  'results.reason.unknown_document':
    'No result document matches this file. It may have been changed (even by one character) or was not issued by the system.',
  'results.reason.bad_signature': 'The digital signature of the document is not valid: the stored record of it has been altered.',
  'results.reason.unknown_key': 'The document was signed with a key that is not among the system’s keys.',
  'results.reason.file_mismatch': 'The chosen file is not the document of this QR code, or it has been changed.',

  'results.field.code': 'Dossier code',
  'results.field.kind': 'Document',
  'results.field.medium': 'Form',
  'results.field.issuedAt': 'Issued at',
  'results.field.unit': 'Handling office',
  'results.field.procedure': 'Administrative procedure',
  'results.field.applicant': 'Applicant’s given name',
  'results.field.keyId': 'Signing key id',
  'results.field.sha256': 'SHA-256 hash of the file',
  'results.kind.approval': 'Result of an administrative procedure',
  'results.kind.rejection': 'Refusal of the request',
  'results.medium.electronic': 'Electronic document with a digital signature',
  'results.medium.paper': 'Paper',

  'results.token.title': 'Result document',
  'results.token.check': 'Check a file against this document',
  'results.token.checkHint': 'Choose the PDF file you received to find out whether it is this document, unchanged.',

  'err.result_not_found': 'No result document has this verification code.',
  'err.invalid_sha256': 'A SHA-256 hash is exactly 64 hexadecimal digits.',
  'err.file_required': 'Please choose the file to check.',
  'err.not_a_pdf': 'The chosen file is not a PDF file.',
};
