import type { ComponentChildren } from 'preact';
import { STATUS_NAME } from '../../domain/dossier/status.js';
import type { PageContext } from '../../web/context.js';
import { SubmitButton } from '../../web/components/form.js';
import { formatDate, formatDateTime, isMessageKey, type Locale, type MessageKey, type Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { TrackingEvent, TrackingView } from './tracking.service.js';

type Named = { vi: string; en: string };
const pick = (n: Named, locale: Locale) => (locale === 'en' && n.en ? n.en : n.vi);

/** The public words for an event: where the dossier went for a hand-over, else the action, else the new status. */
export function eventLabel(e: TrackingEvent, t: Translate, locale: Locale): string {
  if (e.toUnit) return t('tracking.event.transferTo', { unit: pick(e.toUnit, locale) });
  const key = `tracking.event.${e.action}`;
  if (isMessageKey(key)) return t(key);
  return t('tracking.event.other', { status: e.status ? pick(STATUS_NAME[e.status], locale) : '' });
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function NextStep({ ctx, v, next }: { ctx: PageContext; v: TrackingView; next: string[] }) {
  const { t, locale } = ctx;
  const n = v.next;
  return (
    <section class="result-panel" aria-labelledby="next-title">
      <h2 id="next-title">{t('tracking.next.title')}</h2>
      {next.map((s, i) => (
        <p key={i} class={i === 0 ? 'big-result' : undefined}>
          {s}
        </p>
      ))}
      {n.step === 'supplement' && !n.supplementSent && (
        <>
          <ul>
            {n.documents.map((d, i) => (
              <li key={i}>
                <strong>{d.name ? pick(d.name, locale) : t('tracking.next.otherDocument')}</strong>: {d.reason}
              </li>
            ))}
          </ul>
          <p>{t('tracking.next.supplementHow')}</p>
          <p>
            <a href="/my/dossiers">{t('tracking.myDossiers')}</a>
          </p>
        </>
      )}
      {n.payOnline && (
        <p>
          <a class="button" href="/my/dossiers">
            {t('tracking.next.payOnline')}
          </a>
        </p>
      )}
      {n.electronicResult && (
        <>
          <p>{t('tracking.next.download')}</p>
          <p>
            <a href="/my/dossiers">{t('tracking.myDossiers')}</a>
          </p>
        </>
      )}
    </section>
  );
}

function Found({ ctx, v, next, rateHref }: { ctx: PageContext; v: TrackingView; next: string[]; rateHref: string | null }) {
  const { t, locale } = ctx;
  const day = (d: Date) => formatDate(d, locale);
  return (
    <section aria-labelledby="found-title">
      <h2 id="found-title">{v.code}</h2>
      <p class="big-result">
        {t('tracking.status')}: {pick(v.statusName, locale)}
      </p>
      <NextStep ctx={ctx} v={v} next={next} />
      {rateHref && (
        <p class="rate-invite">
          <a class="button" href={rateHref}>
            {t('rating.invite')}
          </a>
        </p>
      )}
      <dl class="summary-list">
        <Row label={t('tracking.procedure')}>{pick(v.procedure.name, locale)}</Row>
        <Row label={t('tracking.unit')}>{pick(v.unit.name, locale)}</Row>
        <Row label={t('tracking.channel')}>{t(`tracking.channel.${v.channel}`)}</Row>
        <Row label={t('tracking.applicant')}>{v.applicantFirstName}</Row>
        {v.submittedAt && <Row label={t('tracking.submitted')}>{day(v.submittedAt)}</Row>}
        {v.receivedAt && <Row label={t('tracking.received')}>{day(v.receivedAt)}</Row>}
        <Row label={t('tracking.due')}>
          {v.dueAt ? <strong>{day(v.dueAt)}</strong> : t('tracking.due.none')}
          {v.originalDueAt && <p>{t('tracking.due.moved', { date: day(v.originalDueAt) })}</p>}
          {v.clockPaused && <p>{t('tracking.due.paused')}</p>}
        </Row>
      </dl>
      <h2>{t('tracking.timeline')}</h2>
      <ol class="timeline">
        {v.timeline.map((e, i) => (
          <li key={i}>
            <span class="when">{formatDateTime(e.at, locale)}</span> {eventLabel(e, t, locale)}
            {e.reason && <span>. {t('tracking.next.reason', { reason: e.reason })}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function LookupPage(p: {
  ctx: PageContext;
  code: string;
  error: MessageKey | null;
  errorField: 'code' | 'check';
  found: TrackingView | null;
  next: string[];
  /** Once the result is returned: the rating form for this dossier. */
  rateHref?: string | null;
}) {
  const { t } = p.ctx;
  // An unknown code or a wrong factor is said once, above the form: it is not one field's fault.
  const codeError = p.error && p.error !== 'err.lookup_failed' && p.errorField === 'code' ? p.error : null;
  const checkError = p.error && p.errorField === 'check' ? p.error : null;
  return (
    <Layout ctx={p.ctx} title={t('tracking.title')} hasError={!!p.error}>
      <h1>{t('tracking.title')}</h1>
      {/* The answer first: the form stays below it for looking up another dossier. */}
      {p.found ? <Found ctx={p.ctx} v={p.found} next={p.next} rateHref={p.rateHref ?? null} /> : <p class="lead">{t('tracking.lead')}</p>}
      {p.error === 'err.lookup_failed' && (
        <div class="error-summary" role="alert">
          <p>{t('err.lookup_failed')}</p>
          <p>{t('tracking.notFoundHelp')}</p>
        </div>
      )}
      <form method="get" action="/lookup">
        <div class={`field${codeError ? ' field-error' : ''}`}>
          <label for="code">{t('tracking.code')}</label>
          <p class="hint" id="code-hint">
            {t('tracking.codeHint')}
          </p>
          {codeError && <p class="error-message">{t(codeError)}</p>}
          <input id="code" name="code" value={p.code} maxLength={64} aria-describedby="code-hint" autocomplete="off" spellcheck={false} />
        </div>
        <div class={`field${checkError ? ' field-error' : ''}`}>
          <label for="check">{t('tracking.check')}</label>
          <p class="hint" id="check-hint">
            {t('tracking.checkHint')}
          </p>
          {checkError && <p class="error-message">{t(checkError)}</p>}
          <input id="check" name="check" inputMode="numeric" maxLength={4} aria-describedby="check-hint" autocomplete="off" />
        </div>
        <SubmitButton>{t('tracking.button')}</SubmitButton>
      </form>
    </Layout>
  );
}
