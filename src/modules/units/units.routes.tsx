import { Type } from '@sinclair/typebox';
import { unitCodeParam } from '../../web/page-params.js';
import { hasUnitScope, policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { auditContext } from '../../web/request-context.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { formatDate } from '../../web/i18n/index.js';
import {
  AtQuery,
  ListUnitsQuery,
  NewUnit,
  Reorganization,
  Unit,
  UnitCodeParams,
  UnitDetail,
  UnitTree,
  type UnitNode,
} from './units.schema.js';
import type { PageContext } from '../../web/context.js';
import { unitQuality, UnitQualitySection, type UnitQuality } from '../stats/stats.unit-card.js';
import { ProcedureList } from '../catalogue/catalogue.views.js';

export async function unitRoutes(app: App) {
  const units = app.services.units;
  app.addSchema(UnitTree);

  app.get('/api/v1/units', {
    config: { policy: policies.public },
    schema: {
      tags: ['units'],
      summary: 'Administrative units in force on a date, flat or as a tree',
      querystring: ListUnitsQuery,
      response: { 200: Type.Object({ units: Type.Array(Type.Union([Type.Ref('UnitNode'), Unit])) }) },
    },
    handler: async (req) => {
      const { shape, ...filter } = req.query;
      if (shape === 'tree' && !filter.level && !filter.parent) return { units: await units.tree(filter.at) };
      return { units: await units.list(filter) };
    },
  });

  app.get('/api/v1/units/:code', {
    config: { policy: policies.public },
    schema: {
      tags: ['units'],
      summary: 'One unit with its children and its predecessors/successors',
      params: UnitCodeParams,
      querystring: AtQuery,
      response: { 200: UnitDetail },
    },
    handler: (req) => units.detail(req.params.code, req.query.at),
  });

  app.post('/api/v1/units', {
    config: { policy: policies.official('city_admin') },
    schema: { tags: ['units'], summary: 'Create a unit (city admin)', body: NewUnit, response: { 201: Unit } },
    handler: async (req, reply) => reply.status(201).send(await units.create(req.body, req.actor, auditContext(req))),
  });

  app.post('/api/v1/units/reorganizations', {
    config: { policy: policies.official('city_admin') },
    schema: {
      tags: ['units'],
      summary: 'Merge or split units from an effective date (city admin)',
      body: Reorganization,
      response: { 201: Type.Object({ units: Type.Array(UnitDetail) }) },
    },
    handler: async (req, reply) => reply.status(201).send({ units: await units.reorganize(req.body, req.actor!, auditContext(req)) }),
  });

  app.get('/units/:code', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const code = unitCodeParam(req.params);
    const ctx = pageContext(req, reply);
    const unit = await units.detail(code);
    const name = async (c: string) => ({ code: c, name: (await units.detail(c)).name[ctx.locale] });
    const [parent, children, { hours }, procedures] = await Promise.all([
      unit.parentCode ? name(unit.parentCode) : null,
      units.list({ parent: code }).then((l) => l.map((u) => ({ code: u.code, name: u.name[ctx.locale] }))),
      app.services.calendar.officeHours(code),
      app.services.catalogue.search({ unit: code, limit: 100 }),
    ]);
    const row = await units.findRow(code);
    const canManage = hasUnitScope(req.actor, row.path, ['unit_admin', 'city_admin']);
    // A unit that no longer exists has no current figures to show.
    const quality = row.valid_to === null ? await unitQuality(app, row) : null;
    return renderHtml(
      reply,
      <UnitPage
        ctx={ctx}
        unit={unit}
        parent={parent}
        children={children}
        hours={hours}
        procedures={procedures}
        canManage={canManage}
        quality={quality}
      />,
    );
  });

  app.get('/units', {
    config: { policy: policies.public },
    schema: { hide: true },
    handler: async (req, reply) => {
      const ctx = pageContext(req, reply);
      const tree = await units.tree();
      const today = new Date();
      return renderHtml(
        reply,
        <Layout ctx={ctx} title={ctx.t('units.title')}>
          <h1>{ctx.t('units.title')}</h1>
          <p class="lead">{ctx.t('units.lead', { date: formatDate(today, ctx.locale) })}</p>
          <div class="unit-tree">
            <UnitList ctx={ctx} nodes={tree} />
          </div>
        </Layout>,
      );
    },
  });
}

function UnitPage({
  canManage,
  ctx,
  unit,
  parent,
  children,
  hours,
  procedures,
  quality,
}: {
  ctx: PageContext;
  unit: Awaited<ReturnType<App['services']['units']['detail']>>;
  parent: { code: string; name: string } | null;
  children: { code: string; name: string }[];
  hours: { sessions: { start: string; end: string }[]; cutoff: string };
  procedures: Awaited<ReturnType<App['services']['catalogue']['search']>>;
  canManage: boolean;
  quality: UnitQuality | null;
}) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={unit.name[locale]}>
      <p class="meta">
        {t('units.code')}: {unit.code} · {t(`units.level.${unit.level}`)}
      </p>
      <h1>{unit.name[locale]}</h1>
      {parent && (
        <p>
          <a href={`/units/${parent.code}`}>{parent.name}</a>
        </p>
      )}
      <h2>{t('units.hours')}</h2>
      {canManage && (
        <p>
          <a href={`/admin/units/${unit.code}/office-hours`}>{t('hours.link')}</a>
        </p>
      )}
      <p>{t('proc.where.hours', { hours: hours.sessions.map((s) => `${s.start}–${s.end}`).join(', '), cutoff: hours.cutoff })}</p>
      {children.length > 0 && (
        <>
          <h2>{t('units.children')}</h2>
          <ul class="field-grid">
            {children.map((c) => (
              <li key={c.code}>
                <a href={`/units/${c.code}`}>{c.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {quality && <UnitQualitySection ctx={ctx} code={unit.code} q={quality} />}
      <h2>{t('units.procedures', { n: procedures.length })}</h2>
      {canManage && (
        <p>
          <a href={`/admin/units/${unit.code}/procedures`}>{t('admin.offer.link')}</a>
        </p>
      )}
      {procedures.length === 0 ? <p>{t('proc.results.none')}</p> : <ProcedureList ctx={ctx} items={procedures} />}
    </Layout>
  );
}

function UnitList({ ctx, nodes }: { ctx: PageContext; nodes: UnitNode[] }) {
  if (nodes.length === 0) return null;
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.code}>
          <a href={`/units/${n.code}`}>{n.name[ctx.locale]}</a>{' '}
          <span class="unit-code">
            <span class="visually-hidden">{ctx.t('units.code')}: </span>
            {n.code}
          </span>
          <UnitList ctx={ctx} nodes={n.children} />
        </li>
      ))}
    </ul>
  );
}
