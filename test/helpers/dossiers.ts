import type { FastifyInstance } from 'fastify';

/** A tiny but real PDF, JPEG and PNG: what the content sniffer accepts. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);

/** A multipart/form-data body as a browser or an API client sends it. */
export function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer; field?: string }) {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function uploadFile(
  app: FastifyInstance,
  auth: Record<string, string>,
  bytes = PDF,
  name = 'to-khai.pdf',
  type = 'application/pdf',
) {
  const m = multipart({}, { name, type, bytes });
  const res = await app.inject({ method: 'POST', url: '/api/v1/files', payload: m.payload, headers: { ...auth, ...m.headers } });
  return res;
}

/** A valid answer set for 1.004873 (marital status confirmation) at Quang Trung ward. */
export function maritalBody(sha256: string, extra: Record<string, unknown> = {}) {
  return {
    procedure: '1.004873',
    unit: '000.13.42.H26',
    applicant: { name: 'Nguyễn Văn An', phone: '0912345678' },
    form: {
      fullName: 'Nguyễn Văn An',
      birthDate: '1990-05-17',
      sex: 'male',
      citizenId: '001090012345',
      address: { ward: '000.13.42.H26', street: 'Số 5 ngõ 12 Quang Trung' },
      maritalStatus: 'single',
      purpose: 'Đăng ký kết hôn',
    },
    documents: [
      { item: 0, sha256, name: 'to-khai.pdf' },
      { item: 2, sha256, name: 'trich-luc.pdf' },
    ],
    submit: true,
    declaration: true,
    ...extra,
  };
}

/** A valid submission of 1.004194 (temporary residence), level 4 with a fee, at Quang Trung ward. */
export function residenceBody(sha256: string) {
  return {
    procedure: '1.004194',
    unit: '000.13.42.H26',
    applicant: { phone: '0912345678' },
    form: {
      fullName: 'Nguyễn Văn An',
      citizenId: '001090012345',
      birthDate: '1990-05-17',
      tempAddress: { ward: '000.13.42.H26', street: 'Số 1' },
      fromDate: '2026-12-01',
      months: 12,
    },
    documents: [{ item: 0, sha256, name: 'ct01.pdf' }],
    submit: true,
    declaration: true,
  };
}
