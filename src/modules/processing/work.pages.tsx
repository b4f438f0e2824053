import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import { vnDateTime } from '../../domain/calendar/days.js';
import { isMessageKey, type MessageKey } from '../../web/i18n/index.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies, type Actor } from '../auth/policy.js';
import { formBase, sendPdf } from '../dossiers/dossier.documents.js';
import * as repo from '../dossiers/dossier.repo.js';
import { queryText } from '../dossiers/desk.views.js';
import { readMultipart } from '../../web/multipart.js';
import { attachWorkDocument } from './work-documents.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import { controlSheet } from './control-sheet.js';
import { ControlSheetPage } from './control-sheet.views.js';
import { apologize } from './lateness.js';
import { isOfficialAt } from './processing.access.js';
import type { ActBody } from './processing.service.js';
import { ACTIONS } from './processing.schema.js';
import { assign, queueUnits, specialistsOf, workQueue, type QueueFilter } from './work-queue.js';
import { WorkDossierPage, type WorkAction, type WorkDossierData } from './work.dossier-views.js';
import { WorkQueuePage, type QueueFilterView } from './work.views.js';

// pdfkit and its fonts load on the first form, not at every start-up.
const forms = () => import('../../docs/processing-forms.js');
const hide = { hide: true };
const WORKERS = { policy: policies.official('desk_officer', 'specialist', 'leader') };
const VIEWERS = { policy: policies.official('desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin') };

/** Failures an official can act on: shown above the form that failed, not as an error page. */
const ACTION_ERRORS = new Set<ErrorCode>([
  'dossier_conflict',
  'invalid_transition',
  'reason_required',
  'decision_required',
  'supplement_items_required',
  'unknown_document_item',
  'invalid_amount',
  'return_method_required',
  'tracking_required',
  'invalid_proposal',
  'no_next_step',
  'no_previous_step',
  'not_assignee',
  'apology_already_issued',
  'apology_too_late',
  'apology_date_invalid',
  'invalid_date',
  'workflow_unit_missing',
  'file_empty',
  'file_too_large',
  'invalid_file_name',
  'file_type_not_allowed',
  'file_type_mismatch',
  'too_many_documents',
]);

const errorMessage = (code: string): MessageKey => {
  const key = `err.${code}`;
  return isMessageKey(key) ? key : 'err.form_invalid';
};

const OPEN_STATUSES = [2, 4, 5, 6];

export async function workPageRoutes(app: App) {
  const { processing, dossiers, calendar, results } = app.services;
  const db = dossiers.db;

  const loadPage = async (actor: Actor, id: number): Promise<WorkDossierData> => {
    const d = await processing.load(actor, id);
    const [documents, events, result, assignee] = await Promise.all([
      repo.listDocuments(db, id),
      repo.listEvents(db, id),
      results.latest(db, id),
      d.assignee_id ? db.selectFrom('account').select('full_name').where('id', '=', d.assignee_id).executeTakeFirst() : undefined,
    ]);
    const wf = d.workflow as { steps: { unitId: number }[] } | null;
    const holding = wf && d.step_index !== null ? wf.steps[d.step_index]!.unitId : d.unit_id;
    const canApologize =
      OPEN_STATUSES.includes(d.status ?? 0) &&
      !d.apology_at &&
      !!d.due_at &&
      d.due_at > new Date() &&
      (isOfficialAt(actor, holding, ['specialist', 'leader']) || isOfficialAt(actor, d.unit_id, ['desk_officer', 'leader']));
    return {
      d,
      documents,
      events,
      result: result
        ? { kind: result.kind, medium: result.medium, verify_token: result.verify_token, file_sha256: result.file_sha256 }
        : null,
      options: processing.options(actor, d),
      canApologize,
      canAttach:
        (d.status === 2 || d.status === 4) &&
        isOfficialAt(actor, holding, ['specialist', 'leader', 'desk_officer']) &&
        d.step_index !== null,
      assignee: assignee?.full_name ?? null,
    };
  };

  app.get('/work', { config: WORKERS, schema: hide }, async (req, reply) => {
    const actor = req.actor!;
    const ctx = pageContext(req, reply);
    const num = (k: string, re: RegExp) => (re.test(queryText(req.query, k, 2)) ? Number(queryText(req.query, k, 2)) : undefined);
    const filter: QueueFilterView = {
      unit: queryText(req.query, 'unit', 40),
      procedure: /^(\d\.\d{6}|L\.\d{6})$/.test(queryText(req.query, 'procedure', 10)) ? queryText(req.query, 'procedure', 10) : '',
      status: queryText(req.query, 'status', 2),
      channel: queryText(req.query, 'channel', 1),
      assigned: ['mine', 'unassigned'].includes(queryText(req.query, 'assigned', 12)) ? queryText(req.query, 'assigned', 12) : '',
      role: ['specialist', 'leader', 'desk_officer'].includes(queryText(req.query, 'role', 14)) ? queryText(req.query, 'role', 14) : '',
    };
    const units = queueUnits(actor);
    if (filter.unit && !units.some((u) => u.unitCode === filter.unit)) filter.unit = '';
    const f: QueueFilter = {
      unit: filter.unit || undefined,
      procedure: filter.procedure || undefined,
      status: num('status', /^([2-9]|10)$/),
      channel: num('channel', /^[123]$/),
      assigned: (filter.assigned || undefined) as QueueFilter['assigned'],
      role: (filter.role || undefined) as QueueFilter['role'],
      page: /^\d{1,3}$/.test(queryText(req.query, 'page', 3)) ? Number(queryText(req.query, 'page', 3)) : 1,
    };
    // The queue, the unit names and the leader's specialists do not depend on each other.
    const chosen = units.find((u) => u.unitCode === f.unit) ?? units[0];
    const leads = !!chosen?.roles.includes('leader');
    const [q, names, specialists] = await Promise.all([
      workQueue(db, actor, f),
      db
        .selectFrom('unit')
        .select(['code', 'name_vi', 'name_en'])
        .where(
          'id',
          'in',
          units.map((u) => u.unitId),
        )
        .execute(),
      leads && chosen ? specialistsOf(db, chosen.unitId) : Promise.resolve([]),
    ]);
    const assigned = queryText(req.query, 'assigned_n', 4);
    const notice = /^\d{1,3}$/.test(assigned) ? ctx.t('work.assign.done', { n: assigned }) : null;
    return renderHtml(
      reply,
      <WorkQueuePage
        ctx={ctx}
        q={q}
        units={names.map((u) => ({ code: u.code, name: ctx.locale === 'en' ? u.name_en : u.name_vi }))}
        filter={{ ...filter, unit: q.unit.unitCode }}
        specialists={specialists}
        notice={notice}
      />,
    );
  });

  app.post('/work/assign', { config: { policy: policies.official('leader') }, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : [raw]).filter((x): x is string => typeof x === 'string' && /^\d{1,15}$/.test(x)).map(Number);
    const who = formText(body, 'assignee', 12);
    const assignee = who === 'none' ? null : /^\d{1,9}$/.test(who) ? Number(who) : null;
    const unit = formText(body, 'unit', 40);
    const r = await assign(db, req.actor!, unit, ids, assignee);
    return reply.redirect(`/work?unit=${encodeURIComponent(unit)}&assigned_n=${r.assigned}`, 303);
  });

  app.get('/work/dossiers/:id', { config: VIEWERS, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const data = await loadPage(req.actor!, id);
    const done = queryText(req.query, 'done', 30);
    return renderHtml(
      reply,
      <WorkDossierPage ctx={pageContext(req, reply)} {...data} done={/^[a-z_]+$/.test(done) ? done : null} failure={null} />,
    );
  });

  const failed = async (req: FastifyRequest, reply: FastifyReply, id: number, action: WorkAction, e: unknown) => {
    if (!(e instanceof AppError) || !ACTION_ERRORS.has(e.code)) throw e;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(
      Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf' && k.length < 50),
    ) as Record<string, string>;
    const data = await loadPage(req.actor!, id);
    const failure = { action, message: errorMessage(e.code), values };
    return renderHtml(
      reply.status(ERROR_STATUS[e.code]),
      <WorkDossierPage ctx={pageContext(req, reply)} {...data} done={null} failure={failure} />,
    );
  };

  app.post('/work/dossiers/:id/act', { config: WORKERS, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string, max = 2000) => formText(body, k, max);
    const action = text('action', 30) as ActBody['action'];
    if (!(ACTIONS as readonly string[]).includes(action)) throw new AppError('validation_failed');
    const rev = text('revision', 12);
    try {
      const d = await processing.load(req.actor!, id);
      const items = action === 'request_supplement' ? supplementItems(d, text) : undefined;
      const amount = text('amount', 16).replace(/[.,\s]/g, '');
      const input: ActBody = {
        action,
        revision: /^\d{1,9}$/.test(rev) ? Number(rev) : -1,
        note: text('note') || null,
        reason: text('reason') || null,
        decision: action === 'pass' ? text('decision', 10) || null : text('decision') || null,
        legalBasis: text('legalBasis', 500) || null,
        medium: text('medium', 12) === 'paper' ? 'paper' : 'electronic',
        method: (['desk', 'post', 'online'] as const).find((m) => m === text('method', 10)),
        tracking: text('tracking', 64) || null,
        items,
        amount: /^\d{1,13}$/.test(amount) ? Number(amount) : undefined,
      };
      await processing.act(req.actor!, id, input);
      return reply.redirect(`/work/dossiers/${id}?done=${action}`, 303);
    } catch (e) {
      return failed(req, reply, id, action, e);
    }
  });

  app.post('/work/dossiers/:id/apology', { config: WORKERS, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rev = formText(body, 'revision', 12);
    try {
      const date = formText(body, 'newDate', 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new AppError('apology_date_invalid');
      // The new appointment is the end of that day's office hours, as appointments are.
      let newDue: Date;
      try {
        newDue = vnDateTime(date, '17:00');
      } catch {
        throw new AppError('apology_date_invalid');
      }
      await apologize(dossiers, req.actor!, id, /^\d{1,9}$/.test(rev) ? Number(rev) : -1, formText(body, 'reason'), newDue);
      return reply.redirect(`/work/dossiers/${id}?done=apology`, 303);
    } catch (e) {
      return failed(req, reply, id, 'apology', e);
    }
  });

  app.post('/work/dossiers/:id/attach', { config: { ...WORKERS, multipart: true }, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    try {
      const { file } = await readMultipart(app, req, reply, true);
      if (!file || file.bytes.length === 0) throw new AppError('file_empty');
      await attachWorkDocument(dossiers, req.actor!, id, file);
      return reply.redirect(`/work/dossiers/${id}?done=attach`, 303);
    } catch (e) {
      return failed(req, reply, id, 'attach', e);
    }
  });

  app.get('/work/dossiers/:id/control-sheet', { config: VIEWERS, schema: hide }, async (req, reply) => {
    const d = await processing.load(req.actor!, idParam(req.params));
    const sheet = await controlSheet(db, d, await calendar.calendar());
    return renderHtml(reply, <ControlSheetPage ctx={pageContext(req, reply)} d={d} sheet={sheet} />);
  });

  app.get('/work/dossiers/:id/forms/05.pdf', { config: VIEWERS, schema: hide }, async (req, reply) => {
    const d = await processing.load(req.actor!, idParam(req.params));
    const sheet = await controlSheet(db, d, await calendar.calendar());
    const base = await formBase(app, d, undefined, new Date());
    const pdf = await (
      await forms()
    ).controlSheetPdf({
      ...base,
      officerName: sheet.receivedBy ?? '',
      receivedAt: sheet.receivedAt,
      dueAt: sheet.originalDueAt ?? sheet.dueAt,
      lines: sheet.lines.map((l) => ({
        step: l.stepName,
        unit: l.unit,
        official: l.official ?? '',
        startedAt: l.startedAt,
        dueAt: l.dueAt,
        finishedAt: l.finishedAt,
        rating: l.rating,
      })),
    });
    return sendPdf(reply, `mau-05-${d.code}.pdf`, pdf);
  });

  // Form 04 for the officials and for the applicant (who may see the dossier).
  app.get('/work/dossiers/:id/forms/04.pdf', { config: { policy: policies.authenticated }, schema: hide }, async (req, reply) => {
    const d = await processing.load(req.actor!, idParam(req.params));
    if (!d.apology_at || !d.original_due_at || !d.due_at || !d.received_at) throw new AppError('not_found');
    const events = await repo.listEvents(db, d.id);
    const ev = [...events].reverse().find((e) => e.action === 'apologize');
    const base = await formBase(app, d, ev, d.apology_at);
    const pdf = await (
      await forms()
    ).apologyPdf({
      ...base,
      receivedAt: d.received_at,
      reason: ev?.note ?? '',
      originalDueAt: d.original_due_at,
      newDueAt: d.due_at,
      signerName: ev?.actor_name ?? '',
    });
    return sendPdf(reply, `mau-04-${d.code}.pdf`, pdf);
  });
}

/** Form 02 from a processing step: one reason per document that must be supplemented. */
function supplementItems(d: repo.DossierRow, text: (k: string, max?: number) => string) {
  const docs = (d.content as VersionContent).documents;
  const keys = [...docs.map((_, i) => ({ item: i, key: String(i) })), { item: -1, key: 'other' }];
  return keys.map(({ item, key }) => ({ item, reason: text(`reason.${key}`, 500).trim() })).filter((x) => x.reason);
}
