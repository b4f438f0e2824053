import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../lib/errors.js';
import { readMultipart } from '../../web/multipart.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import type { Notice } from './contest.admin-views.js';
import type { GeneratorFact } from './contest.bank-schema.js';
import { GeneratePage, ImportPage, ReportPage } from './contest.import-views.js';
import { ADMIN, asError, int, list, PAGE, shown } from './contest.page-helpers.js';

/** The city admin's import (upload, report, confirm) and generator pages. */
export async function contestImportPageRoutes(app: App) {
  const { contestAdmin, contestBank, contestImports, contestGenerator } = app.services;

  // Import: upload, report, confirm.
  const importPage = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError) =>
    renderHtml(
      reply,
      <ImportPage ctx={pageContext(req, reply)} contest={await contestAdmin.contest(id, { drafts: true })} error={asError(error)} />,
    );

  app.get('/admin/contest/:id/import', PAGE, async (req, reply) => importPage(req, reply, idParam(req.params)));

  app.post('/admin/contest/:id/import', { config: { ...ADMIN, multipart: true }, schema: { hide: true } }, async (req, reply) => {
    const id = idParam(req.params);
    try {
      const { file } = await readMultipart(app, req, reply, true);
      if (!file || file.bytes.length === 0) throw new AppError('file_required');
      const r = await contestImports.upload(req.actor!, id, file, auditContext(req));
      return reply.redirect(`/admin/contest/${id}/import/${r.id}`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return importPage(req, reply, id, err);
    }
  });

  const reportPage = async (req: FastifyRequest, reply: FastifyReply, notice: Notice, error?: AppError) => {
    const id = idParam(req.params);
    const r = await contestImports.report(idParam({ id: (req.params as Record<string, string>).imp }));
    if (r.contestId !== id) throw new AppError('contest_import_not_found');
    const contest = await contestAdmin.contest(id, { drafts: true });
    return renderHtml(reply, <ReportPage ctx={pageContext(req, reply)} contest={contest} r={r} notice={notice} error={asError(error)} />);
  };

  app.get('/admin/contest/:id/import/:imp', PAGE, async (req, reply) => {
    const done = formText(req.query, 'done', 10) === 'imported';
    const n = int(formText(req.query, 'n', 6));
    return reportPage(req, reply, done ? { message: 'contestBank.report.done', params: { n: Number.isNaN(n) ? 0 : n } } : null);
  });

  app.post('/admin/contest/:id/import/:imp/confirm', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    const impId = idParam({ id: (req.params as Record<string, string>).imp });
    try {
      const before = await contestImports.report(impId);
      if (before.contestId !== id) throw new AppError('contest_import_not_found');
      const r = await contestImports.confirm(req.actor!, impId, auditContext(req));
      return reply.redirect(`/admin/contest/${id}/import/${impId}?done=imported&n=${r.imported ?? 0}`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return reportPage(req, reply, null, err);
    }
  });

  // The generator.
  const generatePage = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError) => {
    const [contest, pools, procedures, fields] = await Promise.all([
      contestAdmin.contest(id, { drafts: true }),
      contestBank.pools(id),
      contestGenerator.catalogueFacts(),
      contestBank.fields(),
    ]);
    return renderHtml(
      reply,
      <GeneratePage
        ctx={pageContext(req, reply)}
        contest={contest}
        pools={pools}
        procedures={procedures}
        fields={fields}
        error={asError(error)}
      />,
    );
  };

  app.get('/admin/contest/:id/generate', PAGE, async (req, reply) => generatePage(req, reply, idParam(req.params)));

  app.post('/admin/contest/:id/generate', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    try {
      const poolRaw = formText(req.body, 'pool', 12);
      const pool = (await contestBank.pools(id)).find((p) => String(p.id) === poolRaw);
      if (!pool) throw new AppError('contest_pool_not_found');
      const facts = list(req.body, 'facts', 4).filter((f): f is GeneratorFact =>
        ['time_limit', 'fee', 'office', 'service_level'].includes(f),
      );
      if (facts.length === 0) throw new AppError('validation_failed');
      const codes = list(req.body, 'procedures');
      const r = await contestGenerator.generate(
        req.actor!,
        pool.id,
        { facts: [...new Set(facts)], ...(codes.length ? { procedureCodes: codes } : {}) },
        auditContext(req),
      );
      return reply.redirect(`/admin/contest/${id}/questions?pool=${pool.id}&status=draft&done=generated&n=${r.created.length}`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return generatePage(req, reply, id, err);
    }
  });
}
