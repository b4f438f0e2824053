import type { FastifyReply, FastifyRequest } from 'fastify';
import { CitizenProcessingSection } from '../processing/citizen.views.js';
import { citizenProcessing } from '../processing/citizen.pages.js';
import { isDossierCode } from '../../domain/dossier/code.js';
import { STATUS_NAME, type StatusCode } from '../../domain/dossier/status.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { unflatten } from '../../web/components/dossier-form.js';
import type { FieldErrors } from '../../web/components/form.js';
import { isMessageKey, type MessageKey } from '../../web/i18n/index.js';
import { readMultipart } from '../../web/multipart.js';
import { formText } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import { listInbox, markRead } from '../notify/inbox.repo.js';
import { gatewayParams } from '../payments/payments.routes.js';
import * as repo from './dossier.repo.js';
import { ConfirmationPage, InboxPage, MyDossiersPage, PaymentResultPage, StatusPage, type Supplement } from './dossier.status-views.js';
import { CheckPage } from './dossier.check-view.js';
import { DocumentsPage, EditPage, StartPage } from './dossier.views.js';

const idParam = (params: unknown): number => {
  const raw = (params as Record<string, unknown>)?.id;
  const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new AppError('dossier_not_found');
  return id;
};
const errKeys = (errors: Record<string, ErrorCode>): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, `err.${v}` as MessageKey]));
const errKey = (e: unknown): MessageKey => {
  if (e instanceof AppError) return `err.${e.code}` as MessageKey;
  throw e;
};

export async function dossierPageRoutes(app: App) {
  const { dossiers, desk, payments } = app.services;
  const citizen = { policy: policies.citizen };
  const hide = { hide: true };

  const wardList = async (locale: 'vi' | 'en') => {
    const rows = await dossiers.db
      .selectFrom('unit')
      .select(['code', 'name_vi', 'name_en'])
      .where('level', '=', 'commune')
      .where('valid_to', 'is', null)
      .orderBy('name_vi')
      .execute();
    return rows.map((r) => ({ code: r.code, name: locale === 'en' ? r.name_en : r.name_vi }));
  };
  // Level 4: the applicant can pay the outstanding fee online, from submission on.
  const payableOnline = async (req: FastifyRequest, row: repo.DossierRow, d: { fee: { outstanding: number }; status: number | null }) => {
    const mine = row.owner_id === req.actor?.accountId || row.created_by === req.actor?.accountId;
    if (!mine || d.fee.outstanding <= 0 || d.status === null || ![1, 2, 4, 5, 6].includes(d.status)) return false;
    const offer = await dossiers.db
      .selectFrom('unit_procedure')
      .select('online_level')
      .where('unit_id', '=', row.unit_id)
      .where('procedure_id', '=', row.procedure_id)
      .executeTakeFirst();
    return offer?.online_level === 4;
  };

  const draftView = async (req: FastifyRequest, id: number) => {
    const d = await dossiers.view(req.actor, id);
    const row = await repo.findDossier(dossiers.db, id);
    if (row.created_by !== req.actor!.accountId) throw new AppError('dossier_not_found');
    return { d, row, content: row.content as VersionContent };
  };

  app.get('/dossiers/new', { config: citizen, schema: hide }, async (req, reply) => {
    const code = formText(req.query, 'procedure', 20);
    const proc = await dossiers.db
      .selectFrom('procedure')
      .select(['id', 'code', 'name_vi', 'name_en'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!proc) throw new AppError('procedure_not_found');
    const units = await dossiers.db
      .selectFrom('unit_procedure as up')
      .innerJoin('unit as u', 'u.id', 'up.unit_id')
      .select(['u.code', 'u.name_vi', 'u.name_en'])
      .where('up.procedure_id', '=', proc.id)
      .where('up.online_level', '>=', 3)
      .where('u.valid_to', 'is', null)
      .orderBy('u.name_vi')
      .execute();
    const wanted = formText(req.query, 'unit', 20);
    const sorted = [...units.filter((u) => u.code === wanted), ...units.filter((u) => u.code !== wanted)];
    return renderHtml(
      reply,
      <StartPage
        ctx={pageContext(req, reply)}
        procedure={{ code: proc.code, name: { vi: proc.name_vi, en: proc.name_en } }}
        units={sorted.map((u) => ({ code: u.code, name: { vi: u.name_vi, en: u.name_en } }))}
        error={undefined}
      />,
    );
  });

  app.post('/dossiers', { config: citizen, schema: hide }, async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const other = formText(body, 'who', 10) === 'other';
    const relation = formText(body, 'relation', 100).trim();
    if (other && !relation) throw new AppError('reason_required');
    const id = await dossiers.createDraft(req.actor!, {
      procedure: formText(body, 'procedure', 20),
      unit: formText(body, 'unit', 20),
      ...(other ? { onBehalf: { relation }, applicant: { name: '' } } : {}),
    });
    return reply.redirect(`/dossiers/${id}/edit`, 303);
  });

  const renderEdit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    errors: FieldErrors,
    saved: boolean,
    extraRow: string | null,
  ) => {
    const { d, row, content } = await draftView(req, id);
    if (d.status !== null) return reply.redirect(`/dossiers/${id}`, 303);
    const exemption = ((row.fee_basis ?? {}) as { exemption?: string | null }).exemption ?? null;
    return renderHtml(
      reply,
      <EditPage
        ctx={pageContext(req, reply)}
        d={d}
        content={content}
        errors={errors}
        saved={saved}
        extraRow={extraRow}
        wards={await wardList(req.locale)}
        exemption={exemption}
      />,
    );
  };

  app.get('/dossiers/:id/edit', { config: citizen, schema: hide }, async (req, reply) =>
    renderEdit(req, reply, idParam(req.params), {}, formText(req.query, 'saved', 2) === '1', null),
  );

  app.post('/dossiers/:id/edit', { config: citizen, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = formText(body, '_action', 60);
    const a = unflatten(body, 'applicant.') as Record<string, string>;
    const { errors } = await dossiers.saveDraft(req.actor!, id, {
      applicant: { name: a.name ?? '', citizenId: a.citizenId ?? null, phone: a.phone ?? null, email: a.email ?? null, address: null },
      form: unflatten(body, 'f.'),
      exemption: formText(body, 'exemption', 41) || null,
    });
    if (action.startsWith('add:')) return renderEdit(req, reply, id, {}, false, action.slice(4));
    if (action === 'continue') {
      // Only "continue" insists on complete answers; "save" keeps a half-filled draft as it is.
      const row = await repo.findDossier(dossiers.db, id);
      const { errors: complete } = await dossiers.problems(row);
      const all = { ...errors, ...complete };
      if (Object.keys(all).length > 0) return renderEdit(req, reply, id, errKeys(all), false, null);
      return reply.redirect(`/dossiers/${id}/documents`, 303);
    }
    if (Object.keys(errors).length > 0) return renderEdit(req, reply, id, errKeys(errors), false, null);
    return reply.redirect(`/dossiers/${id}/edit?saved=1`, 303);
  });

  const openRound = async (id: number) => {
    const s = await dossiers.db
      .selectFrom('dossier_supplement')
      .select('round')
      .where('dossier_id', '=', id)
      .where('closed_at', 'is', null)
      .where('provided_at', 'is', null)
      .executeTakeFirst();
    return s?.round ?? 0;
  };
  const renderDocs = async (req: FastifyRequest, reply: FastifyReply, id: number, error: { item: number; code: MessageKey } | null) => {
    const d = await dossiers.view(req.actor, id);
    const row = await repo.findDossier(dossiers.db, id);
    if (row.owner_id !== req.actor!.accountId && row.created_by !== req.actor!.accountId) throw new AppError('dossier_not_found');
    const round = d.status === null ? 0 : await openRound(id);
    if (d.status !== null && round === 0) return reply.redirect(`/dossiers/${id}`, 303);
    if (error) reply.status(400);
    return renderHtml(
      reply,
      <DocumentsPage ctx={pageContext(req, reply)} d={d} content={row.content as VersionContent} error={error} round={round} />,
    );
  };

  app.get('/dossiers/:id/documents', { config: citizen, schema: hide }, async (req, reply) =>
    renderDocs(req, reply, idParam(req.params), null),
  );
  app.get('/dossiers/:id/supplement', { config: citizen, schema: hide }, async (req, reply) =>
    renderDocs(req, reply, idParam(req.params), null),
  );

  app.post('/dossiers/:id/documents', { config: { ...citizen, multipart: true }, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    let item = -2;
    try {
      const { fields, file } = await readMultipart(app, req, reply, true);
      item = Number(fields.item ?? 'x');
      if (!Number.isInteger(item)) throw new AppError('unknown_document_item');
      if (!file || file.bytes.length === 0) throw new AppError('file_empty');
      await dossiers.attach(req.actor!, id, item, file);
    } catch (e) {
      if (e instanceof AppError && e.code !== 'dossier_not_found' && e.code !== 'csrf_invalid')
        return renderDocs(req, reply, id, { item, code: errKey(e) });
      throw e;
    }
    const d = await repo.findDossier(dossiers.db, id);
    return reply.redirect(`/dossiers/${id}/${d.status === null ? 'documents' : 'supplement'}#item-${item}`, 303);
  });

  app.post('/dossiers/:id/documents/:doc/delete', { config: citizen, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const doc = idParam({ id: (req.params as Record<string, unknown>).doc });
    await dossiers.removeDocument(req.actor!, id, doc);
    const d = await repo.findDossier(dossiers.db, id);
    return reply.redirect(`/dossiers/${id}/${d.status === null ? 'documents' : 'supplement'}`, 303);
  });

  const renderCheck = async (req: FastifyRequest, reply: FastifyReply, id: number, error: MessageKey | undefined) => {
    const { d, row, content } = await draftView(req, id);
    if (d.status !== null) return reply.redirect(`/dossiers/${id}`, 303);
    const problems = await dossiers.problems(row);
    const wards = new Map((await wardList(req.locale)).map((w) => [w.code, w.name]));
    if (error) reply.status(400);
    return renderHtml(
      reply,
      <CheckPage
        ctx={pageContext(req, reply)}
        d={d}
        content={content}
        problems={{ errors: errKeys(problems.errors), missing: problems.missing }}
        wards={wards}
        error={error}
      />,
    );
  };

  app.get('/dossiers/:id/check', { config: citizen, schema: hide }, async (req, reply) =>
    renderCheck(req, reply, idParam(req.params), undefined),
  );

  app.post('/dossiers/:id/submit', { config: citizen, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    try {
      await dossiers.submit(req.actor!, id, formText(req.body, 'declaration', 5) === 'yes');
    } catch (e) {
      if (e instanceof AppError && e.code !== 'dossier_not_found') return renderCheck(req, reply, id, errKey(e));
      throw e;
    }
    return reply.redirect(`/dossiers/${id}/confirmation`, 303);
  });

  app.get('/dossiers/:id/confirmation', { config: citizen, schema: hide }, async (req, reply) => {
    const d = await dossiers.view(req.actor, idParam(req.params));
    if (d.status === null) return reply.redirect(`/dossiers/${d.id}/check`, 303);
    const row = await repo.findDossier(dossiers.db, d.id);
    return renderHtml(reply, <ConfirmationPage ctx={pageContext(req, reply)} d={d} canPayOnline={await payableOnline(req, row, d)} />);
  });

  app.get('/dossiers/:id', { config: { policy: policies.authenticated }, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const d = await dossiers.view(req.actor, id);
    const row = await repo.findDossier(dossiers.db, id);
    const sups = (await desk.supplements(id)) as unknown as Supplement[];
    const pays = await payments.paymentsOf(id);
    const canPayOnline = await payableOnline(req, row, d);
    const notice = formText(req.query, 'notice', 30);
    const known: Record<string, MessageKey> = {
      supplement: 'dossier.supplement.sent',
      claimed: 'dossier.claim.done',
      withdrawal: 'citizen.withdraw.done',
    };
    const ctx = pageContext(req, reply);
    const withdrawError = `err.${formText(req.query, 'withdraw_error', 30)}`;
    const extra = (
      <CitizenProcessingSection
        ctx={ctx}
        p={await citizenProcessing(app, req.actor, row)}
        error={isMessageKey(withdrawError) ? withdrawError : null}
      />
    );
    return renderHtml(
      reply,
      <StatusPage
        ctx={ctx}
        extra={extra}
        d={d}
        content={row.content as VersionContent}
        supplements={sups}
        payments={pays}
        canPayOnline={canPayOnline}
        notice={known[notice] ?? null}
      />,
    );
  });

  app.post('/dossiers/:id/supplement', { config: citizen, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    try {
      await dossiers.provideSupplement(req.actor!, id, null);
    } catch (e) {
      if (e instanceof AppError && e.code === 'supplement_empty')
        return renderDocs(req, reply, id, { item: -1, code: 'err.supplement_empty' });
      throw e;
    }
    return reply.redirect(`/dossiers/${id}?notice=supplement`, 303);
  });

  app.post('/dossiers/:id/pay', { config: citizen, schema: hide }, async (req, reply) => {
    const { url } = await payments.startOnline(req.actor!, idParam(req.params), req.ip);
    return reply.redirect(url, 303);
  });

  app.get('/payments/return', { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
    const { outcome } = await payments.applyNotice(gatewayParams(req.query));
    if (!outcome) reply.status(400);
    return renderHtml(
      reply,
      <PaymentResultPage ctx={pageContext(req, reply)} outcome={outcome?.status ?? 'invalid'} dossierId={outcome?.dossierId ?? null} />,
    );
  });

  const renderMine = async (req: FastifyRequest, reply: FastifyReply, claimError: MessageKey | null, claimValue: string) => {
    const rows = await dossiers.listMine(req.actor!);
    if (claimError) reply.status(400);
    return renderHtml(
      reply,
      <MyDossiersPage
        ctx={pageContext(req, reply)}
        rows={rows.map((r) => ({
          id: r.id,
          code: r.code,
          status: r.status,
          procedure: { vi: r.procedure_vi, en: r.procedure_en },
          unit: { vi: r.unit_vi, en: r.unit_en },
          updatedAt: r.updated_at,
          statusName: r.status ? STATUS_NAME[r.status as StatusCode] : null,
        }))}
        claimError={claimError}
        claimValue={claimValue}
      />,
    );
  };

  app.get('/my/dossiers', { config: citizen, schema: hide }, async (req, reply) => renderMine(req, reply, null, ''));

  app.post('/my/dossiers/claim', { config: citizen, schema: hide }, async (req, reply) => {
    const code = formText(req.body, 'code', 40).trim();
    if (!isDossierCode(code)) return renderMine(req, reply, 'err.invalid_dossier_code', code);
    try {
      const id = await dossiers.claim(req.actor!, code);
      return reply.redirect(`/dossiers/${id}?notice=claimed`, 303);
    } catch (e) {
      return renderMine(req, reply, errKey(e), code);
    }
  });

  app.get('/inbox', { config: { policy: policies.authenticated }, schema: hide }, async (req, reply) => {
    const items = await listInbox(dossiers.db, req.actor!.accountId, { limit: 50, offset: 0 });
    return renderHtml(reply, <InboxPage ctx={pageContext(req, reply)} items={items} />);
  });

  app.post('/inbox/:id/read', { config: { policy: policies.authenticated }, schema: hide }, async (req, reply) => {
    // Someone else's notification is not found, as in the API, rather than silently ignored.
    if (!(await markRead(dossiers.db, req.actor!.accountId, idParam(req.params)))) throw new AppError('not_found');
    return reply.redirect('/inbox', 303);
  });
}
