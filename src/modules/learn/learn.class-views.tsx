import { displayClassCode } from '../../domain/learn/codes.js';
import type { Lesson } from '../../domain/learn/lessons.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, TextField, type FieldErrors } from '../../web/components/form.js';
import { formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { LearnService } from './learn.service.js';
import type { SchoolView } from './learn.schema.js';
import { LearnErrors } from './learn.views.js';

export interface NewClassForm {
  teacherName: string;
  school: string;
  className: string;
}

/** The summary lists problems in the order of the fields. */
const ordered = (errors: FieldErrors, order: string[]): FieldErrors =>
  Object.fromEntries(order.filter((k) => errors[k]).map((k) => [k, errors[k]!]));

/** Schools grouped by the unit they belong to, for the select's optgroups. */
function byUnit(schools: SchoolView[], locale: 'vi' | 'en') {
  const groups = new Map<string, { label: string; items: SchoolView[] }>();
  for (const s of schools) {
    const g = groups.get(s.unit.code) ?? { label: s.unit.name[locale], items: [] };
    g.items.push(s);
    groups.set(s.unit.code, g);
  }
  return [...groups.values()];
}

export function NewClassPage({
  ctx,
  schools,
  form,
  errors,
  code,
}: {
  ctx: PageContext;
  schools: SchoolView[];
  form: NewClassForm;
  errors: FieldErrors;
  code?: string;
}) {
  const { t, locale } = ctx;
  const schoolError = errors.school;
  return (
    <Layout ctx={ctx} title={t('learn.new.title')} hasError={Object.keys(errors).length > 0}>
      <LearnErrors ctx={ctx} errors={ordered(errors, ['teacherName', 'school', 'className'])} code={code} />
      <p>
        <a href="/learn">{t('learn.back')}</a>
      </p>
      <h1>{t('learn.new.title')}</h1>
      <p class="lead">{t('learn.new.lead')}</p>
      {schools.length === 0 ? (
        <p class="notice">{t('learn.new.noSchools')}</p>
      ) : (
        <form method="post" action="/learn/classes/new" class="class-form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <TextField
            t={t}
            name="teacherName"
            label={t('learn.new.teacherName')}
            value={form.teacherName}
            required
            maxLength={120}
            autocomplete="name"
            error={errors.teacherName}
          />
          <div class={`field${schoolError ? ' field-error' : ''}`}>
            <label for="school">
              {t('learn.new.school')} <span class="field-flag">{t('form.required')}</span>
            </label>
            <p class="hint" id="school-hint">
              {t('learn.new.schoolHint')}
            </p>
            {schoolError && (
              <p class="error-message" id="school-error">
                <span class="visually-hidden">{t('form.errorPrefix')} </span>
                {t(schoolError)}
              </p>
            )}
            <select
              id="school"
              name="school"
              aria-describedby={schoolError ? 'school-hint school-error' : 'school-hint'}
              aria-invalid={schoolError ? 'true' : undefined}
            >
              <option value="">{t('learn.new.schoolPick')}</option>
              {byUnit(schools, locale).map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.items.map((s) => (
                    <option key={s.code} value={s.code} selected={s.code === form.school}>
                      {s.name[locale]}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <TextField
            t={t}
            name="className"
            label={t('learn.new.className')}
            hint={t('learn.new.classNameHint')}
            value={form.className}
            required
            maxLength={30}
            error={errors.className}
          />
          <button type="submit" class="button">
            {t('learn.new.submit')}
          </button>
        </form>
      )}
    </Layout>
  );
}

type Progress = Awaited<ReturnType<LearnService['classProgress']>>;

export function ClassProgressPage({
  ctx,
  p,
  lessons,
  created,
  joinUrl,
}: {
  ctx: PageContext;
  p: Progress;
  lessons: Lesson[];
  created: boolean;
  joinUrl: string;
}) {
  const { t, locale } = ctx;
  const n = (x: number) => formatNumber(x, locale);
  const school = locale === 'en' ? p.cls.school_en : p.cls.school_vi;
  const title = t('learn.class.title', { class: p.cls.name, school });
  const q = p.totals.questions;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="meta">{t('learn.class.info', { teacher: p.cls.teacher_name, unit: locale === 'en' ? p.cls.unit_en : p.cls.unit_vi })}</p>
      {created && (
        <p class="success" role="status">
          {t('learn.class.created')}
        </p>
      )}
      <p class="notice">{t('learn.class.private')}</p>
      <section aria-labelledby="code-title" class="result-panel">
        <h2 id="code-title">{t('learn.class.code')}</h2>
        <p class="class-code" data-class-code={p.cls.code}>
          {displayClassCode(p.cls.code)}
        </p>
        <p>{t('learn.class.howToJoin', { url: joinUrl })}</p>
      </section>
      <section aria-labelledby="pupils-title">
        <h2 id="pupils-title">{t('learn.class.pupils')}</h2>
        <p data-figure="class-summary">
          {t('learn.class.summary', {
            pupils: n(p.totals.pupils),
            allDone: n(p.totals.allDone),
            lessons: n(lessons.length),
            avg: p.totals.averageFirstTryRight === null ? '–' : n(p.totals.averageFirstTryRight),
            questions: n(q),
          })}
        </p>
        <h3>{t('learn.class.lessonsKey')}</h3>
        <ol>
          {lessons.map((l) => (
            <li key={l.slug}>{l.title[locale]}</li>
          ))}
        </ol>
        {p.pupils.length === 0 ? (
          <p>{t('learn.class.none')}</p>
        ) : (
          <div class="table-scroll" role="region" aria-labelledby="pupils-title" tabIndex={0}>
            <table class="progress-table">
              <caption class="visually-hidden">{t('learn.class.pupils')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('learn.class.col.name')}</th>
                  {lessons.map((l, i) => (
                    <th scope="col" key={l.slug}>
                      {t('learn.class.col.lesson', { n: i + 1 })}
                    </th>
                  ))}
                  <th scope="col">{t('learn.class.col.done')}</th>
                  <th scope="col">{t('learn.class.col.score')}</th>
                </tr>
              </thead>
              <tbody>
                {p.pupils.map((row) => (
                  <tr key={row.id} data-pupil={row.name}>
                    <th scope="row">{row.name}</th>
                    {lessons.map((l) => (
                      <td key={l.slug} data-lesson={l.slug}>
                        {row.lessonsDone.includes(l.slug) ? t('learn.class.mark.done') : t('learn.class.mark.notDone')}
                      </td>
                    ))}
                    <td class="num" data-figure="lessons-done">
                      {n(row.lessonsDone.length)}/{n(lessons.length)}
                    </td>
                    <td class="num" data-figure="first-try">
                      {n(row.firstTryRight)}/{n(q)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-row="totals">
                  <th scope="row">{t('learn.class.totals')}</th>
                  {lessons.map((l) => (
                    <td key={l.slug} class="num" data-lesson={l.slug}>
                      {n(p.totals.doneByLesson[l.slug] ?? 0)}/{n(p.totals.pupils)}
                    </td>
                  ))}
                  <td class="num" data-figure="all-done">
                    {n(p.totals.allDone)}/{n(p.totals.pupils)}
                  </td>
                  <td class="num" data-figure="first-try-total">
                    {n(p.totals.firstTryRight)}/{n(q * p.totals.pupils)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        <p>{t('learn.class.rules')}</p>
      </section>
    </Layout>
  );
}
