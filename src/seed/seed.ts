import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { pathLabel } from '../modules/units/units.service.js';
import { readdir, readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/types.js';
import { hashPassword } from '../lib/crypto.js';
import { pii } from '../lib/pii.js';
import { phoneIdentifier } from '../lib/pii-store.js';
import { recordAudit, SYSTEM_CONTEXT } from '../modules/audit/audit.js';
import { PUBLISHED_YEARS } from '../domain/calendar/index.js';
import { CatalogueService, type ImportReport } from '../modules/catalogue/catalogue.service.js';
import { FieldRecord, ProcedureRecord } from '../modules/catalogue/catalogue.schema.js';
import { checkWorkflow, type Workflow } from '../domain/workflow/workflow.js';

const SEED_DIR = fileURLToPath(new URL('../../seed/', import.meta.url));

interface SeedUnit {
  code: string;
  parent: string | null;
  level: 'city' | 'department' | 'district' | 'commune';
  kind: string;
  name: { vi: string; en: string };
}

/** Loads a unit file; units already present (by code) are left as they are. Returns how many were added. */
export async function seedUnits(db: Kysely<DB>, file = 'units/hanoi-2019.json'): Promise<number> {
  const doc = JSON.parse(await readFile(`${SEED_DIR}${file}`, 'utf8')) as { validFrom: string; units: SeedUnit[] };
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('unit').select(['id', 'code', 'path']).execute()).map((u) => [u.code, u]));
    let added = 0;
    for (const u of doc.units) {
      if (existing.has(u.code)) continue;
      const parent = u.parent ? existing.get(u.parent) : undefined;
      if (u.parent && !parent) throw new Error(`seed ${file}: parent ${u.parent} of ${u.code} is not defined before it`);
      const row = await trx
        .insertInto('unit')
        .values({
          code: u.code,
          name_vi: u.name.vi,
          name_en: u.name.en,
          level: u.level,
          kind: u.kind,
          parent_id: parent?.id ?? null,
          path: parent ? `${parent.path}.${pathLabel(u.code)}` : pathLabel(u.code),
          valid_from: doc.validFrom,
          valid_to: null,
        })
        .returning(['id', 'code', 'path'])
        .executeTakeFirstOrThrow();
      existing.set(row.code, row);
      added++;
    }
    if (added > 0) await recordAudit(trx, SYSTEM_CONTEXT, { action: 'seed.units', entityType: 'unit', entityId: file, after: { added } });
    return added;
  });
}

export const DEMO_PASSWORD = 'motcua-demo-2026';

interface DemoAccount {
  kind: 'citizen' | 'business' | 'official';
  fullName: string;
  identifiers: { identifier: string; kind: 'phone' | 'email' | 'tax_code' | 'username' }[];
  citizenId?: string;
  taxCode?: string;
  roles?: { role: Role; unit: string }[];
}

/** One account per role, for trying the portal; listed in the README. Never loaded in production. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    kind: 'citizen',
    fullName: 'Nguyễn Văn An',
    identifiers: [
      { identifier: '0912345678', kind: 'phone' },
      { identifier: 'citizen@demo.motcua.vn', kind: 'email' },
    ],
    citizenId: '001090012345',
  },
  {
    kind: 'business',
    fullName: 'Công ty TNHH Thương mại Hà Đông (demo)',
    identifiers: [{ identifier: '0100109106', kind: 'tax_code' }],
    taxCode: '0100109106',
  },
  {
    kind: 'official',
    fullName: 'Trần Thị Bình',
    identifiers: [{ identifier: 'desk.quangtrung@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'desk_officer', unit: '000.13.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Phạm Minh Châu',
    identifiers: [{ identifier: 'desk.dichvong@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'desk_officer', unit: '000.01.35.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Ngô Văn Phúc',
    identifiers: [{ identifier: 'specialist.quangtrung@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'specialist', unit: '000.13.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Bùi Thị Giang',
    identifiers: [{ identifier: 'leader.quangtrung@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'leader', unit: '000.13.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Lê Văn Cường',
    identifiers: [{ identifier: 'specialist.hadong@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'specialist', unit: '000.00.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Hoàng Thị Dung',
    identifiers: [{ identifier: 'leader.hadong@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'leader', unit: '000.00.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Vũ Đức Em',
    identifiers: [{ identifier: 'admin.hadong@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'unit_admin', unit: '000.00.42.H26' }],
  },
  {
    kind: 'official',
    fullName: 'Đỗ Thu Hà',
    identifiers: [{ identifier: 'admin@demo.motcua.vn', kind: 'email' }],
    roles: [{ role: 'city_admin', unit: '000.00.00.H26' }],
  },
];

/** A demo login name as account_identifier holds it (a phone as its keyed hash). */
const storedIdentifier = (i: { identifier: string; kind: string }) =>
  i.kind === 'phone' ? phoneIdentifier(pii(), i.identifier) : i.identifier;

export async function seedDemoAccounts(db: Kysely<DB>): Promise<number> {
  const present = await db
    .selectFrom('account_identifier')
    .select('identifier')
    .where(
      'identifier',
      'in',
      DEMO_ACCOUNTS.map((a) => storedIdentifier(a.identifiers[0]!)),
    )
    .execute();
  // Hashing costs ~100 ms; a restart with every demo account in place should not pay it.
  if (present.length === DEMO_ACCOUNTS.length) return 0;
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    let added = 0;
    for (const a of DEMO_ACCOUNTS) {
      const first = storedIdentifier(a.identifiers[0]!);
      const exists = await trx.selectFrom('account_identifier').select('account_id').where('identifier', '=', first).executeTakeFirst();
      if (exists) continue;
      const email = a.identifiers.find((i) => i.kind === 'email')?.identifier ?? null;
      const phone = a.identifiers.find((i) => i.kind === 'phone')?.identifier ?? null;
      const cipher = pii();
      const row = await trx
        .insertInto('account')
        .values({
          kind: a.kind,
          full_name: a.fullName,
          phone: cipher.encryptNullable(phone),
          phone_hash: cipher.hashNullable('phone', phone),
          email,
          username: a.kind === 'official' ? email : null,
          citizen_id: cipher.encryptNullable(a.citizenId),
          citizen_id_hash: cipher.hashNullable('citizen_id', a.citizenId),
          tax_code: a.taxCode ?? null,
          password_hash: hash,
          locked_until: null,
          disabled_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('account_identifier')
        .values(a.identifiers.map((i) => ({ ...i, identifier: storedIdentifier(i), account_id: row.id })))
        .execute();
      for (const r of a.roles ?? []) {
        const unit = await trx.selectFrom('unit').select('id').where('code', '=', r.unit).executeTakeFirstOrThrow();
        await trx.insertInto('role_assignment').values({ account_id: row.id, role: r.role, unit_id: unit.id, created_by: null }).execute();
      }
      added++;
    }
    if (added > 0)
      await recordAudit(trx, SYSTEM_CONTEXT, { action: 'seed.demo_accounts', entityType: 'account', entityId: null, after: { added } });
    return added;
  });
}

/** The years whose government decisions are known (src/domain/calendar/publishedYears.ts), as version 1. */
export async function seedCalendars(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const have = new Set((await trx.selectFrom('calendar_year').select('year').execute()).map((r) => r.year));
    let added = 0;
    for (const cal of PUBLISHED_YEARS) {
      if (have.has(cal.year)) continue;
      await trx
        .insertInto('calendar_year')
        .values({
          year: cal.year,
          version: 1,
          holidays: JSON.stringify(cal.holidays),
          days_off: JSON.stringify(cal.daysOff),
          working_weekends: JSON.stringify(cal.workingWeekends),
          note: 'Seeded from the government decisions cited in src/domain/calendar/publishedYears.ts',
          published_by: null,
        })
        .execute();
      await recordAudit(trx, SYSTEM_CONTEXT, {
        action: 'calendar.publish',
        entityType: 'calendar_year',
        entityId: `${cal.year}v1`,
        after: cal,
      });
      added++;
    }
    return added;
  });
}

const FieldsFile = Type.Object({ fields: Type.Array(FieldRecord) });
const ProceduresFile = Type.Object({ procedures: Type.Array(ProcedureRecord) });

function checked<T>(schema: Parameters<typeof Value.Check>[0], data: unknown, file: string): T {
  if (!Value.Check(schema, data)) {
    const e = [...Value.Errors(schema, data)][0];
    throw new Error(`seed ${file}: ${e?.path} ${e?.message}`);
  }
  return data as T;
}

/** Loads seed/procedures/: fields.json, departments.json and one file of procedures per field. */
export async function seedCatalogue(db: Kysely<DB>): Promise<ImportReport | null> {
  const dir = `${SEED_DIR}procedures/`;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  if (!files.includes('fields.json')) return null;
  const read = async (f: string) => JSON.parse(await readFile(`${dir}${f}`, 'utf8')) as unknown;
  const fields = checked<{ fields: FieldRecord[] }>(FieldsFile, await read('fields.json'), 'fields.json').fields;
  const departments = files.includes('departments.json')
    ? ((await read('departments.json')) as { byField: Record<string, string> }).byField
    : {};
  const records: ProcedureRecord[] = [];
  const digest = createHash('sha256');
  for (const f of files) digest.update(f).update(await readFile(`${dir}${f}`));
  const fingerprint = digest.digest('hex');
  // Unchanged seed files were loaded already: skip the comparison of every procedure at start-up.
  const done = await db.selectFrom('app_setting').select('value').where('key', '=', 'seed_catalogue').executeTakeFirst();
  if (done?.value === fingerprint) return { fields: fields.length, created: 0, newVersions: 0, unchanged: 0 };
  for (const f of files.filter((x) => x !== 'fields.json' && x !== 'departments.json')) {
    records.push(...checked<{ procedures: ProcedureRecord[] }>(ProceduresFile, await read(f), f).procedures);
  }
  const report = await new CatalogueService(db).load(fields, records, SYSTEM_CONTEXT, departments);
  await db
    .insertInto('app_setting')
    .values({ key: 'seed_catalogue', value: fingerprint })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: fingerprint }))
    .execute();
  return report;
}

interface DemoOffer {
  unit: string;
  procedure: string;
  onlineLevel: 1 | 2 | 3 | 4;
  onlineMode: 'full' | 'partial' | 'none';
}

/**
 * Demo wards accept a few procedures online (seed/demo/offers.json), so the online forms can be
 * tried; in production a unit admin sets this on the unit's procedures page.
 */
export async function seedDemoOffers(db: Kysely<DB>): Promise<number> {
  const file = JSON.parse(await readFile(join(SEED_DIR, 'demo', 'offers.json'), 'utf8')) as { offers: DemoOffer[] };
  let n = 0;
  await db.transaction().execute(async (trx) => {
    for (const o of file.offers) {
      const unit = await trx.selectFrom('unit').select('id').where('code', '=', o.unit).executeTakeFirst();
      const proc = await trx.selectFrom('procedure').select('id').where('code', '=', o.procedure).executeTakeFirst();
      if (!unit || !proc) continue;
      await trx
        .insertInto('unit_procedure')
        .values({ unit_id: unit.id, procedure_id: proc.id, online_level: o.onlineLevel, online_mode: o.onlineMode })
        .onConflict((oc) => oc.columns(['unit_id', 'procedure_id']).doUpdateSet({ online_level: o.onlineLevel, online_mode: o.onlineMode }))
        .execute();
      n++;
    }
    const flows = JSON.parse(await readFile(join(SEED_DIR, 'demo', 'workflows.json'), 'utf8')) as { workflows: DemoWorkflow[] };
    for (const w of flows.workflows) {
      if (checkWorkflow(w.workflow).length > 0) throw new Error(`demo workflow for ${w.procedure} is invalid`);
      // Demo only: set on the procedure's versions in place (a real change is a new version).
      await sql`update procedure_version set content = jsonb_set(content, '{workflow}', ${JSON.stringify(w.workflow)}::jsonb)
        where procedure_id = (select id from procedure where code = ${w.procedure})`.execute(trx);
    }
  });
  return n;
}

interface DemoWorkflow {
  procedure: string;
  workflow: Workflow;
}
