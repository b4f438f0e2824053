import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { bearerFor, DEMO, type TestApp } from './app.js';
import { maritalBody, residenceBody, uploadFile } from './dossiers.js';

export type Auth = Record<string, string>;

/** Bearer headers for every demo account, by DEMO key. */
export async function tokens(app: FastifyInstance): Promise<Record<keyof typeof DEMO, Auth>> {
  const out = {} as Record<keyof typeof DEMO, Auth>;
  for (const [k, v] of Object.entries(DEMO)) out[k as keyof typeof DEMO] = await bearerFor(app, v);
  return out;
}

/** Submits online and receives at the Quang Trung desk. `marital`: the inter-level demo workflow; otherwise the default one. */
export async function receivedDossier(t: TestApp, tok: Record<keyof typeof DEMO, Auth>, kind: 'marital' | 'residence' = 'marital') {
  const up = await uploadFile(t.app, tok.citizen);
  assert.equal(up.statusCode, 201, up.body);
  const body = kind === 'marital' ? maritalBody(up.json().sha256) : residenceBody(up.json().sha256);
  const sub = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: tok.citizen, payload: body });
  assert.equal(sub.statusCode, 201, sub.body);
  const id = sub.json().id as number;
  const rec = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, headers: tok.deskQuangTrung, payload: {} });
  assert.equal(rec.statusCode, 200, rec.body);
  return { id, code: sub.json().code as string };
}

export async function state(app: FastifyInstance, id: number, auth: Auth) {
  const res = await app.inject({ url: `/api/v1/dossiers/${id}`, headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { status: number; revision: number };
}

/** One processing action with the dossier's current revision (read as `reader`). */
export async function act(app: FastifyInstance, id: number, auth: Auth, body: Record<string, unknown>, reader: Auth = auth) {
  const { revision } = await state(app, id, reader);
  return app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions`, headers: auth, payload: { revision, ...body } });
}
