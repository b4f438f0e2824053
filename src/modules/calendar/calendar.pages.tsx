import { yearParam } from '../../web/page-params.js';
import { solarToLunar, type DayEntry } from '../../domain/calendar/index.js';
import type { PageContext } from '../../web/context.js';
import { ErrorSummary, SelectField, SubmitButton, TextField, type FieldErrors } from '../../web/components/form.js';
import { formatDate, formatDateTime, type Locale, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { hasUnitScope, policies } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import type { YearCalendarView } from './calendar.schema.js';

const UNITS = ['working_days', 'hours', 'days', 'months'] as const;

export function weekday(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

function lunarLabel(date: string, locale: Locale): string {
  const l = solarToLunar(date);
  const leap = l.leap ? (locale === 'vi' ? ' (nhuận)' : ' (leap)') : '';
  return `${l.day}/${l.month}${leap}`;
}

function DayTable({ ctx, days, caption }: { ctx: PageContext; days: DayEntry[]; caption: string }) {
  const { t, locale } = ctx;
  if (days.length === 0) return <p>{t('cal.none')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('cal.col.date')}</th>
          <th scope="col">{t('cal.col.weekday')}</th>
          <th scope="col">{t('cal.col.lunar')}</th>
          <th scope="col">{t('cal.col.name')}</th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => (
          <tr key={d.date}>
            <td>{formatDate(d.date, locale)}</td>
            <td>{weekday(d.date, locale)}</td>
            <td>{lunarLabel(d.date, locale)}</td>
            <td>{d.name[locale]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function YearPage({ ctx, cal, canEdit }: { ctx: PageContext; cal: YearCalendarView; canEdit: boolean }) {
  const { t, locale } = ctx;
  const title = t('cal.title', { year: cal.year });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{t('cal.lead')}</p>
      {cal.status === 'published' ? (
        <p>
          {t('cal.published', { date: formatDate(new Date(cal.publishedAt!), locale), version: cal.version! })}
          {cal.note && <> {t('cal.basis', { note: cal.note })}</>}
        </p>
      ) : (
        <p class="notice" role="note">
          {t('cal.proposed', { year: cal.year })}
        </p>
      )}
      <h2>{t('cal.holidays')}</h2>
      <DayTable ctx={ctx} days={cal.holidays} caption={t('cal.holidays')} />
      <h2>{t('cal.daysOff')}</h2>
      <DayTable ctx={ctx} days={cal.daysOff} caption={t('cal.daysOff')} />
      <h2>{t('cal.workingWeekends')}</h2>
      {cal.workingWeekends.length === 0 ? (
        <p>{t('cal.none')}</p>
      ) : (
        <ul>
          {cal.workingWeekends.map((d) => (
            <li key={d}>
              {weekday(d, locale)} {formatDate(d, locale)}
            </li>
          ))}
        </ul>
      )}
      <nav aria-label={t('cal.otherYears')} class="year-nav">
        {cal.year > 1900 && <a href={`/calendar/${cal.year - 1}`}>← {t('cal.prev', { year: cal.year - 1 })}</a>}{' '}
        {cal.year < 2100 && <a href={`/calendar/${cal.year + 1}`}>{t('cal.next', { year: cal.year + 1 })} →</a>}
      </nav>
      <p>
        <a href="/calendar/due-date">{t('cal.calculatorLink')}</a>
      </p>
      {canEdit && (
        <p>
          <a href={`/admin/calendar/${cal.year}`}>{t('cal.adminLink')}</a>
        </p>
      )}
    </Layout>
  );
}

type Query = Record<string, string | undefined>;

function DueDatePage({
  ctx,
  q,
  errors,
  result,
  procedures,
}: {
  ctx: PageContext;
  q: Query;
  errors: FieldErrors;
  result?: Awaited<ReturnType<App['services']['calendar']['deadline']>>;
  procedures: { code: string; name: string; timeLimit: { amount: number; unit: string } }[];
}) {
  const { t, locale } = ctx;
  const proposedYears = result
    ? Object.entries(result.calendarStatus)
        .filter(([, s]) => s === 'proposed')
        .map(([y]) => y)
    : [];
  return (
    <Layout ctx={ctx} title={t('due.title')} hasError={Object.keys(errors).length > 0}>
      <h1>{t('due.title')}</h1>
      <p class="lead">{t('due.lead')}</p>
      <ErrorSummary t={t} errors={errors} order={['procedure', 'amount', 'unit', 'date', 'time']} />
      {result && (
        <section class="result-panel" aria-labelledby="due-result">
          <h2 id="due-result">{t('due.result')}</h2>
          <p class="big-result">
            {weekday(result.dueAt.slice(0, 10), locale)}, {formatDateTime(new Date(result.dueAt), locale)}
          </p>
          <p>{t('due.countFrom', { from: formatDateTime(new Date(result.countFrom), locale) })}</p>
          {proposedYears.length > 0 && (
            <p class="notice" role="note">
              {t('due.proposedWarning', { years: proposedYears.join(', ') })}
            </p>
          )}
          <h3>{t('due.skipped')}</h3>
          {result.skipped.length === 0 ? (
            <p>{t('due.noneSkipped')}</p>
          ) : (
            <ul>
              {result.skipped.map((s) => (
                <li key={s.date}>
                  {weekday(s.date, locale)} {formatDate(s.date, locale)}: {s.reason[locale]}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <form method="get" action="/calendar/due-date" novalidate>
        <SelectField
          name="procedure"
          label={t('due.procedure')}
          hint={t('due.procedure.hint')}
          value={q.procedure}
          emptyLabel={t('due.procedure.none')}
          error={errors.procedure && t(errors.procedure)}
          options={procedures.map((p) => ({
            value: p.code,
            label: `${p.name} (${p.timeLimit.amount} ${t(`due.unit.${p.timeLimit.unit as 'working_days' | 'hours' | 'days' | 'months'}`)})`,
          }))}
        />
        <TextField
          t={t}
          name="amount"
          label={t('due.amount')}
          hint={t('due.amount.hint')}
          value={q.amount}
          inputMode="numeric"
          required
          error={errors.amount}
          maxLength={6}
        />
        <SelectField
          name="unit"
          label={t('due.unit')}
          value={q.unit ?? 'working_days'}
          options={UNITS.map((u) => ({ value: u, label: t(`due.unit.${u}`) }))}
        />
        <TextField
          t={t}
          name="date"
          label={t('due.date')}
          hint={t('due.date.hint')}
          value={q.date ?? todayInVietnam()}
          required
          error={errors.date}
          maxLength={10}
        />
        <TextField
          t={t}
          name="time"
          label={t('due.time')}
          hint={t('due.time.hint')}
          value={q.time ?? '08:00'}
          required
          error={errors.time}
          maxLength={5}
        />
        <SubmitButton>{t('due.submit')}</SubmitButton>
      </form>
      <p>{t('due.rules')}</p>
      <p>
        <a href="/calendar">{t('site.nav.calendar')}</a>
      </p>
    </Layout>
  );
}

export async function calendarPageRoutes(app: App) {
  const calendar = app.services.calendar;

  app.get('/calendar', { config: { policy: policies.public }, schema: { hide: true } }, async (_req, reply) =>
    reply.redirect(`/calendar/${todayInVietnam().slice(0, 4)}`, 302),
  );

  app.get('/calendar/:year', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const year = yearParam(req.params);
    const ctx = pageContext(req, reply);
    const city = (await app.services.units.list({ level: 'city' }))[0];
    const canEdit = !!city && hasUnitScope(req.actor, (await app.services.units.findRow(city.code)).path, ['city_admin']);
    return renderHtml(reply, <YearPage ctx={ctx} cal={await calendar.year(year)} canEdit={canEdit} />);
  });

  app.get('/calendar/due-date', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const q = Object.fromEntries(
      Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 20) : undefined]),
    ) as Query;
    const ctx = pageContext(req, reply);
    const all = await app.services.catalogue.search({ limit: 100 });
    const procedures = all
      .filter((p) => p.timeLimit)
      .map((p) => ({ code: p.code, name: p.name[ctx.locale] || p.name.vi, timeLimit: p.timeLimit! }));
    const errors: FieldErrors = {};
    if (q.procedure) {
      // A chosen procedure supplies its own time limit; one without a confirmed limit cannot.
      const chosen = procedures.find((p) => p.code === q.procedure);
      if (chosen) {
        q.amount = String(chosen.timeLimit.amount);
        q.unit = chosen.timeLimit.unit;
      } else errors.procedure = 'due.procedureNoLimit';
    }
    if (q.amount === undefined && !errors.procedure)
      return renderHtml(reply, <DueDatePage ctx={ctx} q={q} errors={{}} procedures={procedures} />);
    q.amount ??= '';
    if (!errors.procedure && !/^\d{1,6}$/.test(q.amount.trim())) errors.amount = 'err.amount_out_of_range';
    if (!UNITS.includes(q.unit as (typeof UNITS)[number])) errors.unit = 'err.unknown_time_unit';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.date ?? '')) errors.date = 'err.invalid_date';
    if (!/^\d{2}:\d{2}$/.test(q.time ?? '')) errors.time = 'err.invalid_time';
    if (Object.keys(errors).length === 0) {
      try {
        const result = await calendar.deadline({
          receivedAt: `${q.date}T${q.time}:00+07:00`,
          amount: Number(q.amount),
          unit: q.unit!,
          unitCode: undefined,
        });
        return renderHtml(reply, <DueDatePage ctx={ctx} q={q} errors={{}} result={result} procedures={procedures} />);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (!code) throw e;
        const field =
          code === 'amount_out_of_range' ? 'amount' : code === 'invalid_time' ? 'time' : code === 'unknown_time_unit' ? 'unit' : 'date';
        errors[field] = `err.${code}` as MessageKey;
      }
    }
    return renderHtml(reply.status(400), <DueDatePage ctx={ctx} q={q} errors={errors} procedures={procedures} />);
  });
}
