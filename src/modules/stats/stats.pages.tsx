import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { periodOf } from '../../domain/stats/periods.js';
import { AppError } from '../../lib/errors.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies, type Actor } from '../auth/policy.js';
import { channelText, queryText, statusText } from '../dossiers/desk.views.js';
import { todayInVietnam } from '../units/units.service.js';
import { reportCsv, reportPdf, reportXlsx } from './stats.export.js';
import type { DossierListItem, Figure, Report, ReportQuery } from './stats.schema.js';
import { FIGURES } from './stats.schema.js';
import { CoverageSection, IndexSection, SatisfactionSection } from './stats.sections.js';
import { serviceIndex, type ServiceIndex } from './stats.index766.js';
import type { Coverage } from './stats.coverage.js';
import { Charts, FigureTable, FilterForm, MeasuredAt, UnitsTable, filterQuery, type StatsFilter } from './stats.views.js';

const OFFICIALS = policies.official('desk_officer', 'specialist', 'leader', 'unit_admin', 'city_admin');
const hide = { hide: true };
const CITY = '000.00.00.H26';

/** Reads the filter from a query string; the report service rejects what is wrong with a 4xx. */
function readFilter(req: FastifyRequest, defaultUnit: string): StatsFilter {
  const q = req.query;
  const from = queryText(q, 'from', 10);
  const to = queryText(q, 'to', 10);
  const period = queryText(q, 'period', 40) || (from || to ? '' : periodOf('year', todayInVietnam()).name);
  const channel = queryText(q, 'channel', 1);
  return {
    unit: queryText(q, 'unit', 40) || defaultUnit,
    period,
    from,
    to,
    convention: queryText(q, 'convention', 10) === 'restart' ? 'restart' : 'pause',
    channel: /^[123]$/.test(channel) ? channel : '',
    procedure: queryText(q, 'procedure', 10),
    subtree: queryText(q, 'subtree', 5) !== 'false',
  };
}

const toQuery = (f: StatsFilter, detail = false): ReportQuery => ({
  unit: f.unit,
  ...(f.period ? { period: f.period } : { from: f.from, to: f.to }),
  convention: f.convention,
  subtree: f.subtree ? 'true' : 'false',
  ...(f.channel ? { channel: f.channel as '1' | '2' | '3' } : {}),
  ...(f.procedure ? { procedure: f.procedure } : {}),
  ...(detail ? { detail: 'procedures' as const } : {}),
});

const period = (f: StatsFilter) => (f.period ? { period: f.period } : { from: f.from, to: f.to });
const coverageQuery = (f: StatsFilter) => ({ unit: f.unit, subtree: f.subtree ? ('true' as const) : ('false' as const), ...period(f) });
const indexQuery = coverageQuery;

/** Units offered in the select: the levels above communes in scope, and the communes of the chosen district. */
async function unitOptions(app: App, locale: 'vi' | 'en', chosen: string, roots: string[] | null) {
  const db = app.services.stats.db;
  const scope = roots
    ? sql`(${sql.join(
        roots.map((r) => sql`u.path <@ ${r}::ltree`),
        sql` or `,
      )})`
    : sql`true`;
  const rows = await sql<{ code: string; name_vi: string; name_en: string }>`
    select u.code, u.name_vi, u.name_en from unit u
    left join unit c on c.code = ${chosen}
    where u.valid_to is null and ${scope}
      and (u.level <> 'commune' or u.parent_id = c.id or u.parent_id = c.parent_id or u.id = c.id)
    order by u.path`.execute(db);
  return rows.rows.map((u) => ({ code: u.code, name: locale === 'en' ? u.name_en : u.name_vi }));
}

const grantRoots = (actor: Actor) => actor.roles.map((g) => g.unitPath);
const firstUnit = (actor: Actor) => [...actor.roles].sort((a, b) => a.unitPath.length - b.unitPath.length)[0]?.unitCode ?? CITY;

function ExportLinks(p: { ctx: PageContext; base: string; filter: StatsFilter; pdf: boolean }) {
  const { t } = p.ctx;
  const q = filterQuery(p.filter);
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('dash.export.title')}</h2>
      <ul class="actions">
        <li>
          <a href={`${p.base}/export.xlsx?${q}`}>{t('dash.export.xlsx')}</a>
        </li>
        <li>
          <a href={`${p.base}/export.csv?${q}`}>{t('dash.export.csv')}</a>
        </li>
        {p.pdf && (
          <li>
            <a href={`${p.base}/export.pdf?${q}`}>{t('dash.export.pdf')}</a>
          </li>
        )}
        <li>
          <a href={`/api/v1/open-data/reports.json?${q}`}>{t('dash.opendata')}</a>
        </li>
      </ul>
    </section>
  );
}

function StatsPage(p: {
  ctx: PageContext;
  report: Report;
  coverage: Coverage;
  index: ServiceIndex;
  satisfaction: Awaited<ReturnType<App['services']['ratings']['figures']>>;
  filter: StatsFilter;
  units: { code: string; name: string }[];
  official: boolean;
}) {
  const { t, locale } = p.ctx;
  const base = p.official ? '/dashboard' : '/statistics';
  const unitHref = (code: string) => `${base}?${filterQuery({ ...p.filter, unit: code })}`;
  const drill = p.official ? (figure: string) => `/dashboard/dossiers?${filterQuery(p.filter, { figure })}` : null;
  const drillUnit = p.official
    ? (code: string, figure: string) => `/dashboard/dossiers?${filterQuery({ ...p.filter, unit: code }, { figure })}`
    : null;
  return (
    <Layout ctx={p.ctx} title={t(p.official ? 'dash.title' : 'public.stats.title')}>
      <h1>{t(p.official ? 'dash.title' : 'public.stats.title')}</h1>
      <p class="lead">{t(p.official ? 'dash.lead' : 'public.stats.lead')}</p>
      <FilterForm ctx={p.ctx} action={base} filter={p.filter} units={p.units} today={todayInVietnam()} official={p.official} />
      <FigureTable ctx={p.ctx} report={p.report} drill={drill} />
      <MeasuredAt ctx={p.ctx} report={p.report} />
      <Charts ctx={p.ctx} report={p.report} unitHref={unitHref} />
      <UnitsTable ctx={p.ctx} report={p.report} unitHref={unitHref} drill={drillUnit} />
      {p.report.procedures.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption>{t('dash.procedures.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stats.col.code')}</th>
                <th scope="col">{t('stats.col.procedure')}</th>
                <th scope="col" class="num">
                  {t('stats.fig.received.total')}
                </th>
                <th scope="col" class="num">
                  {t('stats.fig.finished.total')}
                </th>
                <th scope="col" class="num">
                  {t('stats.fig.finished.late')}
                </th>
                <th scope="col" class="num">
                  {t('stats.fig.averageTime')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.report.procedures.map((x) => (
                <tr key={x.code}>
                  <td>{x.code}</td>
                  <th scope="row">{x.name[locale]}</th>
                  <td class="num">{x.received}</td>
                  <td class="num">{x.finished}</td>
                  <td class="num">{x.late}</td>
                  <td class="num">
                    {x.averageTime ? `${x.averageTime.value} ${t(`stats.unit.${x.averageTime.unit}` as MessageKey)}` : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CoverageSection ctx={p.ctx} coverage={p.coverage} />
      <SatisfactionSection ctx={p.ctx} figures={p.satisfaction} />
      <IndexSection ctx={p.ctx} index={p.index} />
      <ExportLinks ctx={p.ctx} base={base} filter={p.filter} pdf={true} />
    </Layout>
  );
}

function DrillPage(p: {
  ctx: PageContext;
  filter: StatsFilter;
  figure: Figure;
  list: { total: number; page: number; pageSize: number; items: DossierListItem[] };
}) {
  const { t, locale } = p.ctx;
  const label = t(
    `stats.fig.${p.figure === 'received' || p.figure === 'finished' || p.figure === 'inProgress' ? `${p.figure}.total` : p.figure}` as MessageKey,
  );
  const page = (n: number) => `/dashboard/dossiers?${filterQuery(p.filter, { figure: p.figure, page: String(n) })}`;
  const date = (s: string | null) => (s ? formatDateTime(new Date(s), locale) : '—');
  return (
    <Layout ctx={p.ctx} title={t('dash.drill.title', { figure: label })}>
      <h1>{t('dash.drill.title', { figure: label })}</h1>
      <p>
        <a href={`/dashboard?${filterQuery(p.filter)}`}>{t('dash.drill.back')}</a>
      </p>
      <p role="status">{t('dash.drill.count', { n: String(p.list.total) })}</p>
      <div class="table-scroll">
        <table class="stats-dossiers">
          <caption class="visually-hidden">{t('dash.drill.title', { figure: label })}</caption>
          <thead>
            <tr>
              {(['code', 'unit', 'procedure', 'channel', 'received', 'due', 'finished', 'returned', 'status', 'class'] as const).map(
                (c) => (
                  <th scope="col" key={c}>
                    {t(`dash.col.${c}`)}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {p.list.items.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <a href={`/work/dossiers/${d.id}`}>{d.code}</a>
                </th>
                <td>{d.unit}</td>
                <td>{d.procedure}</td>
                <td>{channelText(t, d.channel)}</td>
                <td>{date(d.receivedAt)}</td>
                <td>{date(d.dueAt)}</td>
                <td>{date(d.finishedAt)}</td>
                <td>{date(d.returnedAt)}</td>
                <td>{statusText(d.status, locale)}</td>
                <td class={`class-${d.classification}`}>{t(`stats.class.${d.classification}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="actions">
        {p.list.page > 1 && (
          <li>
            <a href={page(p.list.page - 1)}>{t('dash.drill.prev')}</a>
          </li>
        )}
        {p.list.page * p.list.pageSize < p.list.total && (
          <li>
            <a href={page(p.list.page + 1)}>{t('dash.drill.more')}</a>
          </li>
        )}
      </ul>
    </Layout>
  );
}

async function sendExport(reply: FastifyReply, report: Report, kind: string, locale: 'vi' | 'en') {
  const name = `bao-cao-${report.unit.code}-${report.period.from}-${report.period.to}`;
  if (kind === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .send(reportCsv(report, locale));
  }
  if (kind === 'pdf') {
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${name}.pdf"`)
      .send(await reportPdf(report, locale));
  }
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${name}.xlsx"`)
    .send(await reportXlsx(report, locale));
}

export async function statsPageRoutes(app: App) {
  const { stats } = app.services;

  app.get('/dashboard', { config: { policy: OFFICIALS }, schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const filter = readFilter(req, firstUnit(req.actor!));
    const units = await unitOptions(app, ctx.locale, filter.unit, grantRoots(req.actor!));
    // A unit outside the official's grants is refused like the dossiers behind it.
    if (!units.some((u) => u.code === filter.unit)) throw new AppError('forbidden');
    const [report, coverage, index, satisfaction] = await Promise.all([
      stats.report(toQuery(filter, true)),
      stats.coverage(coverageQuery(filter)),
      serviceIndex(stats.deps, indexQuery(filter)),
      app.services.ratings.figures(coverageQuery(filter)),
    ]);
    return renderHtml(
      reply,
      <StatsPage
        ctx={ctx}
        report={report}
        coverage={coverage}
        index={index}
        satisfaction={satisfaction}
        filter={filter}
        units={units}
        official={true}
      />,
    );
  });

  app.get('/dashboard/dossiers', { config: { policy: OFFICIALS }, schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const filter = readFilter(req, firstUnit(req.actor!));
    const figure = queryText(req.query, 'figure', 40) as Figure;
    if (!FIGURES.includes(figure)) throw new AppError('validation_failed');
    const pageNo = /^\d{1,5}$/.test(queryText(req.query, 'page', 5)) ? Math.max(1, Number(queryText(req.query, 'page', 5))) : 1;
    const list = await stats.dossiers(req.actor!, { ...toQuery(filter), figure, page: pageNo, pageSize: 100 });
    return renderHtml(reply, <DrillPage ctx={ctx} filter={filter} figure={figure} list={list} />);
  });

  for (const kind of ['xlsx', 'csv', 'pdf'] as const) {
    app.get(`/dashboard/export.${kind}`, { config: { policy: OFFICIALS }, schema: hide }, async (req, reply) => {
      const filter = readFilter(req, firstUnit(req.actor!));
      const units = await unitOptions(app, req.locale, filter.unit, grantRoots(req.actor!));
      if (!units.some((u) => u.code === filter.unit)) throw new AppError('forbidden');
      return sendExport(reply, await stats.report(toQuery(filter, true)), kind, req.locale);
    });
    app.get(`/statistics/export.${kind}`, { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
      const filter = { ...readFilter(req, CITY), channel: '', procedure: '' };
      return sendExport(reply, await stats.report(toQuery(filter, true)), kind, req.locale);
    });
  }

  app.get('/statistics', { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const filter = { ...readFilter(req, CITY), channel: '', procedure: '' };
    const [report, coverage, index, units, satisfaction] = await Promise.all([
      stats.report(toQuery(filter)),
      stats.coverage(coverageQuery(filter)),
      serviceIndex(stats.deps, indexQuery(filter)),
      unitOptions(app, ctx.locale, filter.unit, null),
      app.services.ratings.figures(coverageQuery(filter)),
    ]);
    return renderHtml(
      reply,
      <StatsPage
        ctx={ctx}
        report={report}
        coverage={coverage}
        index={index}
        satisfaction={satisfaction}
        filter={filter}
        units={units}
        official={false}
      />,
    );
  });
}
