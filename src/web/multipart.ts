import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { UploadedFile } from '../modules/dossiers/dossier.service.js';

export interface MultipartForm {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

function checkCsrf(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<void> {
  // @fastify/csrf-protection reads the token from the body: give it the one field it needs.
  req.body = { _csrf: token ?? '' };
  return new Promise((resolve, reject) => app.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve())));
}

/**
 * Reads a multipart form with at most one file. Fields must come before the file (browsers send
 * them in page order), so the CSRF token is checked before a single byte of the file is read.
 */
export async function readMultipart(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, csrf: boolean): Promise<MultipartForm> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type');
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  let checked = !csrf;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (!checked) {
        await checkCsrf(app, req, reply, fields._csrf);
        checked = true;
      }
      if (file) throw new AppError('validation_failed');
      const bytes = await part.toBuffer();
      file = { bytes, fileName: part.filename ?? '', mimeType: part.mimetype };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('file_too_large', { maxMb: Math.round((app.config.uploadMaxBytes / 1048576) * 10) / 10 });
    if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') throw e;
    // A truncated or malformed body, too many parts or fields: the client's fault, not ours.
    throw new AppError('validation_failed');
  }
  if (!checked) await checkCsrf(app, req, reply, fields._csrf);
  return { fields, file };
}

/** A document upload: the `item` field (which required document, -1 for others) and one file. */
export async function readItemUpload(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  csrf: boolean,
): Promise<{ item: number; file: UploadedFile }> {
  const { fields, file } = await readMultipart(app, req, reply, csrf);
  const item = Number(fields.item ?? 'x');
  if (!Number.isInteger(item)) throw new AppError('unknown_document_item');
  if (!file || file.bytes.length === 0) throw new AppError('file_empty');
  return { item, file };
}
