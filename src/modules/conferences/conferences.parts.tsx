import type { ComponentChildren } from 'preact';
import type { CommitmentStatus, ConferenceStatus } from '../../db/types.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatDateTime, type MessageKey, type Translate } from '../../web/i18n/index.js';
import type { CommitmentView } from './conferences.schema.js';

// Pieces shared by the public and the officials' conference pages.

export function StatusBadge({ t, status }: { t: Translate; status: ConferenceStatus }) {
  return <span class={`badge conf-status-${status}`}>{t(`conf.status.${status}`)}</span>;
}

export function CommitmentStatusBadge({ t, status, late }: { t: Translate; status: CommitmentStatus; late: boolean }) {
  return (
    <>
      <span class={`badge commit-${status}`}>{t(`commit.status.${status}`)}</span>
      {late && <span class="badge badge-late">{t('commit.late')}</span>}
    </>
  );
}

/** One commitment: what, who, by when, its status and, when done, the evidence; the dated history. */
export function CommitmentItem({
  ctx,
  m,
  history = true,
  children,
}: {
  ctx: PageContext;
  m: CommitmentView;
  history?: boolean;
  children?: ComponentChildren;
}) {
  const { t, locale } = ctx;
  return (
    <li class="commitment" id={`commitment-${m.id}`}>
      <p class="commitment-what">
        <strong>{m.what}</strong>
      </p>
      <p>
        <CommitmentStatusBadge t={t} status={m.status} late={m.late} />
      </p>
      <dl class="summary-list">
        <div>
          <dt>{t('commit.col.responsible')}</dt>
          <dd>
            {m.responsible}
            {m.responsibleUnit && ` (${locale === 'en' ? m.responsibleUnit.name.en : m.responsibleUnit.name.vi})`}
          </dd>
        </div>
        <div>
          <dt>{t('commit.col.due')}</dt>
          <dd>{formatDate(m.dueDate, locale)}</dd>
        </div>
      </dl>
      {m.status === 'done' && m.evidence && (
        <p class="commitment-evidence">
          {t('commit.evidence', { text: m.evidence })}{' '}
          {m.evidenceUrl && (
            <a href={m.evidenceUrl} rel="noopener noreferrer nofollow">
              {t('commit.evidenceLink')}
            </a>
          )}
        </p>
      )}
      {history && m.events.length > 0 && (
        <details class="no-print">
          <summary>{t('commit.history')}</summary>
          <ul class="timeline">
            {m.events.map((e, i) => (
              <li key={i}>
                {t('commit.event', { date: formatDateTime(new Date(e.at), locale), status: t(`commit.status.${e.status}`), by: e.by })}
                {e.note && e.status !== 'done' && <span>: {e.note}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {children}
    </li>
  );
}

export function TextArea(p: {
  t: Translate;
  name: string;
  id?: string;
  label: string;
  hint?: string;
  value?: string | null;
  required?: boolean;
  maxLength?: number;
  rows?: number;
  error?: MessageKey | undefined;
}) {
  const id = p.id ?? p.name;
  const hintId = p.hint ? `${id}-hint` : undefined;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label for={id}>
        {p.label} <span class="field-flag">{p.required ? p.t('form.required') : p.t('form.optional')}</span>
      </label>
      {p.hint && (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="error-message">
          <span class="visually-hidden">{p.t('form.errorPrefix')} </span>
          {p.t(p.error)}
        </p>
      )}
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 4}
        maxLength={p.maxLength}
        required={p.required}
        aria-describedby={hintId}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </div>
  );
}

/** A date-time in Vietnam, as a datetime-local input shows it (YYYY-MM-DDTHH:MM). */
export function localInput(d: Date | string | null | undefined): string {
  if (!d) return '';
  const t = typeof d === 'string' ? new Date(d) : d;
  return new Date(t.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}

/** What a datetime-local input sends, read as Vietnam time; '' when unusable. */
export function fromLocalInput(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return '';
  const d = new Date(`${v}:00+07:00`);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** Name, phone and e-mail; the two forms on one page need distinct ids. */
export function ContactFields({ ctx, prefix, values }: { ctx: PageContext; prefix: string; values: Record<string, string> }) {
  const { t } = ctx;
  const field = (name: string, label: MessageKey, type: 'text' | 'tel' | 'email', autocomplete: string, required = false) => (
    <div class="field">
      <label for={`${prefix}-${name}`}>
        {t(label)} <span class="field-flag">{required ? t('form.required') : t('form.optional')}</span>
      </label>
      <input
        id={`${prefix}-${name}`}
        name={name}
        type={type}
        autocomplete={autocomplete}
        required={required}
        maxLength={name === 'email' ? 254 : 200}
        value={values[name] ?? ''}
        aria-describedby={name === 'fullName' ? undefined : `${prefix}-contact-hint`}
      />
    </div>
  );
  return (
    <>
      {field('fullName', 'conf.field.name', 'text', 'name', true)}
      <p class="hint" id={`${prefix}-contact-hint`}>
        {t('conf.field.contactHint')}
      </p>
      {field('phone', 'conf.field.phone', 'tel', 'tel')}
      {field('email', 'conf.field.email', 'email', 'email')}
    </>
  );
}
