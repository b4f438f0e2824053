import { Type, type Static } from '@sinclair/typebox';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { formatCurrency, formatDate, translator, type Locale, type MessageKey } from '../../web/i18n/index.js';
import { formText } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { loginRateLimit } from '../auth/auth.routes.js';
import { policies } from '../auth/policy.js';
import type { TrackingView } from './tracking.service.js';
import { eventLabel, LookupPage } from './tracking.views.js';

const Named = Type.Object({ vi: Type.String(), en: Type.String() });
const Iso = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const LookupResponse = Type.Object({
  code: Type.String(),
  procedure: Type.Object({ code: Type.String(), name: Named }),
  unit: Type.Object({ code: Type.String(), name: Named }),
  channel: Type.Integer({ description: '1 in person, 2 online, 3 by post' }),
  applicantFirstName: Type.String({ description: 'The given name only' }),
  status: Type.Object({ code: Type.Integer({ minimum: 1, maximum: 10, description: 'National status code' }), name: Named }),
  submittedAt: Iso,
  receivedAt: Iso,
  appointment: Type.Object({
    dueAt: Iso,
    originalDueAt: Type.Union([Type.String(), Type.Null()], { description: 'Set when form 04 moved the appointment' }),
    apologyAt: Iso,
    clockPaused: Type.Boolean(),
  }),
  timeline: Type.Array(
    Type.Object({
      at: Type.String(),
      action: Type.String(),
      label: Type.String({ description: "In the request's language" }),
      status: Type.Union([Type.Integer(), Type.Null()], { description: 'The status after the event, when it changed' }),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  next: Type.Object({
    step: Type.String({ description: 'wait_desk, wait, supplement, pay, withdrawal, refused, stopped, collect, done' }),
    text: Type.Array(Type.String(), { description: "What the citizen must do, in plain sentences in the request's language" }),
    documents: Type.Array(Type.Object({ name: Type.Union([Named, Type.Null()]), reason: Type.String() })),
    amountDue: Type.Union([Type.Integer(), Type.Null()]),
    payOnline: Type.Boolean(),
    reason: Type.Union([Type.String(), Type.Null()]),
  }),
});

const LookupQuery = Type.Object(
  {
    code: Type.String({ maxLength: 64, description: 'Dossier code, e.g. 000.13.42.H26-261127-0001' }),
    check: Type.String({ maxLength: 16, description: "Last 4 digits of the applicant's phone or citizen ID" }),
    lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')], { description: 'Language of the labels and sentences' })),
  },
  { additionalProperties: false },
);

/** The next-step sentences, shared by the page and the API so both say the same thing. */
export function nextText(v: TrackingView, locale: Locale): string[] {
  const t = translator(locale);
  const n = v.next;
  const date = (d: Date) => formatDate(d, locale);
  const money = (a: number) => formatCurrency(a, locale);
  const reason = n.reason ? [t('tracking.next.reason', { reason: n.reason })] : [];
  switch (n.step) {
    case 'wait_desk':
      return [t('tracking.next.wait_desk')];
    case 'wait':
      return [t('tracking.next.wait'), ...(v.dueAt ? [t('tracking.next.waitUntil', { date: date(v.dueAt) })] : [])];
    case 'supplement':
      return n.supplementSent ? [t('tracking.next.supplementSent')] : [t('tracking.next.supplement')];
    case 'pay':
      return [
        n.amountDue !== null ? t('tracking.next.pay', { amount: money(n.amountDue) }) : t('tracking.next.payUnknown'),
        t('tracking.next.payDesk'),
      ];
    case 'withdrawal':
      return [t('tracking.next.withdrawal')];
    case 'refused':
      return [t('tracking.next.refused'), ...reason];
    case 'stopped':
      return [t('tracking.next.stopped'), ...reason];
    case 'collect':
      return [...(n.rejected ? [t('tracking.next.rejected'), ...reason] : []), t('tracking.next.collect')];
    case 'done':
      return [
        ...(n.rejected ? [t('tracking.next.rejected'), ...reason] : []),
        n.postalTracking ? t('tracking.next.posted', { tracking: n.postalTracking }) : t('tracking.next.done'),
      ];
  }
}

export async function trackingRoutes(app: App) {
  const { tracking } = app.services;
  // The second factor is only four digits: guessing is held back per address like password
  // guessing (here), and per code across addresses (in the service).
  const config = () => ({ policy: policies.public, rateLimit: loginRateLimit(app) });

  app.get('/api/v1/lookup', {
    config: config(),
    schema: {
      tags: ['tracking'],
      summary: "Public tracking: a dossier's status, appointment, timeline and next step, by its code and a second factor",
      description: 'A wrong factor and an unknown code give the same 404 lookup_failed. Shows no personal data beyond the given name.',
      querystring: LookupQuery,
      response: { 200: LookupResponse },
    },
    handler: async (req, reply) => {
      const v = await tracking.lookup(req.query.code, req.query.check);
      reply.header('cache-control', 'no-store');
      return toJson(v, req.locale);
    },
  });

  app.get('/lookup', { config: config(), schema: { hide: true } }, async (req, reply) => {
    const code = formText(req.query, 'code', 64).trim();
    // Only the form sends `check`; a QR code or a message link carries just the code, and then
    // the page shows the form with the code filled in.
    const asked = typeof (req.query as Record<string, unknown> | undefined)?.check === 'string';
    let error: ErrorCode | null = null;
    let found: TrackingView | null = null;
    if (asked) {
      try {
        found = await tracking.lookup(code, formText(req.query, 'check', 16));
      } catch (e) {
        if (!(e instanceof AppError) || e.code === 'rate_limited') throw e;
        error = e.code;
        reply.status(e.code === 'lookup_failed' ? 404 : 400);
      }
    }
    const ctx = pageContext(req, reply);
    return renderHtml(
      reply,
      <LookupPage
        ctx={ctx}
        code={found?.code ?? code}
        error={error ? (`err.${error}` as MessageKey) : null}
        errorField={error === 'invalid_lookup_check' ? 'check' : 'code'}
        found={found}
        next={found ? nextText(found, ctx.locale) : []}
        rateHref={
          found?.status === 10
            ? `/rate?${new URLSearchParams({ code: found.code, check: formText(req.query, 'check', 16).replace(/\s/g, '') }).toString()}`
            : null
        }
      />,
    );
  });
}

function toJson(v: TrackingView, locale: Locale): Static<typeof LookupResponse> {
  const t = translator(locale);
  return {
    code: v.code,
    procedure: v.procedure,
    unit: v.unit,
    channel: v.channel,
    applicantFirstName: v.applicantFirstName,
    status: { code: v.status, name: v.statusName },
    submittedAt: v.submittedAt?.toISOString() ?? null,
    receivedAt: v.receivedAt?.toISOString() ?? null,
    appointment: {
      dueAt: v.dueAt?.toISOString() ?? null,
      originalDueAt: v.originalDueAt?.toISOString() ?? null,
      apologyAt: v.apologyAt?.toISOString() ?? null,
      clockPaused: v.clockPaused,
    },
    timeline: v.timeline.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      label: eventLabel(e, t, locale),
      status: e.status,
      reason: e.reason,
    })),
    next: {
      step: v.next.step,
      text: nextText(v, locale),
      documents: v.next.documents,
      amountDue: v.next.amountDue,
      payOnline: v.next.payOnline,
      reason: v.next.reason,
    },
  };
}
