import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import { CsrfField, ErrorSummary, TextField, type FieldErrors } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import type { MessageKey, Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { afterRegistration, setParticipantCookie, tokenOf } from './contest.pages.js';
import { PhoneField } from './contest.play-views.js';
import { contestRateLimit } from './contest.ratelimit.js';
import type { ContestView } from './contest.schema.js';

// Taking part on another device, without JavaScript: the phone number, then the code from the SMS
// (contest.recovery.ts). Each step is a plain form post.

const PUBLIC = { policy: policies.public };
const hide = { hide: true };

interface RecoverForm {
  phone: string;
  code: string;
  round: string;
}
type Step = { kind: 'phone' } | { kind: 'code'; sentTo: string | null };

/** Refusals shown on the form, by field; the others go in the summary box. */
const FIELDS: Partial<Record<ErrorCode, keyof RecoverForm>> = {
  invalid_phone: 'phone',
  contest_recovery_not_registered: 'phone',
  contest_recovery_code_format: 'code',
  contest_recovery_code_invalid: 'code',
};
/** After these, the person has to start again from the phone number. */
const BACK_TO_PHONE = new Set<ErrorCode>([
  'invalid_phone',
  'contest_recovery_not_registered',
  'contest_recovery_too_many',
  'contest_rate_limited',
  'contest_recovery_budget_spent',
]);

function RecoverPage(p: {
  ctx: PageContext;
  contest: ContestView;
  step: Step;
  form: RecoverForm;
  errors: FieldErrors;
  error?: { key: MessageKey; params: Record<string, string | number> };
  /** The parameters of a field's error (the tries left with a code). */
  fieldParams: Record<string, string | number>;
  minutes: number;
}) {
  const { t, locale } = p.ctx;
  const tf: Translate = (key, params) => t(key, params ?? p.fieldParams);
  const action = `/contest/${p.contest.id}/recover`;
  const bad = Object.keys(p.errors).length > 0 || !!p.error;
  return (
    <Layout ctx={p.ctx} title={t('contestRecovery.title')} hasError={bad}>
      <h1>{t('contestRecovery.title')}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <ErrorSummary t={tf} errors={p.errors} order={['phone', 'code']} />
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{t(p.error.key, p.error.params)}</p>
        </div>
      )}
      {p.step.kind === 'phone' ? (
        <>
          <p>{t('contestRecovery.lead')}</p>
          <form method="post" action={action}>
            <CsrfField token={p.ctx.csrfToken} />
            <input type="hidden" name="round" value={p.form.round} />
            <PhoneField t={t} value={p.form.phone} error={p.errors.phone} />
            <button type="submit" class="button button-large">
              {t('contestRecovery.send')}
            </button>
          </form>
        </>
      ) : (
        <>
          {p.step.sentTo && (
            <p class="notice" role="status">
              {t('contestRecovery.sent', { phone: p.step.sentTo, minutes: p.minutes })}
            </p>
          )}
          <form method="post" action={`${action}/verify`}>
            <CsrfField token={p.ctx.csrfToken} />
            <input type="hidden" name="round" value={p.form.round} />
            <input type="hidden" name="phone" value={p.form.phone} />
            <TextField
              t={tf}
              name="code"
              inputMode="numeric"
              label={t('contestRecovery.code')}
              hint={t('contestRecovery.codeHint')}
              value={p.form.code}
              autocomplete="one-time-code"
              required
              maxLength={12}
              error={p.errors.code}
            />
            <button type="submit" class="button button-large">
              {t('contestRecovery.confirm')}
            </button>
          </form>
          <p>{t('contestRecovery.keep')}</p>
          <h2>{t('contestRecovery.resend')}</h2>
          <p>{t('contestRecovery.resendLead')}</p>
          <form method="post" action={action}>
            <CsrfField token={p.ctx.csrfToken} />
            <input type="hidden" name="round" value={p.form.round} />
            <input type="hidden" name="phone" value={p.form.phone} />
            <button type="submit" class="button button-secondary">
              {t('contestRecovery.resend')}
            </button>
          </form>
          <p>
            <a href={`${action}${p.form.round ? `?round=${p.form.round}` : ''}`}>{t('contestRecovery.otherNumber')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

/** The device secret that the code is bound to (contest.recovery.ts), kept for the code's life and a little more. */
const DEVICE_COOKIE = 'contest_recovery';

export async function contestRecoveryPageRoutes(app: App) {
  const { contestAdmin, contestPlay, contestRecovery } = app.services;
  const minutes = Math.round(contestRecovery.rules.ttlMs / 60_000);
  const available = () => {
    if (!contestRecovery.available) throw new AppError('contest_recovery_unavailable');
  };

  const page = async (req: FastifyRequest, reply: FastifyReply, contestId: number, step: Step, form: RecoverForm, e?: AppError) => {
    const contest = await contestAdmin.contest(contestId, { drafts: false });
    if (contest.rounds.length === 0) throw new AppError('contest_not_found');
    const field = e ? FIELDS[e.code] : undefined;
    const errors: FieldErrors = field && e ? { [field]: `err.${e.code}` as MessageKey } : {};
    const error = e && !field ? { key: `err.${e.code}` as MessageKey, params: e.params } : undefined;
    if (e) reply.status(ERROR_STATUS[e.code]);
    return renderHtml(
      reply,
      <RecoverPage
        ctx={pageContext(req, reply)}
        contest={contest}
        step={step}
        form={form}
        errors={errors}
        error={error}
        fieldParams={e?.params ?? {}}
        minutes={minutes}
      />,
    );
  };
  const formOf = (body: unknown): RecoverForm => ({
    phone: formText(body, 'phone', 20),
    code: formText(body, 'code', 12),
    round: /^\d{1,9}$/.test(formText(body, 'round', 12)) ? formText(body, 'round', 12) : '',
  });
  /**
   * Errors the pages show in place, the form kept (a refusal to wait with its Retry-After, as the
   * edge would give it); anything else (an unknown contest) is the error page.
   */
  const shownWithWait = (e: unknown, reply: FastifyReply): AppError => {
    if (!(e instanceof AppError && (e.code in FIELDS || e.code.startsWith('contest_recovery_') || e.code === 'contest_rate_limited')))
      throw e;
    if (e.code === 'contest_recovery_wait' || e.code === 'contest_rate_limited' || e.code === 'contest_recovery_budget_spent') {
      reply.header('retry-after', String(e.params.seconds));
    }
    return e;
  };

  app.get('/contest/:id/recover', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    available();
    if (await contestPlay.participantOrNull(tokenOf(req, id))) return reply.redirect('/contest', 303);
    return page(req, reply, id, { kind: 'phone' }, formOf(req.query));
  });

  app.post('/contest/:id/recover', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const form = formOf(req.body);
    available();
    try {
      await contestRateLimit(app, 'recover')(req, reply);
      const sent = await contestRecovery.sendCode(id, form.phone, req.locale, { ip: req.ip, device: req.cookies[DEVICE_COOKIE] });
      reply.setCookie(DEVICE_COOKIE, sent.device, {
        path: '/contest',
        httpOnly: true,
        sameSite: 'lax',
        maxAge: 3600,
      });
      return page(req, reply, id, { kind: 'code', sentTo: sent.sentTo }, { ...form, code: '' });
    } catch (err) {
      const e = shownWithWait(err, reply);
      // A code was sent a moment ago: the person can still type it.
      return page(req, reply, id, BACK_TO_PHONE.has(e.code) ? { kind: 'phone' } : { kind: 'code', sentTo: null }, form, e);
    }
  });

  app.post('/contest/:id/recover/verify', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const form = formOf(req.body);
    available();
    try {
      await contestRateLimit(app, 'recover')(req, reply);
      const { token } = await contestRecovery.verify(id, form.phone, form.code, req.cookies[DEVICE_COOKIE]);
      setParticipantCookie(req, reply, id, token);
      reply.clearCookie(DEVICE_COOKIE, { path: '/contest' });
      return reply.redirect(await afterRegistration(app, id, form.round), 303);
    } catch (err) {
      const e = shownWithWait(err, reply);
      return page(req, reply, id, BACK_TO_PHONE.has(e.code) ? { kind: 'phone' } : { kind: 'code', sentTo: null }, form, e);
    }
  });
}
