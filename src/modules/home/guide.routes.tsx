import { policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';

export async function guideRoutes(app: App) {
  app.get('/guide', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={t('guide.title')}>
        <h1>{t('guide.title')}</h1>
        <p class="lead">{t('guide.lead')}</p>
        <h2>{t('guide.l3.title')}</h2>
        <ol class="steps-3">
          <li>{t('guide.l3.1')}</li>
          <li>{t('guide.l3.2')}</li>
          <li>{t('guide.l3.3')}</li>
          <li>{t('guide.l3.4')}</li>
        </ol>
        <h2>{t('guide.l4.title')}</h2>
        <ol class="steps-3">
          <li>{t('guide.l4.1')}</li>
          <li>{t('guide.l4.2')}</li>
          <li>{t('guide.l4.3')}</li>
        </ol>
        <p>{t('guide.full')}</p>
        <p>{t('guide.help')}</p>
        <p>
          {t('contestPlay.guide')} <a href="/contest">{t('contestPlay.home.link')}</a>
        </p>
        <p>
          <a href={`/leaflets/online-services.pdf?lang=${locale}`}>{t('home.how.leaflet')}</a>
        </p>
        <p>
          <a href="/learn">{t('learn.guide.link')}</a>
        </p>
      </Layout>,
    );
  });
}
