import assert from 'node:assert/strict';
import type { ResultDocInput } from '../../src/modules/results/results.service.js';
import { bearerFor, DEMO, type TestApp } from './app.js';
import { maritalBody, uploadFile } from './dossiers.js';

/** A real submitted dossier (marital status at Quang Trung, applicant Nguyễn Văn An) and an official to issue its result. */
export async function dossierForResult(t: TestApp): Promise<{ id: number; code: string; issuedBy: number }> {
  const citizen = await bearerFor(t.app, DEMO.citizen);
  const up = await uploadFile(t.app, citizen);
  assert.equal(up.statusCode, 201, up.body);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen, payload: maritalBody(up.json().sha256) });
  assert.equal(res.statusCode, 201, res.body);
  const leader = await t.db.selectFrom('account').select('id').where('email', '=', DEMO.leaderHaDong).executeTakeFirstOrThrow();
  return { id: res.json().id, code: res.json().code, issuedBy: leader.id };
}

/** What the processing workflow hands to ResultService for an approval of that dossier. */
export function approvalInput(d: { id: number; code: string }, over: Partial<ResultDocInput> = {}): ResultDocInput {
  return {
    dossierId: d.id,
    code: d.code,
    locale: 'vi',
    procedure: { vi: 'Cấp Giấy xác nhận tình trạng hôn nhân', en: 'Certificate of marital status' },
    procedureCode: '1.004873',
    unit: { vi: 'UBND phường Quang Trung', en: 'Quang Trung Ward People’s Committee' },
    unitCode: '000.13.42.H26',
    applicantName: 'Nguyễn Văn An',
    kind: 'approval',
    text: 'Cấp Giấy xác nhận tình trạng hôn nhân cho ông Nguyễn Văn An, sinh ngày 17/05/1990: hiện chưa đăng ký kết hôn với ai.',
    legalBasis: null,
    signerName: 'Lê Thị Hoa',
    issuedAt: new Date('2026-12-01T03:00:00.000Z'),
    ...over,
  };
}
