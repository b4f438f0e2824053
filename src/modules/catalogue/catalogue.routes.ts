import { Type } from '@sinclair/typebox';
import { policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { AgencyCode } from '../units/units.schema.js';
import { ProcedureCodeParams, ProcedureDetail, ProcedureSummary, SearchQuery } from './catalogue.schema.js';

const Bi = Type.Object({ vi: Type.String(), en: Type.String() });

export async function catalogueApiRoutes(app: App) {
  const catalogue = app.services.catalogue;
  const tags = ['procedures'];

  app.get('/api/v1/procedures', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Search the procedure catalogue (with or without diacritics, typo-tolerant)',
      querystring: SearchQuery,
      response: { 200: Type.Object({ procedures: Type.Array(ProcedureSummary) }) },
    },
    handler: async (req) => ({ procedures: await catalogue.search(req.query) }),
  });

  app.get('/api/v1/procedures/:code', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'A procedure with the version in force today',
      params: ProcedureCodeParams,
      response: { 200: ProcedureDetail },
    },
    handler: async (req) => catalogue.detail(req.params.code),
  });

  app.get('/api/v1/procedures/:code/offices', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Where a resident of a ward goes for this procedure, with opening hours',
      params: ProcedureCodeParams,
      querystring: Type.Object({ ward: AgencyCode }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          offices: Type.Array(
            Type.Object({
              code: Type.String(),
              name: Bi,
              level: Type.String(),
              onlineLevel: Type.Union([Type.Integer(), Type.Null()]),
              onlineMode: Type.Union([Type.String(), Type.Null()]),
              hours: Type.Object({
                sessions: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
                cutoff: Type.String(),
              }),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const offices = await catalogue.officesFor(req.params.code, req.query.ward);
      return {
        offices: await Promise.all(
          offices.map(async (o) => {
            const { hours } = await app.services.calendar.officeHours(o.code);
            return { ...o, hours: { sessions: hours.sessions, cutoff: hours.cutoff } };
          }),
        ),
      };
    },
  });

  app.get('/api/v1/fields', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Fields (lĩnh vực) of the catalogue with their number of procedures',
      response: { 200: Type.Object({ fields: Type.Array(Type.Object({ code: Type.String(), name: Bi, procedures: Type.Integer() })) }) },
    },
    handler: async () => ({
      fields: (await catalogue.fields()).map((f) => ({
        code: f.code,
        name: { vi: f.name_vi, en: f.name_en },
        procedures: Number(f.procedures),
      })),
    }),
  });
}
