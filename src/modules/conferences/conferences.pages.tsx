import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../lib/errors.js';
import { formText, idParam } from '../../web/page-params.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { policies } from '../auth/policy.js';
import { publicFormRateLimit } from './conferences.routes.js';
import { COMMITMENT_STATUS, type CommitmentStatus } from '../../db/types.js';
import { CommitmentsPage, ConferenceListPage, ConferencePage, type ConferencePageData } from './conferences.views.js';
import { pii } from '../../lib/pii.js';

// Refusals a person can fix or should simply be told about, shown on the conference page itself.
const FORM_ERRORS = new Set<ErrorCode>([
  'validation_failed',
  'invalid_name',
  'contact_required',
  'invalid_phone',
  'invalid_email',
  'already_registered',
  'registration_closed',
  'conference_full',
  'conference_not_open',
  'question_required',
  'question_too_long',
  'unknown_procedure',
  'unknown_field',
  'already_supported',
  'own_question',
  'question_not_found',
]);

const NOTICES = { registered: 'registered', asked: 'asked', supported: 'supported' } as const;

/** Public pages: the list, each conference as agenda or minutes with its forms, and the commitments. */
export async function conferencePageRoutes(app: App) {
  const { conferences } = app.services;
  const db = app.services.database.db;

  /** Units that organised a conference (or are responsible for a commitment), for the filters. */
  const filterUnits = async (locale: string) => {
    const rows = await db
      .selectFrom('unit as u')
      .select(['u.code', 'u.name_vi', 'u.name_en'])
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('conference as c').select('c.id').whereRef('c.unit_id', '=', 'u.id')),
          eb.exists(eb.selectFrom('conference_commitment as m').select('m.id').whereRef('m.responsible_unit_id', '=', 'u.id')),
        ]),
      )
      .orderBy('u.path')
      .execute();
    return rows.map((u) => ({ code: u.code, name: locale === 'en' ? u.name_en : u.name_vi }));
  };

  const showConference = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Partial<Pick<ConferencePageData, 'form' | 'error' | 'values' | 'notice'>> = {},
  ) => {
    const c = await conferences.view(id);
    const actor = req.actor;
    const citizen = !!actor && actor.kind !== 'official';
    let prefill: Record<string, string> = {};
    if (citizen) {
      const a = await db.selectFrom('account').select(['full_name', 'phone', 'email']).where('id', '=', actor.accountId).executeTakeFirst();
      if (a) prefill = { fullName: a.full_name, phone: pii().decryptNullable(a.phone) ?? '', email: a.email ?? '' };
    }
    return renderHtml(
      reply,
      <ConferencePage
        ctx={pageContext(req, reply)}
        data={{
          c,
          canSupport: citizen,
          supported: citizen ? await conferences.questions.supportedBy(actor.accountId, id) : new Set(),
          own: citizen ? await conferences.questions.ownedBy(actor.accountId, id) : new Set(),
          notice: extra.notice,
          form: extra.form,
          error: extra.error,
          values: { ...prefill, ...(extra.values ?? {}) },
        }}
      />,
    );
  };

  /** Runs a form action; a refusal the person can act on re-renders the page with their input kept. */
  const formAction = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: 'register' | 'ask' | 'support',
    run: (id: number) => Promise<unknown>,
    notice: keyof typeof NOTICES,
  ) => {
    const id = idParam(req.params);
    try {
      await run(id);
    } catch (e) {
      if (!(e instanceof AppError) || !FORM_ERRORS.has(e.code)) throw e;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        ['fullName', 'phone', 'email', 'organisation', 'text', 'procedureCode'].map((k) => [k, formText(b, k, 20_000)]),
      );
      reply.status(ERROR_STATUS[e.code]);
      return showConference(req, reply, id, { form, error: `err.${e.code}` as MessageKey, values });
    }
    return reply.redirect(`/conferences/${id}?done=${notice}#${form === 'support' ? 'main' : form === 'ask' ? 'ask' : 'register'}`, 303);
  };

  app.get('/conferences', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const unit = formText(req.query, 'unit', 40);
    const units = await filterUnits(req.locale);
    const known = units.some((u) => u.code === unit) ? unit : '';
    const q = known ? { unit: known } : {};
    const [upcoming, past] = await Promise.all([conferences.list({ ...q, when: 'upcoming' }), conferences.list({ ...q, when: 'past' })]);
    return renderHtml(
      reply,
      <ConferenceListPage ctx={pageContext(req, reply)} units={units} unit={known} upcoming={upcoming} past={past} />,
    );
  });

  app.get('/conferences/:id', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const done = formText(req.query, 'done', 20);
    return showConference(req, reply, idParam(req.params), { notice: done in NOTICES ? NOTICES[done as keyof typeof NOTICES] : undefined });
  });

  const open = { policy: policies.public, rateLimit: publicFormRateLimit(app) };
  app.post('/conferences/:id/register', { config: open, schema: { hide: true } }, async (req, reply) =>
    formAction(
      req,
      reply,
      'register',
      (id) =>
        conferences.register(
          id,
          {
            fullName: formText(req.body, 'fullName', 200),
            phone: formText(req.body, 'phone', 20),
            email: formText(req.body, 'email', 254),
            organisation: formText(req.body, 'organisation', 300),
          },
          req.actor,
        ),
      'registered',
    ),
  );

  app.post('/conferences/:id/questions', { config: open, schema: { hide: true } }, async (req, reply) =>
    formAction(
      req,
      reply,
      'ask',
      (id) =>
        conferences.questions.ask(
          id,
          {
            fullName: formText(req.body, 'fullName', 200),
            phone: formText(req.body, 'phone', 20),
            email: formText(req.body, 'email', 254),
            // Read beyond the limit so an oversize question gets its own message, not a silent cut.
            text: formText(req.body, 'text', 20_000),
            procedureCode: formText(req.body, 'procedureCode', 20),
          },
          req.actor,
        ),
      'asked',
    ),
  );

  app.post(
    '/conferences/:id/questions/:qid/support',
    { config: { policy: policies.citizen }, schema: { hide: true } },
    async (req, reply) => {
      const qid = idParam({ id: (req.params as Record<string, unknown>).qid });
      return formAction(req, reply, 'support', (id) => conferences.questions.support(id, qid, req.actor!), 'supported');
    },
  );

  app.get('/commitments', { config: { policy: policies.public }, schema: { hide: true } }, async (req, reply) => {
    const units = await filterUnits(req.locale);
    const unit = formText(req.query, 'unit', 40);
    const status = formText(req.query, 'status', 20);
    const filter = {
      unit: units.some((u) => u.code === unit) ? unit : '',
      status: (COMMITMENT_STATUS as readonly string[]).includes(status) ? status : '',
      late: formText(req.query, 'late', 5) === 'true',
    };
    const rows = await conferences.commitments.list({
      ...(filter.unit ? { unit: filter.unit } : {}),
      ...(filter.status ? { status: filter.status as CommitmentStatus } : {}),
      ...(filter.late ? { late: true } : {}),
    });
    return renderHtml(reply, <CommitmentsPage ctx={pageContext(req, reply)} units={units} filter={filter} rows={rows} />);
  });
}
