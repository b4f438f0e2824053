import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS } from '../../lib/errors.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { ContestPage, ContestsPage, type Notice, type RoundForm } from './contest.admin-views.js';
import type { QuestionStatus } from './contest.bank-schema.js';
import { BankPage, EditPage, editFormOf, PreviewPage } from './contest.bank-views.js';
import { contestImportPageRoutes } from './contest.import-pages.js';
import { contestEditPageRoutes } from './contest.edit-pages.js';
import { asError, checkedInput, editFormOfBody, int, PAGE, roundFormOf, roundInput, shown, vnLocal } from './contest.page-helpers.js';

// The city admin's contest pages: plain forms that work without JavaScript, over the same
// services as the API (docs/contest.md, "Administration pages").

const ROUND_NOTICES: Record<string, MessageKey> = {
  created: 'contestBank.created',
  round: 'contestBank.round.created',
  published: 'contestBank.round.published',
  pool: 'contestBank.pool.created',
  renamed: 'contestEdit.contest.done',
  poolRenamed: 'contestEdit.pool.done',
  roundUpdated: 'contestEdit.round.done',
  roundDeleted: 'contestEdit.round.deleted',
};
const BANK_NOTICES: Record<string, MessageKey> = {
  approved: 'contestBank.done.approved',
  retired: 'contestBank.done.retired',
  deleted: 'contestBank.done.deleted',
  updated: 'contestBank.done.updated',
  generated: 'contestBank.done.generated',
  created: 'contestEdit.question.done',
};

export async function contestAdminPageRoutes(app: App) {
  const { contestAdmin, contestBank } = app.services;

  const contestsPage = async (req: FastifyRequest, reply: FastifyReply, form = { titleVi: '', titleEn: '' }, error?: AppError) =>
    renderHtml(
      reply,
      <ContestsPage ctx={pageContext(req, reply)} contests={await contestBank.contests()} form={form} error={asError(error)} />,
    );

  app.get('/admin/contest', PAGE, async (req, reply) => contestsPage(req, reply));

  app.post('/admin/contest', PAGE, async (req, reply) => {
    const form = { titleVi: formText(req.body, 'titleVi', 200), titleEn: formText(req.body, 'titleEn', 200) };
    try {
      if (!form.titleVi.trim() || !form.titleEn.trim()) throw new AppError('validation_failed');
      const c = await contestAdmin.createContest(req.actor!, { title: { vi: form.titleVi, en: form.titleEn } }, auditContext(req));
      return reply.redirect(`/admin/contest/${c.id}?done=created`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return contestsPage(req, reply, form, err);
    }
  });

  const defaultRound = (): RoundForm => {
    const now = new Date();
    return { opensAt: vnLocal(now), closesAt: vnLocal(new Date(now.getTime() + 10 * 86_400_000)), questionCount: '10', minutes: '10' };
  };
  const contestPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    notice: Notice,
    error?: AppError,
    round = defaultRound(),
  ) => {
    const [contest, pools, fields] = await Promise.all([
      contestAdmin.contest(id, { drafts: true }),
      contestBank.pools(id),
      contestBank.fields(),
    ]);
    return renderHtml(
      reply,
      <ContestPage
        ctx={pageContext(req, reply)}
        contest={contest}
        pools={pools}
        fields={fields}
        round={round}
        notice={notice}
        error={asError(error)}
      />,
    );
  };

  app.get('/admin/contest/:id', PAGE, async (req, reply) => {
    const done = ROUND_NOTICES[formText(req.query, 'done', 20)];
    return contestPage(req, reply, idParam(req.params), done ? { message: done } : null);
  });

  app.post('/admin/contest/:id/rounds', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    const round = roundFormOf(req.body);
    try {
      await contestAdmin.createRound(req.actor!, id, roundInput(round), auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=round`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return contestPage(req, reply, id, null, err, round);
    }
  });

  app.post('/admin/contest/:id/rounds/:round/publish', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    const roundId = idParam({ id: (req.params as Record<string, string>).round });
    try {
      const r = await contestAdmin.contest(id, { drafts: true });
      if (!r.rounds.some((x) => x.id === roundId)) throw new AppError('contest_round_not_found');
      await contestAdmin.publish(req.actor!, roundId, auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=published`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return contestPage(req, reply, id, null, err);
    }
  });

  app.post('/admin/contest/:id/pools', PAGE, async (req, reply) => {
    const id = idParam(req.params);
    try {
      const fieldCode = formText(req.body, 'fieldCode', 60);
      const field = (await contestBank.fields()).find((f) => f.code === fieldCode);
      if (!field) throw new AppError('unknown_field', { field: fieldCode });
      const name = {
        vi: formText(req.body, 'nameVi', 200).trim() || field.name.vi,
        en: formText(req.body, 'nameEn', 200).trim() || field.name.en,
      };
      await contestAdmin.createPool(req.actor!, id, { fieldCode, name }, auditContext(req));
      return reply.redirect(`/admin/contest/${id}?done=pool`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return contestPage(req, reply, id, null, err);
    }
  });

  // The question bank.
  const bankPage = async (req: FastifyRequest, reply: FastifyReply, id: number, notice: Notice, error?: AppError) => {
    const poolRaw = formText(req.query, 'pool', 12);
    const statusRaw = formText(req.query, 'status', 10);
    const poolId = /^[1-9]\d{0,9}$/.test(poolRaw) ? Number(poolRaw) : undefined;
    const status = ['draft', 'active', 'retired'].includes(statusRaw) ? (statusRaw as QuestionStatus) : undefined;
    const [contest, pools, questions] = await Promise.all([
      contestAdmin.contest(id, { drafts: true }),
      contestBank.pools(id),
      contestBank.questions(id, { ...(poolId ? { poolId } : {}), ...(status ? { status } : {}) }),
    ]);
    return renderHtml(
      reply,
      <BankPage
        ctx={pageContext(req, reply)}
        contest={contest}
        pools={pools}
        questions={questions}
        filter={{ pool: poolId ? String(poolId) : '', status: status ?? '' }}
        notice={notice}
        error={asError(error)}
      />,
    );
  };

  app.get('/admin/contest/:id/questions', PAGE, async (req, reply) => {
    const done = BANK_NOTICES[formText(req.query, 'done', 20)];
    const n = int(formText(req.query, 'n', 6));
    return bankPage(req, reply, idParam(req.params), done ? { message: done, params: { n: Number.isNaN(n) ? 0 : n } } : null);
  });

  /** The question, checked to belong to the contest in the path. */
  const questionOf = async (req: FastifyRequest) => {
    const id = idParam(req.params);
    const qid = idParam({ id: (req.params as Record<string, string>).q });
    const q = await contestBank.question(qid);
    if (q.contestId !== id) throw new AppError('contest_question_not_found');
    return { id, q };
  };

  app.get('/admin/contest/:id/questions/:q', PAGE, async (req, reply) => {
    const { id, q } = await questionOf(req);
    return renderHtml(
      reply,
      <PreviewPage ctx={pageContext(req, reply)} contestId={id} q={q} asParticipant={await contestBank.preview(q.id)} />,
    );
  });

  app.get('/admin/contest/:id/questions/:q/edit', PAGE, async (req, reply) => {
    const { id, q } = await questionOf(req);
    return renderHtml(reply, <EditPage ctx={pageContext(req, reply)} contestId={id} id={q.id} form={editFormOf(q)} error={undefined} />);
  });

  app.post('/admin/contest/:id/questions/:q/edit', PAGE, async (req, reply) => {
    const { id, q } = await questionOf(req);
    const form = editFormOfBody(req.body);
    try {
      const input = checkedInput(form, req.locale);
      await contestBank.update(req.actor!, q.id, input, auditContext(req));
      return reply.redirect(`/admin/contest/${id}/questions?pool=${q.poolId}&done=updated`, 303);
    } catch (e) {
      const err = shown(e);
      reply.status(ERROR_STATUS[err.code]);
      return renderHtml(reply, <EditPage ctx={pageContext(req, reply)} contestId={id} id={q.id} form={form} error={asError(err)} />);
    }
  });

  for (const action of ['approve', 'retire'] as const) {
    app.post(`/admin/contest/:id/questions/:q/${action}`, PAGE, async (req, reply) => {
      const { id, q } = await questionOf(req);
      const pool = formText(req.body, 'pool', 12);
      const status = formText(req.body, 'status', 10);
      const keep = `pool=${/^\d+$/.test(pool) ? pool : ''}&status=${['draft', 'active', 'retired'].includes(status) ? status : ''}`;
      try {
        const done =
          action === 'approve'
            ? (await contestBank.approve(req.actor!, q.id, auditContext(req)), 'approved')
            : (await contestBank.retire(req.actor!, q.id, auditContext(req))).outcome;
        return reply.redirect(`/admin/contest/${id}/questions?${keep}&done=${done}`, 303);
      } catch (e) {
        const err = shown(e);
        reply.status(ERROR_STATUS[err.code]);
        return bankPage(req, reply, id, null, err);
      }
    });
  }

  await contestImportPageRoutes(app);
  await contestEditPageRoutes(app);
}
