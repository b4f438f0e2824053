import type { ComponentChildren } from 'preact';
import type { MessageKey, Translate } from '../i18n/index.js';

/** Field name -> message key of its error. */
export type FieldErrors = Record<string, MessageKey>;

export function ErrorSummary({ t, errors, order }: { t: Translate; errors: FieldErrors; order?: string[] }) {
  const names = order ? order.filter((n) => errors[n]) : Object.keys(errors);
  if (names.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {names.map((n) => (
          <li key={n}>
            <a href={`#${n}`}>{t(errors[n]!)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormError({
  t,
  message,
  params,
}: {
  t: Translate;
  message: MessageKey | undefined;
  /** The error's parameters ({minutes} of a lock): a message must never show its placeholder. */
  params?: Record<string, string | number>;
}) {
  if (!message) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{t('form.errorSummary')}</h2>
      <p>{t(message, params)}</p>
    </div>
  );
}

export interface TextFieldProps {
  t: Translate;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'password';
  autocomplete?: string;
  required?: boolean;
  error?: MessageKey | undefined;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  maxLength?: number;
}

export function TextField(p: TextFieldProps) {
  const hintId = p.hint ? `${p.name}-hint` : undefined;
  const errorId = p.error ? `${p.name}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={p.name}>
        {p.label} <span class="field-flag">{p.required ? p.t('form.required') : p.t('form.optional')}</span>
      </label>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="error-message" id={errorId}>
          <span class="visually-hidden">{p.t('form.errorPrefix')} </span>
          {p.t(p.error)}
        </p>
      )}
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' ? undefined : p.value}
        autocomplete={p.autocomplete}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
      />
    </div>
  );
}

export function Radios(p: { t: Translate; name: string; legend: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <fieldset class="field">
      <legend>{p.legend}</legend>
      {p.options.map((o) => (
        <div class="radio" key={o.value}>
          <input type="radio" id={`${p.name}-${o.value}`} name={p.name} value={o.value} checked={p.value === o.value} />
          <label for={`${p.name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function SubmitButton({ children }: { children: ComponentChildren }) {
  return (
    <button type="submit" class="button">
      {children}
    </button>
  );
}

export interface SelectFieldProps {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  /** A first, empty choice ("All", "None"), when the field may be left unset. */
  emptyLabel?: string;
  hint?: string;
  error?: string | undefined;
}

export function SelectField(p: SelectFieldProps) {
  const hintId = p.hint ? `${p.name}-hint` : undefined;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && <p class="error-message">{p.error}</p>}
      <select id={p.name} name={p.name} aria-describedby={hintId}>
        {p.emptyLabel !== undefined && <option value="">{p.emptyLabel}</option>}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
