import type { FastifyRequest } from 'fastify';
import { idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { FaqSearchQuery } from './faq.schema.js';
import { FaqDetailPage, FaqSearchPage } from './faq.views.js';

/** A form's unset filters arrive as empty strings ("unit="): they mean "any", not a bad value. */
export function dropEmptyQuery(req: FastifyRequest, _reply: unknown, done: () => void) {
  const q = req.query as Record<string, unknown>;
  for (const k of Object.keys(q)) if (q[k] === '') delete q[k];
  done();
}

export async function faqPageRoutes(app: App) {
  const { faq, catalogue } = app.services;

  // The same query schema as the API: a bad query is a 400 page with the same stable code.
  app.get(
    '/faq',
    { config: { policy: policies.public }, schema: { hide: true, querystring: FaqSearchQuery }, preValidation: dropEmptyQuery },
    async (req, reply) => {
      const q = req.query;
      const ctx = pageContext(req, reply);
      const [result, units, fields] = await Promise.all([faq.search(q), faq.answeringUnits(), catalogue.fields()]);
      return renderHtml(
        reply,
        <FaqSearchPage
          ctx={ctx}
          data={{
            q: q.q?.trim() || undefined,
            unit: q.unit,
            field: q.field,
            procedure: q.procedure,
            result,
            units: units.map((u) => ({ code: u.code, name: ctx.locale === 'en' ? u.name_en : u.name_vi })),
            fields: fields.map((f) => ({ code: f.code, name: ctx.locale === 'en' ? f.name_en : f.name_vi })),
          }}
        />,
      );
    },
  );

  app.get('/faq/:id', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const e = await faq.publicDetail(idParam(req.params));
    return renderHtml(reply, <FaqDetailPage ctx={pageContext(req, reply)} e={e} />);
  });
}
