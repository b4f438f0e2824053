import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { FaqService } from './faq.service.js';

const FILE = fileURLToPath(new URL('../../../seed/faq/ha-dong-dialogues.json', import.meta.url));

const Bi = Type.Object({ vi: Type.String({ minLength: 5 }), en: Type.String() }, { additionalProperties: false });
const SeedFile = Type.Object({
  description: Type.String(),
  entries: Type.Array(
    Type.Object(
      {
        ref: Type.String({ minLength: 1, maxLength: 100 }),
        unit: Type.String(),
        field: Type.Union([Type.String(), Type.Null()]),
        procedures: Type.Array(Type.String()),
        question: Bi,
        answer: Bi,
        needsConfirmation: Type.Boolean(),
        confirmationNote: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
      },
      { additionalProperties: false },
    ),
  ),
});

/**
 * Loads seed/faq/ as published entries (source 'seed'), once per ref: an entry the unit has since
 * edited, confirmed or archived is left alone. Needs the units and the catalogue loaded first.
 */
export async function seedFaq(db: Kysely<DB>, file = FILE): Promise<number> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
  if (!Value.Check(SeedFile, doc)) {
    const e = [...Value.Errors(SeedFile, doc)][0];
    throw new Error(`seed ${file}: ${e?.path} ${e?.message}`);
  }
  const entries = (doc as Static<typeof SeedFile>).entries;
  const have = new Set(
    (await db.selectFrom('faq_entry').select('source_ref').where('source', '=', 'seed').execute()).map((r) => r.source_ref),
  );
  const faq = new FaqService(db);
  let added = 0;
  for (const e of entries) {
    if (have.has(e.ref)) continue;
    const unit = await db.selectFrom('unit').select('id').where('code', '=', e.unit).executeTakeFirst();
    if (!unit) throw new Error(`seed ${file}: unit ${e.unit} of ${e.ref} is not loaded`);
    const r = await faq.createFromSource(
      {
        source: 'seed',
        sourceRef: e.ref,
        unitId: unit.id,
        field: e.field,
        question: e.question,
        answer: e.answer,
        procedureCodes: e.procedures,
        needsConfirmation: e.needsConfirmation,
        confirmationNote: e.confirmationNote,
        publish: true,
      },
      null,
    );
    if (r.created) added++;
  }
  return added;
}
