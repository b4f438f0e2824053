import type { PageContext } from '../../web/context.js';
import { CsrfField, SelectField } from '../../web/components/form.js';
import type { Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { ComponentChildren } from 'preact';
import { channelText, pick, statusText, when } from '../dossiers/desk.views.js';
import { COUNT_CAP, MAX_PAGE, PAGE_SIZE, type WorkQueue } from './work-queue.js';

export function WorkNav({ t, desk }: { t: Translate; desk: boolean }) {
  return (
    <nav aria-label={t('work.nav.label')}>
      <ul class="actions">
        <li>
          <a href="/work">{t('work.nav.queue')}</a>
        </li>
        {desk && (
          <li>
            <a href="/desk">{t('desk.nav.queue')}</a>
          </li>
        )}
      </ul>
    </nav>
  );
}

export function WorkLayout(p: { ctx: PageContext; title: string; hasError?: boolean; children: ComponentChildren }) {
  const desk = !!p.ctx.actor?.roles.some((g) => g.role === 'desk_officer');
  return (
    <Layout ctx={p.ctx} title={p.title} hasError={p.hasError}>
      <WorkNav t={p.ctx.t} desk={desk} />
      <h1>{p.title}</h1>
      {p.children}
    </Layout>
  );
}

export interface QueueFilterView {
  unit: string;
  procedure: string;
  status: string;
  channel: string;
  assigned: string;
  role: string;
}

const FILTER_STATUSES = [2, 4, 5, 6, 7, 9];

export function WorkQueuePage(p: {
  ctx: PageContext;
  q: WorkQueue;
  units: { code: string; name: string }[];
  filter: QueueFilterView;
  specialists: { id: number; full_name: string }[];
  notice: string | null;
}) {
  const { t, locale } = p.ctx;
  const { q } = p;
  const query = (page: number) => {
    const params = new URLSearchParams(Object.entries({ ...p.filter, page: String(page) }).filter(([, v]) => v) as [string, string][]);
    return `/work?${params.toString()}`;
  };
  const pages = Math.ceil(Math.min(q.total, COUNT_CAP) / PAGE_SIZE);
  const hasNext = q.capped ? q.rows.length === PAGE_SIZE && q.page < MAX_PAGE : q.page < pages;
  return (
    <WorkLayout ctx={p.ctx} title={t('work.queue.title')}>
      <p class="lead">{t(q.leader ? 'work.queue.leadLeader' : 'work.queue.lead')}</p>
      {p.notice && (
        <div class="success" role="status">
          <p>{p.notice}</p>
        </div>
      )}
      <form method="get" action="/work" class="filters">
        {p.units.length > 1 && (
          <SelectField
            name="unit"
            label={t('desk.field.unit')}
            value={p.filter.unit}
            options={p.units.map((u) => ({ value: u.code, label: u.name }))}
          />
        )}
        <div class="field">
          <label for="procedure">{t('work.filter.procedure')}</label>
          <input id="procedure" name="procedure" value={p.filter.procedure} inputMode="numeric" pattern="\d\.\d{6}|L\.\d{6}" size={10} />
        </div>
        <SelectField
          name="status"
          label={t('desk.field.status')}
          value={p.filter.status}
          emptyLabel={t('desk.filter.all')}
          options={FILTER_STATUSES.map((s) => ({ value: String(s), label: statusText(s, locale) }))}
        />
        <SelectField
          name="channel"
          label={t('desk.field.channel')}
          value={p.filter.channel}
          emptyLabel={t('desk.filter.all')}
          options={[1, 2, 3].map((c) => ({ value: String(c), label: channelText(t, c) }))}
        />
        <SelectField
          name="assigned"
          label={t('work.filter.assigned')}
          value={p.filter.assigned}
          emptyLabel={t('desk.filter.all')}
          options={[
            { value: 'mine', label: t('work.filter.mine') },
            { value: 'unassigned', label: t('work.filter.unassigned') },
          ]}
        />
        {q.leader && (
          <SelectField
            name="role"
            label={t('work.filter.role')}
            value={p.filter.role}
            emptyLabel={t('desk.filter.all')}
            options={(['specialist', 'leader', 'desk_officer'] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        )}
        <button type="submit" class="button button-secondary">
          {t('desk.filter.apply')}
        </button>
      </form>
      <h2 role="status">
        {t('work.queue.count', { n: q.capped ? `${COUNT_CAP.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}+` : String(q.total) })}{' '}
        <span class="badge badge-late">{t('work.queue.overdue', { n: String(q.overdue) })}</span>
        <span class="badge badge-soon">{t('work.queue.dueSoon', { n: String(q.dueSoon) })}</span>
      </h2>
      {q.rows.length === 0 ? (
        <p>{t('work.queue.empty')}</p>
      ) : (
        <form method="post" action="/work/assign">
          <CsrfField token={p.ctx.csrfToken} />
          <input type="hidden" name="unit" value={q.unit.unitCode} />
          <table>
            <caption class="visually-hidden">{t('work.queue.title')}</caption>
            <thead>
              <tr>
                {q.leader && <th scope="col">{t('work.col.pick')}</th>}
                <th scope="col">{t('desk.col.code')}</th>
                <th scope="col">{t('desk.col.procedure')}</th>
                <th scope="col">{t('desk.col.applicant')}</th>
                <th scope="col">{t('work.col.step')}</th>
                <th scope="col">{t('work.col.assignee')}</th>
                <th scope="col">{t('desk.col.due')}</th>
                <th scope="col">{t('desk.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {q.rows.map((r) => (
                <tr key={r.id} class={r.overdue ? 'row-late' : undefined}>
                  {q.leader && (
                    <td>
                      <input
                        type="checkbox"
                        name="ids"
                        value={String(r.id)}
                        id={`pick-${r.id}`}
                        aria-label={`${t('work.col.pick')} ${r.code}`}
                      />
                    </td>
                  )}
                  <th scope="row">
                    <a href={`/work/dossiers/${r.id}`}>{r.code}</a>
                  </th>
                  <td>{locale === 'en' ? r.procedure_en : r.procedure_vi}</td>
                  <td>{r.applicant_name}</td>
                  <td>{r.stepName ? pick(r.stepName, locale) : ''}</td>
                  <td>{r.assignee_name ?? t('work.unassigned')}</td>
                  <td>
                    {when(r.due_at, locale)}
                    {r.overdue && <span class="badge badge-late">{t('work.badge.overdue')}</span>}
                    {r.dueSoon && <span class="badge badge-soon">{t('work.badge.dueSoon')}</span>}
                  </td>
                  <td>{statusText(r.status, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.leader && (
            <fieldset class="field">
              <legend>{t('work.assign.legend')}</legend>
              <SelectField
                name="assignee"
                label={t('work.assign.to')}
                value=""
                options={[
                  { value: 'none', label: t('work.assign.nobody') },
                  ...p.specialists.map((s) => ({ value: String(s.id), label: s.full_name })),
                ]}
              />
              <button type="submit" class="button">
                {t('work.assign.submit')}
              </button>
            </fieldset>
          )}
        </form>
      )}
      {(pages > 1 || hasNext) && (
        <nav aria-label={t('work.pages')}>
          <ul class="actions">
            {q.page > 1 && (
              <li>
                <a href={query(q.page - 1)}>{t('work.prev')}</a>
              </li>
            )}
            <li>{t('work.page', { n: String(q.page), of: q.capped ? `${pages}+` : String(pages) })}</li>
            {hasNext && (
              <li>
                <a href={query(q.page + 1)}>{t('work.next')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </WorkLayout>
  );
}
