import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { recordAudit, SYSTEM_CONTEXT } from '../audit/audit.js';
import { SchoolsSeedFile } from './learn.schema.js';

const FILE = new URL('../../../seed/learn/schools.demo.json', import.meta.url);

/** Demo schools (DEMO_DATA only): schools already present, by code, are left as they are. */
export async function seedDemoSchools(db: Kysely<DB>): Promise<number> {
  const data: unknown = JSON.parse(await readFile(FILE, 'utf8'));
  if (!Value.Check(SchoolsSeedFile, data)) {
    const e = [...Value.Errors(SchoolsSeedFile, data)][0];
    throw new Error(`seed learn/schools.demo.json: ${e?.path} ${e?.message}`);
  }
  return db.transaction().execute(async (trx) => {
    let added = 0;
    for (const s of data.schools) {
      const unit = await trx.selectFrom('unit').select('id').where('code', '=', s.unit).executeTakeFirst();
      if (!unit) throw new Error(`seed learn/schools.demo.json: unknown unit ${s.unit}`);
      const row = await trx
        .insertInto('school')
        .values({ code: s.code, name_vi: s.name.vi, name_en: s.name.en, kind: s.kind, unit_id: unit.id, created_by: null })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) added++;
    }
    if (added > 0)
      await recordAudit(trx, SYSTEM_CONTEXT, { action: 'seed.demo_schools', entityType: 'school', entityId: null, after: { added } });
    return added;
  });
}
