import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.js';

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** Prefixes the title with "Error:" so screen-reader users hear it first. */
  hasError?: boolean;
  children: ComponentChildren;
  /** Files under /static/ loaded with `defer` (progressive enhancement: the page works without them). */
  scripts?: string[];
}

export function Layout({ ctx, title, hasError, children, scripts }: LayoutProps) {
  const { t, locale, actor } = ctx;
  const other = locale === 'vi' ? 'en' : 'vi';
  const fullTitle = `${hasError ? `${t('form.errorPrefix')} ` : ''}${title} – ${t('site.name')}`;
  return (
    <html lang={locale} class={ctx.easyRead ? 'easy-read' : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {scripts?.map((src) => (
          <script key={src} src={`/static/${src}`} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('site.skip')}
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="site-name" href="/">
              <span class="site-title">{t('site.name')}</span>
              <span class="site-tagline">{t('site.tagline')}</span>
            </a>
            <div class="header-toggles">
              <a class="lang-switch" href={withParam(ctx.url, 'lang', other)} lang={other} hrefLang={other}>
                <span class="visually-hidden">{t('site.lang.label')}: </span>
                {t('site.lang.switchTo')}
              </a>
              <a class="easy-switch" href={withParam(ctx.url, 'easy', ctx.easyRead ? '0' : '1')}>
                {ctx.easyRead ? t('site.easyRead.off') : t('site.easyRead.on')}
              </a>
            </div>
          </div>
          <nav class="container site-nav" aria-label={t('site.nav.label')}>
            <ul>
              <li>
                <a href="/">{t('site.nav.home')}</a>
              </li>
              <li>
                <a href="/procedures">{t('site.nav.procedures')}</a>
              </li>
              <li>
                <a href="/units">{t('site.nav.units')}</a>
              </li>
              <li>
                <a href="/guide">{t('site.nav.guide')}</a>
              </li>
              <li>
                <a href="/calendar">{t('site.nav.calendar')}</a>
              </li>
              <li>
                <a href="/calendar/due-date">{t('site.nav.dueDate')}</a>
              </li>
              <li>
                <a href="/lookup">{t('site.nav.lookup')}</a>
              </li>
              <li>
                <a href="/faq">{t('site.nav.faq')}</a>
              </li>
              <li>
                <a href="/statistics">{t('site.nav.statistics')}</a>
              </li>
              <li>
                <a href="/feedback">{t('site.nav.feedback')}</a>
              </li>
              <li>
                <a href="/conferences">{t('site.nav.conferences')}</a>
              </li>
              {actor ? (
                <>
                  {actor.kind !== 'official' && (
                    <>
                      <li>
                        <a href="/my/dossiers">{t('site.nav.myDossiers')}</a>
                      </li>
                      <li>
                        <a href="/inbox">{t('site.nav.inbox')}</a>
                      </li>
                    </>
                  )}
                  {actor.roles.some((g) => g.role === 'desk_officer') && (
                    <li>
                      <a href="/desk">{t('site.nav.desk')}</a>
                    </li>
                  )}
                  {actor.roles.some((g) => g.role === 'desk_officer' || g.role === 'specialist' || g.role === 'leader') && (
                    <li>
                      <a href="/work">{t('site.nav.work')}</a>
                    </li>
                  )}
                  {actor.roles.some((g) => ['desk_officer', 'specialist', 'leader', 'city_admin'].includes(g.role)) && (
                    <li>
                      <a href="/work/feedback">{t('site.nav.workFeedback')}</a>
                    </li>
                  )}
                  {actor.kind === 'official' && (
                    <>
                      <li>
                        <a href="/dashboard">{t('site.nav.dashboard')}</a>
                      </li>
                      {actor.roles.some((g) => g.role === 'leader') && (
                        <li>
                          <a href="/work/follow-ups">{t('site.nav.followUps')}</a>
                        </li>
                      )}
                      {actor.roles.some((g) => g.role === 'leader' || g.role === 'unit_admin' || g.role === 'city_admin') && (
                        <li>
                          <a href="/work/faq">{t('site.nav.faqWork')}</a>
                        </li>
                      )}
                      {actor.roles.some((g) => g.role === 'city_admin') && (
                        <li>
                          <a href="/admin/surveys">{t('site.nav.surveys')}</a>
                        </li>
                      )}
                      {actor.roles.some((g) => g.role === 'city_admin') && (
                        <li>
                          <a href="/admin/contest">{t('site.nav.contestAdmin')}</a>
                        </li>
                      )}
                      {actor.roles.some((g) => g.role === 'unit_admin' || g.role === 'city_admin') && (
                        <li>
                          <a href="/admin/schools">{t('site.nav.schools')}</a>
                        </li>
                      )}
                      {actor.roles.some((g) => g.role !== 'desk_officer') && (
                        <li>
                          <a href="/work/conferences">{t('site.nav.workConferences')}</a>
                        </li>
                      )}
                      <li>
                        <a href="/inbox">{t('site.nav.inbox')}</a>
                      </li>
                    </>
                  )}
                  <li>
                    <a href="/account">{t('site.nav.account')}</a>
                  </li>
                  <li>
                    <form method="post" action="/logout" class="inline-form">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <button type="submit" class="link-button">
                        {t('site.nav.logout')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/login">{t('site.nav.login')}</a>
                  </li>
                  <li>
                    <a href="/register">{t('site.nav.register')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        {locale === 'en' && <p class="container notice">{t('site.englishNotice')}</p>}
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">{t('site.footer')}</div>
        </footer>
      </body>
    </html>
  );
}
