import { COMMITMENT_STATUS } from '../../db/types.js';
import { CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatDateTime, formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { CommitmentItem, CommitmentStatusBadge, ContactFields, StatusBadge, TextArea } from './conferences.parts.js';
import type { CommitmentView, ConferenceSummary, ConferenceView } from './conferences.schema.js';

type Units = { code: string; name: string }[];

function ConferenceTable({ ctx, rows, caption }: { ctx: PageContext; rows: ConferenceSummary[]; caption: string }) {
  const { t, locale } = ctx;
  if (rows.length === 0) return <p>{t('conf.none')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('conf.col.topic')}</th>
          <th scope="col">{t('conf.col.when')}</th>
          <th scope="col">{t('conf.col.place')}</th>
          <th scope="col">{t('conf.col.unit')}</th>
          <th scope="col">{t('conf.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id}>
            <th scope="row">
              <a href={`/conferences/${c.id}`}>{c.topic}</a>
            </th>
            <td>{formatDateTime(new Date(c.startsAt), locale)}</td>
            <td>{c.place}</td>
            <td>{locale === 'en' ? c.unit.name.en : c.unit.name.vi}</td>
            <td>
              <StatusBadge t={t} status={c.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConferenceListPage(p: {
  ctx: PageContext;
  units: Units;
  unit: string;
  upcoming: ConferenceSummary[];
  past: ConferenceSummary[];
}) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('conf.title')}>
      <h1>{t('conf.title')}</h1>
      <p class="lead">{t('conf.lead')}</p>
      <form method="get" action="/conferences" class="filters">
        <SelectField
          name="unit"
          label={t('conf.filter.unit')}
          value={p.unit}
          emptyLabel={t('conf.filter.all')}
          options={p.units.map((u) => ({ value: u.code, label: u.name }))}
        />
        <div class="field">
          <button type="submit" class="button button-secondary">
            {t('conf.filter.submit')}
          </button>
        </div>
      </form>
      <h2>{t('conf.upcoming')}</h2>
      <ConferenceTable ctx={p.ctx} rows={p.upcoming} caption={t('conf.upcoming')} />
      <h2>{t('conf.past')}</h2>
      <ConferenceTable ctx={p.ctx} rows={p.past} caption={t('conf.past')} />
      <p>
        <a href="/commitments">{t('conf.commitmentsLink')}</a>
      </p>
    </Layout>
  );
}

export interface ConferencePageData {
  c: ConferenceView;
  /** A citizen or business is logged in: questions can be supported. */
  canSupport: boolean;
  supported: Set<number>;
  own: Set<number>;
  notice: 'registered' | 'asked' | 'supported' | undefined;
  form: 'register' | 'ask' | 'support' | undefined;
  error: MessageKey | undefined;
  values: Record<string, string>;
}

/** Before the meeting a printable agenda (with the forms while open); after it, the minutes. */
export function ConferencePage(p: { ctx: PageContext; data: ConferencePageData }) {
  const { t, locale } = p.ctx;
  const { c } = p.data;
  const minutes = c.status === 'minutes_published';
  const open = c.status === 'scheduled' && new Date(c.registrationClosesAt).getTime() > Date.now();
  const full = c.capacity !== null && c.registered >= c.capacity;
  const v = p.data.values;
  const errorFor = (f: ConferencePageData['form']) => (p.data.form === f ? p.data.error : undefined);
  return (
    <Layout ctx={p.ctx} title={c.topic} hasError={!!p.data.error}>
      <p class="meta">{minutes ? t('conf.minutes') : t('conf.agenda')}</p>
      <h1>{c.topic}</h1>
      <p>
        <StatusBadge t={t} status={c.status} />
      </p>
      {p.data.notice && (
        <div class="success no-print" role="status">
          <p>{t(p.data.notice === 'registered' ? 'conf.register.done' : p.data.notice === 'asked' ? 'conf.ask.done' : 'conf.supported')}</p>
        </div>
      )}
      <FormError t={t} message={errorFor('support')} />
      {c.status === 'cancelled' && <p class="notice">{t('conf.cancelled', { reason: c.cancelReason ?? '' })}</p>}
      <dl class="summary-list">
        <div>
          <dt>{t('conf.unit')}</dt>
          <dd>{locale === 'en' ? c.unit.name.en : c.unit.name.vi}</dd>
        </div>
        <div>
          <dt>{t('conf.when')}</dt>
          <dd>{formatDateTime(new Date(c.startsAt), locale)}</dd>
        </div>
        <div>
          <dt>{t('conf.place')}</dt>
          <dd>{c.place}</dd>
        </div>
        <div>
          <dt>{t('conf.chair')}</dt>
          <dd>{c.chair}</dd>
        </div>
        {c.leaders.length > 0 && (
          <div>
            <dt>{t('conf.leaders')}</dt>
            <dd>
              <ul class="plain-list">
                {c.leaders.map((l, i) => (
                  <li key={i}>
                    {l.name}
                    {l.title && `, ${l.title}`}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {c.status === 'scheduled' && (
          <div>
            <dt>{t('conf.closes')}</dt>
            <dd>{formatDateTime(new Date(c.registrationClosesAt), locale)}</dd>
          </div>
        )}
        <div>
          <dt>{t('conf.seats')}</dt>
          <dd>
            {c.capacity === null
              ? formatNumber(c.registered, locale)
              : t('conf.seatsOf', { registered: formatNumber(c.registered, locale), capacity: formatNumber(c.capacity, locale) })}
          </dd>
        </div>
      </dl>
      {c.description && <p class="conf-description">{c.description}</p>}
      {minutes && c.minutesPublishedAt && (
        <p>{t('conf.minutesPublished', { when: formatDateTime(new Date(c.minutesPublishedAt), locale) })}</p>
      )}
      <p class="hint no-print">{t('conf.printHint')}</p>

      <h2>{minutes ? t('conf.minutes') : t('conf.questions')}</h2>
      {!minutes && <p>{t('conf.questionsLead')}</p>}
      {c.questions.length === 0 ? (
        <p>{t('conf.noQuestions')}</p>
      ) : (
        <ol class="conf-questions">
          {c.questions.map((q, i) => (
            <li key={q.id} class="conf-question" id={`question-${q.id}`}>
              <h3>{t('conf.question', { n: i + 1 })}</h3>
              <p class="meta">
                {q.source === 'room' ? `${t('conf.fromRoom')}. ` : ''}
                {t('conf.askedBy', { who: q.asker })}
                {q.procedureCode && ` · ${t('conf.procedure', { code: q.procedureCode })}`}
                {!minutes && ` · ${t('conf.supports', { n: formatNumber(q.supports, locale) })}`}
              </p>
              <p class="conf-text">{q.text}</p>
              {minutes && (
                <>
                  <h4>{t('conf.answer')}</h4>
                  <p class="conf-answer">{q.answer ?? t('conf.noAnswer')}</p>
                  {q.commitments.length > 0 && (
                    <>
                      <h4>{t('conf.commitments')}</h4>
                      <ul class="commitment-list">
                        {q.commitments.map((m) => (
                          <CommitmentItem key={m.id} ctx={p.ctx} m={m} />
                        ))}
                      </ul>
                    </>
                  )}
                </>
              )}
              {!minutes && c.status === 'scheduled' && (
                <div class="no-print">
                  {p.data.supported.has(q.id) ? (
                    <p>{t('conf.supported')}</p>
                  ) : p.data.own.has(q.id) ? null : p.data.canSupport ? (
                    <form method="post" action={`/conferences/${c.id}/questions/${q.id}/support`} class="inline-form">
                      <CsrfField token={p.ctx.csrfToken} />
                      <button type="submit" class="button button-secondary">
                        {t('conf.support')}
                      </button>
                    </form>
                  ) : !p.ctx.actor ? (
                    <a href={`/login?next=${encodeURIComponent(`/conferences/${c.id}`)}`}>{t('conf.supportLogin')}</a>
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}

      {c.status === 'scheduled' && !open && <p class="notice no-print">{t('conf.closed')}</p>}
      {open && (
        <div class="no-print">
          <section aria-labelledby="register-title" class="conf-form">
            <h2 id="register-title">{t('conf.register.title')}</h2>
            {full ? (
              <p class="notice">{t('conf.full')}</p>
            ) : (
              <form method="post" action={`/conferences/${c.id}/register`} id="register">
                <CsrfField token={p.ctx.csrfToken} />
                <p>{t('conf.register.lead')}</p>
                <FormError t={t} message={errorFor('register')} />
                <ContactFields ctx={p.ctx} prefix="r" values={v} />
                <TextField
                  t={t}
                  name="organisation"
                  label={t('conf.field.organisation')}
                  value={p.data.form === 'register' ? v.organisation : ''}
                  maxLength={300}
                />
                <button type="submit" class="button">
                  {t('conf.register.submit')}
                </button>
              </form>
            )}
          </section>
          <section aria-labelledby="ask-title" class="conf-form">
            <h2 id="ask-title">{t('conf.ask.title')}</h2>
            <form method="post" action={`/conferences/${c.id}/questions`} id="ask">
              <CsrfField token={p.ctx.csrfToken} />
              <p>{t('conf.ask.lead')}</p>
              <FormError t={t} message={errorFor('ask')} />
              <ContactFields ctx={p.ctx} prefix="q" values={v} />
              <TextArea
                t={t}
                name="text"
                id="q-text"
                label={t('conf.ask.text')}
                hint={t('conf.ask.textHint')}
                value={p.data.form === 'ask' ? v.text : ''}
                required
                maxLength={2000}
                rows={6}
              />
              <div class="field">
                <label for="q-procedure">
                  {t('conf.ask.procedure')} <span class="field-flag">{t('form.optional')}</span>
                </label>
                <p class="hint" id="q-procedure-hint">
                  {t('conf.ask.procedureHint')}
                </p>
                <input
                  id="q-procedure"
                  name="procedureCode"
                  type="text"
                  maxLength={20}
                  aria-describedby="q-procedure-hint"
                  value={p.data.form === 'ask' ? v.procedureCode : ''}
                />
              </div>
              <button type="submit" class="button">
                {t('conf.ask.submit')}
              </button>
            </form>
          </section>
        </div>
      )}
      <p class="no-print">
        <a href="/conferences">{t('conf.title')}</a>
      </p>
    </Layout>
  );
}

export function CommitmentsPage(p: {
  ctx: PageContext;
  units: Units;
  filter: { unit: string; status: string; late: boolean };
  rows: (CommitmentView & { topic: string })[];
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('commit.title')}>
      <h1>{t('commit.title')}</h1>
      <p class="lead">{t('commit.lead')}</p>
      <form method="get" action="/commitments" class="filters">
        <SelectField
          name="unit"
          label={t('conf.filter.unit')}
          value={p.filter.unit}
          emptyLabel={t('conf.filter.all')}
          options={p.units.map((u) => ({ value: u.code, label: u.name }))}
        />
        <SelectField
          name="status"
          label={t('commit.filter.status')}
          value={p.filter.status}
          emptyLabel={t('commit.filter.all')}
          options={COMMITMENT_STATUS.map((s) => ({ value: s, label: t(`commit.status.${s}`) }))}
        />
        <div class="checkbox field">
          <input type="checkbox" id="late" name="late" value="true" checked={p.filter.late} />
          <label for="late">{t('commit.filter.late')}</label>
        </div>
        <div class="field">
          <button type="submit" class="button button-secondary">
            {t('conf.filter.submit')}
          </button>
        </div>
      </form>
      {p.rows.length === 0 ? (
        <p>{t('commit.none')}</p>
      ) : (
        <table class="commitments-table">
          <caption class="visually-hidden">{t('commit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('commit.col.what')}</th>
              <th scope="col">{t('commit.col.conference')}</th>
              <th scope="col">{t('commit.col.responsible')}</th>
              <th scope="col">{t('commit.col.due')}</th>
              <th scope="col">{t('commit.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((m) => (
              <tr key={m.id} class={m.late ? 'row-late' : undefined} id={`commitment-${m.id}`}>
                <th scope="row">
                  {m.what}
                  {m.status === 'done' && m.evidence && <p class="meta">{t('commit.evidence', { text: m.evidence })}</p>}
                </th>
                <td>
                  <a href={`/conferences/${m.conferenceId}#question-${m.questionId}`}>{m.topic}</a>
                </td>
                <td>
                  {m.responsible}
                  {m.responsibleUnit && ` (${locale === 'en' ? m.responsibleUnit.name.en : m.responsibleUnit.name.vi})`}
                </td>
                <td>{formatDate(m.dueDate, locale)}</td>
                <td>
                  <CommitmentStatusBadge t={t} status={m.status} late={m.late} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/conferences">{t('conf.title')}</a>
      </p>
    </Layout>
  );
}
