import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FAQ_STATUS, type FaqStatus } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { CsrfField, ErrorSummary, type FieldErrors } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { dropEmptyQuery } from './faq.pages.js';
import { FaqInput, FaqOfficialQuery, type FaqOfficialRow } from './faq.schema.js';

const EDITORS = policies.official('leader', 'unit_admin', 'city_admin');
/** The API's list query plus what the page's own redirects add (what was done, to which entry). */
const WorkListQuery = Type.Object(
  {
    ...FaqOfficialQuery.properties,
    done: Type.Optional(Type.Union(['saved', 'published', 'archived', 'confirmed'].map((d) => Type.Literal(d)))),
    id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 })),
  },
  { additionalProperties: false },
);
const FORM_ORDER = ['unit', 'field', 'questionVi', 'questionEn', 'answerVi', 'answerEn', 'procedureCodes', 'confirmationNote'] as const;

type FormValues = Record<(typeof FORM_ORDER)[number] | 'needsConfirmation', string>;

/** The posted form as the API body, and what is wrong with it per field. */
function readForm(body: unknown): { values: FormValues; input: FaqInput; errors: FieldErrors } {
  const values = Object.fromEntries(
    [...FORM_ORDER, 'needsConfirmation'].map((k) => [k, formText(body, k, k.startsWith('answer') ? 10_000 : 2_000)]),
  ) as FormValues;
  const codes = values.procedureCodes.split(/[\s,;]+/).filter(Boolean);
  const input: FaqInput = {
    unit: values.unit,
    field: values.field || null,
    questionVi: values.questionVi.trim(),
    questionEn: values.questionEn.trim() || null,
    answerVi: values.answerVi.trim(),
    answerEn: values.answerEn.trim() || null,
    procedureCodes: [...new Set(codes)],
    needsConfirmation: values.needsConfirmation === '1',
    confirmationNote: values.confirmationNote.trim() || null,
  };
  const errors: FieldErrors = {};
  for (const e of Value.Errors(FaqInput, input)) {
    const name = e.path.split('/')[1] ?? 'unit';
    if (errors[name]) continue;
    const v = e.value;
    errors[name] =
      typeof v === 'string' && e.schema.minLength !== undefined && v.length < (e.schema.minLength as number)
        ? v.length === 0
          ? 'val.required'
          : 'val.tooShort'
        : typeof v === 'string' && e.schema.maxLength !== undefined && v.length > (e.schema.maxLength as number)
          ? 'val.tooLong'
          : 'val.format';
  }
  return { values, input, errors };
}

type Units = Awaited<ReturnType<App['services']['faq']['editableUnits']>>;
type Fields = Awaited<ReturnType<App['services']['catalogue']['fields']>>;

function FaqForm(p: {
  ctx: PageContext;
  id: number | null;
  values: FormValues;
  errors: FieldErrors;
  message?: string;
  /** Published entries link to their public page. */
  published?: boolean;
  units: Units;
  fields: Fields;
}) {
  const { t, locale } = p.ctx;
  const title = p.id ? t('faqw.form.edit') : t('faqw.form.new');
  const err = (name: string) =>
    p.errors[name] ? (
      <p class="error-message" id={`${name}-error`}>
        <span class="visually-hidden">{t('form.errorPrefix')} </span>
        {t(p.errors[name])}
      </p>
    ) : null;
  const described = (name: string, hint = false) =>
    [hint ? `${name}-hint` : '', p.errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const area = (name: 'questionVi' | 'questionEn' | 'answerVi' | 'answerEn', rows: number, required: boolean, max: number) => (
    <div class={`field${p.errors[name] ? ' field-error' : ''}`}>
      <label for={name}>
        {t(`faqw.form.${name}`)} <span class="field-flag">{required ? t('form.required') : t('form.optional')}</span>
      </label>
      {name.startsWith('answer') && (
        <p class="hint" id={`${name}-hint`}>
          {t('faqw.form.answerHint')}
        </p>
      )}
      {err(name)}
      <textarea
        id={name}
        name={name}
        rows={rows}
        maxLength={max}
        required={required}
        aria-invalid={p.errors[name] ? 'true' : undefined}
        aria-describedby={described(name, name.startsWith('answer'))}
      >
        {p.values[name]}
      </textarea>
    </div>
  );
  return (
    <Layout ctx={p.ctx} title={title} hasError={Object.keys(p.errors).length > 0 || !!p.message}>
      <h1>{title}</h1>
      <ErrorSummary t={t} errors={p.errors} order={[...FORM_ORDER]} />
      {p.message && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{p.message}</p>
        </div>
      )}
      <form method="post" action={p.id ? `/work/faq/${p.id}` : '/work/faq'}>
        <CsrfField token={p.ctx.csrfToken} />
        <div class="field">
          <label for="unit">{t('faqw.form.unit')}</label>
          <select id="unit" name="unit">
            {p.units.map((u) => (
              <option key={u.code} value={u.code} selected={u.code === p.values.unit}>
                {locale === 'en' ? u.name_en : u.name_vi}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="field">{t('faqw.form.field')}</label>
          <select id="field" name="field">
            <option value="">{t('faqw.form.fieldNone')}</option>
            {p.fields.map((f) => (
              <option key={f.code} value={f.code} selected={f.code === p.values.field}>
                {locale === 'en' ? f.name_en : f.name_vi}
              </option>
            ))}
          </select>
        </div>
        {area('questionVi', 2, true, 500)}
        {area('questionEn', 2, false, 500)}
        {area('answerVi', 12, true, 10_000)}
        {area('answerEn', 8, false, 10_000)}
        <div class={`field${p.errors.procedureCodes ? ' field-error' : ''}`}>
          <label for="procedureCodes">
            {t('faqw.form.procedures')} <span class="field-flag">{t('form.optional')}</span>
          </label>
          <p class="hint" id="procedureCodes-hint">
            {t('faqw.form.proceduresHint')}
          </p>
          {err('procedureCodes')}
          <input
            id="procedureCodes"
            name="procedureCodes"
            type="text"
            value={p.values.procedureCodes}
            maxLength={400}
            aria-describedby={described('procedureCodes', true)}
          />
        </div>
        <div class="checkbox field">
          <input type="checkbox" id="needsConfirmation" name="needsConfirmation" value="1" checked={p.values.needsConfirmation === '1'} />
          <label for="needsConfirmation">{t('faqw.form.needsConfirmation')}</label>
        </div>
        <div class="field">
          <label for="confirmationNote">
            {t('faqw.form.confirmationNote')} <span class="field-flag">{t('form.optional')}</span>
          </label>
          {err('confirmationNote')}
          <textarea id="confirmationNote" name="confirmationNote" rows={2} maxLength={1000}>
            {p.values.confirmationNote}
          </textarea>
        </div>
        <button type="submit" class="button">
          {t('faqw.form.save')}
        </button>
      </form>
      <ul class="actions">
        {p.published && (
          <li>
            <a href={`/faq/${p.id}`}>{t('faqw.view')}</a>
          </li>
        )}
        <li>
          <a href="/work/faq">{t('faqw.title')}</a>
        </li>
      </ul>
    </Layout>
  );
}

function ActionButton({ ctx, id, action, label }: { ctx: PageContext; id: number; action: string; label: MessageKey }) {
  return (
    <form method="post" action={`/work/faq/${id}/${action}`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-secondary" aria-label={`${ctx.t(label)}: #${id}`}>
        {ctx.t(label)}
      </button>
    </form>
  );
}

function FaqWorkList(p: { ctx: PageContext; rows: FaqOfficialRow[]; total: number; status: FaqStatus | undefined; done: string }) {
  const { t, locale } = p.ctx;
  const done = (
    { saved: 'faqw.saved', published: 'faqw.done.published', archived: 'faqw.done.archived', confirmed: 'faqw.done.confirmed' } as const
  )[p.done as 'saved'];
  return (
    <Layout ctx={p.ctx} title={t('faqw.title')}>
      <h1>{t('faqw.title')}</h1>
      <p class="lead">{t('faqw.lead')}</p>
      {done && (
        <div class="success" role="status">
          <p>{t(done)}</p>
        </div>
      )}
      <p>
        <a class="button" href="/work/faq/new">
          {t('faqw.new')}
        </a>
      </p>
      <form method="get" action="/work/faq" class="filters">
        <div class="field">
          <label for="status">{t('faqw.filter.status')}</label>
          <select id="status" name="status">
            <option value="">{t('faq.filter.any')}</option>
            {FAQ_STATUS.map((s) => (
              <option key={s} value={s} selected={s === p.status}>
                {t(`faqw.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          {t('faq.filter.apply')}
        </button>
      </form>
      <p role="status">{t('faq.results.count', { n: p.total })}</p>
      {p.rows.length === 0 ? (
        <p>{t('faqw.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('faqw.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('faqw.col.question')}</th>
              <th scope="col">{t('faqw.col.unit')}</th>
              <th scope="col">{t('faqw.col.status')}</th>
              <th scope="col">{t('faqw.col.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <a href={`/work/faq/${r.id}/edit`}>{r.question}</a>
                  <div class="hint">{t('faqw.source', { source: t(`faqw.source.${r.source}`) })}</div>
                </th>
                <td>{r.unit.name[locale]}</td>
                <td>
                  {t(`faqw.status.${r.status}`)}
                  {r.needsConfirmation && (
                    <>
                      <br />
                      <span class="badge badge-soon">{t('faq.pendingBadge')}</span>
                      {r.confirmationNote && <div class="hint">{t('faqw.pendingNote', { note: r.confirmationNote })}</div>}
                    </>
                  )}
                  <div>
                    {r.status !== 'published' && <ActionButton ctx={p.ctx} id={r.id} action="publish" label="faqw.publish" />}
                    {r.status !== 'archived' && <ActionButton ctx={p.ctx} id={r.id} action="archive" label="faqw.archive" />}
                    {r.needsConfirmation && <ActionButton ctx={p.ctx} id={r.id} action="confirm" label="faqw.confirm" />}
                  </div>
                </td>
                <td>{formatDate(new Date(r.updatedAt), locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export async function faqWorkRoutes(app: App) {
  const { faq, catalogue } = app.services;
  const lists = async (actor: NonNullable<Parameters<typeof faq.editableUnits>[0]>) =>
    Promise.all([faq.editableUnits(actor), catalogue.fields()]);

  app.get(
    '/work/faq',
    { config: { policy: EDITORS }, schema: { hide: true, querystring: WorkListQuery }, preValidation: dropEmptyQuery },
    async (req, reply) => {
      const r = await faq.officialList(req.actor!, req.query);
      const ctx = pageContext(req, reply);
      return renderHtml(
        reply,
        <FaqWorkList ctx={ctx} rows={r.rows} total={r.total} status={req.query.status} done={req.query.done ?? ''} />,
      );
    },
  );

  app.get('/work/faq/new', { config: { policy: EDITORS }, schema: { hide: true } }, async (req, reply) => {
    const [units, fields] = await lists(req.actor!);
    const values = Object.fromEntries([...FORM_ORDER, 'needsConfirmation'].map((k) => [k, ''])) as FormValues;
    values.unit = units[0]?.code ?? '';
    values.procedureCodes = formText(req.query, 'procedure', 20);
    return renderHtml(reply, <FaqForm ctx={pageContext(req, reply)} id={null} values={values} errors={{}} units={units} fields={fields} />);
  });

  app.get('/work/faq/:id/edit', { config: { policy: EDITORS }, schema: { hide: true } }, async (req, reply) => {
    const id = idParam(req.params);
    const d = await faq.officialDetail(req.actor!, id);
    const [units, fields] = await lists(req.actor!);
    const values: FormValues = {
      unit: d.unit.code,
      field: d.field?.code ?? '',
      questionVi: d.question.vi,
      questionEn: d.question.en ?? '',
      answerVi: d.answer.vi,
      answerEn: d.answer.en ?? '',
      procedureCodes: d.procedures.map((p) => p.code).join(', '),
      needsConfirmation: d.needsConfirmation ? '1' : '',
      confirmationNote: d.confirmationNote ?? '',
    };
    // The entry's own unit stays selectable even when it is not directly under one of the grants.
    const all = units.some((u) => u.code === d.unit.code)
      ? units
      : [{ code: d.unit.code, name_vi: d.unit.name.vi, name_en: d.unit.name.en, path: d.unitPath }, ...units];
    return renderHtml(
      reply,
      <FaqForm
        ctx={pageContext(req, reply)}
        id={id}
        values={values}
        errors={{}}
        units={all}
        fields={fields}
        published={d.status === 'published'}
      />,
    );
  });

  const save = (id: number | null) => async (req: FastifyRequest, reply: FastifyReply) => {
    // Another unit's entry is refused before the form is read and re-rendered.
    if (id !== null) await faq.officialDetail(req.actor!, id);
    const { values, input, errors } = readForm(req.body);
    let message: string | undefined;
    if (Object.keys(errors).length === 0) {
      try {
        const saved = id
          ? (await faq.update(req.actor!, id, input, auditContext(req)), id)
          : await faq.create(req.actor!, input, auditContext(req));
        return reply.redirect(`/work/faq?done=saved&id=${saved}`, 303);
      } catch (e) {
        if (!(e instanceof AppError) || !['faq_unknown_procedure', 'field_not_found', 'unit_not_found'].includes(e.code)) throw e;
        const ctx = pageContext(req, reply);
        message = ctx.t(`err.${e.code}` as MessageKey, e.params);
        if (e.code === 'faq_unknown_procedure') errors.procedureCodes = 'val.invalid';
      }
    }
    const [units, fields] = await lists(req.actor!);
    return renderHtml(
      reply.status(400),
      <FaqForm ctx={pageContext(req, reply)} id={id} values={values} errors={errors} message={message} units={units} fields={fields} />,
    );
  };

  app.post('/work/faq', { config: { policy: EDITORS }, schema: { hide: true } }, (req, reply) => save(null)(req, reply));
  app.post('/work/faq/:id', { config: { policy: EDITORS }, schema: { hide: true } }, (req, reply) => save(idParam(req.params))(req, reply));

  for (const action of ['publish', 'archive', 'confirm'] as const) {
    app.post(`/work/faq/:id/${action}`, { config: { policy: EDITORS }, schema: { hide: true } }, async (req, reply) => {
      const id = idParam(req.params);
      if (action === 'confirm') await faq.confirm(req.actor!, id, auditContext(req));
      else await faq.setStatus(req.actor!, id, action === 'publish' ? 'published' : 'archived', auditContext(req));
      return reply.redirect(`/work/faq?done=${action === 'publish' ? 'published' : action === 'archive' ? 'archived' : 'confirmed'}`, 303);
    });
  }
}
