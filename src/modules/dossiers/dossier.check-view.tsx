import type { PageContext } from '../../web/context.js';
import { CsrfField, SubmitButton } from '../../web/components/form.js';
import { answerText, labelFor, type FormFieldView } from '../../web/components/dossier-form.js';
import { formatCurrency, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import type { DossierView } from './dossier.schema.js';
import { Steps } from './dossier.views.js';

type Named = { vi: string; en: string };
const pick = (n: Named, locale: 'vi' | 'en') => (locale === 'en' && n.en ? n.en : n.vi);

export function CheckPage(p: {
  ctx: PageContext;
  d: DossierView;
  content: VersionContent;
  problems: { errors: Record<string, MessageKey>; missing: number[] };
  wards: Map<string, string>;
  error: MessageKey | undefined;
}) {
  const { t, locale } = p.ctx;
  const title = t('dossier.check.title');
  const a = p.d.applicant;
  const blocked = Object.keys(p.problems.errors).length > 0 || p.problems.missing.length > 0;
  const row = (label: string, value: string, href: string) => (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd>
        <a href={href}>
          {t('dossier.check.change')}
          <span class="visually-hidden"> {label}</span>
        </a>
      </dd>
    </div>
  );
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!p.error || blocked}>
      <p class="meta">{pick(p.d.procedure.name, locale)}</p>
      <h1>{title}</h1>
      <Steps ctx={p.ctx} at={3} />
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{t(p.error)}</p>
        </div>
      )}
      {blocked && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('dossier.check.problems')}</h2>
          <ul>
            {Object.entries(p.problems.errors).map(([k, v]) => (
              <li key={k}>
                <a href={`/dossiers/${p.d.id}/edit#${k.startsWith('applicant.') ? k : `f.${k}`}`}>
                  {labelFor(k, p.content.form as FormFieldView[], locale, t)}: {t(v)}
                </a>
              </li>
            ))}
            {p.problems.missing.map((i) => (
              <li key={i}>
                <a href={`/dossiers/${p.d.id}/documents#item-${i}`}>
                  {t('dossier.check.missingDoc', { name: pick(p.content.documents[i]!.name, locale) })}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t('dossier.check.applicant')}</h2>
      <dl class="summary-list summary-3">
        {row(t('dossier.applicant.name'), a.name, `/dossiers/${p.d.id}/edit#applicant.name`)}
        {row(
          t('dossier.applicant.citizenId'),
          a.citizenId ?? t('dossier.check.notAnswered'),
          `/dossiers/${p.d.id}/edit#applicant.citizenId`,
        )}
        {row(t('dossier.applicant.phone'), a.phone ?? t('dossier.check.notAnswered'), `/dossiers/${p.d.id}/edit#applicant.phone`)}
        {row(t('dossier.applicant.email'), a.email ?? t('dossier.check.notAnswered'), `/dossiers/${p.d.id}/edit#applicant.email`)}
      </dl>
      <h2>{t('dossier.check.answers')}</h2>
      <dl class="summary-list summary-3">
        {(p.content.form as FormFieldView[]).map((f) =>
          f.type === 'group'
            ? row(
                pick(f.label, locale),
                t('dossier.check.rows', { n: Array.isArray(p.d.form[f.name]) ? (p.d.form[f.name] as unknown[]).length : 0 }),
                `/dossiers/${p.d.id}/edit#f.${f.name}.0.${f.fields?.[0]?.name ?? ''}`,
              )
            : row(pick(f.label, locale), answerText(f, p.d.form[f.name], locale, p.wards, t), `/dossiers/${p.d.id}/edit#f.${f.name}`),
        )}
      </dl>
      <h2>{t('dossier.check.documents')}</h2>
      <dl class="summary-list summary-3">
        {p.content.documents.map((doc, i) =>
          row(
            pick(doc.name, locale),
            p.d.documents
              .filter((x) => x.item === i)
              .map((x) => x.name)
              .join(', ') || t('dossier.check.noFile'),
            `/dossiers/${p.d.id}/documents#item-${i}`,
          ),
        )}
      </dl>
      <h2>{t('dossier.check.next')}</h2>
      <p>
        {t('dossier.check.unit', { unit: pick(p.d.unit.name, locale) })}{' '}
        {p.d.expectedDueAt
          ? t('dossier.check.expected', { date: formatDateTime(new Date(p.d.expectedDueAt), locale) })
          : t('dossier.check.noLimit')}
      </p>
      {p.content.fee && p.content.fee.amount !== null && p.content.fee.amount > 0 && (
        <p>{t('dossier.check.fee', { amount: formatCurrency(p.content.fee.amount, locale) })}</p>
      )}
      {!blocked && (
        <form method="post" action={`/dossiers/${p.d.id}/submit`}>
          <CsrfField token={p.ctx.csrfToken} />
          <input type="hidden" name="revision" value={String(p.d.revision)} />
          <div class="checkbox field">
            <input type="checkbox" id="declaration" name="declaration" value="yes" />
            <label for="declaration">{t('dossier.check.declaration')}</label>
          </div>
          <SubmitButton>{t('dossier.check.submit')}</SubmitButton>
        </form>
      )}
    </Layout>
  );
}
