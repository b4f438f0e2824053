import { formText, unitCodeParam } from '../../web/page-params.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField } from '../../web/components/form.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import type { CatalogueAdmin } from './catalogue.admin.js';

type Offerings = Awaited<ReturnType<CatalogueAdmin['offerings']>>;
const MODES = ['full', 'partial', 'none'] as const;

function OfferingsPage({ ctx, data, saved }: { ctx: PageContext; data: Offerings; saved?: number }) {
  const { t, locale } = ctx;
  const unitName = locale === 'vi' ? data.unit.name_vi : data.unit.name_en;
  const title = t('admin.offer.title', { unit: unitName });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('admin.offer.lead')}</p>
      {saved !== undefined && (
        <p class="success" role="status">
          {t('admin.offer.saved', { n: saved })}
        </p>
      )}
      <form method="post" action={`/admin/units/${data.unit.code}/procedures`}>
        <CsrfField token={ctx.csrfToken} />
        <table>
          <thead>
            <tr>
              <th scope="col">{t('proc.code')}</th>
              <th scope="col">{t('proc.results.title')}</th>
              <th scope="col">{t('admin.offer.offered')}</th>
              <th scope="col">{t('admin.offer.level')}</th>
              <th scope="col">{t('admin.offer.mode')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r, i) => {
              const name = r.name[locale] || r.name.vi;
              return (
                <tr key={r.code}>
                  <td>{r.code}</td>
                  <td id={`name-${i}`}>{name}</td>
                  <td>
                    <input type="checkbox" name={`offer.${r.code}`} value="1" checked={r.offered} aria-labelledby={`name-${i}`} />
                  </td>
                  <td>
                    <select name={`level.${r.code}`} aria-label={`${t('admin.offer.level')}: ${name}`}>
                      <option value="">{t('admin.offer.unknown')}</option>
                      {[1, 2, 3, 4].map((l) => (
                        <option key={l} value={String(l)} selected={r.onlineLevel === l}>
                          {t('proc.online.level', { n: l })}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select name={`mode.${r.code}`} aria-label={`${t('admin.offer.mode')}: ${name}`}>
                      <option value="">{t('admin.offer.unknown')}</option>
                      {MODES.map((m) => (
                        <option key={m} value={m} selected={r.onlineMode === m}>
                          {t(`proc.online.${m}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="submit" class="button">
          {t('admin.offer.save')}
        </button>
      </form>
      <p>
        <a href={`/units/${data.unit.code}`}>{unitName}</a>
      </p>
    </Layout>
  );
}

export async function catalogueAdminPageRoutes(app: App) {
  const admin = app.services.catalogueAdmin;
  const policy = policies.official('unit_admin', 'city_admin');

  app.get('/admin/units/:code/procedures', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const code = unitCodeParam(req.params);
    const saved = (req.query as { saved?: string }).saved;
    const data = await admin.offerings(code, req.actor);
    return renderHtml(
      reply,
      <OfferingsPage ctx={pageContext(req, reply)} data={data} saved={saved && /^\d+$/.test(saved) ? Number(saved) : undefined} />,
    );
  });

  app.post('/admin/units/:code/procedures', { config: { policy }, schema: { hide: true } }, async (req, reply) => {
    const code = unitCodeParam(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = (k: string) => formText(body, k, 100);
    const { rows } = await admin.offerings(code, req.actor);
    let changes = 0;
    for (const r of rows) {
      const offered = field(`offer.${r.code}`) === '1';
      const levelText = field(`level.${r.code}`);
      const onlineLevel = /^[1-4]$/.test(levelText) ? Number(levelText) : null;
      const modeText = field(`mode.${r.code}`);
      const onlineMode = MODES.find((m) => m === modeText) ?? null;
      if (offered === r.offered && (!offered || (onlineLevel === r.onlineLevel && onlineMode === r.onlineMode))) continue;
      await admin.setOffered(code, r.code, offered ? { onlineLevel, onlineMode } : null, req.actor!, auditContext(req));
      changes++;
    }
    return reply.redirect(`/admin/units/${code}/procedures?saved=${changes}`, 303);
  });
}
