import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLate } from '../../domain/contest/timing.js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import type { FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { sendPdf } from '../dossiers/dossier.documents.js';
import type { ContestAction } from '../../config.js';
import { clientInfo, contestRateLimit } from './contest.ratelimit.js';
import { RoundPage, type RoundPageData } from './contest.entry-views.js';
import { ContestHomePage, RegisterPage, type RegisterForm } from './contest.play-views.js';
import { CertificatePage, EntryResultPage, LeaderboardPage, PublicResultsPage } from './contest.results-views.js';

const PUBLIC = { policy: policies.public };
const hide = { hide: true };

/**
 * The participant has no account: the token from registration lives in an HttpOnly cookie, one per
 * contest, sent only to /contest pages, so the whole flow works with plain form posts.
 */
export const participantCookie = (contestId: number) => `contest_${contestId}`;
const COOKIE_DAYS = 180;
export const tokenOf = (req: FastifyRequest, contestId: number): string | undefined => req.cookies[participantCookie(contestId)];

export function setParticipantCookie(req: FastifyRequest, reply: FastifyReply, contestId: number, token: string) {
  reply.setCookie(participantCookie(contestId), token, {
    path: '/contest',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: COOKIE_DAYS * 86400,
  });
}

/** Where a registration (or a recovery) leads: the round the person came from, else the contest list. */
export async function afterRegistration(app: App, contestId: number, roundText: string): Promise<string> {
  const round = /^\d{1,9}$/.test(roundText) ? Number(roundText) : null;
  const contest = await app.services.contestAdmin.contest(contestId, { drafts: false });
  return round && contest.rounds.some((r) => r.id === round) ? `/contest/rounds/${round}` : '/contest';
}

/** Registration refusals shown on the form, by field. */
const REGISTER_FIELDS: Partial<Record<ErrorCode, string>> = {
  invalid_name: 'name',
  invalid_phone: 'phone',
  invalid_citizen_id: 'citizenId',
  contest_unit_invalid: 'unitCode',
  contest_school_invalid: 'schoolCode',
};
/** Refusals of an answer or a submission, shown on the round page itself. */
const ENTRY_CODES = new Set<ErrorCode>([
  'contest_time_up',
  'contest_round_not_open',
  'contest_already_submitted',
  'contest_option_not_offered',
  'contest_one_option_only',
  'contest_prediction_invalid',
]);

function list(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 8);
}
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** A prediction as typed by a person: digits, spaces and thousands separators ("1.200", "1 200"). */
export function parsePrediction(raw: string): number {
  const s = raw.replace(/[\s.,]/g, '');
  if (!/^\d{1,9}$/.test(s) || Number(s) > 100_000_000) throw new AppError('contest_prediction_invalid');
  return Number(s);
}

export async function contestPageRoutes(app: App) {
  const { contestEntries, contestLeaderboard, contestPlay, contestCertificates } = app.services;
  /** The same per-IP and per-participant windows as the API (the token comes from the cookie here). */
  const limit = (req: FastifyRequest, reply: FastifyReply, action: ContestAction, token: string | undefined) =>
    contestRateLimit(app, action, undefined, () => token)(req, reply);

  app.get('/contest', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const contests = await contestPlay.current();
    const rows = await Promise.all(
      contests.map(async (c) => ({ c, registeredAs: (await contestPlay.participantOrNull(tokenOf(req, c.id)))?.name ?? null })),
    );
    return renderHtml(reply, <ContestHomePage ctx={pageContext(req, reply)} contests={rows} />);
  });

  const registerPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    contestId: number,
    form: RegisterForm,
    errors: FieldErrors,
    error?: MessageKey,
  ) => {
    const [contest, units, schools] = await Promise.all([
      app.services.contestAdmin.contest(contestId, { drafts: false }),
      contestPlay.unitGroups(),
      contestPlay.schoolGroups(),
    ]);
    if (contest.rounds.length === 0) throw new AppError('contest_not_found');
    return renderHtml(
      reply,
      <RegisterPage
        ctx={pageContext(req, reply)}
        contest={contest}
        units={units}
        schools={schools}
        form={form}
        errors={errors}
        error={error}
        recovery={app.services.contestRecovery.available}
      />,
    );
  };

  app.get('/contest/:id/register', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    if (await contestPlay.participantOrNull(tokenOf(req, id))) return reply.redirect('/contest', 303);
    const round = formText(req.query, 'round', 12);
    return registerPage(
      req,
      reply,
      id,
      { name: '', phone: '', citizenId: '', unitCode: '', schoolCode: '', round: /^\d+$/.test(round) ? round : '' },
      {},
    );
  });

  app.post('/contest/:id/register', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const id = idParam(req.params);
    const form: RegisterForm = {
      name: formText(req.body, 'name', 120),
      phone: formText(req.body, 'phone', 20),
      citizenId: formText(req.body, 'citizenId', 20),
      unitCode: formText(req.body, 'unitCode', 40),
      schoolCode: formText(req.body, 'schoolCode', 40),
      round: formText(req.body, 'round', 12),
    };
    await contestRateLimit(app, 'register')(req, reply);
    let token: string;
    try {
      ({ token } = await contestEntries.register(
        id,
        {
          name: form.name,
          phone: form.phone,
          // Without JavaScript both selects are sent: a chosen school wins and the unit is not used (the form says so).
          ...(form.schoolCode ? { schoolCode: form.schoolCode } : { unitCode: form.unitCode }),
          ...(form.citizenId.trim() ? { citizenId: form.citizenId } : {}),
        },
        clientInfo(req, reply),
      ));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const field = REGISTER_FIELDS[e.code];
      if (!field && e.code !== 'contest_phone_taken') throw e;
      reply.status(ERROR_STATUS[e.code]);
      const msg = `err.${e.code}` as MessageKey;
      return field ? registerPage(req, reply, id, form, { [field]: msg }) : registerPage(req, reply, id, form, {}, msg);
    }
    setParticipantCookie(req, reply, id, token);
    return reply.redirect(await afterRegistration(app, id, form.round), 303);
  });

  const roundPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    roundId: number,
    extra: { notice?: RoundPageData['notice']; error?: MessageKey; prediction?: string } = {},
  ) => {
    const now = new Date();
    const { contest, round, number } = await contestPlay.round(roundId, now);
    const participant = await contestPlay.participantOrNull(tokenOf(req, contest.id));
    const entryId = participant ? await contestPlay.entryIdOf(participant.id, roundId) : null;
    const entry = entryId ? await contestEntries.view(entryId) : null;
    const late = !!entry && !entry.submittedAt && isLate(now, new Date(entry.startedAt), round.timeLimitSeconds);
    const d: RoundPageData = {
      contest,
      round,
      number,
      participant,
      entry,
      late,
      notice: extra.notice ?? null,
      error: extra.error,
      prediction: extra.prediction ?? '',
      serverNow: now,
    };
    return renderHtml(reply, <RoundPage ctx={pageContext(req, reply)} d={d} />);
  };
  const NOTICES = { saved: 'saved', submitted: 'submitted' } as const;

  app.get('/contest/rounds/:id', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const done = formText(req.query, 'done', 12);
    return roundPage(req, reply, idParam(req.params), { notice: done === 'saved' || done === 'submitted' ? NOTICES[done] : null });
  });

  app.post('/contest/rounds/:id/start', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const roundId = idParam(req.params);
    const { contest } = await contestPlay.round(roundId);
    // A second start (another tab, the back button) gets the entry already there, never a second one.
    const token = tokenOf(req, contest.id);
    await limit(req, reply, 'start', token);
    await contestEntries.start(token, roundId, new Date(), clientInfo(req, reply));
    return reply.redirect(`/contest/rounds/${roundId}`, 303);
  });

  /** The entry's owner (from the contest's cookie), or contest_token_invalid / contest_entry_not_found. */
  const ownEntry = async (req: FastifyRequest, entryId: number) => {
    const { roundId, contestId } = await contestPlay.entryRound(entryId);
    const token = tokenOf(req, contestId);
    const p = await contestEntries.participant(token);
    await contestEntries.entryRow(contestEntries.db, entryId, p.id);
    return { roundId, token, view: await contestEntries.view(entryId) };
  };

  /** The answers that changed since the page was drawn (a cleared checkbox group clears the answer). */
  const changedAnswers = (view: Awaited<ReturnType<typeof ownEntry>>['view'], body: unknown) =>
    view.questions
      .map((q) => ({ questionId: q.id, chosen: list(body, `q${q.id}`) }))
      .filter((a, i) => !sameSet(a.chosen, view.questions[i]!.chosen));

  app.post('/contest/entries/:id', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const entryId = idParam(req.params);
    const { roundId, token, view } = await ownEntry(req, entryId);
    const submit = formText(req.body, 'action', 10) === 'submit';
    const typed = formText(req.body, 'prediction', 20);
    await limit(req, reply, submit ? 'submit' : 'answer', token);
    try {
      // One statement for the whole sheet, and with the submission one request.
      const changed = changedAnswers(view, req.body);
      // A bad prediction still saves the sheet, so the page shown again keeps every choice.
      let prediction: number | null = null;
      let invalid: unknown = null;
      if (submit) {
        try {
          prediction = parsePrediction(typed);
        } catch (e) {
          invalid = e;
        }
      }
      if (prediction !== null) await contestEntries.submit(token, entryId, prediction, new Date(), changed);
      else if (changed.length) await contestEntries.answerMany(token, entryId, changed);
      if (invalid) throw invalid;
    } catch (e) {
      if (!(e instanceof AppError) || !ENTRY_CODES.has(e.code)) throw e;
      reply.status(ERROR_STATUS[e.code]);
      return roundPage(req, reply, roundId, { error: `err.${e.code}` as MessageKey, prediction: typed });
    }
    return reply.redirect(`/contest/rounds/${roundId}?done=${submit ? 'submitted' : 'saved'}`, 303);
  });

  // With JavaScript, each choice is saved as it is made: a form post (CSRF-checked like any other)
  // answered with JSON, since the page's script cannot read the HttpOnly participant cookie.
  app.post('/contest/entries/:id/answer', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const entryId = idParam(req.params);
    const t = pageContext(req, reply).t;
    try {
      const { token, view } = await ownEntry(req, entryId);
      await limit(req, reply, 'answer', token);
      const questionId = Number(formText(req.body, 'questionId', 12));
      if (!view.questions.some((q) => q.id === questionId)) throw new AppError('contest_unknown_question');
      return await contestEntries.answer(token, entryId, { questionId, chosen: list(req.body, 'chosen') });
    } catch (e) {
      if (!(e instanceof AppError) || ERROR_STATUS[e.code] >= 500) throw e;
      return reply.status(ERROR_STATUS[e.code]).send({ code: e.code, message: t(`err.${e.code}` as MessageKey, e.params) });
    }
  });

  app.get('/contest/entries/:id', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const entryId = idParam(req.params);
    const { roundId, token, view } = await ownEntry(req, entryId);
    const { contest, round, number } = await contestPlay.round(roundId);
    if (round.phase !== 'closed') return reply.redirect(`/contest/rounds/${roundId}`, 303);
    const [result, ranking] = await Promise.all([contestEntries.entryResult(token, entryId), contestEntries.results(roundId)]);
    return renderHtml(
      reply,
      <EntryResultPage
        ctx={pageContext(req, reply)}
        contest={contest}
        number={number}
        view={view}
        result={result}
        actualAllCorrect={ranking.actualAllCorrect}
        ranked={ranking.total}
      />,
    );
  });

  app.get('/contest/entries/:id/certificate.pdf', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const entryId = idParam(req.params);
    const { contestId } = await contestPlay.entryRound(entryId);
    const c = await contestCertificates.issue(tokenOf(req, contestId), entryId);
    const { certificatePdf } = await import('../../docs/contest-certificate.js');
    const pdf = await certificatePdf(c, req.locale, `${app.config.baseUrl}/contest/certificates/${c.code}`);
    return sendPdf(reply, `certificate-${c.code}.pdf`, pdf);
  });

  app.get('/contest/certificates/:code', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const code = formText(req.params, 'code', 40);
    try {
      const c = await contestCertificates.verify(code);
      return renderHtml(reply, <CertificatePage ctx={pageContext(req, reply)} c={c} code={code} />);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'contest_certificate_not_found') throw e;
      return renderHtml(reply.status(404), <CertificatePage ctx={pageContext(req, reply)} c={null} code={code} />);
    }
  });

  app.get('/contest/rounds/:id/results', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const roundId = idParam(req.params);
    const rawPage = formText(req.query, 'page', 9);
    const page = rawPage === '' ? 1 : /^[1-9]\d{0,8}$/.test(rawPage) ? Number(rawPage) : NaN;
    if (Number.isNaN(page)) throw new AppError('not_found');
    const { contest, number } = await contestPlay.round(roundId);
    const r = await contestPlay.publicResults(roundId, page);
    return renderHtml(reply, <PublicResultsPage ctx={pageContext(req, reply)} contest={contest} number={number} r={r} />);
  });

  app.get('/contest/rounds/:id/leaderboard', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const roundId = idParam(req.params);
    const level = formText(req.query, 'level', 10);
    if (level !== '' && level !== 'district' && level !== 'commune' && level !== 'school') throw new AppError('validation_failed');
    const { contest, number } = await contestPlay.round(roundId);
    const b = await contestLeaderboard.units(roundId, level === '' ? 'district' : level);
    return renderHtml(reply, <LeaderboardPage ctx={pageContext(req, reply)} contest={contest} number={number} b={b} />);
  });
}
