import { AppError } from '../../lib/errors.js';
import { sendStoredFile } from '../../web/download.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import { auditContext, type App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { FAQ_EDITORS } from '../faq/faq.service.js';
import { act, officialView, queue, WORKERS } from './feedback.actions.js';
import { faqOffer, toFaq } from './feedback.faq.js';
import type { ActionInput } from './feedback.schema.js';
import { WorkDetailPage, WorkQueuePage } from './feedback.work-views.js';

const hide = { hide: true };
const CODE = /^PAKN-\d{6}-\d{5}$/;
const codeParam = (params: unknown) => {
  const code = formText(params, 'code', 20).toUpperCase();
  if (!CODE.test(code)) throw new AppError('not_found');
  return code;
};

/** The form's fields as the API's action body. */
function formAction(body: unknown): ActionInput {
  const f = (n: string, max = 20000) => formText(body, n, max);
  switch (f('action', 20)) {
    case 'transfer':
      return { action: 'transfer', unit: f('unit', 40), reason: f('reason') };
    case 'reject':
      return { action: 'reject', reason: f('reason') };
    case 'request_info':
      return { action: 'request_info', question: f('question') };
    case 'answer':
      return { action: 'answer', template: f('template', 60) || undefined, text: f('text'), submit: f('submit', 1) === '1' };
    case 'approve':
      return { action: 'approve' };
    case 'return':
      return { action: 'return', reason: f('reason') };
    default:
      throw new AppError('validation_failed');
  }
}

export async function feedbackWorkRoutes(app: App) {
  const { feedback, files, faq } = app.services;
  const config = { policy: policies.official(...WORKERS) };

  app.get('/work/feedback', { config, schema: hide }, async (req, reply) =>
    renderHtml(reply, <WorkQueuePage ctx={pageContext(req, reply)} items={await queue(feedback, req.actor!)} />),
  );

  app.get('/work/feedback/:code', { config, schema: hide }, async (req, reply) => {
    const v = await officialView(feedback, req.actor!, codeParam(req.params));
    const done = formText(req.query, 'done', 20);
    const offer = await faqOffer(feedback.db, faq, req.actor!, v.f);
    return renderHtml(reply, <WorkDetailPage ctx={pageContext(req, reply)} v={v} done={/^[a-z_]+$/.test(done) ? done : ''} faq={offer} />);
  });

  // The form always sends all three fields: an emptied one is refused rather than refilled. A
  // refusal shows the page again with the texts as typed.
  app.post('/work/feedback/:code/faq', { config: { policy: policies.official(...FAQ_EDITORS) }, schema: hide }, async (req, reply) => {
    const code = codeParam(req.params);
    const draft = {
      question: formText(req.body, 'question', 2000),
      answer: formText(req.body, 'answer', 20000),
      procedureCodes: [
        ...new Set(
          formText(req.body, 'procedures', 400)
            .split(/[\s,;]+/)
            .filter(Boolean),
        ),
      ],
    };
    try {
      if (draft.procedureCodes.length > 20) throw new AppError('validation_failed', {}, { procedures: 'validation_failed' });
      const r = await toFaq(feedback.db, faq, req.actor!, auditContext(req), code, draft);
      return reply.redirect(r.editUrl, 303);
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'validation_failed' && e.code !== 'faq_unknown_procedure')) throw e;
      const ctx = pageContext(req, reply);
      const field = Object.keys(e.fields)[0];
      const message =
        field === 'question' || field === 'answer' || field === 'procedures'
          ? ctx.t(`feedback.faq.bad.${field}`)
          : ctx.t(`err.${e.code}`, e.params);
      const v = await officialView(feedback, req.actor!, code);
      reply.status(400);
      return renderHtml(reply, <WorkDetailPage ctx={ctx} v={v} done="" faq={{ entryId: null, draft }} faqError={message} />);
    }
  });

  app.post('/work/feedback/:code/act', { config, schema: hide }, async (req, reply) => {
    const code = codeParam(req.params);
    // Another unit's official is refused before the form is read: its errors would tell the item exists.
    await officialView(feedback, req.actor!, code);
    const input = formAction(req.body);
    await act(feedback, req.actor!, auditContext(req), code, input);
    const done = input.action === 'answer' ? (input.submit ? 'submit_answer' : 'draft_answer') : input.action;
    return reply.redirect(`/work/feedback/${code}?done=${done}`, 303);
  });

  app.get('/work/feedback/:code/files/:id', { config, schema: hide }, async (req, reply) => {
    const v = await officialView(feedback, req.actor!, codeParam(req.params));
    const id = idParam(req.params);
    const a = await feedback.db
      .selectFrom('feedback_attachment')
      .select(['file_sha256', 'name'])
      .where('id', '=', id)
      .where('feedback_id', '=', v.f.id)
      .executeTakeFirst();
    if (!a) throw new AppError('not_found');
    return sendStoredFile(reply, await files.get(a.file_sha256), a.name);
  });
}
