import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import { unflatten, type Ward } from '../../web/components/dossier-form.js';
import type { FieldErrors } from '../../web/components/form.js';
import { isMessageKey, type Locale, type MessageKey } from '../../web/i18n/index.js';
import { readItemUpload } from '../../web/multipart.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies, type Actor } from '../auth/policy.js';
import { CheckPage, type CheckData, type DeskAction, type Done } from './desk.check.js';
import { DESK_ROLES } from './desk.service.js';
import * as repo from './dossier.repo.js';
import { findOffer, type Offer } from './dossier.rules.js';
import { deskReportRoutes } from './desk.reports.js';
import {
  PROCEDURE_CODE,
  queryText,
  QueuePage,
  WalkInChoosePage,
  WalkInFormPage,
  type DeskUnit,
  type Option,
  type WalkInFormProps,
} from './desk.views.js';

const DONE: readonly Done[] = ['registered', 'received', 'supplement', 'refused', 'paper', 'cash', 'scan'];

/** Failures the officer can act on: shown on the check page above the forms, not as an error page. */
const ACTION_ERRORS = new Set<ErrorCode>([
  'dossier_conflict',
  'invalid_transition',
  'reason_required',
  'supplement_items_required',
  'unknown_document_item',
  'no_supplement_pending',
  'fee_unknown',
  'nothing_to_pay',
  'payment_amount_mismatch',
  'invalid_amount',
  'file_empty',
  'file_too_large',
  'invalid_file_name',
  'file_type_not_allowed',
  'file_type_mismatch',
  'too_many_documents',
  'validation_failed',
]);
const WALK_IN_ERRORS = new Set<ErrorCode>(['procedure_not_offered', 'procedure_not_found', 'unit_not_found', 'unknown_document_item']);

/** A problem of a desk form found before the service is called. */
class PageProblem extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
  }
}

const errorMessage = (code: string): MessageKey => {
  if (code === 'payment_amount_mismatch') return 'desk.cash.mismatch';
  const key = `err.${code}`;
  return isMessageKey(key) ? key : 'err.form_invalid';
};

/** Small read models of the desk pages (names for the selects); the decisions stay in the services. */
export function deskLookups(app: App) {
  const { desk, dossiers, units: unitService } = app.services;
  const db = dossiers.db;
  const deskUnits = async (actor: Actor, locale: Locale): Promise<DeskUnit[]> => {
    const ids = [...new Set(desk.deskUnits(actor).map((g) => g.unitId))];
    if (ids.length === 0) throw new AppError('forbidden');
    const rows = await db.selectFrom('unit').select(['id', 'code', 'name_vi', 'name_en']).where('id', 'in', ids).orderBy('code').execute();
    return rows.map((u) => ({ id: u.id, code: u.code, name: locale === 'en' ? u.name_en : u.name_vi }));
  };
  const offered = async (units: DeskUnit[], locale: Locale): Promise<Option[]> => {
    const rows = await db
      .selectFrom('unit_procedure as up')
      .innerJoin('procedure as p', 'p.id', 'up.procedure_id')
      .select(['p.code', 'p.name_vi', 'p.name_en'])
      .where(
        'up.unit_id',
        'in',
        units.map((u) => u.id),
      )
      .groupBy(['p.code', 'p.name_vi', 'p.name_en'])
      .orderBy('p.code')
      .execute();
    return rows.map((p) => ({ value: p.code, label: `${p.code} – ${locale === 'en' ? p.name_en : p.name_vi}` }));
  };
  const wardList = async (locale: Locale): Promise<Ward[]> => {
    const [districts, communes] = await Promise.all([unitService.list({ level: 'district' }), unitService.list({ level: 'commune' })]);
    const parent = new Map(districts.map((d) => [d.code, d.name[locale]]));
    return communes
      .map((c) => ({
        code: c.code,
        name: parent.has(c.parentCode ?? '') ? `${c.name[locale]} – ${parent.get(c.parentCode!)}` : c.name[locale],
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  };
  const wardNames = async (codes: string[], locale: Locale) => {
    const wanted = [...new Set(codes.filter(Boolean))];
    if (wanted.length === 0) return new Map<string, string>();
    const rows = await db.selectFrom('unit').select(['code', 'name_vi', 'name_en']).where('code', 'in', wanted).execute();
    return new Map(rows.map((r) => [r.code, locale === 'en' ? r.name_en : r.name_vi]));
  };
  /** Of these dossiers waiting for a supplement, those whose applicant said the supplement is complete. */
  const suppliedBy = async (ids: number[]) => {
    if (ids.length === 0) return new Set<number>();
    const rows = await db
      .selectFrom('dossier_supplement')
      .select('dossier_id')
      .where('dossier_id', 'in', ids)
      .where('closed_at', 'is', null)
      .where('provided_at', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.dossier_id));
  };
  const procedureName = async (id: number, locale: Locale) => {
    const p = await db.selectFrom('procedure').select(['code', 'name_vi', 'name_en']).where('id', '=', id).executeTakeFirstOrThrow();
    return { code: p.code, name: locale === 'en' ? p.name_en : p.name_vi };
  };
  const chosenUnit = (units: DeskUnit[], code: string) => units.find((u) => u.code === code) ?? units[0]!;
  return { deskUnits, offered, wardList, wardNames, suppliedBy, procedureName, chosenUnit };
}
export type DeskLookups = ReturnType<typeof deskLookups>;

export async function deskPageRoutes(app: App) {
  const { desk, dossiers, payments } = app.services;
  const db = dossiers.db;
  const policy = policies.official(...DESK_ROLES);
  const opts = { config: { policy }, schema: { hide: true } };

  const lookups = deskLookups(app);
  const { deskUnits, offered, wardList, wardNames, suppliedBy, procedureName, chosenUnit } = lookups;

  // ------------------------------------------------------------ queue

  app.get('/desk', opts, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const units = await deskUnits(req.actor!, ctx.locale);
    const unit = units.some((u) => u.code === queryText(req.query, 'unit')) ? queryText(req.query, 'unit') : '';
    const procedure = PROCEDURE_CODE.test(queryText(req.query, 'procedure')) ? queryText(req.query, 'procedure') : '';
    const statusRaw = queryText(req.query, 'status');
    const status = statusRaw === '1' ? 1 : statusRaw === '5' ? 5 : undefined;
    const rows = await desk.queue(req.actor!, { unitCode: unit || undefined, procedure: procedure || undefined, status });
    const provided = await suppliedBy(rows.filter((r) => r.status === 5).map((r) => r.id));
    const items = rows.map((d) => ({
      id: d.id,
      code: d.code ?? '',
      procedure: `${d.procedure_code} – ${ctx.locale === 'en' ? d.procedure_en : d.procedure_vi}`,
      applicant: d.applicant_name,
      channel: d.channel,
      status: d.status ?? 0,
      submittedAt: d.submitted_at,
      provided: provided.has(d.id),
    }));
    const filter = { unit, procedure, status: status ? String(status) : '' };
    return renderHtml(
      reply,
      <QueuePage ctx={ctx} units={units} procedures={await offered(units, ctx.locale)} filter={filter} items={items} />,
    );
  });

  // ------------------------------------------------------------ walk-in registration

  const walkInForm = async (req: FastifyRequest, reply: FastifyReply, unit: DeskUnit, offer: Offer, over: Partial<WalkInFormProps>) => {
    const ctx = pageContext(req, reply);
    const procedure = await procedureName(offer.procedureId, ctx.locale);
    const props: WalkInFormProps = {
      ctx,
      unit,
      procedure,
      content: offer.content,
      wards: await wardList(ctx.locale),
      values: { channel: '1' },
      answers: {},
      errors: {},
      formError: undefined,
      extraRow: null,
      ...over,
    };
    return renderHtml(reply, <WalkInFormPage {...props} />);
  };

  app.get('/desk/walk-in', opts, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const units = await deskUnits(req.actor!, ctx.locale);
    const unit = chosenUnit(units, queryText(req.query, 'unit'));
    const procedure = queryText(req.query, 'procedure', 20);
    let error: MessageKey | undefined;
    if (procedure) {
      if (!PROCEDURE_CODE.test(procedure)) error = 'err.procedure_not_found';
      else {
        try {
          return await walkInForm(req, reply, unit, await findOffer(db, procedure, unit.code, 1), {});
        } catch (e) {
          if (!(e instanceof AppError) || !WALK_IN_ERRORS.has(e.code)) throw e;
          error = errorMessage(e.code);
        }
      }
    }
    const procedures = await offered([unit], ctx.locale);
    return renderHtml(
      reply.status(error ? 400 : 200),
      <WalkInChoosePage ctx={ctx} units={units} procedures={procedures} value={{ procedure, unit: unit.code }} error={error} />,
    );
  });

  app.post('/desk/walk-in', opts, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const units = await deskUnits(req.actor!, req.locale);
    const unit = units.find((u) => u.code === formText(body, 'unit', 20));
    const procedure = formText(body, 'procedure', 20);
    if (!unit || !PROCEDURE_CODE.test(procedure)) throw new AppError('not_found');
    const offer = await findOffer(db, procedure, unit.code, 1);
    const values: Record<string, string> = {};
    for (const k of ['name', 'citizenId', 'phone', 'email', 'address.ward', 'address.street']) {
      values[`applicant.${k}`] = formText(body, `applicant.${k}`, k === 'email' ? 254 : 200);
    }
    values.exemption = formText(body, 'exemption', 41);
    values.channel = formText(body, 'channel', 1) === '3' ? '3' : '1';
    values.locale = formText(body, 'locale', 2) === 'en' ? 'en' : 'vi';
    const paperItems = offer.content.documents.flatMap((_, i) => (formText(body, `paper.${i}`, 1) === '1' ? [i] : []));
    for (const i of paperItems) values[`paper.${i}`] = '1';
    const answers = unflatten(body, 'f.');
    const action = formText(body, '_action', 60);
    if (action.startsWith('add:')) return walkInForm(req, reply, unit, offer, { values, answers, extraRow: action.slice(4) });
    const v = (k: string) => values[`applicant.${k}`]!.trim();
    const errors: FieldErrors = {};
    let formError: MessageKey | undefined;
    try {
      const r = await desk.walkIn(req.actor!, {
        procedure,
        unit: unit.code,
        applicant: {
          name: v('name'),
          citizenId: v('citizenId') || null,
          phone: v('phone') || null,
          email: v('email') || null,
          address: v('address.ward') || v('address.street') ? { ward: v('address.ward'), street: v('address.street') } : null,
        },
        form: answers,
        exemption: (offer.content.fee?.exemptions ?? []).some((e) => e.code === values.exemption) ? values.exemption! : null,
        paperItems,
        channel: values.channel === '3' ? 3 : 1,
        locale: values.locale === 'en' ? 'en' : 'vi',
      });
      return reply.redirect(`/desk/dossiers/${r.id}?done=registered`, 303);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === 'form_invalid') {
        for (const [path, code] of Object.entries(e.fields))
          errors[path.startsWith('applicant.') ? path : `f.${path}`] = errorMessage(code);
      } else if (WALK_IN_ERRORS.has(e.code)) formError = errorMessage(e.code);
      else throw e;
    }
    return walkInForm(req, reply.status(400), unit, offer, { values, answers, errors, formError });
  });

  // ------------------------------------------------------------ check page and decisions

  const loadCheck = async (actor: Actor, id: number, locale: Locale): Promise<CheckData> => {
    const d = await dossiers.load(actor, id);
    const [documents, events, supplements, paymentRows, paid] = await Promise.all([
      repo.listDocuments(db, id),
      repo.listEvents(db, id),
      desk.supplements(id),
      payments.paymentsOf(id),
      dossiers.paidAmount(id),
    ]);
    const form = (d.form_data ?? {}) as Record<string, unknown>;
    const addressWards = (d.content as VersionContent).form
      .filter((f) => f.type === 'address')
      .map((f) => (form[f.name] as { ward?: string } | undefined)?.ward ?? '');
    const applicantWard = (d.applicant as { address?: { ward?: string } | null }).address?.ward ?? '';
    return {
      d,
      documents,
      events,
      supplements,
      payments: paymentRows,
      paid,
      wards: await wardNames([applicantWard, ...addressWards], locale),
    };
  };

  app.get('/desk/dossiers/:id', opts, async (req, reply) => {
    const id = idParam(req.params);
    const ctx = pageContext(req, reply);
    const data = await loadCheck(req.actor!, id, ctx.locale);
    const done = DONE.find((x) => x === queryText(req.query, 'done')) ?? null;
    return renderHtml(reply, <CheckPage ctx={ctx} {...data} done={done} failure={null} />);
  });

  type Run = (actor: Actor, d: repo.DossierRow, text: (k: string, max?: number) => string, revision: number | null) => Promise<Done>;
  const decision = (action: DeskAction, run: Run) =>
    app.post(`/desk/dossiers/:id/${action}`, opts, async (req, reply) => {
      const id = idParam(req.params);
      const actor = req.actor!;
      const d = await dossiers.load(actor, id);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (k: string, max = 2000) => formText(body, k, max);
      const rev = text('revision', 12);
      const revision = /^\d{1,9}$/.test(rev) ? Number(rev) : null;
      let message: MessageKey;
      let status = 400;
      try {
        return reply.redirect(`/desk/dossiers/${id}?done=${await run(actor, d, text, revision)}`, 303);
      } catch (e) {
        if (e instanceof PageProblem) message = e.key;
        else if (e instanceof AppError && ACTION_ERRORS.has(e.code)) {
          message = errorMessage(e.code);
          status = ERROR_STATUS[e.code];
        } else throw e;
      }
      const values = Object.fromEntries(
        Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf' && k.length < 50),
      ) as Record<string, string>;
      const ctx = pageContext(req, reply);
      const data = await loadCheck(actor, id, ctx.locale);
      return renderHtml(reply.status(status), <CheckPage ctx={ctx} {...data} done={null} failure={{ action, message, values }} />);
    });

  // A scan made at the desk: a multipart form, read and CSRF-checked by readMultipart.
  app.post('/desk/dossiers/:id/scan', { ...opts, config: { ...opts.config, multipart: true } }, async (req, reply) => {
    const id = idParam(req.params);
    const actor = req.actor!;
    await dossiers.load(actor, id);
    try {
      const { item, file } = await readItemUpload(app, req, reply, true);
      await desk.attachScan(actor, id, item, file);
      return reply.redirect(`/desk/dossiers/${id}?done=scan`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || !ACTION_ERRORS.has(e.code)) throw e;
      const ctx = pageContext(req, reply);
      const data = await loadCheck(actor, id, ctx.locale);
      const failure = { action: 'scan' as const, message: errorMessage(e.code), values: {} };
      return renderHtml(reply.status(ERROR_STATUS[e.code]), <CheckPage ctx={ctx} {...data} done={null} failure={failure} />);
    }
  });

  // The paper and cash forms carry the revision too, though their services take none: a stale page must not act.
  const fresh = (d: repo.DossierRow, revision: number | null) => {
    if (revision !== null && revision !== d.revision) throw new AppError('dossier_conflict');
  };
  const documentCount = (d: repo.DossierRow) => (d.content as VersionContent).documents.length;

  decision('paper', async (actor, d, text, revision) => {
    fresh(d, revision);
    const items = Array.from({ length: documentCount(d) }, (_, i) => i).filter((i) => text(`paper.${i}`, 1) === '1');
    if (items.length === 0) throw new PageProblem('desk.paper.none');
    await desk.markPaper(actor, d.id, items);
    return 'paper';
  });

  decision('receive', async (actor, d, text, revision) => {
    await desk.receive(actor, d.id, revision, text('note').trim() || null);
    return 'received';
  });

  decision('supplement', async (actor, d, text, revision) => {
    const keys = [...Array.from({ length: documentCount(d) }, (_, i) => ({ item: i, key: String(i) })), { item: -1, key: 'other' }];
    const items: { item: number; reason: string }[] = [];
    for (const { item, key } of keys) {
      const ticked = text(`sup.${key}`, 1) === '1';
      const reason = text(`reason.${key}`, 500).trim();
      // A typed reason asks for the document as well as a ticked box; a ticked box needs its reason.
      if (ticked && !reason) throw new PageProblem('desk.sup.reasonMissing');
      if (reason) items.push({ item, reason });
    }
    await desk.requestSupplement(actor, d.id, revision, items, text('note').trim() || null);
    return 'supplement';
  });

  decision('refuse', async (actor, d, text, revision) => {
    await desk.refuse(actor, d.id, revision, text('reason'), text('legalBasis', 500).trim() || null);
    return 'refused';
  });

  decision('cash', async (actor, d, text, revision) => {
    fresh(d, revision);
    const amount = text('amount', 12);
    await payments.recordCash(actor, d.id, /^\d{1,10}$/.test(amount) ? Number(amount) : NaN);
    return 'cash';
  });

  deskReportRoutes(app, lookups);
}
