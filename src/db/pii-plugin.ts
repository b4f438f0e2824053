import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { openRecord, openText } from '../lib/pii-fields.js';
import { pii } from '../lib/pii.js';

/**
 * Result columns, by name, that may hold sealed personal data and are opened for every query
 * (docs/privacy.md, "Inventory"). A dossier is read by some thirty queries and pages; opening it
 * here, once, is what keeps a ciphertext from ever reaching one of them. Columns read in only one
 * or two places (accounts, contest participants) are opened there instead, explicitly.
 *
 * A plaintext value passes through unchanged: rows written before their migration, or by a bulk
 * loader, still read.
 */
const OPENED: Record<string, 'text' | 'record'> = {
  applicant: 'record',
  form_data: 'record',
  applicant_phone: 'text',
  applicant_citizen_id: 'text',
  author_phone: 'text',
};

export class PiiPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { rows } = args.result;
    const first = rows[0];
    if (!first) return args.result;
    // Every row of a result has the same columns: look at the first only.
    const present = Object.keys(first).filter((k) => OPENED[k] !== undefined);
    if (present.length === 0) return args.result;
    const cipher = pii();
    for (const row of rows)
      for (const k of present) {
        const v = row[k];
        if (v !== null && v !== undefined) row[k] = OPENED[k] === 'record' ? openRecord(v, cipher) : openText(v, cipher);
      }
    return args.result;
  }
}
