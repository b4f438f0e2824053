import type { FastifyInstance } from 'fastify';
import { UNITS } from './app.js';

/** Sends the tests' usual question about a fee to Quang Trung ward, from `name` at `phone`. */
export function askAboutFee(app: FastifyInstance, name: string, phone: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/feedback',
    headers,
    payload: { kind: 'question', title: 'Hỏi về lệ phí', content: 'Lệ phí là bao nhiêu?', name, phone, unit: UNITS.quangTrung },
  });
}
