import { AppError } from '../../lib/errors.js';
import { formText, yearParam } from '../../web/page-params.js';
import type { DayEntry } from '../../domain/calendar/index.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, FormError, SubmitButton, TextField } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';

type Form = { holidays: string; daysOff: string; workingWeekends: string; note: string };

const toLines = (days: DayEntry[]) => days.map((d) => `${d.date} | ${d.name.vi} | ${d.name.en}`).join('\n');

/** "2026-02-16 | Tết Nguyên đán | Lunar New Year" per line; blank lines are ignored. */
export function parseDayLines(text: string): DayEntry[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [date = '', vi = '', en = ''] = line.split('|').map((p) => p.trim());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || vi.length === 0 || vi.length > 200 || en.length > 200) {
        throw new AppError('invalid_date', { line: line.slice(0, 80) });
      }
      return { date, name: { vi, en: en || vi } };
    });
}

function AdminYearPage({ ctx, year, form, error, done }: { ctx: PageContext; year: number; form: Form; error?: AppError; done?: number }) {
  const { t } = ctx;
  const title = t('admin.cal.title', { year });
  const area = (name: keyof Form, label: string) => (
    <div class="field">
      <label for={name}>{label}</label>
      <textarea id={name} name={name} rows={8} aria-describedby="lines-help">
        {form[name]}
      </textarea>
    </div>
  );
  return (
    <Layout ctx={ctx} title={title} hasError={!!error}>
      <h1>{title}</h1>
      {done !== undefined && (
        <p class="success" role="status">
          {t('admin.cal.done', { year, version: done })}
        </p>
      )}
      <FormError t={t} message={error ? (`err.${error.code}` as MessageKey) : undefined} />
      {error?.params.line && <p class="error-message">{t('admin.cal.badLine', { line: String(error.params.line) })}</p>}
      <p id="lines-help" class="hint">
        {t('admin.cal.help')}
      </p>
      <form method="post" action={`/admin/calendar/${year}`}>
        <CsrfField token={ctx.csrfToken} />
        {area('holidays', t('cal.holidays'))}
        {area('daysOff', t('cal.daysOff'))}
        {area('workingWeekends', t('cal.workingWeekends'))}
        <TextField t={t} name="note" label={t('admin.cal.note')} value={form.note} maxLength={2000} />
        <SubmitButton>{t('admin.cal.submit', { year })}</SubmitButton>
      </form>
      <p>
        <a href={`/calendar/${year}`}>{t('cal.title', { year })}</a>
      </p>
    </Layout>
  );
}

export async function calendarAdminRoutes(app: App) {
  const calendar = app.services.calendar;
  const cityAdmin = policies.official('city_admin');

  app.get('/admin/calendar/:year', { config: { policy: cityAdmin }, schema: { hide: true } }, async (req, reply) => {
    const year = yearParam(req.params);
    const cal = await calendar.year(year);
    const form = {
      holidays: toLines(cal.holidays),
      daysOff: toLines(cal.daysOff),
      workingWeekends: cal.workingWeekends.join('\n'),
      note: cal.note ?? '',
    };
    const done = (req.query as { published?: string }).published;
    return renderHtml(
      reply,
      <AdminYearPage ctx={pageContext(req, reply)} year={year} form={form} done={done ? Number(done) : undefined} />,
    );
  });

  app.post('/admin/calendar/:year', { config: { policy: cityAdmin }, schema: { hide: true } }, async (req, reply) => {
    const year = yearParam(req.params);
    const text = (k: keyof Form) => formText(req.body, k);
    const form: Form = {
      holidays: text('holidays'),
      daysOff: text('daysOff'),
      workingWeekends: text('workingWeekends'),
      note: text('note'),
    };
    try {
      const workingWeekends = form.workingWeekends
        .split(/\r?\n/)
        .map((l) => l.split('|')[0]!.trim())
        .filter(Boolean);
      for (const d of workingWeekends) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AppError('invalid_date', { line: d.slice(0, 80) });
      const published = await calendar.publish(
        year,
        { holidays: parseDayLines(form.holidays), daysOff: parseDayLines(form.daysOff), workingWeekends, note: form.note },
        req.actor!,
        auditContext(req),
      );
      return reply.redirect(`/admin/calendar/${year}?published=${published.version}`, 303);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!code || code === 'forbidden' || code === 'unauthenticated') throw e;
      const err = e instanceof AppError ? e : new AppError(code as never);
      return renderHtml(reply.status(400), <AdminYearPage ctx={pageContext(req, reply)} year={year} form={form} error={err} />);
    }
  });
}
