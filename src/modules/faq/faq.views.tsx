import type { PageContext } from '../../web/context.js';
import { formatDate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { FaqDetail, FaqPage, FaqSummary } from './faq.schema.js';

/** Paragraphs split on blank lines; single line breaks (lists, steps) are kept by `.message-body`. */
export function AnswerText({ text, lang }: { text: string; lang?: string }) {
  return (
    <div lang={lang}>
      {text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p, i) => (
          <p key={i} class="message-body">
            {p}
          </p>
        ))}
    </div>
  );
}

function question(ctx: PageContext, e: FaqSummary): string {
  return (ctx.locale === 'en' && e.question.en) || e.question.vi;
}

export function PendingBadge({ ctx }: { ctx: PageContext }) {
  return <span class="badge badge-soon">{ctx.t('faq.pendingBadge')}</span>;
}

export function FaqList({ ctx, items, headingLevel = 3 }: { ctx: PageContext; items: FaqSummary[]; headingLevel?: 2 | 3 }) {
  const { t, locale } = ctx;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ol class="procedure-list faq-list">
      {items.map((e) => (
        <li key={e.id}>
          <H>
            <a href={`/faq/${e.id}`}>{question(ctx, e)}</a>
          </H>
          <p class="meta">
            {e.needsConfirmation && (
              <>
                <PendingBadge ctx={ctx} />{' '}
              </>
            )}
            <span>{e.unit.name[locale]}</span>
            {e.field && <> · {e.field.name[locale]}</>} · {t('faq.updated', { date: formatDate(new Date(e.updatedAt), locale) })}
          </p>
        </li>
      ))}
    </ol>
  );
}

export interface SearchPageData {
  q: string | undefined;
  unit: string | undefined;
  field: string | undefined;
  procedure: string | undefined;
  result: FaqPage;
  units: { code: string; name: string }[];
  fields: { code: string; name: string }[];
}

function pageHref(d: SearchPageData, page: number): string {
  const p = new URLSearchParams();
  if (d.q) p.set('q', d.q);
  if (d.unit) p.set('unit', d.unit);
  if (d.field) p.set('field', d.field);
  if (d.procedure) p.set('procedure', d.procedure);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/faq?${s}` : '/faq';
}

export function FaqSearchPage({ ctx, data: d }: { ctx: PageContext; data: SearchPageData }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(d.result.total / d.result.pageSize));
  const page = d.result.page;
  return (
    <Layout ctx={ctx} title={d.q ? t('faq.results.for', { q: d.q }) : t('faq.title')}>
      <h1>{t('faq.title')}</h1>
      <p class="lead">{t('faq.lead')}</p>
      <form method="get" action="/faq" role="search" class="search-box">
        <label for="q" class="search-label">
          {t('faq.search.label')}
        </label>
        <p class="hint" id="q-hint">
          {t('faq.search.hint')}
        </p>
        <div class="search-row">
          <input id="q" name="q" type="search" value={d.q} aria-describedby="q-hint" maxLength={200} autocomplete="off" />
          <button type="submit" class="button">
            {t('faq.search.submit')}
          </button>
        </div>
        {d.procedure && <input type="hidden" name="procedure" value={d.procedure} />}
        <div class="filters">
          <div class="field">
            <label for="unit">{t('faq.filter.unit')}</label>
            <select id="unit" name="unit">
              <option value="">{t('faq.filter.any')}</option>
              {d.units.map((u) => (
                <option key={u.code} value={u.code} selected={u.code === d.unit}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="field">{t('faq.filter.field')}</label>
            <select id="field" name="field">
              <option value="">{t('faq.filter.any')}</option>
              {d.fields.map((f) => (
                <option key={f.code} value={f.code} selected={f.code === d.field}>
                  {f.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-secondary">
            {t('faq.filter.apply')}
          </button>
        </div>
      </form>
      <h2 role="status">
        {d.q ? `${t('faq.results.for', { q: d.q })}: ` : ''}
        {t('faq.results.count', { n: d.result.total })}
      </h2>
      {d.result.entries.length === 0 ? <p>{t('faq.results.none')}</p> : <FaqList ctx={ctx} items={d.result.entries} />}
      {pages > 1 && (
        <nav aria-label={t('faq.pager.label')} class="pager">
          <p>{t('faq.pager.page', { page, pages })}</p>
          <ul class="actions">
            {page > 1 && (
              <li>
                <a href={pageHref(d, page - 1)} rel="prev">
                  {t('faq.pager.prev')}
                </a>
              </li>
            )}
            {page < pages && (
              <li>
                <a href={pageHref(d, page + 1)} rel="next">
                  {t('faq.pager.next')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
      <p class="meta">
        <a href="/api/v1/open-data/faq.json">{t('faq.opendata')}</a>
      </p>
    </Layout>
  );
}

export function FaqDetailPage({ ctx, e }: { ctx: PageContext; e: FaqDetail }) {
  const { t, locale } = ctx;
  const q = (locale === 'en' && e.question.en) || e.question.vi;
  const englishAnswer = locale === 'en' && e.answer.en;
  return (
    <Layout ctx={ctx} title={q}>
      <p class="meta">
        {e.unit.name[locale]}
        {e.field && <> · {e.field.name[locale]}</>}
      </p>
      <h1>{q}</h1>
      {e.needsConfirmation && (
        <div class="notice" role="note">
          <p>
            <strong>{t('faq.pendingBadge')}.</strong> {t('faq.pending')}
          </p>
        </div>
      )}
      {e.fromFeedback && (
        <p class="meta">
          {t('faq.fromFeedback')} <a href={`/feedback/${e.fromFeedback}`}>{t('faq.fromFeedbackLink', { code: e.fromFeedback })}</a>
        </p>
      )}
      <h2>{t('faq.answer')}</h2>
      {englishAnswer ? <AnswerText text={e.answer.en!} /> : <AnswerText text={e.answer.vi} lang={locale === 'en' ? 'vi' : undefined} />}
      {locale === 'en' && !e.answer.en && <p class="meta">{t('faq.onlyVietnamese')}</p>}
      {e.procedures.length > 0 && (
        <>
          <h2>{t('faq.procedures')}</h2>
          <ul>
            {e.procedures.map((p) => (
              <li key={p.code}>
                <a href={`/procedures/${p.code}`}>{p.name[locale] || p.name.vi}</a> <span class="unit-code">{p.code}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <dl class="summary-list">
        <div>
          <dt>{t('faq.unit')}</dt>
          <dd>{e.unit.name[locale]}</dd>
        </div>
        <div>
          <dt>{t('faq.updatedLabel')}</dt>
          <dd>{formatDate(new Date(e.updatedAt), locale)}</dd>
        </div>
      </dl>
      <p>
        <a href="/faq">{t('faq.back')}</a>
      </p>
    </Layout>
  );
}

/** The procedure page's section: its published questions, when it has any. */
export function ProcedureFaqs({ ctx, code, items }: { ctx: PageContext; code: string; items: FaqSummary[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="faq-title">
      <h2 id="faq-title">{ctx.t('proc.faq.title')}</h2>
      <FaqList ctx={ctx} items={items} />
      <p>
        <a href={`/faq?procedure=${code}`}>{ctx.t('proc.faq.more')}</a>
      </p>
    </section>
  );
}
