import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, TextField, type FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { formText } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { SCHOOL_CODE, SCHOOL_KINDS, type CreateSchoolInput, type SchoolView } from './learn.schema.js';
import type { LearnService } from './learn.service.js';
import { LearnErrors } from './learn.views.js';

const ADMINS = { policy: policies.official('city_admin', 'unit_admin') };
const ORDER = ['code', 'nameVi', 'nameEn', 'kind', 'unit'];
const PAGE_CODES = new Set<ErrorCode>([
  'learn_school_code_invalid',
  'learn_school_name_invalid',
  'learn_school_kind_invalid',
  'learn_school_unit_invalid',
  'learn_school_code_taken',
]);

interface SchoolForm {
  code: string;
  nameVi: string;
  nameEn: string;
  kind: string;
  unit: string;
}
type Units = Awaited<ReturnType<LearnService['unitsForSchools']>>;

function SchoolsAdminPage(p: {
  ctx: PageContext;
  schools: SchoolView[];
  units: Units;
  form: SchoolForm;
  errors: FieldErrors;
  code?: string;
  created: boolean;
}) {
  const { t, locale } = p.ctx;
  const groups = new Map<string, Units>();
  for (const u of p.units) {
    const label = (locale === 'en' ? u.parent_en : u.parent_vi) ?? '';
    groups.set(label, [...(groups.get(label) ?? []), u]);
  }
  const e = p.errors;
  return (
    <Layout ctx={p.ctx} title={t('learn.admin.title')} hasError={Object.keys(e).length > 0}>
      <LearnErrors ctx={p.ctx} errors={Object.fromEntries(ORDER.filter((k) => e[k]).map((k) => [k, e[k]!]))} code={p.code} />
      <h1>{t('learn.admin.title')}</h1>
      <p class="lead">{t('learn.admin.lead')}</p>
      {p.created && (
        <p class="success" role="status">
          {t('learn.admin.created')}
        </p>
      )}
      {p.schools.length === 0 ? (
        <p>{t('learn.admin.none')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="schools-caption" tabIndex={0}>
          <table>
            <caption id="schools-caption">{t('learn.admin.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('learn.admin.col.name')}</th>
                <th scope="col">{t('learn.admin.col.code')}</th>
                <th scope="col">{t('learn.admin.col.kind')}</th>
                <th scope="col">{t('learn.admin.col.unit')}</th>
              </tr>
            </thead>
            <tbody>
              {p.schools.map((s) => (
                <tr key={s.code} data-school={s.code}>
                  <th scope="row">{s.name[locale]}</th>
                  <td>{s.code}</td>
                  <td>{t(`learn.kind.${s.kind}`)}</td>
                  <td>{s.unit.name[locale]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="add-title">{t('learn.admin.add')}</h2>
      <form method="post" action="/admin/schools" class="school-form" novalidate aria-labelledby="add-title">
        <CsrfField token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="code"
          label={t('learn.admin.code')}
          hint={t('learn.admin.codeHint')}
          value={p.form.code}
          required
          maxLength={40}
          error={e.code}
        />
        <TextField t={t} name="nameVi" label={t('learn.admin.nameVi')} value={p.form.nameVi} required maxLength={200} error={e.nameVi} />
        <TextField t={t} name="nameEn" label={t('learn.admin.nameEn')} value={p.form.nameEn} required maxLength={200} error={e.nameEn} />
        <fieldset class={`field${e.kind ? ' field-error' : ''}`} id="kind">
          <legend>{t('learn.admin.kind')}</legend>
          {e.kind && <p class="error-message">{t(e.kind)}</p>}
          {SCHOOL_KINDS.map((k) => (
            <div class="radio" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={p.form.kind === k} />
              <label for={`kind-${k}`}>{t(`learn.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class={`field${e.unit ? ' field-error' : ''}`}>
          <label for="unit">{t('learn.admin.unit')}</label>
          {e.unit && (
            <p class="error-message" id="unit-error">
              {t(e.unit)}
            </p>
          )}
          <select id="unit" name="unit" aria-describedby={e.unit ? 'unit-error' : undefined}>
            <option value="">{t('learn.admin.unitPick')}</option>
            {[...groups].map(([label, units]) => (
              <optgroup key={label} label={label}>
                {units.map((u) => (
                  <option key={u.code} value={u.code} selected={u.code === p.form.unit}>
                    {locale === 'en' ? u.name_en : u.name_vi}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          {t('learn.admin.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** A page for city and unit admins to list and add schools (the same rules as the API). */
export async function learnAdminPageRoutes(app: App) {
  const { learn } = app.services;

  const page = async (req: FastifyRequest, reply: FastifyReply, form: SchoolForm, error?: AppError) => {
    const errors: FieldErrors = error
      ? Object.fromEntries(Object.entries(error.fields).map(([k, c]) => [k, `err.${c}` as MessageKey]))
      : {};
    const [schools, units] = await Promise.all([learn.schoolsFor(req.actor!), learn.unitsForSchools(req.actor!)]);
    return renderHtml(
      reply,
      <SchoolsAdminPage
        ctx={pageContext(req, reply)}
        schools={schools}
        units={units}
        form={form}
        errors={errors}
        code={error?.code}
        created={formText(req.query, 'done', 10) === 'created'}
      />,
    );
  };

  app.get('/admin/schools', { config: ADMINS, schema: { hide: true } }, async (req, reply) =>
    page(req, reply, { code: '', nameVi: '', nameEn: '', kind: '', unit: '' }),
  );

  app.post('/admin/schools', { config: ADMINS, schema: { hide: true } }, async (req, reply) => {
    const form: SchoolForm = {
      code: formText(req.body, 'code', 40).trim().toUpperCase(),
      nameVi: formText(req.body, 'nameVi', 200),
      nameEn: formText(req.body, 'nameEn', 200),
      kind: formText(req.body, 'kind', 20),
      unit: formText(req.body, 'unit', 40),
    };
    const fields: Record<string, ErrorCode> = {};
    if (!new RegExp(SCHOOL_CODE).test(form.code)) fields.code = 'learn_school_code_invalid';
    if (form.nameVi.trim().length < 2) fields.nameVi = 'learn_school_name_invalid';
    if (form.nameEn.trim().length < 2) fields.nameEn = 'learn_school_name_invalid';
    if (!(SCHOOL_KINDS as readonly string[]).includes(form.kind)) fields.kind = 'learn_school_kind_invalid';
    if (!form.unit) fields.unit = 'learn_school_unit_invalid';
    try {
      const first = ORDER.map((k) => fields[k]).find(Boolean);
      if (first) throw new AppError(first, {}, fields);
      const input: CreateSchoolInput = {
        code: form.code,
        name: { vi: form.nameVi, en: form.nameEn },
        kind: form.kind as CreateSchoolInput['kind'],
        unitCode: form.unit,
      };
      await learn.createSchool(req.actor!, input, auditContext(req));
    } catch (e) {
      if (!(e instanceof AppError) || !PAGE_CODES.has(e.code)) throw e;
      const field = e.code === 'learn_school_code_taken' ? 'code' : e.code === 'learn_school_unit_invalid' ? 'unit' : 'nameVi';
      const withFields = Object.keys(e.fields).length ? e : new AppError(e.code, e.params, { [field]: e.code });
      reply.status(e.code === 'learn_school_code_taken' ? 409 : 400);
      return page(req, reply, form, withFields);
    }
    return reply.redirect('/admin/schools?done=created', 303);
  });
}
