import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { SYSTEM_CONTEXT } from '../../src/modules/audit/audit.js';
import { bearerFor, DEMO, type TestApp } from '../helpers/app.js';
import { residenceBody, uploadFile } from '../helpers/dossiers.js';
import { CELL_UNITS, CELLS, type Cell, type MatrixRole } from './expect.js';

export type Auth = Record<string, string>;

export interface Fixtures {
  auth: Record<MatrixRole, Auth>;
  citizenAccountId: number;
  /** One dossier of `citizen` received at each cell's unit, with a document and (where paid) a payment. */
  dossiers: Record<Cell, { id: number; docId: number; paymentId: number | null }>;
  /** Records of each kind whose scope is a unit, one per cell, keyed by the route param they fill. */
  records: Record<Cell, { feedback: string; faq: number; conference: number; question: number; commitment: number }>;
  /** A fresh record owned by `citizen` for an `account` route (one per request: some revoke it). */
  freshAccountRecord(url: string): Promise<number>;
  /** A fresh role assignment at the cell's unit (one per request: some remove it). */
  freshAssignment(cell: Cell): Promise<number>;
}

const HA_DONG = CELL_UNITS.own;

async function inject(app: FastifyInstance, method: 'POST' | 'PUT', url: string, headers: Auth, payload: object, status: number) {
  const res = await app.inject({ method, url, headers, payload });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res;
}

/**
 * Accounts for the eight roles (the demo ones at Hà Đông, plus a desk officer there and a second
 * citizen made through the API) and one dossier of the citizen in each of the four cells.
 */
export async function buildFixtures(t: TestApp): Promise<Fixtures> {
  const { app, db } = t;
  const admin = await bearerFor(app, DEMO.cityAdmin);
  await inject(
    app,
    'POST',
    `/api/v1/units/${HA_DONG}/staff`,
    admin,
    { email: 'desk.hadong@demo.motcua.vn', fullName: 'Lê Thị Một Cửa', password: 'mat-khau-dai-12', role: 'desk_officer' },
    201,
  );
  await inject(
    app,
    'POST',
    '/api/v1/auth/register',
    {},
    { kind: 'citizen', fullName: 'Trần Thị Bình', phone: '0987654321', password: 'mat-khau-dai-12' },
    201,
  );
  const auth: Record<MatrixRole, Auth> = {
    anonymous: {},
    citizen: await bearerFor(app, DEMO.citizen),
    otherCitizen: await bearerFor(app, '0987654321', 'mat-khau-dai-12'),
    desk: await bearerFor(app, 'desk.hadong@demo.motcua.vn', 'mat-khau-dai-12'),
    specialist: await bearerFor(app, DEMO.specialistHaDong),
    leader: await bearerFor(app, DEMO.leaderHaDong),
    unitAdmin: await bearerFor(app, DEMO.adminHaDong),
    cityAdmin: admin,
  };
  const me = await app.inject({ url: '/api/v1/me', headers: auth.citizen });
  const citizenAccountId = me.json().id as number;

  // Temporary residence is offered online at both wards, and a district may not offer it; so the
  // dossiers of the two districts are submitted at their ward and then moved up by SQL (unit and
  // any frozen workflow step), which is all that decides who reaches them.
  const unitRow = (code: string) => db.selectFrom('unit').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
  const WARD_OF: Record<Cell, Cell> = { own: 'child', child: 'child', sibling: 'otherDistrict', otherDistrict: 'otherDistrict' };
  const dossiers = {} as Fixtures['dossiers'];
  for (const cell of CELLS) {
    const up = await uploadFile(app, auth.citizen);
    assert.equal(up.statusCode, 201, up.body);
    const body = { ...residenceBody(up.json().sha256), unit: CELL_UNITS[WARD_OF[cell]] };
    const sub = await inject(app, 'POST', '/api/v1/dossiers', auth.citizen, body, 201);
    const id = sub.json().id as number;
    if (WARD_OF[cell] !== cell) {
      const [ward, unit] = [await unitRow(CELL_UNITS[WARD_OF[cell]]), await unitRow(CELL_UNITS[cell])];
      const row = await db.selectFrom('dossier').select('workflow').where('id', '=', id).executeTakeFirstOrThrow();
      const workflow = row.workflow === null ? null : JSON.stringify(row.workflow).replaceAll(`"${ward.path}"`, `"${unit.path}"`);
      await db.updateTable('dossier').set({ unit_id: unit.id, workflow }).where('id', '=', id).execute();
      await db.updateTable('dossier').set({ step_unit_id: unit.id }).where('id', '=', id).where('step_unit_id', '=', ward.id).execute();
    }
    const doc = await db.selectFrom('dossier_document').select('id').where('dossier_id', '=', id).executeTakeFirstOrThrow();
    const pay = await db.selectFrom('payment').select('id').where('dossier_id', '=', id).executeTakeFirst();
    dossiers[cell] = { id, docId: doc.id, paymentId: pay?.id ?? null };
  }

  const records = {} as Fixtures['records'];
  const DAY = 86_400_000;
  for (const cell of CELLS) {
    const unit = CELL_UNITS[cell];
    const feedback = await inject(
      app,
      'POST',
      '/api/v1/feedback',
      {},
      {
        kind: 'question',
        title: 'Hỏi về tạm trú',
        content: 'Đăng ký tạm trú cần giấy tờ gì?',
        name: 'Nguyễn Văn An',
        phone: '0912345678',
        unit,
      },
      201,
    );
    const faq = await inject(
      app,
      'POST',
      '/api/v1/work/faq',
      admin,
      { unit, questionVi: 'Đăng ký tạm trú mất bao lâu?', answerVi: 'Ba ngày làm việc.', procedureCodes: ['1.004194'] },
      201,
    );
    const conference = await inject(
      app,
      'POST',
      '/api/v1/conferences',
      admin,
      {
        unit,
        topic: 'Đối thoại về thủ tục cư trú',
        description: 'Lãnh đạo trả lời câu hỏi của người dân.',
        startsAt: new Date(Date.now() + 7 * DAY).toISOString(),
        place: 'Hội trường UBND',
        chair: 'Nguyễn Văn Hùng',
        leaders: [{ name: 'Trần Thị Lan', title: 'Phó Chủ tịch' }],
        registrationClosesAt: new Date(Date.now() + 6 * DAY).toISOString(),
      },
      201,
    );
    const cid = conference.json().id as number;
    // Room questions and commitments come once the meeting is held: its time is moved into the past.
    await db
      .updateTable('conference')
      .set({ starts_at: new Date(Date.now() - 2 * 3600_000), registration_closes_at: new Date(Date.now() - DAY) })
      .where('id', '=', cid)
      .execute();
    await inject(app, 'POST', `/api/v1/conferences/${cid}/held`, admin, {}, 204);
    const question = await inject(
      app,
      'POST',
      `/api/v1/conferences/${cid}/room-questions`,
      admin,
      { askerName: 'Trịnh Văn Sơn', text: 'Đăng ký tạm trú trực tuyến thế nào?', answer: 'Qua cổng dịch vụ công.' },
      201,
    );
    const qid = question.json().id as number;
    const commitment = await inject(
      app,
      'POST',
      `/api/v1/conferences/${cid}/questions/${qid}/commitments`,
      admin,
      { what: 'Niêm yết quy trình tạm trú', responsible: 'Văn phòng UBND', dueDate: '2099-12-31' },
      201,
    );
    records[cell] = {
      feedback: feedback.json().code,
      faq: faq.json().id,
      conference: cid,
      question: qid,
      commitment: commitment.json().id,
    };
    // A "not satisfied" rating of the cell's dossier opens a follow-up, addressed by the dossier id.
    const d = await db
      .selectFrom('dossier')
      .select(['unit_id', 'procedure_id'])
      .where('id', '=', dossiers[cell].id)
      .executeTakeFirstOrThrow();
    const now = new Date();
    await db
      .insertInto('dossier_rating')
      .values({
        dossier_id: dossiers[cell].id,
        unit_id: d.unit_id,
        procedure_id: d.procedure_id,
        overall: 'not_satisfied',
        criteria: '{}',
        comment: null,
        officer_id: null,
        rated_at: now,
        updated_at: now,
        follow_up_state: 'open',
        follow_up_note: null,
        follow_up_by: null,
        follow_up_at: null,
      })
      .execute();
  }
  const spare = await db.selectFrom('account').select('id').where('email', '=', DEMO.deskDichVong).executeTakeFirstOrThrow();
  return {
    async freshAssignment(cell) {
      const unit = await unitRow(CELL_UNITS[cell]);
      await db
        .deleteFrom('role_assignment')
        .where('account_id', '=', spare.id)
        .where('unit_id', '=', unit.id)
        .where('role', '=', 'specialist')
        .execute();
      const row = await db
        .insertInto('role_assignment')
        .values({ account_id: spare.id, role: 'specialist', unit_id: unit.id, created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    auth,
    records,
    citizenAccountId,
    dossiers,
    async freshAccountRecord(url) {
      if (url.includes('token')) return (await app.services.auth.createApiToken(citizenAccountId, 'authz', SYSTEM_CONTEXT)).id;
      const row = await db
        .insertInto('notification')
        .values({
          account_id: citizenAccountId,
          dossier_id: null,
          template: 'authz',
          template_version: 1,
          locale: 'vi',
          subject: 's',
          body: 'b',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };
}
