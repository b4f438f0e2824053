import { AppError } from '../../lib/errors.js';
import { procedureCodeParam } from '../../web/page-params.js';
import type { PageContext } from '../../web/context.js';
import { formatDate } from '../../web/i18n/index.js';
import { SelectField } from '../../web/components/form.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import type { ProcedureDetail } from './catalogue.schema.js';
import { foldText } from '../../domain/search-index.js';
import { DocumentTable, feeText, onlineText, ProcedureList, SearchBox, Summary, timeLimitText } from './catalogue.views.js';
import { ProcedureFaqs } from '../faq/faq.views.js';
import type { FaqSummary } from '../faq/faq.schema.js';

const LEVELS = ['city', 'department', 'district', 'commune'] as const;
const ONLINE = ['full', 'partial', '3', '4'] as const;

type Office = Awaited<ReturnType<App['services']['catalogue']['officesFor']>>[number] & {
  hours: { sessions: { start: string; end: string }[]; cutoff: string };
};

function str(v: unknown, max = 200): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
}

function WhereToGo({
  ctx,
  p,
  wards,
  ward,
  offices,
  place,
  placeMatches,
}: {
  ctx: PageContext;
  p: ProcedureDetail;
  wards: { district: string; items: { code: string; name: string }[] }[];
  ward?: string;
  offices?: Office[];
  place?: string;
  placeMatches?: { code: string; name: string }[];
}) {
  const { t, locale } = ctx;
  return (
    <section aria-labelledby="where-title" class="where">
      <h2 id="where-title">{t('proc.where.title')}</h2>
      <form method="get" action={`/procedures/${p.code}#where-title`} class="place-form">
        <div class="field">
          <label for="place">{t('proc.where.place')}</label>
          <p class="hint" id="place-hint">
            {t('proc.where.place.hint')}
          </p>
          <input id="place" name="place" type="text" value={place} maxLength={100} aria-describedby="place-hint" />
        </div>
        <button type="submit" class="button button-secondary">
          {t('proc.where.submit')}
        </button>
      </form>
      {placeMatches && placeMatches.length === 0 && <p role="status">{t('proc.where.place.none', { place: place ?? '' })}</p>}
      {placeMatches && placeMatches.length > 1 && (
        <div role="status">
          <p>{t('proc.where.place.several')}</p>
          <ul>
            {placeMatches.map((m) => (
              <li key={m.code}>
                <a href={`/procedures/${p.code}?ward=${m.code}#where-title`}>{m.name}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="get" action={`/procedures/${p.code}#where-title`}>
        <div class="field">
          <label for="ward">{t('proc.where.ward')}</label>
          <select id="ward" name="ward">
            {wards.map((g) => (
              <optgroup key={g.district} label={g.district}>
                {g.items.map((w) => (
                  <option key={w.code} value={w.code} selected={w.code === ward}>
                    {w.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          {t('proc.where.submit')}
        </button>
      </form>
      {offices && offices.length === 0 && <p role="status">{t('proc.where.none')}</p>}
      {offices && offices.length > 0 && (
        <div role="status">
          <ul class="offices">
            {offices.map((o) => (
              <li key={o.code}>
                <strong>{o.name[locale]}</strong> <span class="unit-code">{o.code}</span>
                <br />
                {t('proc.where.hours', { hours: o.hours.sessions.map((s) => `${s.start}–${s.end}`).join(', '), cutoff: o.hours.cutoff })}
                <br />
                {o.onlineLevel && o.onlineLevel >= 3 ? (
                  <>
                    {t('proc.where.online', { mode: onlineText(t, o.onlineLevel, o.onlineMode) })}{' '}
                    <a href={`/dossiers/new?procedure=${p.code}&unit=${o.code}`}>{t('dossier.start.title')}</a>
                  </>
                ) : (
                  t('proc.where.offline')
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function ProcedurePage({
  ctx,
  p,
  wards,
  ward,
  offices,
  place,
  placeMatches,
  unconfirmed,
  canEdit,
  faqs,
}: {
  ctx: PageContext;
  p: ProcedureDetail;
  wards: Parameters<typeof WhereToGo>[0]['wards'];
  ward?: string;
  offices?: Office[];
  place?: string;
  placeMatches?: { code: string; name: string }[];
  unconfirmed: boolean;
  canEdit: boolean;
  faqs: FaqSummary[];
}) {
  const { t, locale } = ctx;
  const c = p.content;
  const name = p.name[locale] || p.name.vi;
  return (
    <Layout ctx={ctx} title={name}>
      <p class="meta">
        {t('proc.code')}: {p.code} · {p.field.name[locale]}
      </p>
      <h1>{name}</h1>
      {locale === 'en' && <p lang="vi">{p.name.vi}</p>}
      {(p.summary[locale] || p.summary.vi) && <p class="lead">{p.summary[locale] || p.summary.vi}</p>}
      {unconfirmed && (
        <p class="notice" role="note">
          {t('proc.unconfirmed')}
        </p>
      )}
      <h2>{t('proc.summary')}</h2>
      <Summary ctx={ctx} content={p.content} />
      <ul class="actions">
        <li>
          <a href={`/procedures/${p.code}/checklist`}>{t('proc.checklist')}</a>
        </li>
        <li>
          <a href={`/procedures/${p.code}/leaflet.pdf?lang=${locale}`} download={`${p.code}-${locale}.pdf`}>
            {t('proc.leaflet')}
          </a>
        </li>
      </ul>
      <WhereToGo ctx={ctx} p={p} wards={wards} ward={ward} offices={offices} place={place} placeMatches={placeMatches} />
      <h2>{t('proc.channels')}</h2>
      <ul>
        {c.channels.map((ch) => (
          <li key={ch}>{t(`proc.channel.${ch}`)}</li>
        ))}
        {(p.onlineMode || p.onlineLevel) && <li>{onlineText(t, p.onlineLevel, p.onlineMode)}</li>}
      </ul>
      {p.offeredBy.some((o) => (o.onlineLevel ?? 0) >= 3) && (
        <p>
          <a class="button" href={`/dossiers/new?procedure=${p.code}`}>
            {t('dossier.start.title')}
          </a>
        </p>
      )}
      <h2>{t('proc.steps')}</h2>
      {c.steps.length ? (
        <ol>
          {c.steps.map((s, i) => (
            <li key={i}>{s[locale] || s.vi}</li>
          ))}
        </ol>
      ) : (
        <p>{t('proc.tbc')}</p>
      )}
      <h2>{t('proc.documents')}</h2>
      <DocumentTable ctx={ctx} documents={c.documents} />
      <ProcedureFaqs ctx={ctx} code={p.code} items={faqs} />
      <h2>{t('proc.legal')}</h2>
      {c.legalBasis.length ? (
        <ul>
          {c.legalBasis.map((l, i) => (
            <li key={i}>{l[locale] || l.vi}</li>
          ))}
        </ul>
      ) : (
        <p>{t('proc.tbc')}</p>
      )}
      {canEdit && (
        <p>
          <a href={`/admin/procedures/${p.code}/edit`}>{t('edit.link')}</a>
        </p>
      )}
      <p class="meta">
        {c.effectiveFrom
          ? t('proc.version', { date: formatDate(p.effectiveFrom, locale), v: p.version })
          : t('proc.versionOnly', { v: p.version })}
      </p>
      {locale === 'en' && <p class="meta">{t('proc.bindingNote')}</p>}
    </Layout>
  );
}

// pdfkit and its fonts load on the first leaflet, not at every start-up.
const leaflets = () => import('../../docs/leaflet.js');

export async function cataloguePageRoutes(app: App) {
  const catalogue = app.services.catalogue;
  const units = app.services.units;

  app.get('/procedures', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const q = str(query.q);
    const field = str(query.field, 40);
    const level = LEVELS.find((l) => l === query.level);
    const online = ONLINE.find((o) => o === query.online);
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const [fields, items] = await Promise.all([
      catalogue.fields(),
      catalogue.search({ q, field: field && /^[a-z_]{2,40}$/.test(field) ? field : undefined, level, online, limit: 100 }),
    ]);
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={q ? t('proc.results.for', { q }) : t('proc.results.title')}>
        <h1>{t('proc.results.title')}</h1>
        <SearchBox ctx={ctx} q={q} headingLevel={1} />
        <form method="get" action="/procedures" class="filters">
          {q && <input type="hidden" name="q" value={q} />}
          <SelectField
            name="field"
            label={t('proc.filter.field')}
            value={field}
            emptyLabel={t('proc.filter.any')}
            options={fields.map((f) => ({ value: f.code, label: `${locale === 'vi' ? f.name_vi : f.name_en} (${Number(f.procedures)})` }))}
          />
          <SelectField
            name="level"
            label={t('proc.filter.level')}
            value={level}
            emptyLabel={t('proc.filter.any')}
            options={LEVELS.map((l) => ({ value: l, label: t(`proc.level.${l}`) }))}
          />
          <SelectField
            name="online"
            label={t('proc.filter.online')}
            value={online}
            emptyLabel={t('proc.filter.any')}
            options={ONLINE.map((o) => ({
              value: o,
              label: o === 'full' || o === 'partial' ? t(`proc.online.${o}`) : t('proc.online.level', { n: o }),
            }))}
          />
          <button type="submit" class="button button-secondary">
            {t('proc.filter.apply')}
          </button>
        </form>
        <h2 role="status">
          {q
            ? `${t('proc.results.for', { q })}: ${t('proc.results.count', { n: items.length })}`
            : t('proc.results.count', { n: items.length })}
        </h2>
        {items.length === 0 ? <p>{t('proc.results.none')}</p> : <ProcedureList ctx={ctx} items={items} />}
      </Layout>,
    );
  });

  const wardGroups = async (locale: 'vi' | 'en') => {
    const [districts, communes] = await Promise.all([units.list({ level: 'district' }), units.list({ level: 'commune' })]);
    const cities = await units.list({ level: 'city' });
    return [...cities, ...districts]
      .map((d) => ({
        district: d.name[locale],
        items: communes.filter((c) => c.parentCode === d.code).map((c) => ({ code: c.code, name: c.name[locale] })),
      }))
      .filter((g) => g.items.length > 0);
  };

  app.get('/procedures/:code', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const code = procedureCodeParam(req.params);
    const p = await catalogue.detail(code);
    const query = req.query as Record<string, unknown>;
    let ward = str(query.ward, 20);
    const place = str(query.place, 100);
    let placeMatches: { code: string; name: string }[] | undefined;
    if (place && !ward) {
      // A typed fragment ("quang trung", "P. Văn Quán") finds wards by name, without diacritics.
      const want = foldText(place)
        .replace(/^(phuong|xa|thi tran|p\.|x\.)\s*/, '')
        .trim();
      const communes = await app.services.units.list({ level: 'commune' });
      placeMatches = want
        ? communes
            .filter((u) => foldText(u.name.vi).includes(want) || foldText(u.name.en).includes(want))
            .map((u) => ({ code: u.code, name: u.name[req.locale] }))
        : [];
      if (placeMatches.length === 1) ward = placeMatches[0]!.code;
    }
    let offices: Office[] | undefined;
    if (ward && /^[0-9A-Z.]{13}$/.test(ward)) {
      const found = await catalogue.officesFor(code, ward).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'unit_not_found') return [];
        throw e;
      });
      offices = await Promise.all(found.map(async (o) => ({ ...o, hours: (await app.services.calendar.officeHours(o.code)).hours })));
    }
    const ctx = pageContext(req, reply);
    const c = p.content;
    // Facts left empty in the catalogue are shown as "to be confirmed"; say so up front.
    const unconfirmed = !c.timeLimit || !c.fee || c.fee.amount === null || !c.result || !c.applicants || !c.submitTo;
    return renderHtml(
      reply,
      <ProcedurePage
        ctx={ctx}
        p={p}
        wards={await wardGroups(ctx.locale)}
        ward={ward}
        offices={offices}
        place={place}
        placeMatches={placeMatches}
        unconfirmed={unconfirmed}
        canEdit={req.actor?.roles.some((g) => g.role === 'city_admin') ?? false}
        faqs={await app.services.faq.forProcedure(code)}
      />,
    );
  });

  app.get('/procedures/:code/leaflet.pdf', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const code = procedureCodeParam(req.params);
    const pdf = await (await leaflets()).procedureLeaflet(await catalogue.detail(code), req.locale, app.config.baseUrl);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${code}-${req.locale}.pdf"`).send(pdf);
  });

  app.get('/leaflets/online-services.pdf', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const pdf = await (await leaflets()).onlineServicesLeaflet(req.locale, app.config.baseUrl);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="online-services-${req.locale}.pdf"`).send(pdf);
  });

  app.get('/procedures/:code/checklist', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const code = procedureCodeParam(req.params);
    const p = await catalogue.detail(code);
    const ctx = pageContext(req, reply);
    const name = p.name[ctx.locale] || p.name.vi;
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={ctx.t('proc.checklist.title', { name })}>
        <h1>{ctx.t('proc.checklist.title', { name })}</h1>
        <p>{ctx.t('proc.checklist.tick')}</p>
        <DocumentTable ctx={ctx} documents={p.content.documents} tick />
        <p>
          {ctx.t('proc.howLong')}: {timeLimitText(ctx.t, p.content.timeLimit)}. {ctx.t('proc.howMuch')}: {feeText(ctx, p.content.fee)}.
        </p>
        <p>
          <a href={`/procedures/${p.code}`}>{name}</a>
        </p>
      </Layout>,
    );
  });
}
