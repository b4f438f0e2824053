import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { maskCitizenId } from '../../domain/identity.js';
import { STATUS } from '../../domain/dossier/status.js';
import type { DossierFormBase, FormDocumentLine, Named } from '../../docs/dossier-forms.js';
import { AppError } from '../../lib/errors.js';
import { sendStoredFile } from '../../web/download.js';
import type { App } from '../../web/request-context.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import { policies } from '../auth/policy.js';
import * as repo from './dossier.repo.js';
import type { Applicant } from './dossier.schema.js';

// pdfkit and its fonts load on the first form, not at every start-up.
const forms = () => import('../../docs/dossier-forms.js');

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const Params = Type.Object({ id: Id });
const OTHER: Named = { vi: 'Giấy tờ khác', en: 'Other documents' };

type EventRow = Awaited<ReturnType<typeof repo.listEvents>>[number];

/** What every form says of the dossier: unit and its parent, procedure, applicant (ID masked), lookup QR. */
export async function formBase(app: App, d: repo.DossierRow, officer: EventRow | undefined, issuedAt: Date): Promise<DossierFormBase> {
  const db = app.services.dossiers.db;
  const a = d.applicant as Applicant;
  const [parent, ward] = await Promise.all([
    d.unit_parent_id === null
      ? undefined
      : db.selectFrom('unit').select(['name_vi', 'name_en']).where('id', '=', d.unit_parent_id).executeTakeFirst(),
    a.address?.ward ? db.selectFrom('unit').select(['name_vi']).where('code', '=', a.address.ward).executeTakeFirst() : undefined,
  ]);
  const address = a.address ? [a.address.street, ward?.name_vi ?? a.address.ward].filter(Boolean).join(', ') : null;
  return {
    locale: d.locale,
    code: d.code ?? '',
    unit: { name: { vi: d.unit_vi, en: d.unit_en }, parentName: parent ? { vi: parent.name_vi, en: parent.name_en } : null },
    procedure: { code: d.procedure_code, name: { vi: d.procedure_vi, en: d.procedure_en } },
    applicant: {
      name: a.name,
      citizenIdMasked: a.citizenId ? maskCitizenId(a.citizenId) : null,
      phone: a.phone,
      email: a.email,
      address: address || null,
    },
    channel: (d.channel === 2 || d.channel === 3 ? d.channel : 1) as 1 | 2 | 3,
    officerName: officer?.actor_name ?? '',
    lookupUrl: `${app.config.baseUrl}/lookup?code=${encodeURIComponent(d.code ?? '')}`,
    issuedAt,
  };
}

const lastEvent = (events: EventRow[], action: string, match: (data: Record<string, unknown>) => boolean = () => true) =>
  [...events].reverse().find((e) => e.action === action && match((e.data ?? {}) as Record<string, unknown>));

export function sendPdf(reply: FastifyReply, name: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

/** Forms 01–03 and fee receipts, for whoever may see the dossier (its applicant, its unit's officials). */
export async function dossierDocumentRoutes(app: App) {
  const { dossiers, desk, payments } = app.services;
  const db = dossiers.db;
  const config = { policy: policies.authenticated };

  app.get('/dossiers/:id/forms/01.pdf', { config, schema: { hide: true, params: Params } }, async (req, reply) => {
    const d = await dossiers.load(req.actor, req.params.id);
    if (!d.received_at) throw new AppError('invalid_transition');
    const [events, documents] = await Promise.all([repo.listEvents(db, d.id), repo.listDocuments(db, d.id)]);
    const received = lastEvent(events, 'receive');
    const content = d.content as VersionContent;
    const provided = (item: number): FormDocumentLine['provided'] => {
      const mine = documents.filter((x) => x.item === item);
      return mine.some((x) => x.file_sha256) ? 'file' : mine.some((x) => x.paper) ? 'paper' : 'missing';
    };
    // What was asked for and what came in: required items always, optional ones only when handed in.
    const lines: FormDocumentLine[] = content.documents.flatMap((doc, i) =>
      doc.required !== false || provided(i) !== 'missing'
        ? [{ name: doc.name, originals: doc.originals, copies: doc.copies, provided: provided(i) }]
        : [],
    );
    if (provided(-1) !== 'missing') lines.push({ name: OTHER, originals: null, copies: null, provided: provided(-1) });
    const pdf = await (
      await forms()
    ).receiptPdf({
      ...(await formBase(app, d, received, d.received_at)),
      receivedAt: d.received_at,
      dueAt: d.due_at,
      documents: lines,
      feeAmount: d.fee_amount,
    });
    return sendPdf(reply, `${d.code}-01.pdf`, pdf);
  });

  app.get(
    '/dossiers/:id/forms/02.pdf',
    {
      config,
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ round: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
      },
    },
    async (req, reply) => {
      const d = await dossiers.load(req.actor, req.params.id);
      const rounds = await desk.supplements(d.id);
      const s = req.query.round === undefined ? rounds.at(-1) : rounds.find((r) => r.round === req.query.round);
      if (!s) throw new AppError('not_found');
      const events = await repo.listEvents(db, d.id);
      const content = d.content as VersionContent;
      const items = (s.items as { item: number; reason: string }[]).map((x) => ({
        name: x.item === -1 ? OTHER : (content.documents[x.item]?.name ?? OTHER),
        reason: x.reason,
      }));
      const event = lastEvent(events, 'request_supplement', (data) => data.round === s.round);
      const pdf = await (await forms()).supplementPdf({ ...(await formBase(app, d, event, s.requested_at)), items, note: s.note });
      return sendPdf(reply, `${d.code}-02-${s.round}.pdf`, pdf);
    },
  );

  app.get('/dossiers/:id/forms/03.pdf', { config, schema: { hide: true, params: Params } }, async (req, reply) => {
    const d = await dossiers.load(req.actor, req.params.id);
    const event = d.status === STATUS.refused ? lastEvent(await repo.listEvents(db, d.id), 'refuse') : undefined;
    if (!event) throw new AppError('invalid_transition');
    const legalBasis = (event.data as { legalBasis?: unknown } | null)?.legalBasis;
    const pdf = await (
      await forms()
    ).refusalPdf({
      ...(await formBase(app, d, event, event.at)),
      reason: event.note ?? '',
      legalBasis: typeof legalBasis === 'string' && legalBasis ? legalBasis : null,
    });
    return sendPdf(reply, `${d.code}-03.pdf`, pdf);
  });

  app.get(
    '/dossiers/:id/payments/:paymentId/receipt.pdf',
    { config, schema: { hide: true, params: Type.Object({ id: Id, paymentId: Id }) } },
    async (req, reply) => {
      const d = await dossiers.load(req.actor, req.params.id);
      const p = await payments.receipt(req.params.paymentId);
      if (!p || p.dossier_id !== d.id || !p.receipt_no || !p.paid_at) throw new AppError('payment_not_found');
      const events = await repo.listEvents(db, d.id);
      const event = lastEvent(events, 'pay', (data) => data.receiptNo === p.receipt_no);
      const pdf = await (
        await forms()
      ).feeReceiptPdf({
        ...(await formBase(app, d, event, p.paid_at)),
        receiptNo: p.receipt_no,
        amount: p.amount,
        method: p.method,
        paidAt: p.paid_at,
        txnRef: p.method === 'gateway' ? (p.provider_txn ?? p.txn_ref) : null,
      });
      return sendPdf(reply, `${d.code}-${p.receipt_no}.pdf`, pdf);
    },
  );

  // An uploaded document, as an attachment with the type found in its bytes: never rendered inline,
  // so a file can not act as a page of this site (web/download.ts).
  app.get(
    '/dossiers/:id/documents/:docId',
    { config, schema: { hide: true, params: Type.Object({ id: Id, docId: Id }) } },
    async (req, reply) => {
      const f = await dossiers.file(req.actor, req.params.id, req.params.docId);
      return sendStoredFile(reply, f.bytes, f.name);
    },
  );
}
