import type { VersionContent } from '../../modules/catalogue/catalogue.schema.js';
import { STATUS_NAME, type StatusCode } from '../../domain/dossier/status.js';
import type { PageContext } from '../../web/context.js';
import {
  CsrfField,
  ErrorSummary,
  FormError,
  Radios,
  SelectField,
  SubmitButton,
  TextField,
  type FieldErrors,
} from '../../web/components/form.js';
import { DossierFields, type FormFieldView, type Ward } from '../../web/components/dossier-form.js';
import { formatDateTime, type Locale, type MessageKey, type Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { ComponentChildren } from 'preact';

export type DeskUnit = { id: number; code: string; name: string };
export type Option = { value: string; label: string };
type Named = { vi: string; en: string };

export const pick = (n: Named, locale: Locale) => (locale === 'en' && n.en ? n.en : n.vi);
export const statusText = (s: number | null, locale: Locale) => (s ? STATUS_NAME[s as StatusCode][locale] : '');
export const channelText = (t: Translate, c: number) => t(c === 3 ? 'desk.channel.3' : c === 2 ? 'desk.channel.2' : 'desk.channel.1');
export const when = (d: Date | null, locale: Locale) => (d ? formatDateTime(d, locale) : '');
export const methodText = (t: Translate, m: string) => t(m === 'cash' ? 'desk.method.cash' : 'desk.method.gateway');

export const PROCEDURE_CODE = /^(\d\.\d{6}|L\.\d{6})$/;

/** A query parameter as text (absent, repeated or non-text ones read as empty), bounded in length. */
export const queryText = (q: unknown, name: string, max = 100): string => {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
};

export function DeskNav({ t }: { t: Translate }) {
  return (
    <nav aria-label={t('desk.nav.label')}>
      <ul class="actions">
        <li>
          <a href="/desk">{t('desk.nav.queue')}</a>
        </li>
        <li>
          <a href="/desk/walk-in">{t('desk.nav.walkIn')}</a>
        </li>
        <li>
          <a href="/desk/register">{t('desk.nav.register')}</a>
        </li>
        <li>
          <a href="/desk/reconciliation">{t('desk.nav.reconciliation')}</a>
        </li>
      </ul>
    </nav>
  );
}

export function DeskLayout(p: { ctx: PageContext; title: string; hasError?: boolean; children: ComponentChildren }) {
  return (
    <Layout ctx={p.ctx} title={p.title} hasError={p.hasError}>
      <DeskNav t={p.ctx.t} />
      <h1>{p.title}</h1>
      {p.children}
    </Layout>
  );
}

/** Unit choice: a select when the officer works several desks, a hidden field otherwise. */
export function UnitChoice({ t, units, value }: { t: Translate; units: DeskUnit[]; value: string }) {
  if (units.length === 1) return <input type="hidden" name="unit" value={units[0]!.code} />;
  return (
    <SelectField name="unit" label={t('desk.field.unit')} value={value} options={units.map((u) => ({ value: u.code, label: u.name }))} />
  );
}

export function DateField({
  t,
  name,
  label,
  value,
  error,
}: {
  t: Translate;
  name: string;
  label: string;
  value: string;
  error?: MessageKey;
}) {
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={name}>{label}</label>
      {error && (
        <p class="error-message" id={`${name}-error`}>
          <span class="visually-hidden">{t('form.errorPrefix')} </span>
          {t(error)}
        </p>
      )}
      <input
        id={name}
        name={name}
        type="date"
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
    </div>
  );
}

export function TextArea(p: {
  id?: string;
  name: string;
  label: string;
  value?: string;
  required?: boolean;
  t: Translate;
  maxLength?: number;
}) {
  const id = p.id ?? p.name;
  return (
    <div class="field">
      <label for={id}>
        {p.label} <span class="field-flag">{p.required ? p.t('form.required') : p.t('form.optional')}</span>
      </label>
      <textarea id={id} name={p.name} rows={3} maxLength={p.maxLength ?? 2000} required={p.required}>
        {p.value ?? ''}
      </textarea>
    </div>
  );
}

// ---------------------------------------------------------------- reception queue

export interface QueueItem {
  id: number;
  code: string;
  procedure: string;
  applicant: string;
  channel: number;
  status: number;
  submittedAt: Date | null;
  provided: boolean;
}

export function QueuePage(p: {
  ctx: PageContext;
  units: DeskUnit[];
  procedures: Option[];
  filter: { unit: string; procedure: string; status: string };
  items: QueueItem[];
}) {
  const { t, locale } = p.ctx;
  return (
    <DeskLayout ctx={p.ctx} title={t('desk.queue.title')}>
      <p class="lead">{t('desk.queue.lead')}</p>
      <form method="get" action="/desk" class="filters">
        {p.units.length > 1 && (
          <SelectField
            name="unit"
            label={t('desk.field.unit')}
            value={p.filter.unit}
            emptyLabel={t('desk.filter.all')}
            options={p.units.map((u) => ({ value: u.code, label: u.name }))}
          />
        )}
        <SelectField
          name="procedure"
          label={t('desk.field.procedure')}
          value={p.filter.procedure}
          emptyLabel={t('desk.filter.all')}
          options={p.procedures}
        />
        <SelectField
          name="status"
          label={t('desk.field.status')}
          value={p.filter.status}
          emptyLabel={t('desk.filter.all')}
          options={[1, 5].map((s) => ({ value: String(s), label: statusText(s, locale) }))}
        />
        <button type="submit" class="button button-secondary">
          {t('desk.filter.apply')}
        </button>
      </form>
      <h2 role="status">{t('desk.queue.count', { n: p.items.length })}</h2>
      {p.items.length === 0 ? (
        <p>{t('desk.queue.empty')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('desk.queue.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.col.code')}</th>
              <th scope="col">{t('desk.col.procedure')}</th>
              <th scope="col">{t('desk.col.applicant')}</th>
              <th scope="col">{t('desk.col.channel')}</th>
              <th scope="col">{t('desk.col.submitted')}</th>
              <th scope="col">{t('desk.col.status')}</th>
              <th scope="col">{t('desk.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.code}</th>
                <td>{d.procedure}</td>
                <td>{d.applicant}</td>
                <td>{channelText(t, d.channel)}</td>
                <td>{when(d.submittedAt, locale)}</td>
                <td>
                  {statusText(d.status, locale)}
                  {d.provided && (
                    <>
                      <br />
                      <strong>{t('desk.queue.provided')}</strong>
                    </>
                  )}
                </td>
                <td>
                  <a href={`/desk/dossiers/${d.id}`}>
                    {t('desk.queue.check')}
                    <span class="visually-hidden"> {d.code}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DeskLayout>
  );
}

// ---------------------------------------------------------------- walk-in registration

export function WalkInChoosePage(p: {
  ctx: PageContext;
  units: DeskUnit[];
  procedures: Option[];
  value: { procedure: string; unit: string };
  error: MessageKey | undefined;
}) {
  const { t } = p.ctx;
  const errors: FieldErrors = p.error ? { procedure: p.error } : {};
  return (
    <DeskLayout ctx={p.ctx} title={t('desk.walkIn.title')} hasError={!!p.error}>
      <ErrorSummary t={t} errors={errors} />
      <p class="lead">{t('desk.walkIn.chooseLead')}</p>
      {p.procedures.length === 0 ? (
        <p>{t('desk.walkIn.noProcedures')}</p>
      ) : (
        <form method="get" action="/desk/walk-in">
          <UnitChoice t={t} units={p.units} value={p.value.unit} />
          <SelectField
            name="procedure"
            label={t('desk.field.procedure')}
            value={p.value.procedure}
            options={p.procedures}
            error={p.error && t(p.error)}
          />
          <SubmitButton>{t('desk.walkIn.continue')}</SubmitButton>
        </form>
      )}
    </DeskLayout>
  );
}

export interface WalkInFormProps {
  ctx: PageContext;
  unit: DeskUnit;
  procedure: { code: string; name: string };
  content: VersionContent;
  wards: Ward[];
  /** Posted text fields other than the form's answers (applicant.*, exemption, channel, paper.N). */
  values: Record<string, string>;
  answers: Record<string, unknown>;
  /** Problems keyed by input name: `applicant.phone`, `f.birthDate`. */
  errors: FieldErrors;
  formError: MessageKey | undefined;
  extraRow: string | null;
}

export function WalkInFormPage(p: WalkInFormProps) {
  const { t, locale } = p.ctx;
  const v = p.values;
  const formErrors = Object.fromEntries(
    Object.entries(p.errors)
      .filter(([k]) => k.startsWith('f.'))
      .map(([k, e]) => [k.slice(2), e]),
  );
  const exemptions = p.content.fee?.exemptions ?? [];
  const hasError = Object.keys(p.errors).length > 0 || !!p.formError;
  const wardOptions = p.wards.map((w) => ({ value: w.code, label: w.name }));
  return (
    <DeskLayout ctx={p.ctx} title={t('desk.walkIn.title')} hasError={hasError}>
      <ErrorSummary t={t} errors={p.errors} />
      <FormError t={t} message={p.formError} />
      <p class="lead">
        {p.procedure.code} – {p.procedure.name} · {p.unit.name}
      </p>
      <p>
        <a href={`/desk/walk-in?unit=${encodeURIComponent(p.unit.code)}`}>{t('desk.walkIn.change')}</a>
      </p>
      <form method="post" action="/desk/walk-in">
        <CsrfField token={p.ctx.csrfToken} />
        <input type="hidden" name="procedure" value={p.procedure.code} />
        <input type="hidden" name="unit" value={p.unit.code} />
        <fieldset class="field">
          <legend>{t('desk.walkIn.applicant')}</legend>
          {(['name', 'citizenId', 'phone', 'email'] as const).map((k) => (
            <TextField
              key={k}
              t={t}
              name={`applicant.${k}`}
              label={t(`desk.applicant.${k}`)}
              value={v[`applicant.${k}`] ?? ''}
              required={k !== 'email'}
              error={p.errors[`applicant.${k}`]}
              type={k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text'}
              inputMode={k === 'citizenId' ? 'numeric' : undefined}
              maxLength={k === 'email' ? 254 : k === 'name' ? 120 : 20}
            />
          ))}
          <SelectField
            name="applicant.address.ward"
            label={t('desk.applicant.ward')}
            value={v['applicant.address.ward']}
            emptyLabel={t('desk.applicant.chooseWard')}
            options={wardOptions}
            error={p.errors['applicant.address.ward'] && t(p.errors['applicant.address.ward'])}
          />
          <TextField
            t={t}
            name="applicant.address.street"
            label={t('desk.applicant.street')}
            value={v['applicant.address.street'] ?? ''}
            maxLength={200}
          />
        </fieldset>
        <h2>{t('desk.walkIn.answers')}</h2>
        <p class="hint">{t('desk.walkIn.answersHint')}</p>
        <DossierFields
          t={t}
          locale={locale}
          fields={p.content.form as FormFieldView[]}
          values={p.answers}
          errors={formErrors}
          wards={p.wards}
          extraRow={p.extraRow}
        />
        {exemptions.length > 0 && (
          <SelectField
            name="exemption"
            label={t('desk.walkIn.exemption')}
            value={v.exemption}
            emptyLabel={t('desk.walkIn.noExemption')}
            options={exemptions.map((e) => ({ value: e.code, label: pick(e.label, locale) }))}
          />
        )}
        <fieldset class="field">
          <legend>{t('desk.paper.legend')}</legend>
          <p class="hint">{t('desk.paper.hint')}</p>
          {p.content.documents.map((d, i) => (
            <div class="radio" key={i}>
              <input type="checkbox" id={`paper.${i}`} name={`paper.${i}`} value="1" checked={v[`paper.${i}`] === '1'} />
              <label for={`paper.${i}`}>
                {pick(d.name, locale)}
                {d.required !== false && <span class="field-flag"> {t('form.required')}</span>}
              </label>
            </div>
          ))}
        </fieldset>
        <Radios
          t={t}
          name="channel"
          legend={t('desk.field.channel')}
          value={v.channel === '3' ? '3' : '1'}
          options={[
            { value: '1', label: t('desk.channel.1') },
            { value: '3', label: t('desk.channel.3') },
          ]}
        />
        <Radios
          t={t}
          name="locale"
          legend={t('desk.field.locale')}
          value={v.locale === 'en' ? 'en' : 'vi'}
          options={[
            { value: 'vi', label: 'Tiếng Việt' },
            { value: 'en', label: 'English (Tiếng Anh)' },
          ]}
        />
        <SubmitButton>{t('desk.walkIn.submit')}</SubmitButton>
      </form>
    </DeskLayout>
  );
}
