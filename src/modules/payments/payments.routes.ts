import { Type } from '@sinclair/typebox';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { DossierParams } from '../dossiers/dossier.schema.js';
import { AgencyCode, IsoDate } from '../units/units.schema.js';
import { IPN_RESPONSES } from './gateway.js';
import { CASH_ROLES } from './payments.service.js';
import { reconciliationCsv } from './reconciliation.js';

const tags = ['payments'];

/** Only the gateway's own parameters are signed; anything else in the query is ignored. */
export function gatewayParams(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>))
    if (k.startsWith('vnp_') && typeof v === 'string') out[k] = v;
  return out;
}

export async function paymentApiRoutes(app: App) {
  const { payments } = app.services;

  app.get('/api/v1/payments/ipn', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: "The gateway's server-to-server payment notice (signed; idempotent on the transaction reference)",
      querystring: Type.Record(Type.String(), Type.String({ maxLength: 500 })),
      response: { 200: Type.Object({ RspCode: Type.String(), Message: Type.String() }) },
    },
    handler: async (req) => {
      try {
        return (await payments.applyNotice(gatewayParams(req.query))).response;
      } catch (e) {
        req.log.error({ err: e }, 'payment notice failed');
        return IPN_RESPONSES.unknown;
      }
    },
  });

  app.post('/api/v1/dossiers/:id/payments/online', {
    config: { policy: policies.citizen },
    schema: {
      tags,
      summary: 'Start paying the outstanding fee online (level 4); returns the gateway address to open',
      params: DossierParams,
      response: { 200: Type.Object({ url: Type.String(), txnRef: Type.String() }) },
    },
    handler: async (req) => payments.startOnline(req.actor!, req.params.id, req.ip),
  });

  app.post('/api/v1/dossiers/:id/payments/cash', {
    config: { policy: policies.official(...CASH_ROLES) },
    schema: {
      tags,
      summary: 'Record the outstanding fee paid in cash at the desk',
      params: DossierParams,
      body: Type.Object({ amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ receiptNo: Type.String(), status: Type.Union([Type.Null(), Type.Integer()]) }) },
    },
    handler: async (req) => payments.recordCash(req.actor!, req.params.id, req.body.amount),
  });

  app.get('/api/v1/payments/reconciliation', {
    config: { policy: policies.official('desk_officer', 'leader', 'unit_admin', 'city_admin') },
    schema: {
      tags,
      summary: "A unit's payments of one day (Vietnam time), for reconciliation with the bank; format=csv for a spreadsheet",
      querystring: Type.Object({
        unit: AgencyCode,
        date: IsoDate,
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
      }),
    },
    handler: async (req, reply) => {
      const r = await payments.reconciliation(req.actor!, req.query.unit, req.query.date);
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="reconciliation-${req.query.unit}-${req.query.date}.csv"`)
          .send(reconciliationCsv(r));
      }
      return {
        totals: r.totals,
        rows: r.rows.map((x) => ({ ...x, paid_at: x.paid_at?.toISOString() ?? null })),
      };
    },
  });
}
