import type { FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../../web/page-params.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { pii } from '../../lib/pii.js';
import { maskCitizenId } from '../../domain/identity.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, ErrorSummary, FormError, Radios, SubmitButton, TextField, type FieldErrors } from '../../web/components/form.js';
import { formatDate, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import * as repo from './auth.repo.js';
import { loginRateLimit } from './auth.routes.js';
import { policies } from './policy.js';

export const SESSION_COOKIE = 'sid';
/** @fastify/csrf-protection's cookie holding the secret the form tokens are made from. */
export const CSRF_COOKIE = '_csrf';

const field = (body: unknown, name: string) => formText(body, name, 1000);

/** Only same-site paths: an open redirect after login would help phishing. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/account';
}

const fieldErrors = (e: AppError): FieldErrors =>
  Object.fromEntries(Object.entries(e.fields).map(([k, code]) => [k, `err.${code}` as MessageKey]));

function LoginPage({ ctx, identifier, next, error }: { ctx: PageContext; identifier: string; next: string; error?: AppError }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')} hasError={!!error}>
      <h1>{t('login.title')}</h1>
      <FormError t={t} message={error ? (`err.${error.code}` as MessageKey) : undefined} params={error?.params} />
      <form method="post" action="/login" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={next} />
        <TextField
          t={t}
          name="identifier"
          label={t('login.identifier')}
          hint={t('login.identifier.hint')}
          value={identifier}
          autocomplete="username"
          required
        />
        <TextField t={t} name="password" type="password" label={t('login.password')} autocomplete="current-password" required />
        <SubmitButton>{t('login.submit')}</SubmitButton>
      </form>
      <p>
        {t('login.noAccount')} <a href="/register">{t('site.nav.register')}</a>
      </p>
    </Layout>
  );
}

const REGISTER_FIELDS = ['fullName', 'phone', 'email', 'citizenId', 'taxCode', 'password'] as const;

function RegisterPage({ ctx, values, errors }: { ctx: PageContext; values: Record<string, string>; errors: FieldErrors }) {
  const { t } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('register.title')} hasError={hasErrors}>
      <h1>{t('register.title')}</h1>
      <ErrorSummary t={t} errors={errors} order={[...REGISTER_FIELDS]} />
      <form method="post" action="/register" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Radios
          t={t}
          name="kind"
          legend={t('register.kind')}
          value={values.kind || 'citizen'}
          options={[
            { value: 'citizen', label: t('register.kind.citizen') },
            { value: 'business', label: t('register.kind.business') },
          ]}
        />
        <TextField
          t={t}
          name="fullName"
          label={t('register.fullName')}
          value={values.fullName}
          autocomplete="name"
          required
          error={errors.fullName}
          maxLength={120}
        />
        <TextField
          t={t}
          name="phone"
          type="tel"
          label={t('register.phone')}
          hint={t('register.phone.hint')}
          value={values.phone}
          autocomplete="tel"
          inputMode="tel"
          error={errors.phone}
        />
        <TextField
          t={t}
          name="email"
          type="email"
          label={t('register.email')}
          value={values.email}
          autocomplete="email"
          error={errors.email}
        />
        <TextField
          t={t}
          name="citizenId"
          label={t('register.citizenId')}
          hint={t('register.citizenId.hint')}
          value={values.citizenId}
          inputMode="numeric"
          error={errors.citizenId}
          maxLength={12}
        />
        <TextField
          t={t}
          name="taxCode"
          label={t('register.taxCode')}
          hint={t('register.taxCode.hint')}
          value={values.taxCode}
          error={errors.taxCode}
        />
        <TextField
          t={t}
          name="password"
          type="password"
          label={t('register.password')}
          hint={t('register.password.hint')}
          autocomplete="new-password"
          required
          error={errors.password}
        />
        <SubmitButton>{t('register.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

export async function authPageRoutes(app: App) {
  const auth = app.services.auth;
  const db = app.services.database.db;

  /**
   * A login always gets a new session id. A session this browser already had (its own, another
   * account's on a shared computer, or one planted by an attacker) is ended on the server, and the
   * CSRF secret is dropped so the next page makes a new one: nothing known before login still works.
   */
  const startSession = async (req: FastifyRequest, reply: FastifyReply, accountId: number, next: string) => {
    if (req.actor?.sessionId) await auth.logout(req.actor.sessionId, auditContext(req));
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    const token = await auth.createSession(accountId, {
      ...auditContext(req),
      actorId: accountId,
      userAgent: req.headers['user-agent'] ?? null,
    });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: app.config.sessionTtlHours * 3600,
    });
    return reply.redirect(safeNext(next), 303);
  };

  app.get('/login', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const next = (req.query as Record<string, string | undefined>).next ?? '';
    return renderHtml(reply, <LoginPage ctx={pageContext(req, reply)} identifier="" next={safeNext(next)} />);
  });

  app.post(
    '/login',
    { config: { policy: policies.public, rateLimit: loginRateLimit(app) }, schema: { hide: true } },
    async (req, reply) => {
      const identifier = field(req.body, 'identifier').slice(0, 254);
      const next = field(req.body, 'next');
      try {
        const accountId = await auth.authenticate(identifier, field(req.body, 'password'), auditContext(req));
        return await startSession(req, reply, accountId, next);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const status = e.code === 'account_locked' ? 423 : 401;
        return renderHtml(
          reply.status(status),
          <LoginPage ctx={pageContext(req, reply)} identifier={identifier} next={safeNext(next)} error={e} />,
        );
      }
    },
  );

  app.get('/register', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) =>
    renderHtml(reply, <RegisterPage ctx={pageContext(req, reply)} values={{}} errors={{}} />),
  );

  app.post(
    '/register',
    { config: { policy: policies.public, rateLimit: loginRateLimit(app) }, schema: { hide: true } },
    async (req, reply) => {
      const values: Record<string, string> = {};
      for (const name of ['kind', ...REGISTER_FIELDS]) values[name] = field(req.body, name).slice(0, 254);
      const kind = values.kind === 'business' ? 'business' : 'citizen';
      try {
        const id = await auth.register(
          { ...values, kind, fullName: values.fullName ?? '', password: values.password ?? '', locale: req.locale },
          auditContext(req),
        );
        return await startSession(req, reply, id, '/account');
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const errors = Object.keys(e.fields).length ? fieldErrors(e) : { phone: `err.${e.code}` as MessageKey };
        const status = e.code === 'identifier_taken' || e.code === 'citizen_id_taken' ? 409 : 400;
        return renderHtml(
          reply.status(status),
          <RegisterPage ctx={pageContext(req, reply)} values={{ ...values, password: '' }} errors={errors} />,
        );
      }
    },
  );

  app.post('/logout', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    if (req.actor?.sessionId) await auth.logout(req.actor.sessionId, auditContext(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/account', { config: { policy: policies.authenticated }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const actor = req.actor!;
    const [account, identifiers, sessions, tokens] = await Promise.all([
      repo.findAccount(db, actor.accountId),
      repo.listIdentifiers(db, actor.accountId),
      auth.listSessions(actor.accountId),
      auth.listApiTokens(actor.accountId),
    ]);
    const activeTokens = tokens.filter((tk) => !tk.revoked_at && tk.expires_at > new Date());
    return renderHtml(
      reply,
      <Layout ctx={ctx} title={t('account.title')}>
        <h1>{t('account.title')}</h1>
        <p class="lead">{t('account.welcome', { name: actor.fullName })}</p>
        <table>
          <tbody>
            <tr>
              <th scope="row">{t('account.name')}</th>
              <td>{actor.fullName}</td>
            </tr>
            <tr>
              <th scope="row">{t('account.identifiers')}</th>
              <td>{identifiers.map((i) => i.identifier).join(', ')}</td>
            </tr>
            {account?.citizen_id && (
              <tr>
                <th scope="row">{t('register.citizenId')}</th>
                <td>{maskCitizenId(pii().decrypt(account.citizen_id))}</td>
              </tr>
            )}
            <tr>
              <th scope="row">{t('account.roles')}</th>
              <td>
                {actor.roles.length === 0
                  ? t('account.noRoles')
                  : actor.roles.map((g) => `${t(`role.${g.role}`)} (${g.unitCode})`).join('; ')}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>{t('account.sessions')}</h2>
        <ul>
          {sessions.map((s) => (
            <li key={s.id}>
              {t('account.sessions.since', { date: formatDateTime(s.created_at, locale) })} – {s.user_agent?.slice(0, 80) ?? '?'}{' '}
              {s.ip ?? ''} {s.id === actor.sessionId && t('account.sessions.current')}
            </li>
          ))}
        </ul>
        <form method="post" action="/account/logout-all">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="button button-secondary">
            {t('account.logoutAll')}
          </button>
        </form>
        <h2>{t('account.tokens')}</h2>
        {activeTokens.length === 0 ? (
          <p>{t('account.tokens.none')}</p>
        ) : (
          <ul>
            {activeTokens.map((tk) => (
              <li key={tk.id}>
                {tk.name} – {t('account.tokens.expires', { date: formatDate(tk.expires_at, locale) })}{' '}
                <form method="post" action={`/account/tokens/${tk.id}/revoke`} class="inline-form">
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" class="link-button">
                    {t('account.tokens.revoke')} <span class="visually-hidden">{tk.name}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {actor.kind !== 'official' && (
          <section aria-labelledby="privacy-h">
            <h2 id="privacy-h">{t('privacy.title')}</h2>
            <p>
              <a href="/account/data" download>
                {t('privacy.download')}
              </a>
            </p>
            <h3>{t('privacy.erase.title')}</h3>
            <p>{t('privacy.erase.lead')}</p>
            {(req.query as Record<string, unknown>).erase === 'wrong' && (
              <p class="error-message" role="alert">
                {t('err.invalid_credentials')}
              </p>
            )}
            <form method="post" action="/account/erase">
              <CsrfField token={ctx.csrfToken} />
              <label for="erase-password">{t('privacy.erase.password')}</label>
              <input id="erase-password" name="password" type="password" autocomplete="current-password" required />
              <button type="submit" class="button button-secondary">
                {t('privacy.erase.submit')}
              </button>
            </form>
          </section>
        )}
      </Layout>,
    );
  });

  app.post('/account/logout-all', { config: { policy: policies.authenticated }, schema: { hide: true } }, async (req, reply) => {
    await auth.logoutEverywhere(req.actor!.accountId, auditContext(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.post('/account/tokens/:id/revoke', { config: { policy: policies.authenticated }, schema: { hide: true } }, async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw new AppError('token_not_found' satisfies ErrorCode);
    await auth.revokeApiToken(req.actor!.accountId, id, auditContext(req));
    return reply.redirect('/account', 303);
  });
}
