import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber, isMessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { Done, Problem, TemplateLinks, type Notice, type PageError } from './contest.admin-views.js';
import type { ImportReport, PoolSummary } from './contest.bank-schema.js';
import { MAX_FILE_BYTES, MAX_ROWS } from './contest.sheet.js';

type Contest = { id: number; title: { vi: string; en: string } };

export function ImportPage(p: { ctx: PageContext; contest: Contest; error: PageError }) {
  const { t, locale } = p.ctx;
  const base = `/admin/contest/${p.contest.id}`;
  return (
    <Layout ctx={p.ctx} title={t('contestBank.import.title')} hasError={!!p.error}>
      <p>
        <a href={base}>{t('contestBank.backContest')}</a>
      </p>
      <h1>{t('contestBank.import.title')}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <Problem ctx={p.ctx} error={p.error} />
      <p>{t('contestBank.import.lead')}</p>
      <ul>
        <TemplateLinks ctx={p.ctx} />
      </ul>
      <form method="post" action={`${base}/import`} enctype="multipart/form-data" class="question-import">
        <CsrfField token={p.ctx.csrfToken} />
        <div class="field">
          <label for="file">
            {t('contestBank.import.file', { maxMb: formatNumber(MAX_FILE_BYTES / 1048576, locale), max: formatNumber(MAX_ROWS, locale) })}
          </label>
          <input
            type="file"
            id="file"
            name="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
          />
        </div>
        <button type="submit" class="button">
          {t('contestBank.import.upload')}
        </button>
      </form>
    </Layout>
  );
}

export function ReportPage(p: { ctx: PageContext; contest: Contest; r: ImportReport; notice: Notice; error: PageError }) {
  const { t, locale } = p.ctx;
  const r = p.r;
  const base = `/admin/contest/${p.contest.id}`;
  const reason = (code: string) => {
    const key = `contestBank.reason.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
  return (
    <Layout ctx={p.ctx} title={t('contestBank.report.title', { file: r.fileName })} hasError={!!p.error || r.problems.length > 0}>
      <p>
        <a href={base}>{t('contestBank.backContest')}</a>
      </p>
      <h1>{t('contestBank.report.title', { file: r.fileName })}</h1>
      <Done ctx={p.ctx} notice={p.notice} />
      <Problem ctx={p.ctx} error={p.error} />
      <p data-figure="summary">
        {t('contestBank.report.summary', {
          rows: formatNumber(r.rows, locale),
          valid: formatNumber(r.validRows, locale),
          bad: formatNumber(r.problems.length, locale),
        })}
      </p>
      {r.problems.length > 0 && (
        <>
          <div class="error-summary" role="alert">
            <h2>{t('contestBank.report.problems')}</h2>
            <p>{t('contestBank.report.nothingWritten')}</p>
          </div>
          <table class="import-report">
            <caption class="visually-hidden">{t('contestBank.report.problems')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contestBank.report.row')}</th>
                <th scope="col">{t('contestBank.report.column')}</th>
                <th scope="col">{t('contestBank.report.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {r.problems.map((x, i) => (
                <tr key={i} data-row={x.row} data-column={x.column} data-reason={x.reason}>
                  <td>{formatNumber(x.row, locale)}</td>
                  <td>
                    <code>{x.column}</code>
                  </td>
                  <td>{reason(x.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {r.problems.length === 0 && !r.confirmedAt && (
        <form method="post" action={`${base}/import/${r.id}/confirm`} class="import-confirm">
          <CsrfField token={p.ctx.csrfToken} />
          <p>{t('contestBank.report.ready', { rows: formatNumber(r.rows, locale) })}</p>
          <button type="submit" class="button">
            {t('contestBank.report.confirm', { rows: formatNumber(r.rows, locale) })}
          </button>
        </form>
      )}
      <ul>
        {r.confirmedAt && (
          <li>
            <a href={`${base}/questions`}>{t('contestBank.link.bank')}</a>
          </li>
        )}
        <li>
          <a href={`${base}/import`}>{t('contestBank.report.again')}</a>
        </li>
      </ul>
    </Layout>
  );
}

export function GeneratePage(p: {
  ctx: PageContext;
  contest: Contest;
  pools: PoolSummary[];
  procedures: { code: string; fieldCode: string; name: { vi: string; en: string } }[];
  fields: { code: string; name: { vi: string; en: string } }[];
  error: PageError;
}) {
  const { t, locale } = p.ctx;
  const base = `/admin/contest/${p.contest.id}`;
  const facts = ['time_limit', 'fee', 'office', 'service_level'] as const;
  return (
    <Layout ctx={p.ctx} title={t('contestBank.gen.title')} hasError={!!p.error}>
      <p>
        <a href={base}>{t('contestBank.backContest')}</a>
      </p>
      <h1>{t('contestBank.gen.title')}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <Problem ctx={p.ctx} error={p.error} />
      <p>{t('contestBank.gen.lead')}</p>
      {p.pools.length === 0 ? (
        <p>
          <a href={base}>{t('contestBank.gen.noPool')}</a>
        </p>
      ) : (
        <form method="post" action={`${base}/generate`} class="generate">
          <CsrfField token={p.ctx.csrfToken} />
          <fieldset class="field">
            <legend>{t('contestBank.gen.pool')}</legend>
            {p.pools.map((x, i) => (
              <div class="radio" key={x.id}>
                <input type="radio" id={`pool-${x.id}`} name="pool" value={String(x.id)} checked={i === 0} />
                <label for={`pool-${x.id}`}>{x.name[locale]}</label>
              </div>
            ))}
          </fieldset>
          <fieldset class="field">
            <legend>{t('contestBank.gen.facts')}</legend>
            {facts.map((f) => (
              <div class="checkbox" key={f}>
                <input type="checkbox" id={`fact-${f}`} name="facts" value={f} checked />
                <label for={`fact-${f}`}>{t(`contestBank.gen.fact.${f}`)}</label>
              </div>
            ))}
          </fieldset>
          <fieldset class="field">
            <legend>{t('contestBank.gen.procedures')}</legend>
            <p class="hint">{t('contestBank.gen.proceduresHint')}</p>
            {p.fields.map((f) => {
              const list = p.procedures.filter((x) => x.fieldCode === f.code);
              if (list.length === 0) return null;
              return (
                <details key={f.code}>
                  <summary>{f.name[locale]}</summary>
                  {list.map((x) => (
                    <div class="checkbox" key={x.code}>
                      <input type="checkbox" id={`proc-${x.code}`} name="procedures" value={x.code} />
                      <label for={`proc-${x.code}`}>
                        {x.name[locale]} ({x.code})
                      </label>
                    </div>
                  ))}
                </details>
              );
            })}
          </fieldset>
          <button type="submit" class="button">
            {t('contestBank.gen.submit')}
          </button>
        </form>
      )}
    </Layout>
  );
}
