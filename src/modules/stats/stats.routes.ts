import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { Type } from '@sinclair/typebox';
import { CoverageQuerySchema, DossierListItemSchema, DossierListQuerySchema, ReportQuerySchema, ReportSchema } from './stats.schema.js';

const tags = ['statistics'];

export async function statsApiRoutes(app: App) {
  const { stats } = app.services;

  app.get('/api/v1/reports/dossiers', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Periodic report of dossiers received, finished early / on time / late, in progress and stopped (docs/metrics.md)',
      querystring: ReportQuerySchema,
      response: { 200: ReportSchema },
    },
    handler: async (req) => stats.report(req.query),
  });

  app.get('/api/v1/reports/coverage', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Online-service coverage: procedures per level (2011 and 2022 scales), units using the system, online share per field',
      querystring: CoverageQuerySchema,
    },
    handler: async (req) => stats.coverage(req.query),
  });

  app.get('/api/v1/dossiers', {
    config: { policy: policies.official('desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin') },
    schema: {
      tags,
      summary:
        'The dossiers behind a report figure (figure + period), or received in a range (receivedFrom/receivedTo), with their classification',
      querystring: DossierListQuerySchema,
      response: {
        200: Type.Object({
          unit: Type.String(),
          period: Type.Object({ from: Type.String(), to: Type.String() }),
          figure: Type.Union([Type.String(), Type.Null()]),
          convention: Type.String(),
          total: Type.Integer(),
          page: Type.Integer(),
          pageSize: Type.Integer(),
          items: Type.Array(DossierListItemSchema),
        }),
      },
    },
    handler: async (req) => stats.dossiers(req.actor!, req.query),
  });
}
