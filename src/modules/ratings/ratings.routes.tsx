import { Type } from '@sinclair/typebox';
import { AppError } from '../../lib/errors.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { loginRateLimit } from '../auth/auth.routes.js';
import { policies } from '../auth/policy.js';
import { CRITERIA, RatingBody, RatingView, SatisfactionQuery, type RatingInput } from './ratings.schema.js';
import { FollowUpsPage, RatePage } from './ratings.views.js';
import { CHANGE_WINDOW_MS } from './ratings.service.js';

const tags = ['satisfaction'];
const LEADERS = policies.official('leader');

/** The form's fields as the API body; an unanswered criterion is left out. */
function formInput(body: unknown): RatingInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const overall = formText(b, 'overall', 20);
  const criteria: Record<string, number> = {};
  for (const c of CRITERIA) {
    const v = formText(b, `c.${c}`, 1);
    if (/^[012]$/.test(v)) criteria[c] = Number(v);
  }
  if (overall !== 'very_satisfied' && overall !== 'satisfied' && overall !== 'not_satisfied') throw new AppError('validation_failed');
  return { code: formText(b, 'code', 64), check: formText(b, 'check', 16), overall, criteria, comment: formText(b, 'comment', 2000) };
}

export async function ratingRoutes(app: App) {
  const { ratings } = app.services;
  // The second factor is four digits: the lookup's own limits apply (per address and per code).
  const guarded = () => ({ policy: policies.public, rateLimit: loginRateLimit(app) });

  app.post('/api/v1/ratings', {
    config: guarded(),
    schema: {
      tags,
      summary: 'Rate a returned dossier (code + second factor, no login); changeable for 7 days',
      body: RatingBody,
      response: { 200: RatingView },
    },
    handler: async (req) => ratings.rate(req.body),
  });

  app.get('/api/v1/reports/satisfaction', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Ratings given in a period, for a unit (with its subtree): shares and criteria averages',
      querystring: SatisfactionQuery,
    },
    handler: async (req) => ratings.figures(req.query),
  });

  app.get('/api/v1/reports/satisfaction/officers', {
    config: { policy: LEADERS },
    schema: { tags, summary: "Ratings per officer, for the unit's leaders only", querystring: SatisfactionQuery },
    handler: async (req) => ratings.officers(req.actor!, req.query),
  });

  app.get('/api/v1/follow-ups', {
    config: { policy: LEADERS },
    schema: { tags, summary: '"Not satisfied" ratings still to follow up in the units the caller leads' },
    handler: async (req) =>
      (await ratings.followUps(req.actor!)).map((r) => ({
        dossierId: r.dossier_id,
        code: r.code,
        comment: r.comment,
        ratedAt: r.rated_at.toISOString(),
      })),
  });

  app.post('/api/v1/follow-ups/:id/close', {
    config: { policy: LEADERS },
    schema: {
      tags,
      summary: 'Record what was done about a "not satisfied" rating and close the follow-up',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }),
      body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
    },
    handler: async (req, reply) => {
      await ratings.closeFollowUp(req.actor!, req.params.id, req.body.note);
      return reply.status(204).send();
    },
  });

  app.get('/rate', { config: guarded(), schema: { hide: true } }, async (req, reply) => {
    const code = formText(req.query, 'code', 64).trim();
    const check = formText(req.query, 'check', 16).replace(/\s/g, '');
    const { d, rating } = await ratings.dossier(code, check);
    const ctx = pageContext(req, reply);
    return renderHtml(
      reply,
      <RatePage
        ctx={ctx}
        data={{
          code: d.code!,
          check,
          title: { procedure: ctx.locale === 'en' ? d.name_en : d.name_vi, unit: ctx.locale === 'en' ? d.unit_en : d.unit_vi },
          rating,
          open: d.status === 10,
          locked: !!rating && Date.now() - new Date(rating.ratedAt).getTime() > CHANGE_WINDOW_MS,
          saved: formText(req.query, 'saved', 1) === '1',
          error: undefined,
        }}
      />,
    );
  });

  app.post('/rate', { config: guarded(), schema: { hide: true } }, async (req, reply) => {
    const input = formInput(req.body);
    try {
      await ratings.rate(input);
    } catch (e) {
      if (!(e instanceof AppError) || !['rating_locked', 'rating_not_open', 'validation_failed'].includes(e.code)) throw e;
      const { d, rating } = await ratings.dossier(input.code, input.check);
      const ctx = pageContext(req, reply);
      reply.status(e.code === 'validation_failed' ? 400 : 409);
      return renderHtml(
        reply,
        <RatePage
          ctx={ctx}
          data={{
            code: d.code!,
            check: input.check,
            title: { procedure: ctx.locale === 'en' ? d.name_en : d.name_vi, unit: ctx.locale === 'en' ? d.unit_en : d.unit_vi },
            rating,
            open: d.status === 10,
            locked: e.code === 'rating_locked',
            saved: false,
            error: `err.${e.code}` as MessageKey,
          }}
        />,
      );
    }
    return reply.redirect(
      `/rate?${new URLSearchParams({ code: input.code.trim().toUpperCase(), check: input.check, saved: '1' }).toString()}`,
      303,
    );
  });

  app.get('/work/follow-ups', { config: { policy: LEADERS }, schema: { hide: true } }, async (req, reply) => {
    const rows = await ratings.followUps(req.actor!);
    return renderHtml(reply, <FollowUpsPage ctx={pageContext(req, reply)} rows={rows} done={formText(req.query, 'done', 1) === '1'} />);
  });

  app.post('/work/follow-ups/:id/close', { config: { policy: LEADERS }, schema: { hide: true } }, async (req, reply) => {
    await ratings.closeFollowUp(req.actor!, idParam(req.params), formText(req.body, 'note', 2000));
    return reply.redirect('/work/follow-ups?done=1', 303);
  });
}
