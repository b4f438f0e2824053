import { RATING_OVERALL } from '../../db/types.js';
import { CsrfField, FormError } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { CRITERIA, type RatingView } from './ratings.schema.js';

export interface RatePageData {
  code: string;
  check: string;
  title: { procedure: string; unit: string };
  rating: RatingView | null;
  open: boolean;
  locked: boolean;
  saved: boolean;
  error: MessageKey | undefined;
}

/** Thirty seconds: one required question in big buttons, the nine criteria optional below it. */
export function RatePage(p: { ctx: PageContext; data: RatePageData }) {
  const { t, locale } = p.ctx;
  const d = p.data;
  const until = d.rating ? formatDate(new Date(d.rating.changeableUntil), locale) : '';
  return (
    <Layout ctx={p.ctx} title={t('rating.title')} hasError={!!d.error}>
      <h1>{t('rating.title')}</h1>
      <p>{t('rating.dossier', { code: d.code, procedure: d.title.procedure, unit: d.title.unit })}</p>
      <FormError t={t} message={d.error} />
      {d.saved && (
        <div class="success" role="status">
          <p>{t('rating.saved', { date: until })}</p>
        </div>
      )}
      {!d.open ? (
        <p class="lead">{t('rating.notOpen')}</p>
      ) : d.locked ? (
        <p class="lead">{t('rating.locked')}</p>
      ) : (
        <form method="post" action="/rate" class="rating-form">
          <CsrfField token={p.ctx.csrfToken} />
          <input type="hidden" name="code" value={d.code} />
          <input type="hidden" name="check" value={d.check} />
          <p class="lead">{t('rating.lead')}</p>
          {d.rating && !d.saved && <p>{t('rating.existing', { date: until })}</p>}
          <fieldset class="field rating-overall">
            <legend>{t('rating.overall')}</legend>
            {RATING_OVERALL.map((o) => (
              <div class="radio radio-large" key={o}>
                <input type="radio" id={`overall-${o}`} name="overall" value={o} required checked={d.rating?.overall === o} />
                <label for={`overall-${o}`}>{t(`rating.overall.${o}`)}</label>
              </div>
            ))}
          </fieldset>
          <details open={!!d.rating && Object.keys(d.rating.criteria).length > 0}>
            <summary>{t('rating.criteria')}</summary>
            {CRITERIA.map((c) => {
              const v = d.rating?.criteria[c];
              return (
                <fieldset class="field rating-criterion" key={c}>
                  <legend>{t(`rating.c.${c}`)}</legend>
                  {(['2', '1', '0', ''] as const).map((s) => (
                    <div class="radio radio-inline" key={s}>
                      <input
                        type="radio"
                        id={`c-${c}-${s || 'none'}`}
                        name={`c.${c}`}
                        value={s}
                        checked={s === '' ? v === undefined : v === Number(s)}
                      />
                      <label for={`c-${c}-${s || 'none'}`}>{t(s === '' ? 'rating.score.none' : `rating.score.${s}`)}</label>
                    </div>
                  ))}
                </fieldset>
              );
            })}
          </details>
          <div class="field">
            <label for="comment">{t('rating.comment')}</label>
            <p class="hint" id="comment-hint">
              {t('rating.commentHint')}
            </p>
            <textarea id="comment" name="comment" rows={4} maxLength={2000} aria-describedby="comment-hint">
              {d.rating?.comment ?? ''}
            </textarea>
          </div>
          <button type="submit" class="button">
            {t('rating.submit')}
          </button>
        </form>
      )}
      <p>
        <a href={`/lookup?${new URLSearchParams({ code: d.code, check: d.check }).toString()}`}>{t('rating.back')}</a>
      </p>
    </Layout>
  );
}

export function FollowUpsPage(p: {
  ctx: PageContext;
  rows: { dossier_id: number; code: string; unit_vi: string; unit_en: string; comment: string | null; rated_at: Date }[];
  done: boolean;
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('followup.title')}>
      <h1>{t('followup.title')}</h1>
      <p class="lead">{t('followup.lead')}</p>
      {p.done && (
        <div class="success" role="status">
          <p>{t('followup.closed')}</p>
        </div>
      )}
      {p.rows.length === 0 ? (
        <p>{t('followup.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('followup.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('followup.col.code')}</th>
              <th scope="col">{t('followup.col.unit')}</th>
              <th scope="col">{t('followup.col.ratedAt')}</th>
              <th scope="col">{t('followup.col.comment')}</th>
              <th scope="col">{t('followup.close')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.dossier_id}>
                <th scope="row">
                  <a href={`/work/dossiers/${r.dossier_id}`}>{r.code}</a>
                </th>
                <td>{locale === 'en' ? r.unit_en : r.unit_vi}</td>
                <td>{formatDateTime(r.rated_at, locale)}</td>
                <td>{r.comment ?? '—'}</td>
                <td>
                  <form method="post" action={`/work/follow-ups/${r.dossier_id}/close`}>
                    <CsrfField token={p.ctx.csrfToken} />
                    <label for={`note-${r.dossier_id}`}>{t('followup.note')}</label>
                    <textarea id={`note-${r.dossier_id}`} name="note" rows={2} maxLength={2000} required />
                    <button type="submit" class="button button-secondary">
                      {t('followup.close')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
