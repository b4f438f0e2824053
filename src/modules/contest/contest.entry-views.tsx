import { CsrfField, TextField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, formatNumber, type MessageKey, type Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { minutes, RoundSummary } from './contest.play-views.js';
import type { ContestView, EntryView, RoundView } from './contest.schema.js';

// The round as its participant sees it: register, start, the questions, submitted, or time up.

export interface RoundPageData {
  contest: ContestView;
  round: RoundView;
  number: number;
  participant: { name: string } | null;
  entry: EntryView | null;
  /** Not submitted and past the time limit plus grace. */
  late: boolean;
  notice: 'saved' | 'submitted' | null;
  error?: MessageKey;
  prediction: string;
  serverNow: Date;
}

function QuestionField({
  t,
  locale,
  q,
  i,
  total,
}: {
  t: Translate;
  locale: 'vi' | 'en';
  q: EntryView['questions'][number];
  i: number;
  total: number;
}) {
  const multiple = q.kind === 'multiple';
  return (
    <fieldset class="contest-question" id={`q${q.id}`} aria-describedby={`q${q.id}-hint`} data-question={q.id}>
      <legend>
        <span class="question-number">{t('contestPlay.question.n', { n: i + 1, total })}</span> {q.text[locale]}
      </legend>
      <p class="hint" id={`q${q.id}-hint`}>
        {t(multiple ? 'contestPlay.question.multiple' : 'contestPlay.question.single')}
      </p>
      {q.options.map((o) => (
        <div class="choice" key={o.id}>
          <input
            type={multiple ? 'checkbox' : 'radio'}
            id={`q${q.id}-${o.id}`}
            name={`q${q.id}`}
            value={o.id}
            checked={q.chosen.includes(o.id)}
          />
          <label for={`q${q.id}-${o.id}`}>{o.text[locale]}</label>
        </div>
      ))}
      <p class="save-status" id={`q${q.id}-status`} aria-live="polite"></p>
    </fieldset>
  );
}

/** The round for its participant: register, start, the questions, the time-up notice, or the submitted entry. */
export function RoundPage(p: { ctx: PageContext; d: RoundPageData }) {
  const { t, locale } = p.ctx;
  const { d } = p;
  const e = d.entry;
  const n = (x: number) => formatNumber(x, locale);
  const taking = !!e && !e.submittedAt && !d.late && d.round.phase === 'open';
  const title = t('contestPlay.round.title', { n: d.number, contest: d.contest.title[locale] });
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!d.error} scripts={taking ? ['contest.js'] : undefined}>
      <h1>{title}</h1>
      <RoundSummary ctx={p.ctx} r={d.round} n={d.number} h2 />
      {d.notice === 'submitted' && (
        <div class="success" role="status">
          <h2>{t('contestPlay.submitted.title')}</h2>
          <p>{t('contestPlay.submitted.body', { date: formatDateTime(new Date(d.round.closesAt), locale) })}</p>
        </div>
      )}
      {d.notice === 'saved' && (
        <div class="success" role="status">
          <p>{t('contestPlay.saved')}</p>
        </div>
      )}
      {d.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{t(d.error)}</p>
        </div>
      )}
      {!d.participant && d.round.phase !== 'closed' && (
        <>
          <p>{t('contestPlay.round.registerFirst')}</p>
          <p>
            <a class="button button-large" href={`/contest/${d.contest.id}/register?round=${d.round.id}`}>
              {t('contestPlay.register.link')}
            </a>
          </p>
        </>
      )}
      {d.participant && !e && d.round.phase === 'open' && (
        <form method="post" action={`/contest/rounds/${d.round.id}/start`}>
          <CsrfField token={p.ctx.csrfToken} />
          <p>
            {t('contestPlay.start.lead', {
              name: d.participant.name,
              count: d.round.questionCount,
              minutes: minutes(d.round.timeLimitSeconds),
            })}
          </p>
          <button type="submit" class="button button-large">
            {t('contestPlay.start.button')}
          </button>
        </form>
      )}
      {d.participant && !e && d.round.phase === 'scheduled' && <p>{t('contestPlay.round.notYet')}</p>}
      {d.participant && !e && d.round.phase === 'closed' && <p>{t('contestPlay.round.missed')}</p>}
      {e && d.round.phase === 'closed' && (
        <p>
          <a class="button button-large" href={`/contest/entries/${e.entryId}`}>
            {t('contestPlay.result.link')}
          </a>
        </p>
      )}
      {d.round.phase === 'closed' && (
        <ul class="link-list">
          <li>
            <a href={`/contest/rounds/${d.round.id}/results`}>{t('contestPlay.round.results', { n: d.number })}</a>
          </li>
          <li>
            <a href={`/contest/rounds/${d.round.id}/leaderboard`}>{t('contestPlay.round.leaderboard', { n: d.number })}</a>
          </li>
        </ul>
      )}
      {e && e.submittedAt && d.round.phase !== 'closed' && (
        <div class="entry-summary">
          <p>{t('contestPlay.entry.submittedAt', { date: formatDateTime(new Date(e.submittedAt), locale) })}</p>
          <p>{t('contestPlay.entry.prediction', { prediction: n(e.prediction ?? 0) })}</p>
          <p>
            {t('contestPlay.entry.answered', {
              answered: n(e.questions.filter((q) => q.chosen.length).length),
              count: n(e.questions.length),
            })}
          </p>
          <p>{t('contestPlay.entry.onlyOnce')}</p>
        </div>
      )}
      {e && !e.submittedAt && d.late && d.round.phase !== 'closed' && <p class="lead">{t('contestPlay.entry.late')}</p>}
      {taking && <EntryForm ctx={p.ctx} d={d} e={e} />}
    </Layout>
  );
}

function EntryForm({ ctx, d, e }: { ctx: PageContext; d: RoundPageData; e: EntryView }) {
  const { t, locale } = ctx;
  return (
    <form
      method="post"
      action={`/contest/entries/${e.entryId}`}
      class="contest-entry"
      data-entry={e.entryId}
      data-deadline={e.deadlineAt}
      data-grace={e.graceSeconds}
      data-server-now={d.serverNow.toISOString()}
      data-msg-saved={t('contestPlay.js.saved')}
      data-msg-failed={t('contestPlay.js.failed')}
      data-msg-time-up={t('contestPlay.js.timeUp')}
      data-msg-one-minute={t('contestPlay.js.oneMinute')}
    >
      <CsrfField token={ctx.csrfToken} />
      <p class="contest-deadline">{t('contestPlay.entry.deadline', { time: formatDateTime(new Date(e.deadlineAt), locale) })}</p>
      <p class="contest-timer" role="timer" aria-live="off" hidden>
        {t('contestPlay.entry.remaining')} <strong class="contest-timer-value"></strong>
      </p>
      <p class="contest-timer-alert visually-hidden" aria-live="assertive"></p>
      <p class="hint">{t('contestPlay.entry.howToSave')}</p>
      {e.questions.map((q, i) => (
        <QuestionField key={q.id} t={t} locale={locale} q={q} i={i} total={e.questions.length} />
      ))}
      <div class="button-row">
        <button type="submit" name="action" value="save" class="button button-secondary" formNoValidate>
          {t('contestPlay.entry.save')}
        </button>
      </div>
      <h2>{t('contestPlay.prediction.title')}</h2>
      <TextField
        t={t}
        name="prediction"
        inputMode="numeric"
        label={t('contestPlay.prediction.label')}
        hint={t('contestPlay.prediction.hint')}
        value={d.prediction}
        required
        maxLength={11}
        error={d.error === 'err.contest_prediction_invalid' ? d.error : undefined}
      />
      <p>{t('contestPlay.entry.submitHint')}</p>
      <button type="submit" name="action" value="submit" class="button button-large">
        {t('contestPlay.entry.submit')}
      </button>
    </form>
  );
}
