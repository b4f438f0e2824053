import assert from 'node:assert/strict';
import type { TestApp } from './app.js';
import { act, receivedDossier, type tokens } from './processing.js';

/** A dossier received at Quang Trung, processed up to the district leader, result downloaded (status 10). */
export async function returnedDossier(t: TestApp, tok: Awaited<ReturnType<typeof tokens>>) {
  const { id, code } = await receivedDossier(t, tok);
  await act(t.app, id, tok.specialistQuangTrung, { action: 'pass', note: 'ok' });
  await act(t.app, id, tok.leaderQuangTrung, { action: 'pass', decision: 'approve' });
  await act(t.app, id, tok.specialistHaDong, { action: 'pass', decision: 'approve', reason: 'ok' });
  const r = await act(t.app, id, tok.leaderHaDong, { action: 'approve', decision: 'Đồng ý' });
  assert.equal(r.statusCode, 200, r.body);
  const pdf = await t.app.inject({ url: `/api/v1/dossiers/${id}/result`, headers: tok.citizen });
  assert.equal(pdf.statusCode, 200);
  return { id, code };
}
