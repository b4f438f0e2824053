import { Value } from '@sinclair/typebox/value';
import { formText, procedureCodeParam } from '../../web/page-params.js';
import type { ErrorCode } from '../../lib/errors.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors } from '../../web/components/form.js';
import { formatDate, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import { VersionContent, type ProcedureDetail } from './catalogue.schema.js';
import { DocumentTable, Summary } from './catalogue.views.js';

const UNITS = ['working_days', 'hours', 'days', 'months'] as const;
const FIELDS = ['effectiveFrom', 'amount', 'unit', 'fee', 'result', 'applicants', 'submitTo', 'steps', 'documents', 'legal'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

const pair = (line: string) => {
  const [vi = '', en = ''] = line.split('|').map((x) => x.trim());
  return { vi, en };
};
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const joinPair = (x: { vi: string; en: string } | null | undefined) => (x ? `${x.vi} | ${x.en}` : '');

function toForm(c: VersionContent): Form {
  const tomorrow = new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    effectiveFrom: tomorrow,
    amount: c.timeLimit ? String(c.timeLimit.amount) : '',
    unit: c.timeLimit?.unit ?? 'working_days',
    fee: c.fee?.amount === null || c.fee?.amount === undefined ? '' : String(c.fee.amount),
    result: joinPair(c.result),
    applicants: joinPair(c.applicants),
    submitTo: joinPair(c.submitTo),
    steps: c.steps.map(joinPair).join('\n'),
    documents: c.documents.map((d) => `${d.name.vi} | ${d.name.en} | ${d.originals ?? ''} | ${d.copies ?? ''}`).join('\n'),
    legal: c.legalBasis.map(joinPair).join('\n'),
  };
}

/** Applies the edited fields onto the current content; everything not on the form is kept. */
function fromForm(base: VersionContent, f: Form): { content: VersionContent; errors: FieldErrors } {
  const errors: Partial<Record<(typeof FIELDS)[number], ErrorCode>> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.effectiveFrom) || f.effectiveFrom < todayInVietnam()) errors.effectiveFrom = 'invalid_date';
  if (f.amount !== '' && !/^\d{1,4}$/.test(f.amount)) errors.amount = 'amount_out_of_range';
  if (!UNITS.includes(f.unit as (typeof UNITS)[number])) errors.unit = 'unknown_time_unit';
  if (f.fee !== '' && !/^\d{1,10}$/.test(f.fee)) errors.fee = 'validation_failed';
  const documents = lines(f.documents).map((l) => {
    const [vi = '', en = '', o = '', c = ''] = l.split('|').map((x) => x.trim());
    if (!vi || (o && !/^\d{1,2}$/.test(o)) || (c && !/^\d{1,2}$/.test(c))) errors.documents = 'validation_failed';
    return { name: { vi, en }, originals: o ? Number(o) : null, copies: c ? Number(c) : null };
  });
  const optionalPair = (s: string) => (s.trim() ? pair(s) : null);
  const content: VersionContent = {
    ...base,
    effectiveFrom: f.effectiveFrom,
    timeLimit: f.amount === '' ? null : { ...(base.timeLimit ?? {}), amount: Number(f.amount), unit: f.unit as (typeof UNITS)[number] },
    fee: f.fee === '' ? (base.fee ? { ...base.fee, amount: null } : null) : { ...(base.fee ?? {}), amount: Number(f.fee) },
    result: optionalPair(f.result),
    applicants: optionalPair(f.applicants),
    submitTo: optionalPair(f.submitTo),
    steps: lines(f.steps).map(pair),
    documents,
    legalBasis: lines(f.legal).map(pair),
  };
  // Lengths and counts the form cannot express are still bounded by the schema.
  if (Object.keys(errors).length === 0 && !Value.Check(VersionContent, content)) errors.steps = 'validation_failed';
  return { content, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, `err.${v}` as MessageKey])) };
}

function EditorPage({
  ctx,
  p,
  form,
  errors,
  preview,
  published,
}: {
  ctx: PageContext;
  p: ProcedureDetail;
  form: Form;
  errors: FieldErrors;
  preview?: VersionContent;
  published?: { version: number; from: string };
}) {
  const { t, locale } = ctx;
  const name = p.name[locale] || p.name.vi;
  const area = (field: 'steps' | 'documents' | 'legal', label: string) => (
    <div class={`field${errors[field] ? ' field-error' : ''}`}>
      <label for={field}>{label}</label>
      {errors[field] && <p class="error-message">{t(errors[field]!)}</p>}
      <textarea id={field} name={field} rows={6}>
        {form[field]}
      </textarea>
    </div>
  );
  return (
    <Layout ctx={ctx} title={t('edit.title', { name })} hasError={Object.keys(errors).length > 0}>
      <h1>{t('edit.title', { name })}</h1>
      {published && <PublishedNotice ctx={ctx} version={published.version} from={published.from} />}
      <p>{t('edit.lead')}</p>
      <ErrorSummary t={t} errors={errors} order={[...FIELDS]} />
      {preview && (
        <section class="result-panel" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('edit.previewTitle')}</h2>
          <Summary ctx={ctx} content={preview} />
          <DocumentTable ctx={ctx} documents={preview.documents} />
        </section>
      )}
      <form method="post" action={`/admin/procedures/${p.code}/edit`}>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          t={t}
          name="effectiveFrom"
          label={t('edit.effectiveFrom')}
          value={form.effectiveFrom}
          required
          error={errors.effectiveFrom}
          maxLength={10}
        />
        <TextField
          t={t}
          name="amount"
          label={t('edit.timeLimit')}
          value={form.amount}
          inputMode="numeric"
          error={errors.amount}
          maxLength={4}
        />
        <SelectField
          name="unit"
          label={t('due.unit')}
          value={form.unit}
          options={UNITS.map((u) => ({ value: u, label: t(`due.unit.${u}`) }))}
        />
        <TextField t={t} name="fee" label={t('edit.fee')} value={form.fee} inputMode="numeric" error={errors.fee} maxLength={10} />
        <TextField t={t} name="result" label={t('edit.result')} value={form.result} maxLength={1000} />
        <TextField t={t} name="applicants" label={t('edit.applicants')} value={form.applicants} maxLength={2000} />
        <TextField t={t} name="submitTo" label={t('edit.submitTo')} value={form.submitTo} maxLength={1000} />
        {area('steps', t('edit.steps'))}
        {area('documents', t('edit.documents'))}
        {area('legal', t('edit.legal'))}
        <p class="header-toggles">
          <button type="submit" name="intent" value="preview" class="button button-secondary">
            {t('edit.preview')}
          </button>
          {preview && Object.keys(errors).length === 0 && (
            <button type="submit" name="intent" value="publish" class="button">
              {t('edit.publish')}
            </button>
          )}
        </p>
      </form>
      <p>
        <a href={`/procedures/${p.code}`}>{name}</a>
      </p>
    </Layout>
  );
}

export async function catalogueEditorRoutes(app: App) {
  const catalogue = app.services.catalogue;
  const policy = policies.official('city_admin');

  app.get('/admin/procedures/:code/edit', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const p = await catalogue.detail(procedureCodeParam(req.params));
    const q = req.query as { published?: string; from?: string };
    const published =
      q.published && /^\d+$/.test(q.published) && q.from && /^\d{4}-\d{2}-\d{2}$/.test(q.from)
        ? { version: Number(q.published), from: q.from }
        : undefined;
    return renderHtml(reply, <EditorPage ctx={pageContext(req, reply)} p={p} form={toForm(p.content)} errors={{}} published={published} />);
  });

  app.post('/admin/procedures/:code/edit', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const p = await catalogue.detail(procedureCodeParam(req.params));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = Object.fromEntries(FIELDS.map((k) => [k, formText(body, k)])) as Form;
    const { content, errors } = fromForm(p.content, form);
    if (body.intent === 'publish' && Object.keys(errors).length === 0) {
      const res = await app.services.catalogueAdmin.publishVersion(p.code, form.effectiveFrom, content, req.actor!, auditContext(req));
      return reply.redirect(`/admin/procedures/${p.code}/edit?published=${res.version}&from=${res.effectiveFrom}`, 303);
    }
    const status = Object.keys(errors).length ? 400 : 200;
    return renderHtml(
      reply.status(status),
      <EditorPage ctx={pageContext(req, reply)} p={p} form={form} errors={errors} preview={status === 200 ? content : undefined} />,
    );
  });
}

function PublishedNotice({ ctx, version, from }: { ctx: PageContext; version: number; from: string }) {
  return (
    <p class="success" role="status">
      {ctx.t('edit.published', { v: version, date: formatDate(from, ctx.locale) })}
    </p>
  );
}
