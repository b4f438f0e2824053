import { policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';
import { SearchBox } from '../catalogue/catalogue.views.js';

export async function homeRoutes(app: App) {
  app.get('/', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const [counts, fields, contest] = await Promise.all([
      app.services.units.countsByLevel(),
      app.services.catalogue.fields(),
      app.services.contestPlay.hasPublishedRound(),
    ]);
    const browsable = fields.filter((f) => Number(f.procedures) > 0);
    const n = (x: number) => formatNumber(x, locale);
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <p>{t('home.today', { date: formatDate(new Date(), locale) })}</p>
        <section aria-labelledby="search-title" class="home-search">
          <h2 id="search-title">{t('home.search.title')}</h2>
          <SearchBox ctx={ctx} />
        </section>
        {browsable.length > 0 && (
          <section aria-labelledby="fields-title">
            <h2 id="fields-title">{t('home.fields.title')}</h2>
            <ul class="field-grid">
              {browsable.map((f) => (
                <li key={f.code}>
                  <a href={`/procedures?field=${f.code}`}>{locale === 'vi' ? f.name_vi : f.name_en}</a>{' '}
                  <span class="meta">({n(Number(f.procedures))})</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="how-title">
          <h2 id="how-title">{t('home.how.title')}</h2>
          <ol class="steps-3">
            <li>{t('home.how.1')}</li>
            <li>{t('home.how.2')}</li>
            <li>{t('home.how.3')}</li>
          </ol>
          <p>
            <a href={`/leaflets/online-services.pdf?lang=${locale}`}>{t('home.how.leaflet')}</a>
          </p>
        </section>
        <div class="cards">
          <section class="card" aria-labelledby="units-title">
            <h2 id="units-title">{t('home.units.title')}</h2>
            <p>{t('home.units.body', { departments: n(counts.department), districts: n(counts.district), communes: n(counts.commune) })}</p>
            <p>
              <a href="/units">{t('home.units.link')}</a>
            </p>
          </section>
          {contest && (
            <section class="card" aria-labelledby="contest-title">
              <h2 id="contest-title">{t('contestPlay.home.title')}</h2>
              <p>{t('contestPlay.home.body')}</p>
              <p>
                <a href="/contest">{t('contestPlay.home.link')}</a>
              </p>
            </section>
          )}
          <section class="card" aria-labelledby="learn-title">
            <h2 id="learn-title">{t('learn.home.title')}</h2>
            <p>{t('learn.home.body')}</p>
            <p>
              <a href="/learn">{t('learn.home.link')}</a>
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
