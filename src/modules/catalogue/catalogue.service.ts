import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, UnitLevel } from '../../db/types.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { AppError } from '../../lib/errors.js';
import { SearchIndex } from '../../domain/search-index.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { pathCovers } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import * as repo from './catalogue.repo.js';
import type { FieldRecord, ProcedureDetail, ProcedureRecord, ProcedureSummary, SearchQuery, VersionContent } from './catalogue.schema.js';

/** A stable local code for a real procedure whose national code is not known yet. */
export function localCode(nameVi: string): string {
  const n = parseInt(createHash('sha256').update(nameVi.normalize('NFC')).digest('hex').slice(0, 8), 16) % 1_000_000;
  return `L.${String(n).padStart(6, '0')}`;
}

function present(r: repo.SearchRow): ProcedureSummary {
  return {
    code: r.code,
    field: { code: r.field_code, name: { vi: r.field_vi, en: r.field_en } },
    levels: r.levels,
    name: { vi: r.name_vi, en: r.name_en },
    summary: { vi: r.summary_vi, en: r.summary_en },
    timeLimit: r.time_limit_amount === null || r.time_limit_unit === null ? null : { amount: r.time_limit_amount, unit: r.time_limit_unit },
    feeAmount: r.fee_amount,
    onlineLevel: r.online_level,
    onlineMode: r.online_mode,
  };
}

export interface Office {
  code: string;
  name: { vi: string; en: string };
  level: UnitLevel;
  onlineLevel: number | null;
  onlineMode: string | null;
}

export interface ImportReport {
  fields: number;
  created: number;
  newVersions: number;
  unchanged: number;
}

// Another instance may load procedures; rebuilding the index this often bounds the difference.
const INDEX_TTL_MS = 10_000;

export class CatalogueService {
  #index: SearchIndex | null = null;
  #indexBuiltAt = 0;

  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Ranking happens in an in-memory index of names (a few thousand procedures fit easily), which
   * keeps search fast on both engines; filters and the version in force come from the database.
   */
  private async index(): Promise<SearchIndex> {
    if (!this.#index || Date.now() - this.#indexBuiltAt > INDEX_TTL_MS) {
      const rows = await repo.indexRows(this.db);
      this.#index = new SearchIndex(
        rows.map((r) => ({ id: r.id, code: r.code, names: [r.name_vi, r.name_en], summary: `${r.summary_vi} ${r.summary_en}` })),
      );
      this.#indexBuiltAt = Date.now();
    }
    return this.#index;
  }

  async search(q: SearchQuery): Promise<ProcedureSummary[]> {
    const text = q.q?.trim();
    const at = todayInVietnam();
    if (!text) return (await repo.search(this.db, q, at)).map(present);
    const ranked = (await this.index()).search(text);
    if (ranked.length === 0) return [];
    // Without filters only the requested page can be shown; with filters, rank deeper and let the database filter.
    const filtered = q.field || q.level || q.unit || q.online;
    const ids = ranked.slice(0, filtered ? 2000 : (q.offset ?? 0) + (q.limit ?? 20));
    return (await repo.search(this.db, q, at, ids)).map(present);
  }

  fields() {
    return repo.listFields(this.db);
  }

  async detail(code: string, at = todayInVietnam()): Promise<ProcedureDetail> {
    const row = await repo.findProcedure(this.db, code, at);
    if (!row) throw new AppError('procedure_not_found');
    const units = await repo.offeringUnits(this.db, row.id, at);
    return {
      ...present(row),
      version: row.version,
      effectiveFrom: row.effective_from,
      content: row.content as VersionContent,
      offeredBy: units.map((u) => ({
        code: u.code,
        name: { vi: u.name_vi, en: u.name_en },
        onlineLevel: u.online_level,
        onlineMode: u.online_mode,
      })),
    };
  }

  /**
   * The offices competent for a procedure for someone living in a ward: the ward itself, its
   * district, or a city department, as the procedure's levels say and the units offer it.
   */
  async officesFor(code: string, wardCode: string): Promise<Office[]> {
    const at = todayInVietnam();
    const row = await repo.findProcedure(this.db, code, at);
    if (!row) throw new AppError('procedure_not_found');
    const ward = await this.db.selectFrom('unit').select(['path', 'level']).where('code', '=', wardCode).executeTakeFirst();
    if (!ward || ward.level !== 'commune') throw new AppError('unit_not_found');
    const units = await repo.offeringUnits(this.db, row.id, at);
    const lineage = units.filter((u) => pathCovers(u.path, ward.path));
    const citywide = units.filter((u) => u.level === 'department' || u.level === 'city');
    const chosen = lineage.length > 0 ? lineage : citywide;
    return chosen.map((u) => ({
      code: u.code,
      name: { vi: u.name_vi, en: u.name_en },
      level: u.level,
      onlineLevel: u.online_level,
      onlineMode: u.online_mode,
    }));
  }

  /**
   * Loads fields and procedures (seed files, or an official list): new procedures are created,
   * changed ones get a new version, identical ones are left alone, so a repeated load changes
   * nothing. Offered-by rows are added for the units of each competent level.
   */
  async load(
    fields: FieldRecord[],
    records: ProcedureRecord[],
    ctx: AuditContext,
    departments: Record<string, string> = {},
  ): Promise<ImportReport> {
    const seen = new Set<string>();
    for (const r of records) {
      const code = r.code ?? localCode(r.name.vi);
      if (seen.has(code)) throw new AppError('duplicate_procedure_code', { code });
      seen.add(code);
    }
    const fieldCodes = new Set(fields.map((f) => f.code));
    return this.db.transaction().execute(async (trx) => {
      const known = new Set((await trx.selectFrom('field').select('code').execute()).map((f) => f.code));
      for (const r of records) if (!fieldCodes.has(r.field) && !known.has(r.field)) throw new AppError('unknown_field', { field: r.field });
      for (const [i, f] of fields.entries()) {
        await trx
          .insertInto('field')
          .values({ code: f.code, name_vi: f.name.vi, name_en: f.name.en, sort: i })
          .onConflict((oc) => oc.column('code').doUpdateSet({ name_vi: f.name.vi, name_en: f.name.en }))
          .execute();
      }
      const units = await trx.selectFrom('unit').select(['id', 'code', 'level']).where('valid_to', 'is', null).execute();
      const report: ImportReport = { fields: fields.length, created: 0, newVersions: 0, unchanged: 0 };
      const today = todayInVietnam();
      for (const r of records) {
        const code = r.code ?? localCode(r.name.vi);
        const content = JSON.stringify(r.version);
        const values = repo.versionColumns(r.version);
        const columns = {
          field_code: r.field,
          levels: r.levels,
          name_vi: r.name.vi,
          name_en: r.name.en,
          summary_vi: r.summary?.vi ?? '',
          summary_en: r.summary?.en ?? '',
        };
        const existing = await trx.selectFrom('procedure').select('id').where('code', '=', code).executeTakeFirst();
        let procedureId: number;
        if (!existing) {
          procedureId = (
            await trx
              .insertInto('procedure')
              .values({ code, ...columns })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
          await trx
            .insertInto('procedure_version')
            .values({
              procedure_id: procedureId,
              version: 1, // Without a known date the first version counts from the start of the system's 2019 data.
              effective_from: r.version.effectiveFrom ?? '2019-01-01',
              content,
              ...values,
            })
            .execute();
          report.created++;
        } else {
          procedureId = existing.id;
          const last = await trx
            .selectFrom('procedure_version')
            .select(['version', 'content'])
            .where('procedure_id', '=', procedureId)
            .orderBy('version', 'desc')
            .executeTakeFirstOrThrow();
          // A record without a workflow keeps the one an administrator configured: the workflow is
          // local set-up, not part of the procedure's published rules that a catalogue file carries.
          const kept = (last.content as { workflow?: unknown }).workflow;
          const incoming = r.version.workflow === undefined && kept ? { ...r.version, workflow: kept } : r.version;
          if (canonicalJson(last.content) === canonicalJson(incoming)) {
            report.unchanged++;
          } else {
            const from = r.version.effectiveFrom && r.version.effectiveFrom > today ? r.version.effectiveFrom : today;
            await trx
              .insertInto('procedure_version')
              .values({
                procedure_id: procedureId,
                version: last.version + 1,
                effective_from: from,
                content: incoming === r.version ? content : JSON.stringify(incoming),
                ...values,
              })
              .execute();
            report.newVersions++;
          }
          await trx
            .updateTable('procedure')
            .set({ ...columns, updated_at: new Date() })
            .where('id', '=', procedureId)
            .execute();
        }
        const offering = units.filter((u) => r.levels.includes(u.level) && (u.level !== 'department' || departments[r.field] === u.code));
        if (offering.length > 0) {
          await trx
            .insertInto('unit_procedure')
            .values(
              offering.map((u) => ({
                unit_id: u.id,
                procedure_id: procedureId,
                online_level: r.version.onlineLevel,
                online_mode: r.version.onlineMode,
              })),
            )
            .onConflict((oc) => oc.columns(['unit_id', 'procedure_id']).doNothing())
            .execute();
        }
      }
      this.#index = null;
      if (report.created + report.newVersions > 0) {
        await recordAudit(trx, ctx, { action: 'catalogue.load', entityType: 'procedure', entityId: null, after: report });
      }
      return report;
    });
  }
}
