import type { FastifyReply } from 'fastify';
import { sniffMediaType } from '../lib/storage.js';

/**
 * The policy for a stored file: were a browser ever to render one, it would be a sandboxed,
 * scriptless document of a unique origin that can load nothing and be framed by no one.
 */
export const FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/** RFC 8187 ext-value: percent-encode everything outside attr-char (encodeURIComponent leaves '()*). */
function extValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment` with a plain-ASCII fallback name for old clients and the exact UTF-8 name. */
export function attachmentDisposition(name: string, fallback = 'document'): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\;]/g, '')
      .trim() || fallback;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extValue(name)}`;
}

/**
 * Sends a stored file (an upload, or a document we keep) as a download. The type is what the
 * bytes are, found again here rather than trusted from the row or the uploader; anything not
 * recognised goes out as application/octet-stream, so no file is ever served as HTML or SVG.
 */
export function sendStoredFile(reply: FastifyReply, bytes: Buffer, name: string): FastifyReply {
  return reply
    .type(sniffMediaType(bytes) ?? 'application/octet-stream')
    .header('content-disposition', attachmentDisposition(name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CSP)
    .header('cache-control', 'private, no-store')
    .send(bytes);
}
