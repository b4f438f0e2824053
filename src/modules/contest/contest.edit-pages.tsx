import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../lib/errors.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import type { RoundForm } from './contest.admin-views.js';
import { EditPage, type EditForm } from './contest.bank-views.js';
import { RenamePage, RoundEditPage } from './contest.edit-views.js';
import { asError, checkedInput, editFormOfBody, PAGE, roundFormOf, roundInput, shown, vnLocal } from './contest.page-helpers.js';

// Corrections on the city admin's contest pages: rename the contest or a pool, change or delete a
// draft round, add one question by hand. Same services as the API (contest.admin-edit.ts).

const BLANK_QUESTION: EditForm = {
  kind: 'single',
  difficulty: '1',
  textVi: '',
  textEn: '',
  options: Array.from({ length: 4 }, () => ({ vi: '', en: '', correct: false })),
  explanationVi: '',
  explanationEn: '',
  procedureCode: '',
};

export async function contestEditPageRoutes(app: App) {
  const { contestAdmin, contestBank, contestEditor } = app.services;
  const sub = (req: FastifyRequest, name: string) => idParam({ id: (req.params as Record<string, string>)[name] });
  const nameForm = (body: unknown) => ({ vi: formText(body, 'nameVi', 200), en: formText(body, 'nameEn', 200) });
  const failed = (reply: FastifyReply, e: unknown) => {
    const err = shown(e);
    reply.status(ERROR_STATUS[err.code]);
    return asError(err);
  };

  // ---- the contest's name
  const renameContestPage = (req: FastifyRequest, reply: FastifyReply, id: number, form: { vi: string; en: string }, error?: unknown) =>
    renderHtml(
      reply,
      <RenamePage
        ctx={pageContext(req, reply)}
        contestId={id}
        what="contest"
        action={`/admin/contest/${id}/edit`}
        form={form}
        error={error === undefined ? undefined : failed(reply, error)}
      />,
    );
  app.get('/admin/contest/:id/edit', PAGE, async (req, reply) => {
    const c = await contestAdmin.contest(idParam(req.params), { drafts: true });
    return renameContestPage(req, reply, c.id, c.title);
  });
  app.post('/admin/contest/:id/edit', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    const form = nameForm(req.body);
    try {
      if (!form.vi.trim() || !form.en.trim()) throw new AppError('validation_failed');
      await contestEditor.renameContest(req.actor!, id, form, auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=renamed`, 303);
    } catch (e) {
      return renameContestPage(req, reply, id, form, e);
    }
  });

  // ---- a pool's name
  const poolOf = async (req: FastifyRequest) => {
    const id = idParam(req.params);
    const poolId = sub(req, 'pool');
    const pool = (await contestBank.pools(id)).find((p) => p.id === poolId);
    if (!pool) throw new AppError('contest_pool_not_found');
    return { id, pool };
  };
  const renamePoolPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    poolId: number,
    form: { vi: string; en: string },
    error?: unknown,
  ) =>
    renderHtml(
      reply,
      <RenamePage
        ctx={pageContext(req, reply)}
        contestId={id}
        what="pool"
        action={`/admin/contest/${id}/pools/${poolId}/edit`}
        form={form}
        error={error === undefined ? undefined : failed(reply, error)}
      />,
    );
  app.get('/admin/contest/:id/pools/:pool/edit', PAGE, async (req, reply) => {
    const { id, pool } = await poolOf(req);
    return renamePoolPage(req, reply, id, pool.id, pool.name);
  });
  app.post('/admin/contest/:id/pools/:pool/edit', PAGE, async (req, reply) => {
    const { id, pool } = await poolOf(req);
    const form = nameForm(req.body);
    try {
      if (!form.vi.trim() || !form.en.trim()) throw new AppError('validation_failed');
      await contestEditor.renamePool(req.actor!, pool.id, form, auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=poolRenamed`, 303);
    } catch (e) {
      return renamePoolPage(req, reply, id, pool.id, form, e);
    }
  });

  // ---- a draft round
  const roundOf = async (req: FastifyRequest) => {
    const id = idParam(req.params);
    const roundId = sub(req, 'round');
    const round = (await contestAdmin.contest(id, { drafts: true })).rounds.find((r) => r.id === roundId);
    if (!round) throw new AppError('contest_round_not_found');
    return { id, round };
  };
  const roundPage = (req: FastifyRequest, reply: FastifyReply, id: number, roundId: number, form: RoundForm, error?: unknown) =>
    renderHtml(
      reply,
      <RoundEditPage
        ctx={pageContext(req, reply)}
        contestId={id}
        roundId={roundId}
        form={form}
        error={error === undefined ? undefined : failed(reply, error)}
      />,
    );
  app.get('/admin/contest/:id/rounds/:round/edit', PAGE, async (req, reply) => {
    const { id, round } = await roundOf(req);
    // A published round has nothing to change here: its page says so rather than show a form.
    if (round.phase !== 'draft') return reply.redirect(`/admin/contest/${id}`, 303);
    return roundPage(req, reply, id, round.id, {
      opensAt: vnLocal(new Date(round.opensAt)),
      closesAt: vnLocal(new Date(round.closesAt)),
      questionCount: String(round.questionCount),
      minutes: String(Math.round(round.timeLimitSeconds / 60)),
    });
  });
  app.post('/admin/contest/:id/rounds/:round/edit', PAGE, async (req, reply) => {
    const { id, round } = await roundOf(req);
    const form = roundFormOf(req.body);
    try {
      await contestEditor.updateRound(req.actor!, round.id, roundInput(form), auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=roundUpdated`, 303);
    } catch (e) {
      return roundPage(req, reply, id, round.id, form, e);
    }
  });
  app.post('/admin/contest/:id/rounds/:round/delete', PAGE, async (req, reply) => {
    const { id, round } = await roundOf(req);
    try {
      await contestEditor.deleteRound(req.actor!, round.id, auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=roundDeleted`, 303);
    } catch (e) {
      const error = failed(reply, e);
      return renderHtml(
        reply,
        <RoundEditPage
          ctx={pageContext(req, reply)}
          contestId={id}
          roundId={round.id}
          form={{
            opensAt: vnLocal(new Date(round.opensAt)),
            closesAt: vnLocal(new Date(round.closesAt)),
            questionCount: String(round.questionCount),
            minutes: String(Math.round(round.timeLimitSeconds / 60)),
          }}
          error={error}
        />,
      );
    }
  });

  // ---- one question by hand
  const newQuestionPage = async (req: FastifyRequest, reply: FastifyReply, id: number, poolId: string, form: EditForm, error?: unknown) => {
    const pools = await contestBank.pools(id);
    if (pools.length === 0) throw new AppError('contest_pool_not_found');
    return renderHtml(
      reply,
      <EditPage
        ctx={pageContext(req, reply)}
        contestId={id}
        id={null}
        pools={pools}
        poolId={poolId}
        form={form}
        error={error === undefined ? undefined : failed(reply, error)}
      />,
    );
  };
  app.get('/admin/contest/:id/questions/new', PAGE, async (req, reply) =>
    newQuestionPage(req, reply, idParam(req.params), formText(req.query, 'pool', 12), BLANK_QUESTION),
  );
  app.post('/admin/contest/:id/questions/new', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    const poolId = formText(req.body, 'pool', 12);
    const form = editFormOfBody(req.body);
    try {
      const pool = (await contestBank.pools(id)).find((p) => String(p.id) === poolId);
      if (!pool) throw new AppError('contest_pool_not_found');
      await contestAdmin.createQuestion(req.actor!, pool.id, checkedInput(form, req.locale), auditContext(req));
      return reply.redirect(`/admin/contest/${id}/questions?pool=${pool.id}&done=created`, 303);
    } catch (e) {
      return newQuestionPage(req, reply, id, poolId, form, e);
    }
  });
}
