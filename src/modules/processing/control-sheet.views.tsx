import type { PageContext } from '../../web/context.js';
import { pick, when } from '../dossiers/desk.views.js';
import type { DossierRow } from '../dossiers/dossier.repo.js';
import type { ControlSheet } from './control-sheet.js';
import { WorkLayout } from './work.views.js';

/** Form 05 as a page: each hand-over, and which step was late. */
export function ControlSheetPage({ ctx, d, sheet }: { ctx: PageContext; d: DossierRow; sheet: ControlSheet }) {
  const { t, locale } = ctx;
  const rating = (r: ControlSheet['rating']) => (r ? t(`work.rating.${r}`) : t('work.rating.open'));
  return (
    <WorkLayout ctx={ctx} title={`${t('work.sheet.title')} ${d.code ?? ''}`}>
      <p>
        <a href={`/work/dossiers/${d.id}`}>{t('work.sheet.back')}</a> ·{' '}
        <a href={`/work/dossiers/${d.id}/forms/05.pdf`}>{t('work.sheet.pdf')}</a>
      </p>
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{t('desk.col.received')}</dt>
          <dd>
            {when(sheet.receivedAt, locale)} {sheet.receivedBy ? `(${sheet.receivedBy})` : ''}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('desk.col.due')}</dt>
          <dd>
            {when(sheet.originalDueAt ?? sheet.dueAt, locale)}
            {sheet.originalDueAt && (
              <>
                {' '}
                → {when(sheet.dueAt, locale)} ({t('work.sheet.apology', { date: when(sheet.apologyAt, locale) })})
              </>
            )}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('work.sheet.finished')}</dt>
          <dd>
            {when(sheet.finishedAt, locale) || t('work.rating.open')}
            {sheet.rating && <strong class={sheet.rating === 'late' ? 'rating-late' : undefined}> · {rating(sheet.rating)}</strong>}
          </dd>
        </div>
      </dl>
      <table>
        <caption>{t('work.sheet.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('desk.col.no')}</th>
            <th scope="col">{t('work.col.step')}</th>
            <th scope="col">{t('work.col.official')}</th>
            <th scope="col">{t('work.col.started')}</th>
            <th scope="col">{t('work.col.stepDue')}</th>
            <th scope="col">{t('work.col.finished')}</th>
            <th scope="col">{t('work.col.rating')}</th>
          </tr>
        </thead>
        <tbody>
          {sheet.lines.map((l) => (
            <tr key={l.seq}>
              <td>{l.seq}</td>
              <th scope="row">
                {pick(l.stepName, locale)}
                <br />
                {pick(l.unit, locale)}
              </th>
              <td>{l.official ?? ''}</td>
              <td>{when(l.startedAt, locale)}</td>
              <td>{when(l.dueAt, locale)}</td>
              <td>{when(l.finishedAt, locale)}</td>
              <td class={l.rating === 'late' || l.overdue ? 'rating-late' : undefined}>
                {l.overdue ? t('work.rating.overdueOpen') : rating(l.rating)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </WorkLayout>
  );
}
