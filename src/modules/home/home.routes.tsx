import { policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';

export async function homeRoutes(app: App) {
  app.get('/', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const counts = await app.services.units.countsByLevel();
    const n = (x: number) => formatNumber(x, locale);
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <p>{t('home.today', { date: formatDate(new Date(), locale) })}</p>
        <div class="cards">
          <section class="card" aria-labelledby="units-title">
            <h2 id="units-title">{t('home.units.title')}</h2>
            <p>{t('home.units.body', { departments: n(counts.department), districts: n(counts.district), communes: n(counts.commune) })}</p>
            <p>
              <a href="/units">{t('home.units.link')}</a>
            </p>
          </section>
          <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{t('home.account.title')}</h2>
            <p>{t('home.account.body')}</p>
            <p>
              {ctx.actor ? (
                <a href="/account">{t('site.nav.account')}</a>
              ) : (
                <>
                  <a href="/register">{t('site.nav.register')}</a> · <a href="/login">{t('site.nav.login')}</a>
                </>
              )}
            </p>
          </section>
        </div>
      </Layout>,
    );
  });
}
