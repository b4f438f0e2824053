import type { PageContext } from '../../web/context.js';
import { CsrfField, SubmitButton, type FieldErrors } from '../../web/components/form.js';
import { AnswerErrorSummary, DossierFields, type FormFieldView, type Ward } from '../../web/components/dossier-form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import type { DossierView } from './dossier.schema.js';

type Named = { vi: string; en: string };
const pick = (n: Named, locale: 'vi' | 'en') => (locale === 'en' && n.en ? n.en : n.vi);

export function StartPage(p: {
  ctx: PageContext;
  procedure: { code: string; name: Named };
  units: { code: string; name: Named }[];
  error: MessageKey | undefined;
}) {
  const { t, locale } = p.ctx;
  const title = t('dossier.start.title');
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!p.error}>
      <p class="meta">{pick(p.procedure.name, locale)}</p>
      <h1>{title}</h1>
      {p.error && (
        <div class="error-summary" role="alert">
          <p>{t(p.error)}</p>
        </div>
      )}
      {p.units.length === 0 ? (
        <p>{t('dossier.start.noUnit')}</p>
      ) : (
        <form method="post" action="/dossiers">
          <CsrfField token={p.ctx.csrfToken} />
          <input type="hidden" name="procedure" value={p.procedure.code} />
          <div class="field">
            <label for="unit">{t('dossier.start.unit')}</label>
            <select id="unit" name="unit">
              {p.units.map((u) => (
                <option key={u.code} value={u.code}>
                  {pick(u.name, locale)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="field">
            <legend>{t('dossier.start.who')}</legend>
            <div class="radio">
              <input type="radio" id="who-self" name="who" value="self" checked />
              <label for="who-self">{t('dossier.start.self')}</label>
            </div>
            <div class="radio">
              <input type="radio" id="who-other" name="who" value="other" />
              <label for="who-other">{t('dossier.start.other')}</label>
            </div>
          </fieldset>
          <div class="field">
            <label for="relation">{t('dossier.start.relation')}</label>
            <p class="hint" id="relation-hint">
              {t('dossier.start.relationHint')}
            </p>
            <input id="relation" name="relation" maxLength={100} aria-describedby="relation-hint" />
          </div>
          <SubmitButton>{t('dossier.start.go')}</SubmitButton>
        </form>
      )}
    </Layout>
  );
}

export function Steps({ ctx, at }: { ctx: PageContext; at: 1 | 2 | 3 }) {
  const { t } = ctx;
  const steps: MessageKey[] = ['dossier.step.answers', 'dossier.step.documents', 'dossier.step.check'];
  return (
    <ol class="steps" aria-label={t('dossier.step.label')}>
      {steps.map((s, i) => (
        <li key={s} aria-current={i + 1 === at ? 'step' : undefined}>
          {t(s)}
        </li>
      ))}
    </ol>
  );
}

export function EditPage(p: {
  ctx: PageContext;
  d: DossierView;
  content: VersionContent;
  errors: FieldErrors;
  saved: boolean;
  extraRow: string | null;
  wards: Ward[];
  exemption: string | null;
}) {
  const { t, locale } = p.ctx;
  const a = p.d.applicant;
  const self = p.d.assisted === null;
  const title = t('dossier.edit.title');
  const e = p.errors;
  const input = (name: string, label: string, value: string | null, opts: { type?: string; readOnly?: boolean; hint?: string } = {}) => (
    <div class={`field${e[name] ? ' field-error' : ''}`}>
      <label for={name}>{label}</label>
      {opts.hint && (
        <p class="hint" id={`${name}-hint`}>
          {opts.hint}
        </p>
      )}
      {e[name] && <p class="error-message">{t(e[name])}</p>}
      <input
        id={name}
        name={name}
        type={opts.type ?? 'text'}
        value={value ?? ''}
        readOnly={opts.readOnly}
        maxLength={200}
        aria-invalid={e[name] ? 'true' : undefined}
      />
    </div>
  );
  const exemptions = p.content.fee?.exemptions ?? [];
  return (
    <Layout ctx={p.ctx} title={title} hasError={Object.keys(e).length > 0}>
      <p class="meta">{pick(p.d.procedure.name, locale)}</p>
      <h1>{title}</h1>
      <Steps ctx={p.ctx} at={1} />
      {p.saved && (
        <p class="success" role="status">
          {t('dossier.edit.saved')}
        </p>
      )}
      <AnswerErrorSummary
        t={t}
        locale={locale}
        fields={p.content.form as FormFieldView[]}
        errors={e}
        href={(k) => `#${k.startsWith('applicant.') ? k : `f.${k}`}`}
      />
      <p>{t('dossier.edit.lead')}</p>
      <form method="post" action={`/dossiers/${p.d.id}/edit`} novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <fieldset class="field">
          <legend>{self ? t('dossier.applicant.self') : t('dossier.applicant.other')}</legend>
          {input('applicant.name', t('dossier.applicant.name'), a.name, { readOnly: self })}
          {input('applicant.citizenId', t('dossier.applicant.citizenId'), a.citizenId, {
            readOnly: self,
            hint: t('dossier.hint.citizenId'),
          })}
          {input('applicant.phone', t('dossier.applicant.phone'), a.phone, { type: 'tel', hint: t('dossier.applicant.phoneHint') })}
          {input('applicant.email', t('dossier.applicant.email'), a.email, { type: 'email' })}
        </fieldset>
        <DossierFields
          t={t}
          locale={locale}
          fields={p.content.form as FormFieldView[]}
          values={p.d.form}
          errors={e}
          wards={p.wards}
          extraRow={p.extraRow}
        />
        {exemptions.length > 0 && (
          <div class="field">
            <label for="exemption">{t('dossier.fee.exemption')}</label>
            <select id="exemption" name="exemption">
              <option value="">{t('dossier.fee.noExemption')}</option>
              {exemptions.map((x) => (
                <option key={x.code} value={x.code} selected={x.code === p.exemption}>
                  {pick(x.label, locale)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="button-row">
          <button type="submit" class="button" name="_action" value="continue">
            {t('dossier.edit.continue')}
          </button>
          <button type="submit" class="button button-secondary" name="_action" value="save">
            {t('dossier.edit.saveDraft')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

const size = (n: number | null) => (n === null ? '' : n > 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

export function DocumentsPage(p: {
  ctx: PageContext;
  d: DossierView;
  content: VersionContent;
  error: { item: number; code: MessageKey } | null;
  round: number;
}) {
  const { t, locale } = p.ctx;
  const title = p.round > 0 ? t('dossier.docs.supplementTitle') : t('dossier.docs.title');
  const items = [
    ...p.content.documents.map((doc, i) => ({ i, name: pick(doc.name, locale), required: doc.required !== false })),
    { i: -1, name: t('dossier.docs.other'), required: false },
  ];
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!p.error}>
      <p class="meta">{pick(p.d.procedure.name, locale)}</p>
      <h1>{title}</h1>
      {p.round === 0 && <Steps ctx={p.ctx} at={2} />}
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>
            <a href={`#item-${p.error.item}`}>{t(p.error.code)}</a>
          </p>
        </div>
      )}
      <p>{t('dossier.docs.lead')}</p>
      {items.map((it) => {
        const files = p.d.documents.filter((x) => x.item === it.i && (p.round === 0 || x.round === p.round));
        const err = p.error?.item === it.i ? p.error.code : undefined;
        return (
          <section class={`doc-item${err ? ' field-error' : ''}`} id={`item-${it.i}`} key={it.i} aria-labelledby={`item-${it.i}-title`}>
            <h2 id={`item-${it.i}-title`}>
              {it.name} <span class="field-flag">{it.required ? t('form.required') : t('form.optional')}</span>
            </h2>
            {files.length > 0 && (
              <ul class="files">
                {files.map((f) => (
                  <li key={f.id}>
                    {f.paper ? t('dossier.docs.paper') : `${f.name} (${size(f.size)})`}{' '}
                    {!f.paper && (
                      <form method="post" action={`/dossiers/${p.d.id}/documents/${f.id}/delete`} class="inline-form">
                        <CsrfField token={p.ctx.csrfToken} />
                        <button type="submit" class="link-button">
                          {t('dossier.docs.remove')}
                          <span class="visually-hidden"> {f.name}</span>
                        </button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={`/dossiers/${p.d.id}/documents`} enctype="multipart/form-data">
              <CsrfField token={p.ctx.csrfToken} />
              <input type="hidden" name="item" value={String(it.i)} />
              <div class="field">
                <label for={`file-${it.i}`}>{t('dossier.docs.choose')}</label>
                <p class="hint" id={`file-${it.i}-hint`}>
                  {t('dossier.docs.hint')}
                </p>
                {err && <p class="error-message">{t(err)}</p>}
                <input
                  type="file"
                  id={`file-${it.i}`}
                  name="file"
                  accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                  aria-describedby={`file-${it.i}-hint`}
                />
              </div>
              <button type="submit" class="button button-secondary">
                {t('dossier.docs.upload')}
                <span class="visually-hidden">: {it.name}</span>
              </button>
            </form>
          </section>
        );
      })}
      {p.round === 0 ? (
        <p>
          <a class="button" href={`/dossiers/${p.d.id}/check`}>
            {t('dossier.docs.continue')}
          </a>
        </p>
      ) : (
        <form method="post" action={`/dossiers/${p.d.id}/supplement`}>
          <CsrfField token={p.ctx.csrfToken} />
          <SubmitButton>{t('dossier.supplement.send')}</SubmitButton>
        </form>
      )}
    </Layout>
  );
}
