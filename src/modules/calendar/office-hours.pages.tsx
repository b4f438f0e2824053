import { formText, unitCodeParam } from '../../web/page-params.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, ErrorSummary, SubmitButton, TextField, type FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { assertUnitScope, policies } from '../auth/policy.js';

type Form = { morning: string; afternoon: string; cutoff: string };

function Page({
  ctx,
  unit,
  form,
  errors,
  saved,
}: {
  ctx: PageContext;
  unit: { code: string; name: string };
  form: Form;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { t } = ctx;
  const title = t('hours.title', { unit: unit.name });
  return (
    <Layout ctx={ctx} title={title} hasError={Object.keys(errors).length > 0}>
      <h1>{title}</h1>
      {saved && (
        <p class="success" role="status">
          {t('hours.saved')}
        </p>
      )}
      <ErrorSummary t={t} errors={errors} order={['morning', 'afternoon', 'cutoff']} />
      <p>{t('hours.lead')}</p>
      <form method="post" action={`/admin/units/${unit.code}/office-hours`}>
        <CsrfField token={ctx.csrfToken} />
        <TextField t={t} name="morning" label={t('hours.morning')} value={form.morning} required error={errors.morning} maxLength={11} />
        <TextField t={t} name="afternoon" label={t('hours.afternoon')} value={form.afternoon} error={errors.afternoon} maxLength={11} />
        <TextField t={t} name="cutoff" label={t('hours.cutoff')} value={form.cutoff} required error={errors.cutoff} maxLength={5} />
        <SubmitButton>{t('hours.save')}</SubmitButton>
      </form>
      <p>
        <a href={`/units/${unit.code}`}>{unit.name}</a>
      </p>
    </Layout>
  );
}

const session = (text: string) => {
  const m = /^\s*(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})\s*$/.exec(text);
  return m ? { start: m[1]!, end: m[2]! } : null;
};

export async function officeHoursPageRoutes(app: App) {
  const { calendar, units } = app.services;
  const policy = policies.official('unit_admin', 'city_admin');
  const load = async (params: unknown, req: Parameters<typeof pageContext>[0]) => {
    const code = unitCodeParam(params);
    const row = await units.findRow(code);
    assertUnitScope(req.actor, row.path, ['unit_admin', 'city_admin']);
    return { code, name: req.locale === 'vi' ? row.name_vi : row.name_en };
  };

  app.get('/admin/units/:code/office-hours', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const unit = await load(req.params, req);
    const { hours } = await calendar.officeHours(unit.code);
    const [m, a] = hours.sessions;
    const form = { morning: m ? `${m.start}-${m.end}` : '', afternoon: a ? `${a.start}-${a.end}` : '', cutoff: hours.cutoff };
    const saved = (req.query as { saved?: string }).saved === '1';
    return renderHtml(reply, <Page ctx={pageContext(req, reply)} unit={unit} form={form} errors={{}} saved={saved} />);
  });

  app.post('/admin/units/:code/office-hours', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const unit = await load(req.params, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: keyof Form) => formText(body, k, 20);
    const form: Form = { morning: text('morning'), afternoon: text('afternoon'), cutoff: text('cutoff').trim() };
    const errors: FieldErrors = {};
    const morning = session(form.morning);
    const afternoon = form.afternoon.trim() ? session(form.afternoon) : undefined;
    if (!morning) errors.morning = 'err.invalid_time';
    if (afternoon === null) errors.afternoon = 'err.invalid_time';
    if (!/^\d{2}:\d{2}$/.test(form.cutoff)) errors.cutoff = 'err.invalid_time';
    if (Object.keys(errors).length === 0) {
      try {
        await calendar.setOfficeHours(
          unit.code,
          { sessions: [morning!, ...(afternoon ? [afternoon] : [])], cutoff: form.cutoff },
          req.actor!,
          auditContext(req),
        );
        return reply.redirect(`/admin/units/${unit.code}/office-hours?saved=1`, 303);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'invalid_office_hours' && code !== 'invalid_time') throw e;
        errors.morning = `err.${code}` as MessageKey;
      }
    }
    return renderHtml(reply.status(400), <Page ctx={pageContext(req, reply)} unit={unit} form={form} errors={errors} saved={false} />);
  });
}
