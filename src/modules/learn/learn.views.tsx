import type { Lesson, LessonQuestion, LessonsFile } from '../../domain/learn/lessons.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, TextField, type FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';

export interface PupilInfo {
  name: string;
  className: string;
  school: string;
}

/** The error summary of a form, carrying the stable code for scripts and tests. */
export function LearnErrors({ ctx, errors, code }: { ctx: PageContext; errors: FieldErrors; code: string | undefined }) {
  const names = Object.keys(errors);
  if (names.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-code={code}>
      <h2 id="error-summary-title">{ctx.t('form.errorSummary')}</h2>
      <ul>
        {names.map((n) => (
          <li key={n}>
            <a href={`#${n}`}>{ctx.t(errors[n]!)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface HomeData {
  lessons: Lesson[];
  sources: LessonsFile['sources'];
  pupil: PupilInfo | null;
  done: Set<string>;
  notice: MessageKey | null;
  join: { classCode: string; pupilName: string };
  errors: FieldErrors;
  code?: string;
}

export function LearnHomePage({ ctx, d }: { ctx: PageContext; d: HomeData }) {
  const { t, locale } = ctx;
  const hasError = Object.keys(d.errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('learn.title')} hasError={hasError}>
      <LearnErrors ctx={ctx} errors={d.errors} code={d.code} />
      <h1>{t('learn.title')}</h1>
      <p class="lead">{t('learn.lead')}</p>
      {d.notice && (
        <p class="success" role="status">
          {d.notice === 'learn.joined' && d.pupil ? t('learn.joined', { class: d.pupil.className, school: d.pupil.school }) : t(d.notice)}
        </p>
      )}
      {d.pupil && (
        <div class="notice learn-member" data-pupil={d.pupil.name}>
          <p>{t('learn.member', { class: d.pupil.className, school: d.pupil.school, name: d.pupil.name })}</p>
          <form method="post" action="/learn/leave" class="inline-form">
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button button-secondary">
              {t('learn.leave')}
            </button>
          </form>
        </div>
      )}
      <section aria-labelledby="lessons-title">
        <h2 id="lessons-title">{t('learn.lessons.title')}</h2>
        <ol class="lesson-list">
          {d.lessons.map((l) => (
            <li key={l.slug} data-lesson={l.slug} data-done={d.done.has(l.slug) ? 'yes' : 'no'}>
              <a href={`/learn/lessons/${l.slug}`} class="lesson-link">
                {l.title[locale]}
              </a>
              <p>{l.summary[locale]}</p>
              <p class="meta">
                {t('learn.lesson.meta', { n: l.minutes, q: l.questions.length })}
                {d.done.has(l.slug) && (
                  <>
                    {' · '}
                    <strong>{t('learn.lesson.done')}</strong>
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
        <p>{t('learn.notContest')}</p>
      </section>
      <div class="cards">
        <section class="card" aria-labelledby="join-title">
          <h2 id="join-title">{t('learn.join.title')}</h2>
          <p>{t('learn.join.lead')}</p>
          <form method="post" action="/learn" class="join-form" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <TextField
              t={t}
              name="classCode"
              label={t('learn.join.code')}
              hint={t('learn.join.codeHint')}
              value={d.join.classCode}
              required
              maxLength={12}
              autocomplete="off"
              error={d.errors.classCode}
            />
            <TextField
              t={t}
              name="pupilName"
              label={t('learn.join.name')}
              hint={t('learn.join.nameHint')}
              value={d.join.pupilName}
              required
              maxLength={120}
              autocomplete="name"
              error={d.errors.pupilName}
            />
            <button type="submit" class="button">
              {t('learn.join.submit')}
            </button>
          </form>
        </section>
        <section class="card" aria-labelledby="teacher-title">
          <h2 id="teacher-title">{t('learn.teacher.title')}</h2>
          <p>{t('learn.teacher.lead')}</p>
          <p>
            <a class="button button-secondary" href="/learn/classes/new">
              {t('learn.teacher.link')}
            </a>
          </p>
        </section>
      </div>
      <section aria-labelledby="sources-title">
        <h2 id="sources-title">{t('learn.sources')}</h2>
        <ul>
          {d.sources.map((s, i) => (
            <li key={i}>{s[locale]}</li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export function LessonPage({ ctx, lesson, done }: { ctx: PageContext; lesson: Lesson; done: boolean }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={lesson.title[locale]}>
      <p>
        <a href="/learn">{t('learn.back')}</a>
      </p>
      <h1>{lesson.title[locale]}</h1>
      <p class="lead">{lesson.summary[locale]}</p>
      {done && (
        <p class="success" role="status">
          {t('learn.lesson.done')}
        </p>
      )}
      {lesson.sections.map((s, i) => (
        <section key={i} aria-labelledby={`s-${i}`}>
          <h2 id={`s-${i}`}>{s.heading[locale]}</h2>
          {s.paragraphs.map((p, j) => (
            <p key={j}>{p[locale]}</p>
          ))}
          {s.steps.length > 0 && (
            <ol class="steps-3">
              {s.steps.map((p, j) => (
                <li key={j}>{p[locale]}</li>
              ))}
            </ol>
          )}
        </section>
      ))}
      <h2>{t('learn.lesson.links')}</h2>
      <ul class="lesson-links">
        {lesson.links.map((l) => (
          <li key={l.href}>
            <a href={l.href}>{l.label[locale]}</a>
          </li>
        ))}
      </ul>
      <h2>{t('learn.lesson.atHome')}</h2>
      <p>{lesson.atHome[locale]}</p>
      <p>
        <a class="button" href={`/learn/lessons/${lesson.slug}/practice`}>
          {t('learn.lesson.practice', { n: lesson.questions.length })}
        </a>
      </p>
    </Layout>
  );
}

export interface Checked {
  key: string;
  chosen: string[];
  correct: boolean;
}

export interface PracticeData {
  lesson: Lesson;
  next: Lesson | null;
  member: boolean;
  /** Questions this pupil has answered right at some try. */
  right: Set<string>;
  done: boolean;
  checked: Checked | null;
  error: { key: string; code: string; message: MessageKey } | null;
}

function Question({ ctx, q, n, d }: { ctx: PageContext; q: LessonQuestion; n: number; d: PracticeData }) {
  const { t, locale } = ctx;
  const checked = d.checked?.key === q.key ? d.checked : null;
  const error = d.error?.key === q.key ? d.error : null;
  const type = q.kind === 'single' ? 'radio' : 'checkbox';
  const hintId = `${q.key}-hint`;
  return (
    <section class="practice-question" id={`q-${q.key}`} data-question={q.key} aria-labelledby={`${q.key}-title`}>
      <h2 id={`${q.key}-title`}>{t('learn.practice.question', { n })}</h2>
      {d.right.has(q.key) && !checked && <p class="meta">{t('learn.practice.rightBefore')}</p>}
      <form method="post" action={`/learn/lessons/${d.lesson.slug}/practice`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="question" value={q.key} />
        <fieldset class={`field${error ? ' field-error' : ''}`} aria-describedby={hintId}>
          <legend>{q.text[locale]}</legend>
          <p class="hint" id={hintId}>
            {q.kind === 'single' ? t('learn.practice.single') : t('learn.practice.multiple')}
          </p>
          {error && (
            <p class="error-message" data-code={error.code}>
              <span class="visually-hidden">{t('form.errorPrefix')} </span>
              {t(error.message)}
            </p>
          )}
          {q.options.map((o) => (
            <div class={type} key={o.key}>
              <input type={type} id={`${q.key}-${o.key}`} name="chosen" value={o.key} checked={!!checked?.chosen.includes(o.key)} />
              <label for={`${q.key}-${o.key}`}>{o.text[locale]}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('learn.practice.check', { n })}
        </button>
      </form>
      {checked && (
        <div
          class={checked.correct ? 'success practice-feedback' : 'notice practice-feedback'}
          role="status"
          data-correct={checked.correct ? 'yes' : 'no'}
        >
          <p>
            <strong>{checked.correct ? t('learn.practice.right') : t('learn.practice.wrong')}</strong>
          </p>
          <p>
            {t('learn.practice.explanation')} {q.explanation[locale]}
          </p>
        </div>
      )}
    </section>
  );
}

export function PracticePage({ ctx, d }: { ctx: PageContext; d: PracticeData }) {
  const { t, locale } = ctx;
  const title = t('learn.practice.title', { lesson: d.lesson.title[locale] });
  return (
    <Layout ctx={ctx} title={title} hasError={!!d.error}>
      <p>
        <a href={`/learn/lessons/${d.lesson.slug}`}>{t('learn.backToLesson')}</a> · <a href="/learn">{t('learn.back')}</a>
      </p>
      <LearnErrors
        ctx={ctx}
        errors={d.error ? { [d.lesson.questions.some((q) => q.key === d.error!.key) ? `q-${d.error.key}` : 'main']: d.error.message } : {}}
        code={d.error?.code}
      />
      <h1>{title}</h1>
      <p class="lead">{t('learn.practice.lead')}</p>
      <p>{t('learn.notContest')}</p>
      {d.member ? (
        <p data-figure="lesson-progress">{t('learn.practice.progress', { n: d.right.size, total: d.lesson.questions.length })}</p>
      ) : (
        <p>
          {t('learn.practice.notMember')} <a href="/learn#join-title">{t('learn.practice.joinLink')}</a>
        </p>
      )}
      {d.done && (
        <p class="success" role="status">
          {t('learn.lesson.done')}
        </p>
      )}
      {d.lesson.questions.map((q, i) => (
        <Question key={q.key} ctx={ctx} q={q} n={i + 1} d={d} />
      ))}
      <p>
        {d.next ? (
          <a href={`/learn/lessons/${d.next.slug}`}>{t('learn.practice.next', { title: d.next.title[locale] })}</a>
        ) : (
          <a href="/learn">{t('learn.back')}</a>
        )}
      </p>
    </Layout>
  );
}
