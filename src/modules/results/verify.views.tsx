import type { PageContext } from '../../web/context.js';
import { CsrfField, SubmitButton } from '../../web/components/form.js';
import { formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { VerifiedResult, VerifyOutcome } from './results.service.js';

type Named = { vi: string; en: string };
const pick = (n: Named, locale: 'vi' | 'en') => (locale === 'en' && n.en ? n.en : n.vi);

/** The upload form; `action` is /verify or a token's own page. Works without JavaScript (a plain multipart post). */
function UploadForm(p: { ctx: PageContext; action: string; label: MessageKey; hint: MessageKey; error: MessageKey | null }) {
  const { t } = p.ctx;
  return (
    <form method="post" action={p.action} enctype="multipart/form-data">
      <CsrfField token={p.ctx.csrfToken} />
      <div class={`field${p.error ? ' field-error' : ''}`}>
        <label for="file">{t(p.label)}</label>
        <p class="hint" id="file-hint">
          {t(p.hint)}
        </p>
        {p.error && (
          <p class="error-message" id="file-error">
            {t(p.error)}
          </p>
        )}
        <input
          type="file"
          id="file"
          name="file"
          accept=".pdf,application/pdf"
          aria-describedby={p.error ? 'file-hint file-error' : 'file-hint'}
          {...(p.error ? { 'aria-invalid': 'true' } : {})}
        />
      </div>
      <SubmitButton>{t('results.verify.button')}</SubmitButton>
    </form>
  );
}

/** What was issued: only what the public may see (the applicant's given name, no other personal data). */
function ResultSummary({ ctx, r }: { ctx: PageContext; r: VerifiedResult }) {
  const { t, locale } = ctx;
  const rows: [MessageKey, string][] = [
    ['results.field.kind', t(`results.kind.${r.kind}`)],
    ['results.field.code', r.dossierCode],
    ['results.field.procedure', `${pick(r.procedure, locale)} (${r.procedureCode})`],
    ['results.field.unit', pick(r.unit, locale)],
    ['results.field.applicant', r.applicantFirstName],
    ['results.field.issuedAt', formatDateTime(r.issuedAt, locale)],
    ['results.field.medium', t(`results.medium.${r.medium}`)],
  ];
  if (r.keyId) rows.push(['results.field.keyId', r.keyId]);
  return (
    <dl class="summary-list">
      {rows.map(([k, v]) => (
        <div class="summary-row" key={k}>
          <dt>{t(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {r.sha256 && (
        <div class="summary-row">
          <dt>{t('results.field.sha256')}</dt>
          <dd>
            <code class="hash">{r.sha256}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Authentic or not, in plain words first, then the details of what was issued. */
function Outcome({ ctx, outcome, file, id }: { ctx: PageContext; outcome: VerifyOutcome; file: boolean; id: string }) {
  const { t } = ctx;
  if (!outcome.authentic) {
    return (
      <section class="error-summary" aria-labelledby={id}>
        <h2 id={id}>{t('results.outcome.notAuthentic')}</h2>
        <p>{t(`results.reason.${outcome.reason}`)}</p>
        <p>{t('results.outcome.advice')}</p>
      </section>
    );
  }
  const r = outcome.result;
  const lead = r.medium === 'paper' ? 'results.outcome.paper' : file ? 'results.outcome.authenticFile' : 'results.outcome.authenticRecord';
  return (
    <section class="result-panel" aria-labelledby={id}>
      <h2 id={id}>{t('results.outcome.authentic')}</h2>
      <p class="lead">{t(lead)}</p>
      <ResultSummary ctx={ctx} r={r} />
    </section>
  );
}

/** GET /verify (no outcome) and POST /verify (the outcome of the uploaded file). */
export function VerifyPage(p: { ctx: PageContext; outcome: VerifyOutcome | null; error: MessageKey | null }) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('results.verify.title')} hasError={!!p.error}>
      <h1>{t('results.verify.title')}</h1>
      {p.outcome && (
        <div role="status">
          <Outcome ctx={p.ctx} outcome={p.outcome} file={true} id="outcome-title" />
        </div>
      )}
      {p.outcome && <h2>{t('results.verify.again')}</h2>}
      {!p.outcome && <p class="lead">{t('results.verify.lead')}</p>}
      <UploadForm ctx={p.ctx} action="/verify" label="results.verify.file" hint="results.verify.fileHint" error={p.error} />
      <p>{t('results.verify.qr')}</p>
      <p class="hint">{t('results.verify.api')}</p>
    </Layout>
  );
}

/**
 * GET /verify/:token: the record the QR code points to, and a form to check a file against it.
 * After a POST, `fileOutcome` says whether that file is this record's document.
 */
export function TokenPage(p: {
  ctx: PageContext;
  token: string;
  outcome: VerifyOutcome;
  fileOutcome: VerifyOutcome | null;
  error: MessageKey | null;
}) {
  const { t } = p.ctx;
  const electronic = p.outcome.authentic && p.outcome.result.medium === 'electronic';
  return (
    <Layout ctx={p.ctx} title={t('results.token.title')} hasError={!!p.error}>
      <h1>{t('results.token.title')}</h1>
      {p.fileOutcome && (
        <div role="status">
          {p.fileOutcome.authentic ? (
            <p class="success">{t('results.outcome.authenticFile')}</p>
          ) : (
            <Outcome ctx={p.ctx} outcome={p.fileOutcome} file={true} id="file-outcome-title" />
          )}
        </div>
      )}
      <Outcome ctx={p.ctx} outcome={p.outcome} file={false} id="outcome-title" />
      {electronic && (
        <section aria-labelledby="check-title">
          <h2 id="check-title">{t('results.token.check')}</h2>
          <UploadForm
            ctx={p.ctx}
            action={`/verify/${encodeURIComponent(p.token)}`}
            label="results.verify.file"
            hint="results.token.checkHint"
            error={p.error}
          />
        </section>
      )}
      <p>
        <a href="/verify">{t('results.verify.again')}</a>
      </p>
    </Layout>
  );
}
