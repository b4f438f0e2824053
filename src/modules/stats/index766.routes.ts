import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { IndexQuerySchema, serviceIndex, ServiceIndexSchema } from './stats.index766.js';

/** GET /api/v1/reports/index: the Decision 766/QĐ-TTg service index, public like the reports it is built from. */
export async function indexApiRoutes(app: App) {
  app.get('/api/v1/reports/index', {
    config: { policy: policies.public },
    schema: {
      tags: ['statistics'],
      summary:
        'Decision 766/QĐ-TTg service index per unit: measured indicators scored, the others listed with a reason; ranked (docs/metrics.md)',
      querystring: IndexQuerySchema,
      response: { 200: ServiceIndexSchema },
    },
    handler: async (req) => serviceIndex(app.services.stats.deps, req.query),
  });
}
