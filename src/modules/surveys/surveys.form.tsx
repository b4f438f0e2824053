import type { Questionnaire } from '../../domain/surveys/questionnaire.js';
import type { Translate } from '../../web/i18n/index.js';

type Values = Record<string, unknown>;
type L = 'vi' | 'en';

/** HTML ids without dots, so "#access-a1" links work in every browser. */
export const fieldId = (key: string) => `q-${key.replace(/\./g, '-')}`;

const picked = (v: unknown, option: string) => v === option || (Array.isArray(v) && v.includes(option));

/**
 * One 1-5 question as big radio buttons, one per line (easy to hit for elderly users, readable by
 * screen readers as one group). An optional question has a "no answer" choice, checked by default.
 */
function ScaleQuestion(p: {
  t: Translate;
  name: string;
  text: string;
  labels: { vi: string; en: string }[];
  locale: L;
  required: boolean;
  value: unknown;
  invalid: boolean;
}) {
  const id = fieldId(p.name);
  const current = p.value === undefined || p.value === '' ? '' : String(p.value);
  const choices = [...[5, 4, 3, 2, 1].map((n) => ({ v: String(n), label: `${n} – ${p.labels[n - 1]![p.locale]}` }))];
  if (!p.required) choices.push({ v: '', label: p.t('survey.skip') });
  return (
    <fieldset class={`field survey-question${p.invalid ? ' field-error' : ''}`} id={id} aria-invalid={p.invalid ? 'true' : undefined}>
      <legend>
        {p.text} <span class="field-flag">{p.required ? p.t('survey.required') : p.t('survey.optional')}</span>
      </legend>
      <div class="survey-scale">
        {choices.map((c) => (
          <div class="radio" key={c.v}>
            <input type="radio" id={`${id}-${c.v || 'none'}`} name={p.name} value={c.v} required={p.required} checked={current === c.v} />
            <label for={`${id}-${c.v || 'none'}`}>{c.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The questionnaire's questions (without the <form>): the respondent's page and the admin's preview. */
export function QuestionnaireFields(p: { t: Translate; locale: L; q: Questionnaire; values: Values; invalid?: string | undefined }) {
  const { t, locale, q, values } = p;
  return (
    <>
      {q.factors.map((f) => (
        <section class="survey-factor" key={f.key} aria-labelledby={`h-${f.key}`}>
          <h2 id={`h-${f.key}`}>{f.title[locale]}</h2>
          <p class="hint">{f.hint[locale]}</p>
          <p>{t('survey.assessLead')}</p>
          {f.assessments.map((a) => (
            <ScaleQuestion
              key={a.key}
              t={t}
              name={a.key}
              text={a.text[locale]}
              labels={q.scales.agree}
              locale={locale}
              required={false}
              value={values[a.key]}
              invalid={p.invalid === a.key}
            />
          ))}
          <ScaleQuestion
            t={t}
            name={f.satisfaction.key}
            text={f.satisfaction.text[locale]}
            labels={q.scales.satisfaction}
            locale={locale}
            required={f.satisfaction.required}
            value={values[f.satisfaction.key]}
            invalid={p.invalid === f.satisfaction.key}
          />
          <fieldset class={`field survey-question${p.invalid === f.expectation.key ? ' field-error' : ''}`} id={fieldId(f.expectation.key)}>
            <legend>
              {f.expectation.text[locale]} <span class="field-flag">{t('survey.optional')}</span>
            </legend>
            {f.expectation.options.map((o) => {
              const id = `${fieldId(f.expectation.key)}-${o.key}`;
              return (
                <div class="radio" key={o.key}>
                  <input
                    type="checkbox"
                    id={id}
                    name={f.expectation.key}
                    value={o.key}
                    checked={picked(values[f.expectation.key], o.key)}
                  />
                  <label for={id}>{o.text[locale]}</label>
                </div>
              );
            })}
          </fieldset>
        </section>
      ))}
      <div class="survey-factor">
        <ScaleQuestion
          t={t}
          name={q.overall.key}
          text={q.overall.text[locale]}
          labels={q.scales.satisfaction}
          locale={locale}
          required={q.overall.required}
          value={values[q.overall.key]}
          invalid={p.invalid === q.overall.key}
        />
        <div class={`field${p.invalid === q.comment.key ? ' field-error' : ''}`}>
          <label for={fieldId(q.comment.key)}>{q.comment.text[locale]}</label>
          <textarea id={fieldId(q.comment.key)} name={q.comment.key} rows={4} maxLength={q.comment.maxLength}>
            {typeof values[q.comment.key] === 'string' ? (values[q.comment.key] as string) : ''}
          </textarea>
        </div>
      </div>
    </>
  );
}

/** The question's text, for an error message that names it. */
export function questionText(q: Questionnaire, key: string, locale: L): string {
  if (key === q.overall.key) return q.overall.text[locale];
  if (key === q.comment.key) return q.comment.text[locale];
  for (const f of q.factors) {
    if (key === f.satisfaction.key) return f.satisfaction.text[locale];
    if (key === f.expectation.key) return f.expectation.text[locale];
    const a = f.assessments.find((x) => x.key === key);
    if (a) return a.text[locale];
  }
  return key;
}
