import { FEEDBACK_KINDS } from '../../db/types.js';
import type { PageContext } from '../../web/context.js';
import { SelectField } from '../../web/components/form.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { UnitFeedbackFigures } from './feedback.figures.js';
import type { PublicItem, PublicListQuery } from './feedback.schema.js';

type Unit = { code: string; name: string };

function FiguresTable(p: { ctx: PageContext; from: string; to: string; units: UnitFeedbackFigures[] }) {
  const { t, locale } = p.ctx;
  const n = (x: number) => formatNumber(x, locale);
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{t('feedback.figures.title')}</h2>
      <p>{t('feedback.figures.lead', { from: formatDate(p.from, locale), to: formatDate(p.to, locale) })}</p>
      {p.units.length === 0 ? (
        <p>{t('feedback.figures.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('feedback.figures.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('feedback.figures.unit')}</th>
                <th scope="col">{t('feedback.figures.received')}</th>
                <th scope="col">{t('feedback.figures.answered')}</th>
                <th scope="col">{t('feedback.figures.onTime')}</th>
                <th scope="col">{t('feedback.figures.late')}</th>
                <th scope="col">{t('feedback.figures.openOverdue')}</th>
                <th scope="col">{t('feedback.figures.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {p.units.map((u) => (
                <tr key={u.code}>
                  <th scope="row">{locale === 'en' ? u.name.en : u.name.vi}</th>
                  <td>{n(u.received)}</td>
                  <td>{n(u.answered)}</td>
                  <td>{n(u.answeredOnTime)}</td>
                  <td>{n(u.late)}</td>
                  <td>{n(u.openOverdue)}</td>
                  <td>{u.onTimeRate === null ? '—' : `${formatNumber(u.onTimeRate, locale)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The public list: search without diacritics, filters, answered items, and the timeliness table. */
export function FeedbackListPage(p: {
  ctx: PageContext;
  query: PublicListQuery;
  list: { total: number; page: number; pageSize: number; items: PublicItem[] };
  units: Unit[];
  figures: { from: string; to: string; units: UnitFeedbackFigures[] };
}) {
  const { t, locale } = p.ctx;
  const q = p.query;
  const pageUrl = (page: number) => {
    const s = new URLSearchParams();
    if (q.q) s.set('q', q.q);
    if (q.unit) s.set('unit', q.unit);
    if (q.kind) s.set('kind', q.kind);
    s.set('page', String(page));
    return `/feedback?${s.toString()}`;
  };
  const pages = Math.max(1, Math.ceil(p.list.total / p.list.pageSize));
  return (
    <Layout ctx={p.ctx} title={t('feedback.list.title')}>
      <h1>{t('feedback.list.title')}</h1>
      <p class="lead">{t('feedback.list.lead')}</p>
      <p>
        <a class="button" href="/feedback/new">
          {t('feedback.list.new')}
        </a>
      </p>
      <form method="get" action="/feedback" class="search-form" role="search">
        <div class="field">
          <label for="q">{t('feedback.list.search')}</label>
          <input id="q" name="q" type="search" value={q.q ?? ''} maxLength={200} />
        </div>
        <SelectField
          name="unit"
          label={t('feedback.list.unit')}
          value={q.unit}
          emptyLabel={t('feedback.list.all')}
          options={p.units.map((u) => ({ value: u.code, label: u.name }))}
        />
        <SelectField
          name="kind"
          label={t('feedback.list.kind')}
          value={q.kind}
          emptyLabel={t('feedback.list.all')}
          options={FEEDBACK_KINDS.map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))}
        />
        <button type="submit" class="button">
          {t('feedback.list.submit')}
        </button>
      </form>
      <p role="status">{t('feedback.list.count', { n: formatNumber(p.list.total, locale) })}</p>
      {p.list.items.length === 0 ? (
        <p>{t('feedback.list.none')}</p>
      ) : (
        <ul class="feedback-list">
          {p.list.items.map((i) => (
            <li key={i.code}>
              <h2>
                <a href={`/feedback/${i.code}`}>{i.title}</a>
              </h2>
              <p>
                {t(`feedback.kind.${i.kind}`)} · {locale === 'en' ? i.unit.name.en : i.unit.name.vi} ·{' '}
                {t('feedback.list.answeredAt', { date: formatDate(new Date(i.answeredAt), locale) })}
              </p>
              <p class="message-body">{i.question.length > 300 ? `${i.question.slice(0, 300)}…` : i.question}</p>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav aria-label={t('feedback.list.page', { page: p.list.page })}>
          {p.list.page > 1 && <a href={pageUrl(p.list.page - 1)}>{t('feedback.list.prev')}</a>}{' '}
          {p.list.page < pages && <a href={pageUrl(p.list.page + 1)}>{t('feedback.list.next')}</a>}
        </nav>
      )}
      <FiguresTable ctx={p.ctx} {...p.figures} />
    </Layout>
  );
}

/** One published item: redacted question and answer, the unit and the dates; nothing about the author. */
export function FeedbackDetailPage(p: { ctx: PageContext; item: PublicItem }) {
  const { t, locale } = p.ctx;
  const i = p.item;
  return (
    <Layout ctx={p.ctx} title={i.title}>
      <p>
        <a href="/feedback">{t('feedback.detail.back')}</a>
      </p>
      <h1>{i.title}</h1>
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{t('feedback.list.kind')}</dt>
          <dd>{t(`feedback.kind.${i.kind}`)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('feedback.detail.unit')}</dt>
          <dd>{locale === 'en' ? i.unit.name.en : i.unit.name.vi}</dd>
        </div>
        {i.procedure && (
          <div class="summary-row">
            <dt>{t('feedback.detail.procedure')}</dt>
            <dd>
              <a href={`/procedures/${i.procedure}`}>{i.procedure}</a>
            </dd>
          </div>
        )}
        <div class="summary-row">
          <dt>{t('feedback.detail.received')}</dt>
          <dd>{formatDate(new Date(i.receivedAt), locale)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('feedback.detail.answered')}</dt>
          <dd>
            {formatDate(new Date(i.answeredAt), locale)} ({i.onTime ? t('feedback.detail.onTime') : t('feedback.detail.late')})
          </dd>
        </div>
      </dl>
      <section aria-labelledby="question-title">
        <h2 id="question-title">{t('feedback.detail.question')}</h2>
        <p class="message-body">{i.question}</p>
      </section>
      <section aria-labelledby="answer-title" class="result-panel">
        <h2 id="answer-title">{t('feedback.detail.answer')}</h2>
        <p class="message-body">{i.answer}</p>
      </section>
    </Layout>
  );
}
