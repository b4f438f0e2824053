import type { FastifyReply, FastifyRequest } from 'fastify';
import { FEEDBACK_KINDS, type FeedbackKind, type FeedbackRating } from '../../db/types.js';
import { checkUpload } from '../../lib/storage.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { formText } from '../../web/page-params.js';
import { readMultipart } from '../../web/multipart.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import type { FieldErrors } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { loginRateLimit } from '../auth/auth.routes.js';
import { policies } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import { NewFeedbackPage, TrackLookupPage, TrackPage, type NewFormValues } from './feedback.author-views.js';
import { FeedbackDetailPage, FeedbackListPage } from './feedback.public-views.js';
import type { PublicListQuery } from './feedback.schema.js';
import { listIdentifiers } from '../auth/auth.repo.js';

const hide = { hide: true };
const CODE = /^PAKN-\d{6}-\d{5}$/;
// Errors a form shows next to its field; anything else is shown at the top.
const FIELD_OF: Partial<Record<ErrorCode, keyof NewFormValues | 'file'>> = {
  feedback_title_required: 'title',
  feedback_title_too_long: 'title',
  feedback_content_required: 'content',
  feedback_content_too_long: 'content',
  feedback_name_required: 'name',
  feedback_contact_required: 'phone',
  invalid_phone: 'phone',
  invalid_email: 'email',
  unit_not_found: 'unit',
  dossier_not_found: 'dossier',
  file_empty: 'file',
  file_too_large: 'file',
  file_type_not_allowed: 'file',
  file_type_mismatch: 'file',
  invalid_file_name: 'file',
};

const trackUrl = (code: string, key: string, extra: Record<string, string> = {}) =>
  `/feedback/track?${new URLSearchParams({ code, key, ...extra }).toString()}`;

export async function feedbackPageRoutes(app: App) {
  const { feedback, units } = app.services;
  const guarded = { policy: policies.public, rateLimit: loginRateLimit(app) };

  const unitOptions = async (locale: 'vi' | 'en') =>
    (await units.list({})).map((u) => ({ code: u.code, name: locale === 'en' ? u.name.en : u.name.vi }));

  /** A logged-in citizen's name and contact, to fill the form with. */
  async function prefill(req: FastifyRequest): Promise<NewFormValues> {
    const blank: NewFormValues = { kind: '', title: '', content: '', name: '', phone: '', email: '', unit: '', dossier: '' };
    const a = req.actor;
    if (!a || a.kind === 'official') return blank;
    const ids = await listIdentifiers(feedback.db, a.accountId);
    return {
      ...blank,
      name: a.fullName,
      phone: ids.find((i) => i.kind === 'phone')?.identifier ?? '',
      email: ids.find((i) => i.kind === 'email')?.identifier ?? '',
    };
  }

  app.get('/feedback/new', { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const values = { ...(await prefill(req)), unit: formText(req.query, 'unit', 40), dossier: formText(req.query, 'dossier', 64) };
    return renderHtml(reply, <NewFeedbackPage ctx={ctx} values={values} errors={{}} units={await unitOptions(ctx.locale)} />);
  });

  app.post('/feedback/new', { config: { policy: policies.public, multipart: true }, schema: hide }, async (req, reply) => {
    // The page posts multipart (for the file); a plain form post (checked for CSRF already) is read too.
    const { fields, file } = req.isMultipart()
      ? await readMultipart(app, req, reply, true)
      : { fields: (req.body ?? {}) as Record<string, string>, file: null };
    const v: NewFormValues = {
      kind: formText(fields, 'kind', 20),
      title: formText(fields, 'title', 2000),
      content: formText(fields, 'content', 20000),
      name: formText(fields, 'name', 500),
      phone: formText(fields, 'phone', 40),
      email: formText(fields, 'email', 300),
      unit: formText(fields, 'unit', 40),
      dossier: formText(fields, 'dossier', 64),
    };
    const upload = file && file.bytes.length > 0 ? file : null;
    let created: { code: string; key: string };
    try {
      if (!FEEDBACK_KINDS.includes(v.kind as FeedbackKind)) throw new AppError('validation_failed', {}, { kind: 'validation_failed' });
      // The file is checked before anything is recorded, so a bad file never leaves half a submission.
      if (upload) checkUpload(upload.bytes, upload.fileName, upload.mimeType, app.config.uploadMaxBytes);
      created = await feedback.submit(
        {
          kind: v.kind as FeedbackKind,
          title: v.title,
          content: v.content,
          name: v.name,
          phone: v.phone || undefined,
          email: v.email || undefined,
          unit: v.unit || undefined,
          dossier: v.dossier || undefined,
          locale: req.locale,
        },
        req.actor,
      );
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'csrf_invalid') throw e;
      const errors: FieldErrors = {};
      const field = Object.keys(e.fields)[0] ?? FIELD_OF[e.code] ?? 'content';
      errors[field] = `err.${e.code}` as MessageKey;
      const ctx = pageContext(req, reply);
      reply.status(e.code === 'feedback_abusive' ? 422 : e.code.endsWith('not_found') ? 404 : 400);
      return renderHtml(reply, <NewFeedbackPage ctx={ctx} values={v} errors={errors} units={await unitOptions(ctx.locale)} />);
    }
    if (upload) await feedback.attach(created.code, created.key, upload);
    return reply.redirect(trackUrl(created.code, created.key, { new: '1' }), 303);
  });

  async function renderTrack(req: FastifyRequest, reply: FastifyReply, code: string, key: string, error?: ErrorCode) {
    const ctx = pageContext(req, reply);
    if (!code || !key) return renderHtml(reply, <TrackLookupPage ctx={ctx} code={code} error={undefined} />);
    try {
      const v = await feedback.authorView(code, key);
      const notice = formText(req.query, 'new', 1) === '1' ? 'created' : formText(req.query, 'saved', 1) === '1' ? 'saved' : null;
      if (error) reply.status(error === 'feedback_wrong_state' || error.startsWith('feedback_a') ? 409 : 400);
      return renderHtml(
        reply,
        <TrackPage
          ctx={ctx}
          v={v}
          keyValue={key}
          notice={error ? null : notice}
          error={error ? (`err.${error}` as MessageKey) : undefined}
        />,
      );
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'feedback_not_found' && e.code !== 'feedback_key_invalid')) throw e;
      reply.status(e.code === 'feedback_not_found' ? 404 : 403);
      return renderHtml(reply, <TrackLookupPage ctx={ctx} code={code} error={`err.${e.code}`} />);
    }
  }

  app.get('/feedback/track', { config: guarded, schema: hide }, async (req, reply) =>
    renderTrack(req, reply, formText(req.query, 'code', 20).trim().toUpperCase(), formText(req.query, 'key', 64).trim()),
  );

  /** The author's forms post here; a refusal shows the follow page with the reason. */
  const authorAction = (path: string, run: (code: string, key: string, body: Record<string, string>) => Promise<void>) =>
    app.post(`/feedback/track/${path}`, { config: guarded, schema: hide }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, string>;
      const code = formText(body, 'code', 20).trim().toUpperCase();
      const key = formText(body, 'key', 64).trim();
      try {
        await run(code, key, body);
      } catch (e) {
        if (!(e instanceof AppError) || e.code === 'feedback_not_found' || e.code === 'feedback_key_invalid') throw e;
        return renderTrack(req, reply, code, key, e.code);
      }
      return reply.redirect(trackUrl(code, key, { saved: '1' }), 303);
    });

  authorAction('reply', (code, key, b) => feedback.reply(code, key, formText(b, 'text', 20000)));
  authorAction('reopen', (code, key, b) => feedback.reopen(code, key, formText(b, 'reason', 20000)));
  authorAction('rate', async (code, key, b) => {
    const r = formText(b, 'rating', 20);
    if (r !== 'satisfied' && r !== 'not_satisfied') throw new AppError('validation_failed');
    await feedback.rate(code, key, r as FeedbackRating);
  });

  app.post('/feedback/track/attach', { config: { ...guarded, multipart: true }, schema: hide }, async (req, reply) => {
    const { fields, file } = await readMultipart(app, req, reply, true);
    const code = formText(fields, 'code', 20).trim().toUpperCase();
    const key = formText(fields, 'key', 64).trim();
    try {
      if (!file || file.bytes.length === 0) throw new AppError('file_empty');
      await feedback.attach(code, key, file);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'feedback_not_found' || e.code === 'feedback_key_invalid') throw e;
      return renderTrack(req, reply, code, key, e.code);
    }
    return reply.redirect(trackUrl(code, key, { saved: '1' }), 303);
  });

  app.get('/feedback', { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const kind = formText(req.query, 'kind', 20);
    const page = Number(formText(req.query, 'page', 4) || '1');
    const query: PublicListQuery = {
      q: formText(req.query, 'q', 200) || undefined,
      unit: formText(req.query, 'unit', 40) || undefined,
      kind: FEEDBACK_KINDS.includes(kind as FeedbackKind) ? (kind as FeedbackKind) : undefined,
      page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
    };
    const list = await feedback.publicList(query).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'unit_not_found') return { total: 0, page: 1, pageSize: 20, items: [] };
      throw e;
    });
    // The timeliness table covers the city, from the first day of the year to today.
    const to = todayInVietnam();
    const from = `${to.slice(0, 4)}-01-01`;
    const city = await feedback.db.selectFrom('unit').select('path').where('level', '=', 'city').orderBy('id').executeTakeFirstOrThrow();
    const figures = await feedback.figures({ unitPath: city.path, from, to });
    return renderHtml(
      reply,
      <FeedbackListPage
        ctx={ctx}
        query={query}
        list={list}
        units={await unitOptions(ctx.locale)}
        figures={{ from, to, units: figures.units }}
      />,
    );
  });

  app.get('/feedback/:code', { config: { policy: policies.public }, schema: hide }, async (req, reply) => {
    const code = formText(req.params, 'code', 20).toUpperCase();
    if (!CODE.test(code)) throw new AppError('not_found');
    const item = await feedback.publicItem(code);
    return renderHtml(reply, <FeedbackDetailPage ctx={pageContext(req, reply)} item={item} />);
  });
}
