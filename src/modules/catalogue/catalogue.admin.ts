import { Type, type Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, policies, type Actor } from '../auth/policy.js';
import { auditContext, type App } from '../../web/request-context.js';
import { AgencyCode, IsoDate } from '../units/units.schema.js';
import { todayInVietnam, type UnitService } from '../units/units.service.js';
import * as repo from './catalogue.repo.js';
import {
  FieldRecord,
  OnlineMode,
  ProcedureCode,
  ProcedureRecord,
  VersionContent,
  type ProcedureRecord as Rec,
} from './catalogue.schema.js';
import type { CatalogueService } from './catalogue.service.js';
import { checkWorkflow } from '../../domain/workflow/workflow.js';

const ImportReport = Type.Object({
  fields: Type.Integer(),
  created: Type.Integer(),
  newVersions: Type.Integer(),
  unchanged: Type.Integer(),
});

export const CatalogueFile = Type.Object(
  { fields: Type.Array(FieldRecord, { maxItems: 200 }), procedures: Type.Array(ProcedureRecord, { maxItems: 10_000 }) },
  { additionalProperties: false },
);

/** Catalogue administration: export/import of the whole list, new versions, which units offer what. */
export class CatalogueAdmin {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly catalogue: CatalogueService,
    private readonly units: UnitService,
  ) {}

  private async assertCityAdmin(actor: Actor) {
    const city = (await this.units.list({ level: 'city' }))[0];
    if (!city) throw new AppError('unit_not_found');
    assertUnitScope(actor, (await this.units.findRow(city.code)).path, ['city_admin']);
  }

  async export(): Promise<Static<typeof CatalogueFile>> {
    const at = todayInVietnam();
    const fields = await repo.listFields(this.db);
    const rows = await repo.exportRows(this.db, at);
    return {
      fields: fields.map((f) => ({ code: f.code, name: { vi: f.name_vi, en: f.name_en } })),
      procedures: rows.map((r) => ({
        code: r.code,
        field: r.field_code,
        levels: r.levels,
        name: { vi: r.name_vi, en: r.name_en },
        summary: { vi: r.summary_vi, en: r.summary_en },
        version: r.content as Rec['version'],
      })),
    };
  }

  async import(file: Static<typeof CatalogueFile>, actor: Actor, ctx: AuditContext) {
    await this.assertCityAdmin(actor);
    for (const p of file.procedures) assertWorkflow(p.version);
    return this.catalogue.load(file.fields, file.procedures, ctx);
  }

  /** Publishes new rules for a procedure from a date; today's and past versions are never rewritten. */
  async publishVersion(code: string, effectiveFrom: string, content: Rec['version'], actor: Actor, ctx: AuditContext) {
    await this.assertCityAdmin(actor);
    assertWorkflow(content);
    if (effectiveFrom < todayInVietnam() || Number.isNaN(Date.parse(`${effectiveFrom}T00:00:00Z`))) throw new AppError('invalid_date');
    return this.db.transaction().execute(async (trx) => {
      const p = await trx.selectFrom('procedure').select('id').where('code', '=', code).executeTakeFirst();
      if (!p) throw new AppError('procedure_not_found');
      const last = await trx
        .selectFrom('procedure_version')
        .select((e) => e.fn.max('version').as('v'))
        .where('procedure_id', '=', p.id)
        .executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('procedure_version')
        .values({
          procedure_id: p.id,
          version,
          effective_from: effectiveFrom,
          content: JSON.stringify({ ...content, effectiveFrom }),
          ...repo.versionColumns(content),
          published_by: actor.accountId,
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: 'procedure.publish_version',
        entityType: 'procedure',
        entityId: code,
        after: { version, effectiveFrom },
      });
      return { code, version, effectiveFrom };
    });
  }

  /** Procedures a unit's level is competent for, with whether and how the unit offers each. */
  async offerings(unitCode: string, actor: Actor | null) {
    const unit = await this.units.findRow(unitCode);
    assertUnitScope(actor, unit.path, ['unit_admin', 'city_admin']);
    const rows = await this.db
      .selectFrom('procedure as p')
      .leftJoin('unit_procedure as up', (j) => j.onRef('up.procedure_id', '=', 'p.id').on('up.unit_id', '=', unit.id))
      .select(['p.code', 'p.name_vi', 'p.name_en', 'up.unit_id', 'up.online_level', 'up.online_mode'])
      .where(sql<boolean>`${unit.level} = any(p.levels)`)
      .orderBy('p.field_code')
      .orderBy('p.name_vi')
      .execute();
    return {
      unit,
      rows: rows.map((r) => ({
        code: r.code,
        name: { vi: r.name_vi, en: r.name_en },
        offered: r.unit_id !== null,
        onlineLevel: r.online_level,
        onlineMode: r.online_mode,
      })),
    };
  }

  async setOffered(
    unitCode: string,
    code: string,
    offer: { onlineLevel: number | null; onlineMode: 'full' | 'partial' | 'none' | null } | null,
    actor: Actor,
    ctx: AuditContext,
  ) {
    const unit = await this.units.findRow(unitCode);
    assertUnitScope(actor, unit.path, ['unit_admin', 'city_admin']);
    await this.db.transaction().execute(async (trx) => {
      const p = await trx.selectFrom('procedure').select(['id', 'levels']).where('code', '=', code).executeTakeFirst();
      if (!p) throw new AppError('procedure_not_found');
      // A unit can only offer what its level is competent for.
      if (offer && !p.levels.includes(unit.level)) throw new AppError('procedure_not_offerable');
      if (offer) {
        await trx
          .insertInto('unit_procedure')
          .values({ unit_id: unit.id, procedure_id: p.id, online_level: offer.onlineLevel, online_mode: offer.onlineMode })
          .onConflict((oc) =>
            oc.columns(['unit_id', 'procedure_id']).doUpdateSet({ online_level: offer.onlineLevel, online_mode: offer.onlineMode }),
          )
          .execute();
      } else {
        await trx.deleteFrom('unit_procedure').where('unit_id', '=', unit.id).where('procedure_id', '=', p.id).execute();
      }
      await recordAudit(trx, ctx, {
        action: offer ? 'unit.offer_procedure' : 'unit.withdraw_procedure',
        entityType: 'unit',
        entityId: unitCode,
        after: { procedure: code, ...offer },
      });
    });
  }
}

// exceljs is large; loading it on first use keeps it out of every start-up.
const xlsx = () => import('../../docs/catalogue-xlsx.js');

/** A workflow every dossier can finish: the schema checks its shape, this its order (one signing step, then the desk). */
function assertWorkflow(content: Rec['version']) {
  if (content.workflow && checkWorkflow(content.workflow).length > 0) throw new AppError('workflow_invalid');
}

export async function catalogueAdminRoutes(app: App) {
  const admin = app.services.catalogueAdmin;
  const tags = ['procedures'];

  app.get('/api/v1/catalogue/export', {
    config: { policy: policies.public },
    schema: { tags, summary: 'The whole catalogue (versions in force today) as JSON open data', response: { 200: CatalogueFile } },
    handler: async (_req, reply) => reply.header('content-disposition', 'attachment; filename="catalogue.json"').send(await admin.export()),
  });

  app.post('/api/v1/catalogue/import', {
    config: { policy: policies.official('city_admin') },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Load a catalogue file: new procedures are created, changed ones get a new version; all or nothing',
      body: CatalogueFile,
      response: {
        200: ImportReport,
      },
    },
    handler: async (req) => admin.import(req.body, req.actor!, auditContext(req)),
  });

  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/v1/catalogue/export.xlsx', {
    config: { policy: policies.public },
    schema: { tags, summary: 'The whole catalogue as an xlsx workbook (sheets "fields" and "procedures")' },
    handler: async (_req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', 'attachment; filename="catalogue.xlsx"')
        .send(await (await xlsx()).catalogueToXlsx(await admin.export())),
  });

  app.post('/api/v1/catalogue/import.xlsx', {
    config: { policy: policies.official('city_admin') },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Load a catalogue workbook (same columns as the export); all or nothing',
      consumes: [XLSX],
      response: {
        200: ImportReport,
      },
    },
    handler: async (req) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('unsupported_media_type');
      return admin.import(await (await xlsx()).catalogueFromXlsx(req.body), req.actor!, auditContext(req));
    },
  });

  app.post('/api/v1/procedures/:code/versions', {
    config: { policy: policies.official('city_admin') },
    schema: {
      tags,
      summary: 'Publish new rules for a procedure from an effective date (today or later)',
      params: Type.Object({ code: ProcedureCode }, { additionalProperties: false }),
      body: Type.Object({ effectiveFrom: IsoDate, content: VersionContent }, { additionalProperties: false }),
      response: { 201: Type.Object({ code: Type.String(), version: Type.Integer(), effectiveFrom: Type.String() }) },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await admin.publishVersion(req.params.code, req.body.effectiveFrom, req.body.content, req.actor!, auditContext(req))),
  });

  const OfferParams = Type.Object({ code: AgencyCode, procedure: ProcedureCode }, { additionalProperties: false });
  app.put('/api/v1/units/:code/procedures/:procedure', {
    config: { policy: policies.official('unit_admin', 'city_admin') },
    schema: {
      tags,
      summary: 'The unit offers this procedure, at this online level (unit admin)',
      params: OfferParams,
      body: Type.Object(
        {
          onlineLevel: Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Null()]),
          onlineMode: Type.Union([OnlineMode, Type.Null()]),
        },
        { additionalProperties: false },
      ),
    },
    handler: async (req, reply) => {
      await admin.setOffered(req.params.code, req.params.procedure, req.body, req.actor!, auditContext(req));
      return reply.status(204).send();
    },
  });

  app.delete('/api/v1/units/:code/procedures/:procedure', {
    config: { policy: policies.official('unit_admin', 'city_admin') },
    schema: { tags, summary: 'The unit stops offering this procedure (unit admin)', params: OfferParams },
    handler: async (req, reply) => {
      await admin.setOffered(req.params.code, req.params.procedure, null, req.actor!, auditContext(req));
      return reply.status(204).send();
    },
  });
}
