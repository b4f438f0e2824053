import type { AuditContext } from '../modules/audit/audit.js';
import type { Actor, RoleGrant } from '../modules/auth/policy.js';
import type { Services } from '../services.js';

// Demo data for `npm start` (DEMO_DATA): one contest with a round open for 30 days from the first
// start, so a newcomer can take part at /contest and look around /admin/contest. The questions are
// the generator's drafts from the demo catalogue's own facts (time limit, fee, office, service
// level), approved by the demo city admin: nothing in them is invented here. Every step goes
// through the services, so it is audited like an admin's work. Never in test templates: only
// main.ts calls this.

const TITLE = {
  vi: 'Tìm hiểu dịch vụ công trực tuyến (dữ liệu mẫu)',
  en: 'Getting to know online public services (demo data)',
};
const FIELDS = ['justice', 'education', 'labour_social', 'civil_status'] as const;
/** Procedures drafted from per field: enough for a varied draw, few enough for a quick first start. */
const PER_FIELD = 4;
const DAY = 86_400_000;

export async function seedDemoContest(services: Services, now = new Date()): Promise<number> {
  const db = services.database.db;
  const done = await db.selectFrom('contest').select('id').where('title_vi', '=', TITLE.vi).executeTakeFirst();
  if (done) return 0;
  const admin = await db
    .selectFrom('account_identifier as i')
    .innerJoin('account as a', 'a.id', 'i.account_id')
    .innerJoin('role_assignment as r', 'r.account_id', 'a.id')
    .innerJoin('unit as u', 'u.id', 'r.unit_id')
    .select(['a.id', 'a.full_name', 'u.id as unit_id', 'u.code', 'u.path'])
    .where('i.identifier', '=', 'admin@demo.motcua.vn')
    .where('r.role', '=', 'city_admin')
    .executeTakeFirst();
  if (!admin) return 0;
  const grant: RoleGrant = { role: 'city_admin', unitId: admin.unit_id, unitCode: admin.code, unitPath: String(admin.path) };
  const actor: Actor = {
    accountId: admin.id,
    kind: 'official',
    fullName: admin.full_name,
    locale: 'vi',
    roles: [grant],
    via: 'token',
    sessionId: null,
  };
  const ctx: AuditContext = { actorId: admin.id, actorRole: 'city_admin', unitId: admin.unit_id, ip: null };

  const { contestAdmin, contestGenerator, contestBank } = services;
  const contest = await contestAdmin.createContest(actor, { title: TITLE }, ctx);
  const facts = await contestGenerator.catalogueFacts(now);
  const fieldNames = await db.selectFrom('field').select(['code', 'name_vi', 'name_en']).where('code', 'in', FIELDS).execute();
  let approved = 0;
  for (const f of fieldNames) {
    const pool = await contestAdmin.createPool(actor, contest.id, { fieldCode: f.code, name: { vi: f.name_vi, en: f.name_en } }, ctx);
    const codes = facts
      .filter((p) => p.fieldCode === f.code)
      .slice(0, PER_FIELD)
      .map((p) => p.code);
    if (codes.length === 0) continue;
    const { created } = await contestGenerator.generate(actor, pool.id, { procedureCodes: codes }, ctx);
    for (const id of created) {
      await contestBank.approve(actor, id, ctx);
      approved++;
    }
  }
  if (approved < 10) return approved;
  const round = await contestAdmin.createRound(
    actor,
    contest.id,
    { opensAt: now.toISOString(), closesAt: new Date(now.getTime() + 30 * DAY).toISOString(), questionCount: 10, timeLimitSeconds: 900 },
    ctx,
    now,
  );
  await contestAdmin.publish(actor, round.id, ctx, now);
  return approved;
}
