import type { ConferenceStatus } from '../../db/types.js';
import { CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { CommitmentItem, localInput, StatusBadge, TextArea } from './conferences.parts.js';
import type { Leader } from './conferences.schema.js';
import { QuestionWork, StatusForm, type WorkQuestion } from './conferences.work-questions.js';
import type { CommitmentView } from './conferences.schema.js';

export function WorkListPage(p: {
  ctx: PageContext;
  canCreate: boolean;
  rows: { id: number; topic: string; starts_at: Date; status: ConferenceStatus; unit_vi: string; unit_en: string; pending: number }[];
  commitments: (CommitmentView & { topic: string })[];
  saved: boolean;
  error: MessageKey | undefined;
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('work.conf.title')}>
      <h1>{t('work.conf.title')}</h1>
      {p.saved && (
        <div class="success" role="status">
          <p>{t('work.conf.saved')}</p>
        </div>
      )}
      <FormError t={t} message={p.error} />
      {p.canCreate && (
        <p>
          <a class="button" href="/work/conferences/new">
            {t('work.conf.new')}
          </a>
        </p>
      )}
      {p.rows.length === 0 ? (
        <p>{t('work.conf.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('work.conf.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conf.col.topic')}</th>
              <th scope="col">{t('conf.col.when')}</th>
              <th scope="col">{t('conf.col.unit')}</th>
              <th scope="col">{t('conf.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <a href={`/work/conferences/${c.id}`}>{c.topic}</a>
                  {c.pending > 0 && <p class="meta">{t('work.conf.pending', { n: c.pending })}</p>}
                </th>
                <td>{formatDateTime(c.starts_at, locale)}</td>
                <td>{locale === 'en' ? c.unit_en : c.unit_vi}</td>
                <td>
                  <StatusBadge t={t} status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="commitments">{t('work.conf.commitments')}</h2>
      {p.commitments.length === 0 ? (
        <p>{t('commit.none')}</p>
      ) : (
        <ul class="commitment-list">
          {p.commitments.map((m) => (
            <CommitmentItem key={m.id} ctx={p.ctx} m={m} history={false}>
              <p class="meta">
                <a href={`/conferences/${m.conferenceId}#question-${m.questionId}`}>{m.topic}</a>
              </p>
              <StatusForm ctx={p.ctx} m={m} />
            </CommitmentItem>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface DetailsValues {
  unit?: string;
  topic: string;
  description: string;
  startsAt: string;
  closesAt: string;
  place: string;
  chair: string;
  leaders: string;
  capacity: string;
}

export const leadersText = (leaders: Leader[]) => leaders.map((l) => (l.title ? `${l.name}, ${l.title}` : l.name)).join('\n');

/** The details form, to schedule a conference or change one still scheduled. */
function DetailsForm(p: {
  ctx: PageContext;
  action: string;
  v: DetailsValues;
  units?: { code: string; name: string }[];
  submit: MessageKey;
}) {
  const { t } = p.ctx;
  const v = p.v;
  return (
    <form method="post" action={p.action} id="details">
      <CsrfField token={p.ctx.csrfToken} />
      {p.units && (
        <SelectField
          name="unit"
          label={t('work.conf.field.unit')}
          value={v.unit}
          options={p.units.map((u) => ({ value: u.code, label: u.name }))}
        />
      )}
      <TextField t={t} name="topic" label={t('work.conf.field.topic')} value={v.topic} required maxLength={300} />
      <TextArea t={t} name="description" label={t('work.conf.field.description')} value={v.description} maxLength={5000} />
      <div class="field">
        <label for="startsAt">
          {t('work.conf.field.startsAt')} <span class="field-flag">{t('form.required')}</span>
        </label>
        <input id="startsAt" name="startsAt" type="datetime-local" required value={v.startsAt} />
      </div>
      <div class="field">
        <label for="closesAt">
          {t('work.conf.field.closesAt')} <span class="field-flag">{t('form.required')}</span>
        </label>
        <input id="closesAt" name="closesAt" type="datetime-local" required value={v.closesAt} />
      </div>
      <TextField t={t} name="place" label={t('work.conf.field.place')} value={v.place} required maxLength={300} />
      <TextField t={t} name="chair" label={t('work.conf.field.chair')} value={v.chair} required maxLength={200} />
      <TextArea
        t={t}
        name="leaders"
        label={t('work.conf.field.leaders')}
        hint={t('work.conf.field.leadersHint')}
        value={v.leaders}
        maxLength={6000}
      />
      <TextField
        t={t}
        name="capacity"
        label={t('work.conf.field.capacity')}
        hint={t('work.conf.field.capacityHint')}
        value={v.capacity}
        inputMode="numeric"
        maxLength={6}
      />
      <button type="submit" class="button">
        {t(p.submit)}
      </button>
    </form>
  );
}

export function WorkNewPage(p: {
  ctx: PageContext;
  units: { code: string; name: string }[];
  v: DetailsValues;
  error: MessageKey | undefined;
}) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('work.conf.new')} hasError={!!p.error}>
      <h1>{t('work.conf.new')}</h1>
      <FormError t={t} message={p.error} />
      <DetailsForm ctx={p.ctx} action="/work/conferences" v={p.v} units={p.units} submit="work.conf.create" />
    </Layout>
  );
}

export interface WorkConferenceData {
  c: {
    id: number;
    topic: string;
    status: ConferenceStatus;
    starts_at: Date;
    registration_closes_at: Date;
    description: string;
    place: string;
    chair: string;
    leaders: unknown;
    capacity: number | null;
    unit_vi: string;
    unit_en: string;
  };
  canOrganise: boolean;
  canPublish: boolean;
  registrations: { id: number; full_name: string; phone: string | null; email: string | null; organisation: string | null }[];
  questions: WorkQuestion[];
  commitments: Map<number, CommitmentView[]>;
  /** FAQ entry id made from a question, by question id. */
  faq: Map<number, number>;
  saved: boolean;
  error: MessageKey | undefined;
}

export function WorkConferencePage(p: { ctx: PageContext; data: WorkConferenceData }) {
  const { t, locale } = p.ctx;
  const { c } = p.data;
  const base = `/work/conferences/${c.id}`;
  return (
    <Layout ctx={p.ctx} title={c.topic} hasError={!!p.data.error}>
      <p class="meta">{locale === 'en' ? c.unit_en : c.unit_vi}</p>
      <h1>{c.topic}</h1>
      <p>
        <StatusBadge t={t} status={c.status} /> {formatDateTime(c.starts_at, locale)} ·{' '}
        <a href={`/conferences/${c.id}`}>{t('work.conf.publicPage')}</a>
      </p>
      {p.data.saved && (
        <div class="success" role="status">
          <p>{t('work.conf.saved')}</p>
        </div>
      )}
      <FormError t={t} message={p.data.error} />

      <h2>{t('work.conf.actions')}</h2>
      {c.status === 'scheduled' && p.data.canOrganise && (
        <>
          <form method="post" action={`${base}/held`} class="inline-form">
            <CsrfField token={p.ctx.csrfToken} />
            <button type="submit" class="button">
              {t('work.conf.markHeld')}
            </button>
          </form>
          <form method="post" action={`${base}/cancel`}>
            <CsrfField token={p.ctx.csrfToken} />
            <TextArea t={t} name="reason" id="cancel-reason" label={t('work.conf.cancelReason')} required maxLength={2000} rows={2} />
            <button type="submit" class="button button-secondary">
              {t('work.conf.cancel')}
            </button>
          </form>
        </>
      )}
      {c.status === 'held' && p.data.canPublish && (
        <form method="post" action={`${base}/publish`}>
          <CsrfField token={p.ctx.csrfToken} />
          <p class="hint">{t('work.conf.publishHint')}</p>
          <button type="submit" class="button">
            {t('work.conf.publish')}
          </button>
        </form>
      )}

      <h2 id="questions">{t('work.conf.questions')}</h2>
      {p.data.questions.length === 0 ? (
        <p>{t('work.conf.noQuestions')}</p>
      ) : (
        <ol class="conf-questions">
          {p.data.questions.map((q) => (
            <QuestionWork
              key={q.id}
              ctx={p.ctx}
              base={base}
              status={c.status}
              q={q}
              commitments={p.data.commitments.get(q.id) ?? []}
              faqId={p.data.faq.get(q.id)}
              canFaq={p.data.canOrganise}
            />
          ))}
        </ol>
      )}
      {c.status === 'held' && (
        <section aria-labelledby="room-title">
          <h3 id="room-title">{t('work.conf.room')}</h3>
          <form method="post" action={`${base}/room-questions`}>
            <CsrfField token={p.ctx.csrfToken} />
            <TextField t={t} name="askerName" label={t('work.conf.room.asker')} maxLength={200} />
            <TextArea t={t} name="text" id="room-text" label={t('work.conf.room.text')} required maxLength={2000} />
            <TextArea t={t} name="answer" id="room-answer" label={t('work.conf.room.answer')} maxLength={10000} />
            <button type="submit" class="button button-secondary">
              {t('work.conf.room.save')}
            </button>
          </form>
        </section>
      )}

      <h2>{t('work.conf.registrations', { n: p.data.registrations.length })}</h2>
      {p.data.registrations.length === 0 ? (
        <p>{t('work.conf.noRegistrations')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('work.conf.registrations', { n: p.data.registrations.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conf.field.name')}</th>
              <th scope="col">{t('conf.field.phone')}</th>
              <th scope="col">{t('conf.field.email')}</th>
              <th scope="col">{t('conf.field.organisation')}</th>
            </tr>
          </thead>
          <tbody>
            {p.data.registrations.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.full_name}</th>
                <td>{r.phone ?? '—'}</td>
                <td>{r.email ?? '—'}</td>
                <td>{r.organisation ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {c.status === 'scheduled' && p.data.canOrganise && (
        <>
          <h2>{t('work.conf.details')}</h2>
          <DetailsForm
            ctx={p.ctx}
            action={base}
            submit="work.conf.save"
            v={{
              topic: c.topic,
              description: c.description,
              startsAt: localInput(c.starts_at),
              closesAt: localInput(c.registration_closes_at),
              place: c.place,
              chair: c.chair,
              leaders: leadersText(c.leaders as Leader[]),
              capacity: c.capacity === null ? '' : String(c.capacity),
            }}
          />
        </>
      )}
      <p>
        <a href="/work/conferences">{t('work.conf.title')}</a>
      </p>
    </Layout>
  );
}
