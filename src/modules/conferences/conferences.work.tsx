import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { isMessageKey, type MessageKey } from '../../web/i18n/index.js';
import { hasUnitScope, policies, type Actor } from '../auth/policy.js';
import { COMMITMENT_STATUS, type CommitmentStatus } from '../../db/types.js';
import { ORGANISERS, PUBLISHERS } from './conferences.service.js';
import { fromLocalInput } from './conferences.parts.js';
import type { ConferenceInput, Leader } from './conferences.schema.js';
import { WorkConferencePage, WorkListPage, WorkNewPage, type DetailsValues } from './conferences.work-views.js';

const OFFICIAL = policies.official('specialist', 'leader', 'unit_admin', 'city_admin');
// These end the request as an error page; every other refusal is shown on the conference's page.
const FATAL = new Set<ErrorCode>(['forbidden', 'unauthenticated', 'conference_not_found', 'not_found', 'internal']);

function detailsValues(body: unknown): DetailsValues {
  const f = (name: string, max: number) => formText(body, name, max);
  return {
    unit: f('unit', 40),
    topic: f('topic', 300),
    description: f('description', 5000),
    startsAt: f('startsAt', 16),
    closesAt: f('closesAt', 16),
    place: f('place', 300),
    chair: f('chair', 200),
    leaders: f('leaders', 6000),
    capacity: f('capacity', 6),
  };
}

/** The refusal a redirect carries (?error=code), when it names a known message. */
function errorKey(query: unknown): MessageKey | undefined {
  const code = formText(query, 'error', 40);
  const key = `err.${code}`;
  return code && isMessageKey(key) ? key : undefined;
}

/** "Name, title" per line; a line without a comma is a name alone. */
function parseLeaders(text: string): Leader[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 30)
    .map((line) => {
      const i = line.indexOf(',');
      return i < 0
        ? { name: line.slice(0, 200), title: '' }
        : {
            name: line.slice(0, i).trim().slice(0, 200),
            title: line
              .slice(i + 1)
              .trim()
              .slice(0, 200),
          };
    });
}

function toInput(v: DetailsValues): Omit<ConferenceInput, 'unit'> {
  const startsAt = fromLocalInput(v.startsAt);
  const registrationClosesAt = fromLocalInput(v.closesAt);
  if (!startsAt || !registrationClosesAt) throw new AppError('invalid_time');
  const cap = v.capacity.trim();
  if (cap && !/^[1-9]\d{0,5}$/.test(cap)) throw new AppError('invalid_number');
  if (!v.topic.trim() || !v.place.trim() || !v.chair.trim()) throw new AppError('field_required');
  return {
    topic: v.topic,
    description: v.description,
    startsAt,
    registrationClosesAt,
    place: v.place,
    chair: v.chair,
    leaders: parseLeaders(v.leaders),
    capacity: cap ? Math.min(Number(cap), 100000) : null,
  };
}

/** Officials' pages: schedule, moderate, prepare and record answers, publish, track commitments. */
export async function conferenceWorkRoutes(app: App) {
  const { conferences } = app.services;
  const db = app.services.database.db;

  const organiserUnits = async (actor: Actor, locale: string) => {
    const paths = actor.roles.filter((g) => ORGANISERS.includes(g.role)).map((g) => g.unitPath);
    if (paths.length === 0) return [];
    const rows = await sql<{ code: string; name_vi: string; name_en: string }>`
      select code, name_vi, name_en from unit
      where valid_to is null and (${sql.join(
        paths.map((p) => sql`path <@ ${p}::ltree`),
        sql` or `,
      )}) order by path limit 1000`.execute(db);
    return rows.rows.map((u) => ({ code: u.code, name: locale === 'en' ? u.name_en : u.name_vi }));
  };

  /** Runs an action and returns to the conference page, with the refusal shown there if any. */
  const act = async <T,>(
    req: FastifyRequest,
    reply: FastifyReply,
    id: number | null,
    anchor: string,
    run: () => Promise<T>,
    next?: (result: T) => string,
  ) => {
    // null: back to the list (an official of a responsible unit does not see the conference itself).
    const page = id === null ? '/work/conferences' : `/work/conferences/${id}`;
    // An official of another unit is refused before the form is read: errors about its fields
    // would otherwise tell them the conference exists.
    if (id !== null) await conferences.scoped(req.actor!, id, ['specialist', 'leader', 'unit_admin', 'city_admin']);
    let result: T;
    try {
      result = await run();
    } catch (e) {
      if (!(e instanceof AppError) || FATAL.has(e.code) || ERROR_STATUS[e.code] >= 500) throw e;
      return reply.redirect(`${page}?error=${e.code}#${anchor}`, 303);
    }
    return reply.redirect(next ? next(result) : `${page}?saved=1#${anchor}`, 303);
  };
  const qidOf = (req: FastifyRequest) => idParam({ id: (req.params as Record<string, unknown>).qid });
  const opts = { config: { policy: OFFICIAL }, schema: { hide: true } };
  // What the service lets only organisers (or the leader, for the minutes) do is declared so.
  const organisers = { config: { policy: policies.official(...ORGANISERS) }, schema: { hide: true } };
  const publishers = { config: { policy: policies.official(...PUBLISHERS) }, schema: { hide: true } };

  app.get('/work/conferences', opts, async (req, reply) => {
    const rows = await conferences.forOfficial(req.actor!);
    const canCreate = req.actor!.roles.some((g) => ORGANISERS.includes(g.role));
    const commitments = await conferences.commitments.forOfficial(req.actor!);
    return renderHtml(
      reply,
      <WorkListPage
        ctx={pageContext(req, reply)}
        rows={rows}
        canCreate={canCreate}
        commitments={commitments}
        saved={formText(req.query, 'saved', 1) === '1'}
        error={errorKey(req.query)}
      />,
    );
  });

  app.get('/work/conferences/new', organisers, async (req, reply) => {
    const units = await organiserUnits(req.actor!, req.locale);
    if (units.length === 0) throw new AppError('forbidden');
    const empty = {
      unit: units[0]!.code,
      topic: '',
      description: '',
      startsAt: '',
      closesAt: '',
      place: '',
      chair: '',
      leaders: '',
      capacity: '',
    };
    return renderHtml(reply, <WorkNewPage ctx={pageContext(req, reply)} units={units} v={empty} error={undefined} />);
  });

  app.post('/work/conferences', organisers, async (req, reply) => {
    const v = detailsValues(req.body);
    try {
      const id = await conferences.create(req.actor!, { unit: v.unit ?? '', ...toInput(v) }, auditContext(req));
      return reply.redirect(`/work/conferences/${id}?saved=1`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || FATAL.has(e.code) || ERROR_STATUS[e.code] >= 500) throw e;
      const units = await organiserUnits(req.actor!, req.locale);
      const key = `err.${e.code}`;
      reply.status(ERROR_STATUS[e.code]);
      return renderHtml(
        reply,
        <WorkNewPage ctx={pageContext(req, reply)} units={units} v={v} error={isMessageKey(key) ? key : 'err.validation_failed'} />,
      );
    }
  });

  app.get('/work/conferences/:id', opts, async (req, reply) => {
    const id = idParam(req.params);
    const actor = req.actor!;
    const c = await conferences.scoped(actor, id, ['specialist', 'leader', 'unit_admin', 'city_admin']);
    return renderHtml(
      reply,
      <WorkConferencePage
        ctx={pageContext(req, reply)}
        data={{
          c,
          canOrganise: hasUnitScope(actor, c.unit_path, ORGANISERS),
          canPublish: hasUnitScope(actor, c.unit_path, PUBLISHERS),
          registrations: await conferences.registrations(actor, id),
          questions: await conferences.questions.forOfficials(actor, id),
          commitments: await conferences.commitments.byQuestion(id),
          faq: await conferences.questions.faqEntries(id),
          saved: formText(req.query, 'saved', 1) === '1',
          error: errorKey(req.query),
        }}
      />,
    );
  });

  app.post('/work/conferences/:id', organisers, async (req, reply) => {
    const id = idParam(req.params);
    return act(req, reply, id, 'details', () => conferences.update(req.actor!, id, toInput(detailsValues(req.body)), auditContext(req)));
  });

  app.post('/work/conferences/:id/held', organisers, async (req, reply) => {
    const id = idParam(req.params);
    return act(req, reply, id, 'questions', () => conferences.markHeld(req.actor!, id, auditContext(req)));
  });

  app.post('/work/conferences/:id/cancel', organisers, async (req, reply) => {
    const id = idParam(req.params);
    return act(req, reply, id, 'main', () => conferences.cancel(req.actor!, id, formText(req.body, 'reason', 2000), auditContext(req)));
  });

  app.post('/work/conferences/:id/publish', publishers, async (req, reply) => {
    const id = idParam(req.params);
    return act(req, reply, id, 'main', () => conferences.publishMinutes(req.actor!, id, auditContext(req)));
  });

  app.post('/work/conferences/:id/questions/:qid/moderate', opts, async (req, reply) => {
    const id = idParam(req.params);
    const qid = qidOf(req);
    const decision = formText(req.body, 'decision', 10) === 'decline' ? 'decline' : 'accept';
    return act(req, reply, id, `question-${qid}`, () =>
      conferences.questions.moderate(req.actor!, id, qid, { decision, reason: formText(req.body, 'reason', 2000) }, auditContext(req)),
    );
  });

  app.post('/work/conferences/:id/questions/:qid/draft', opts, async (req, reply) => {
    const id = idParam(req.params);
    const qid = qidOf(req);
    return act(req, reply, id, `question-${qid}`, () =>
      conferences.questions.draft(req.actor!, id, qid, formText(req.body, 'text', 10000)),
    );
  });

  app.post('/work/conferences/:id/questions/:qid/answer', opts, async (req, reply) => {
    const id = idParam(req.params);
    const qid = qidOf(req);
    return act(req, reply, id, `question-${qid}`, () =>
      conferences.questions.answer(req.actor!, id, qid, formText(req.body, 'text', 10000), auditContext(req)),
    );
  });

  // The new (or existing) entry opens in the FAQ editor, where it is reviewed and published.
  app.post('/work/conferences/:id/questions/:qid/faq', organisers, async (req, reply) => {
    const id = idParam(req.params);
    const qid = qidOf(req);
    return act(
      req,
      reply,
      id,
      `question-${qid}`,
      () => conferences.questions.toFaq(req.actor!, id, qid, app.services.faq, auditContext(req)),
      (r) => `/work/faq/${r.id}/edit`,
    );
  });

  app.post('/work/conferences/:id/questions/:qid/commitments', opts, async (req, reply) => {
    const id = idParam(req.params);
    const qid = qidOf(req);
    const f = (name: string, max: number) => formText(req.body, name, max);
    return act(req, reply, id, `question-${qid}`, async () => {
      const what = f('what', 2000).trim();
      const responsible = f('responsible', 300).trim();
      const dueDate = f('dueDate', 10);
      if (!what || !responsible) throw new AppError('field_required');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) throw new AppError('invalid_date');
      return conferences.commitments.add(
        req.actor!,
        id,
        qid,
        { what, responsible, dueDate, ...(f('responsibleUnit', 40).trim() ? { responsibleUnit: f('responsibleUnit', 40).trim() } : {}) },
        auditContext(req),
      );
    });
  });

  app.post('/work/conferences/:id/room-questions', opts, async (req, reply) => {
    const id = idParam(req.params);
    return act(req, reply, id, 'room-title', () =>
      conferences.questions.addFromRoom(
        req.actor!,
        id,
        {
          askerName: formText(req.body, 'askerName', 200),
          text: formText(req.body, 'text', 20000),
          answer: formText(req.body, 'answer', 10000),
        },
        auditContext(req),
      ),
    );
  });

  app.post('/work/commitments/:id/status', opts, async (req, reply) => {
    const cid = idParam(req.params);
    const m = await conferences.commitments.organisedBy(req.actor!, cid);
    const status = formText(req.body, 'status', 20);
    return act(req, reply, m.organiser ? m.conferenceId : null, `commitment-${cid}`, () => {
      if (!(COMMITMENT_STATUS as readonly string[]).includes(status)) throw new AppError('validation_failed');
      return conferences.commitments.setStatus(
        req.actor!,
        cid,
        {
          status: status as CommitmentStatus,
          note: formText(req.body, 'note', 5000),
          evidence: formText(req.body, 'evidence', 5000),
          evidenceUrl: formText(req.body, 'evidenceUrl', 1000),
        },
        auditContext(req),
      );
    });
  });
}
