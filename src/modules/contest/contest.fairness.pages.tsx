import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../lib/errors.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { FlagsPage, type Done, type FlagsFilter } from './contest.fairness.views.js';

const ADMIN = { policy: policies.official('city_admin') };
const FILTERS = new Set<FlagsFilter>(['open', 'cleared', 'all']);
const DONE = new Set<Done>(['scan', 'clear', 'disqualify', 'reinstate']);
/** Refusals the page shows in place, above the flags; anything else is an error page. */
const SHOWN = new Set([
  'reason_required',
  'validation_failed',
  'contest_flag_not_found',
  'contest_flag_reviewed',
  'contest_entry_not_found',
  'contest_entry_disqualified',
  'contest_entry_not_disqualified',
]);

/** The review page of a round's flags (server-rendered, plain forms: works without JavaScript). */
export async function contestFairnessPageRoutes(app: App) {
  const { contestFairness, contestEntries } = app.services;

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    roundId: number,
    filter: FlagsFilter,
    extra: { done?: Done; error?: AppError },
  ) => {
    const [list, ranking] = await Promise.all([
      contestFairness.list(req.actor!, roundId, filter),
      contestEntries.ranking.published(roundId),
    ]);
    const error = extra.error ? { message: `err.${extra.error.code}` as MessageKey, params: extra.error.params } : undefined;
    if (extra.error) reply.status(ERROR_STATUS[extra.error.code]);
    return renderHtml(
      reply,
      <FlagsPage
        ctx={pageContext(req, reply)}
        d={{ roundId, filter, list, ranking: ranking && { version: ranking.version, hash: ranking.hash }, done: extra.done, error }}
      />,
    );
  };

  app.get('/admin/contest/rounds/:id/flags', { config: ADMIN, schema: { hide: true } }, async (req, reply) => {
    const status = formText(req.query, 'status', 10) as FlagsFilter;
    const done = formText(req.query, 'done', 12) as Done;
    return page(req, reply, idParam(req.params), FILTERS.has(status) ? status : 'open', DONE.has(done) ? { done } : {});
  });

  /** Runs a form's action, then back to the round's page; a refusal it can explain is shown there. */
  const act =
    (done: Done, run: (req: FastifyRequest, roundId: number) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
      const roundId = done === 'scan' ? idParam(req.params) : idParam({ id: formText(req.body, 'roundId', 15) });
      try {
        await run(req, roundId);
      } catch (e) {
        if (!(e instanceof AppError) || !SHOWN.has(e.code)) throw e;
        return page(req, reply, roundId, 'all', { error: e });
      }
      return reply.redirect(`/admin/contest/rounds/${roundId}/flags?status=all&done=${done}`, 303);
    };

  app.post(
    '/admin/contest/rounds/:id/flags/scan',
    { config: ADMIN, schema: { hide: true } },
    act('scan', (req, roundId) => contestFairness.scan(req.actor!, roundId, auditContext(req))),
  );
  app.post(
    '/admin/contest/flags/:id/clear',
    { config: ADMIN, schema: { hide: true } },
    act('clear', (req) => contestFairness.clear(req.actor!, idParam(req.params), formText(req.body, 'note', 1000), auditContext(req))),
  );
  app.post(
    '/admin/contest/entries/:id/disqualify',
    { config: ADMIN, schema: { hide: true } },
    act('disqualify', (req) =>
      contestFairness.disqualify(req.actor!, idParam(req.params), formText(req.body, 'reason', 1001), auditContext(req)),
    ),
  );
  app.post(
    '/admin/contest/entries/disqualify',
    { config: ADMIN, schema: { hide: true } },
    act('disqualify', async (req) => {
      const raw = formText(req.body, 'entryId', 16).trim().replace(/^#/, '');
      if (!/^[1-9]\d{0,14}$/.test(raw)) throw new AppError('contest_entry_not_found');
      return contestFairness.disqualify(req.actor!, Number(raw), formText(req.body, 'reason', 1001), auditContext(req));
    }),
  );
  app.post(
    '/admin/contest/entries/:id/reinstate',
    { config: ADMIN, schema: { hide: true } },
    act('reinstate', (req) =>
      contestFairness.reinstate(req.actor!, idParam(req.params), formText(req.body, 'reason', 1001), auditContext(req)),
    ),
  );
}
