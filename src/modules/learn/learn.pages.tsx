import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import type { FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { formText } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { ClassProgressPage, NewClassPage, type NewClassForm } from './learn.class-views.js';
import { LearnHomePage, LessonPage, PracticePage, type Checked, type HomeData } from './learn.views.js';

/** Holds the pupil token (no account): HttpOnly, so scripts never see it; works without JavaScript. */
export const PUPIL_COOKIE = 'learn_pupil';
const PUBLIC = { policy: policies.public };
const hide = { hide: true };
const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const PRACTICE_CODES = new Set<ErrorCode>([
  'learn_question_unknown',
  'learn_answer_required',
  'learn_option_unknown',
  'learn_one_option_only',
]);
const JOIN_CODES = new Set<ErrorCode>([
  'learn_class_code_invalid',
  'learn_pupil_name_invalid',
  'learn_class_not_found',
  'learn_class_full',
]);
const CLASS_CODES = new Set<ErrorCode>(['learn_teacher_name_invalid', 'learn_class_name_invalid', 'learn_school_invalid']);
const STATUS: Partial<Record<ErrorCode, number>> = { learn_class_not_found: 404, learn_class_full: 409 };

function slugParam(params: unknown): string {
  const v = (params as Record<string, unknown> | undefined)?.slug;
  if (typeof v !== 'string' || !SLUG.test(v)) throw new AppError('not_found');
  return v;
}

function list(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v])
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .slice(0, 10)
    .map((x) => x.slice(0, 40));
}

const fieldErrors = (e: AppError): FieldErrors =>
  Object.fromEntries(Object.entries(e.fields).map(([k, code]) => [k, `err.${code}` as MessageKey]));

export async function learnPageRoutes(app: App) {
  const { learn } = app.services;

  /** The pupil of this browser; a stale cookie (unknown token) is dropped. */
  const pupilOf = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = req.cookies[PUPIL_COOKIE];
    if (!token) return null;
    const p = await learn.pupil(token);
    if (!p) reply.clearCookie(PUPIL_COOKIE, { path: '/learn' });
    return p;
  };

  const home = async (req: FastifyRequest, reply: FastifyReply, extra: Partial<HomeData>) => {
    const ctx = pageContext(req, reply);
    const p = await pupilOf(req, reply);
    const done = p ? (await learn.pupilProgress(p.id)).lessonsDone : new Set<string>();
    const d: HomeData = {
      lessons: learn.lessons,
      sources: learn.sources,
      pupil: p ? { name: p.name, className: p.class_name, school: ctx.locale === 'en' ? p.school_en : p.school_vi } : null,
      done,
      notice: null,
      join: { classCode: '', pupilName: '' },
      errors: {},
      ...extra,
    };
    return renderHtml(reply, <LearnHomePage ctx={ctx} d={d} />);
  };

  const NOTICES: Record<string, MessageKey> = { joined: 'learn.joined', left: 'learn.left' };
  app.get('/learn', { config: PUBLIC, schema: hide }, async (req, reply) =>
    home(req, reply, { notice: NOTICES[formText(req.query, 'done', 10)] ?? null }),
  );

  // The forms post to the address of the page they are on, so a page shown again with errors
  // keeps a working address (for the language switch, a reload, a bookmark).
  app.post('/learn', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const join = { classCode: formText(req.body, 'classCode', 12), pupilName: formText(req.body, 'pupilName', 120) };
    try {
      const { token } = await learn.join(join.classCode, join.pupilName);
      reply.setCookie(PUPIL_COOKIE, token, { path: '/learn', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 });
    } catch (e) {
      if (!(e instanceof AppError) || !JOIN_CODES.has(e.code)) throw e;
      reply.status(STATUS[e.code] ?? 400);
      return home(req, reply, { join, errors: fieldErrors(e), code: e.code });
    }
    return reply.redirect('/learn?done=joined', 303);
  });

  app.post('/learn/leave', { config: PUBLIC, schema: hide }, async (req, reply) => {
    reply.clearCookie(PUPIL_COOKIE, { path: '/learn' });
    return reply.redirect('/learn?done=left', 303);
  });

  app.get('/learn/lessons/:slug', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const lesson = learn.lesson(slugParam(req.params));
    const p = await pupilOf(req, reply);
    const done = p ? (await learn.pupilProgress(p.id)).lessonsDone.has(lesson.slug) : false;
    return renderHtml(reply, <LessonPage ctx={pageContext(req, reply)} lesson={lesson} done={done} />);
  });

  const practice = async (
    req: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    checked: Checked | null,
    error: { key: string; code: ErrorCode } | null,
  ) => {
    const lesson = learn.lesson(slug);
    const p = await pupilOf(req, reply);
    const mine = p ? await learn.pupilProgress(p.id) : null;
    const right = new Set(lesson.questions.filter((q) => mine?.right.has(`${slug}|${q.key}`)).map((q) => q.key));
    const i = learn.lessons.indexOf(lesson);
    return renderHtml(
      reply,
      <PracticePage
        ctx={pageContext(req, reply)}
        d={{
          lesson,
          next: learn.lessons[i + 1] ?? null,
          member: !!p,
          right,
          done: !!mine?.lessonsDone.has(slug),
          checked,
          error: error ? { ...error, message: `err.${error.code}` as MessageKey } : null,
        }}
      />,
    );
  };

  app.get('/learn/lessons/:slug/practice', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const slug = slugParam(req.params);
    const lesson = learn.lesson(slug);
    // The redirect after an answer carries it, so the feedback shows without JavaScript or storage.
    const key = formText(req.query, 'checked', 40);
    const q = lesson.questions.find((x) => x.key === key);
    const chosen = formText(req.query, 'chosen', 100)
      .split(',')
      .filter((c) => q?.options.some((o) => o.key === c));
    const checked = q && chosen.length > 0 ? { key: q.key, chosen, correct: learn.check(q, chosen) } : null;
    return practice(req, reply, slug, checked, null);
  });

  app.post('/learn/lessons/:slug/practice', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const slug = slugParam(req.params);
    const key = formText(req.body, 'question', 40);
    const chosen = list(req.body, 'chosen');
    try {
      const p = await pupilOf(req, reply);
      await learn.answer(p?.id ?? null, slug, key, chosen);
    } catch (e) {
      if (!(e instanceof AppError) || !PRACTICE_CODES.has(e.code)) throw e;
      reply.status(400);
      return practice(req, reply, slug, null, { key, code: e.code });
    }
    const qs = new URLSearchParams({ checked: key, chosen: [...new Set(chosen)].join(',') });
    return reply.redirect(`/learn/lessons/${slug}/practice?${qs.toString()}#q-${key}`, 303);
  });

  const newClass = async (req: FastifyRequest, reply: FastifyReply, form: NewClassForm, error?: AppError) =>
    renderHtml(
      reply,
      <NewClassPage
        ctx={pageContext(req, reply)}
        schools={await learn.schools()}
        form={form}
        errors={error ? fieldErrors(error) : {}}
        code={error?.code}
      />,
    );

  app.get('/learn/classes/new', { config: PUBLIC, schema: hide }, async (req, reply) =>
    newClass(req, reply, { teacherName: '', school: '', className: '' }),
  );

  app.post('/learn/classes/new', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const form = {
      teacherName: formText(req.body, 'teacherName', 120),
      school: formText(req.body, 'school', 40),
      className: formText(req.body, 'className', 30),
    };
    try {
      const c = await learn.createClass({ teacherName: form.teacherName, schoolCode: form.school, className: form.className });
      return reply.redirect(`/learn/teach/${c.teacherToken}?created=1`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || !CLASS_CODES.has(e.code)) throw e;
      reply.status(400);
      return newClass(req, reply, form, e);
    }
  });

  app.get('/learn/teach/:token', { config: PUBLIC, schema: hide }, async (req, reply) => {
    const p = await learn.classProgress(formText(req.params, 'token', 100));
    return renderHtml(
      reply,
      <ClassProgressPage
        ctx={pageContext(req, reply)}
        p={p}
        lessons={learn.lessons}
        created={formText(req.query, 'created', 1) === '1'}
        joinUrl={`${app.config.baseUrl}/learn`}
      />,
    );
  });
}
