import type { FieldDef, SimpleFieldDef } from '../../domain/dossier/form.js';
import type { Locale, MessageKey, Translate } from '../i18n/index.js';

type Named = { vi: string; en: string };
type Option = { value: string; label: Named };
export type FormFieldView = FieldDef & {
  label: Named;
  hint?: Named;
  options?: { value: string; label: Named }[];
  fields?: FormFieldView[];
};
export type Ward = { code: string; name: string };

const pick = (n: Named | undefined, locale: Locale) => (n ? (locale === 'en' && n.en ? n.en : n.vi) : '');

/** Turns the flat names of a posted form (`f.addr.ward`, `f.kids.0.name`) back into the answers' shape. */
export function unflatten(body: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith(prefix) || typeof value !== 'string') continue;
    const path = key.slice(prefix.length).split('.');
    if (path.length > 3 || path.some((p) => !/^[A-Za-z0-9_]{1,41}$/.test(p))) continue;
    let node = out as Record<string, unknown>;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) {
        node[part] = value.slice(0, 2000);
      } else {
        const nextIsIndex = /^\d+$/.test(path[i + 1]!);
        if (nextIsIndex && Number(path[i + 1]) >= 20) break;
        node[part] ??= nextIsIndex ? [] : {};
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return out;
}

function fieldId(path: string) {
  return `f.${path}`;
}

function Problem({ t, error, id }: { t: Translate; error: MessageKey | undefined; id: string }) {
  if (!error) return null;
  return (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">{t('form.errorPrefix')} </span>
      {t(error)}
    </p>
  );
}

function Simple(p: {
  t: Translate;
  locale: Locale;
  f: FormFieldView & SimpleFieldDef;
  path: string;
  value: unknown;
  errors: Record<string, MessageKey>;
  wards: Ward[];
}) {
  const { t, f, locale } = p;
  const id = fieldId(p.path);
  const label = (
    <>
      {pick(f.label, locale)} <span class="field-flag">{f.required ? t('form.required') : t('form.optional')}</span>
    </>
  );
  const hint = f.hint
    ? pick(f.hint, locale)
    : f.type === 'citizen_id'
      ? t('dossier.hint.citizenId')
      : f.type === 'date'
        ? t('dossier.hint.date')
        : '';
  if (f.type === 'address') {
    const v = (p.value ?? {}) as { ward?: string; street?: string };
    const wardErr = p.errors[`${p.path}.ward`];
    const streetErr = p.errors[`${p.path}.street`];
    return (
      <fieldset class={`field${wardErr || streetErr ? ' field-error' : ''}`}>
        <legend>{label}</legend>
        <div class="field">
          <label for={`${id}.ward`}>{t('dossier.address.ward')}</label>
          <Problem t={t} error={wardErr} id={`${id}.ward`} />
          <select id={`${id}.ward`} name={`${id}.ward`} aria-invalid={wardErr ? 'true' : undefined}>
            <option value="">{t('dossier.address.chooseWard')}</option>
            {p.wards.map((w) => (
              <option key={w.code} value={w.code} selected={w.code === v.ward}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}.street`}>{t('dossier.address.street')}</label>
          <Problem t={t} error={streetErr} id={`${id}.street`} />
          <input id={`${id}.street`} name={`${id}.street`} value={v.street ?? ''} maxLength={200} autocomplete="street-address" />
        </div>
      </fieldset>
    );
  }
  const error = p.errors[p.path];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const value = p.value === undefined || p.value === null ? '' : String(p.value);
  const common = { id, name: id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy };
  let control;
  if (f.type === 'select') {
    control = (
      <select {...common}>
        <option value="">{t('dossier.choose')}</option>
        {((f.options ?? []) as Option[]).map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {pick(o.label, locale)}
          </option>
        ))}
      </select>
    );
  } else if (f.type === 'textarea') {
    control = (
      <textarea {...common} rows={4} maxLength={2000}>
        {value}
      </textarea>
    );
  } else {
    const type = f.type === 'date' ? 'date' : f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : 'text';
    const inputMode = f.type === 'number' || f.type === 'citizen_id' ? 'numeric' : undefined;
    control = <input {...common} type={type} value={value} inputMode={inputMode} maxLength={f.type === 'citizen_id' ? 12 : 200} />;
  }
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <Problem t={t} error={error} id={id} />
      {control}
    </div>
  );
}

/** The online form of a procedure version: every field type, repeatable groups with "add a row". */
export function DossierFields(p: {
  t: Translate;
  locale: Locale;
  fields: FormFieldView[];
  values: Record<string, unknown>;
  errors: Record<string, MessageKey>;
  wards: Ward[];
  /** Groups that get one more empty row (the applicant pressed "add a row"). */
  extraRow?: string | null;
}) {
  return (
    <>
      {p.fields.map((f) => {
        if (f.type !== 'group')
          return (
            <Simple
              key={f.name}
              t={p.t}
              locale={p.locale}
              f={f as FormFieldView & SimpleFieldDef}
              path={f.name}
              value={p.values[f.name]}
              errors={p.errors}
              wards={p.wards}
            />
          );
        const rows = Array.isArray(p.values[f.name]) ? (p.values[f.name] as Record<string, unknown>[]) : [];
        const shown = rows.length === 0 || p.extraRow === f.name ? [...rows, {}] : rows;
        return (
          <fieldset class="field group" key={f.name}>
            <legend>{pick(f.label, p.locale)}</legend>
            {shown.slice(0, 20).map((row, i) => (
              <fieldset class="group-row" key={i}>
                <legend>{p.t('dossier.group.row', { n: i + 1 })}</legend>
                {(f.fields ?? []).map((sf) => (
                  <Simple
                    key={sf.name}
                    t={p.t}
                    locale={p.locale}
                    f={sf as FormFieldView & SimpleFieldDef}
                    path={`${f.name}.${i}.${sf.name}`}
                    value={row[sf.name]}
                    errors={p.errors}
                    wards={p.wards}
                  />
                ))}
              </fieldset>
            ))}
            {shown.length < 20 && (
              <button type="submit" name="_action" value={`add:${f.name}`} class="button button-secondary">
                {p.t('dossier.group.add')}
              </button>
            )}
          </fieldset>
        );
      })}
    </>
  );
}

/** An answer as the applicant reads it back on the "check your answers" page. */
export function answerText(f: FormFieldView, value: unknown, locale: Locale, wards: Map<string, string>, t: Translate): string {
  if (value === undefined || value === null || value === '') return t('dossier.check.notAnswered');
  if (f.type === 'select') return pick(((f.options ?? []) as Option[]).find((o) => o.value === value)?.label, locale) || String(value);
  if (f.type === 'address') {
    const a = value as { ward?: string; street?: string };
    return [a.street, a.ward ? (wards.get(a.ward) ?? a.ward) : ''].filter(Boolean).join(', ');
  }
  if (f.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  return String(value);
}

/** The label an applicant sees for an answer's path (`home.ward`, `kids.1.name`, `applicant.phone`). */
export function labelFor(path: string, fields: FormFieldView[], locale: Locale, t: Translate): string {
  const applicant: Record<string, MessageKey> = {
    'applicant.name': 'dossier.applicant.name',
    'applicant.citizenId': 'dossier.applicant.citizenId',
    'applicant.phone': 'dossier.applicant.phone',
    'applicant.email': 'dossier.applicant.email',
    'applicant.address.ward': 'dossier.address.ward',
  };
  if (applicant[path]) return t(applicant[path]);
  const [name, second, third] = path.split('.');
  const f = fields.find((x) => x.name === name);
  if (!f) return path;
  if (f.type === 'group' && second !== undefined && third !== undefined) {
    const sf = ((f.fields ?? []) as FormFieldView[]).find((x) => x.name === third);
    return `${pick(f.label, locale)} (${t('dossier.group.row', { n: Number(second) + 1 })}): ${sf ? pick(sf.label, locale) : third}`;
  }
  if (f.type === 'address' && second)
    return `${pick(f.label, locale)}: ${t(second === 'ward' ? 'dossier.address.ward' : 'dossier.address.street')}`;
  return pick(f.label, locale);
}

/** An error summary whose every line names the answer it is about, linking to it. */
export function AnswerErrorSummary(p: {
  t: Translate;
  locale: Locale;
  fields: FormFieldView[];
  errors: Record<string, MessageKey>;
  href: (path: string) => string;
  title?: string;
}) {
  const paths = Object.keys(p.errors);
  if (paths.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{p.title ?? p.t('form.errorSummary')}</h2>
      <ul>
        {paths.map((k) => (
          <li key={k}>
            <a href={p.href(k)}>
              {labelFor(k, p.fields, p.locale, p.t)}: {p.t(p.errors[k]!)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
