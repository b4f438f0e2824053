import type { PageContext } from '../../web/context.js';
import { CsrfField, FormError, Radios, SubmitButton, TextField } from '../../web/components/form.js';
import { formatCurrency, isMessageKey, type MessageKey, type Translate } from '../../web/i18n/index.js';
import type { FrozenWorkflow } from '../../domain/workflow/workflow.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import type { DocumentRow, DossierRow } from '../dossiers/dossier.repo.js';
import { OTHER, type CheckData } from '../dossiers/desk.check.js';
import { channelText, pick, statusText, TextArea, when } from '../dossiers/desk.views.js';
import type { ActBody } from './processing.service.js';
import { WorkLayout } from './work.views.js';

export type WorkAction = ActBody['action'] | 'apology' | 'attach';

export interface WorkDossierData {
  d: DossierRow;
  documents: DocumentRow[];
  events: CheckData['events'];
  result: { kind: string; medium: string; verify_token: string; file_sha256: string | null } | null;
  options: ActBody['action'][];
  canApologize: boolean;
  /** The actor works the current step and may attach documents to pass on with it. */
  canAttach: boolean;
  assignee: string | null;
}

export interface WorkDossierProps extends WorkDossierData {
  ctx: PageContext;
  done: string | null;
  failure: { action: WorkAction; message: MessageKey; values: Record<string, string> } | null;
}

function Row({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function WorkDossierPage(p: WorkDossierProps) {
  const { t, locale } = p.ctx;
  const { d } = p;
  const wf = d.workflow as FrozenWorkflow | null;
  const step = wf && d.step_index !== null ? wf.steps[d.step_index] : null;
  const proposal = d.proposal as { decision: 'approve' | 'reject'; reason: string | null } | null;
  const docs = (d.content as VersionContent).documents;
  return (
    <WorkLayout ctx={p.ctx} title={`${t('work.dossier.title')} ${d.code ?? ''}`} hasError={!!p.failure}>
      {p.done && (
        <div class="success" role="status">
          <p>{isMessageKey(`work.done.${p.done}`) ? t(`work.done.${p.done}` as MessageKey) : p.done}</p>
        </div>
      )}
      <dl class="summary-list">
        <Row label={t('desk.col.procedure')}>{locale === 'en' ? d.procedure_en : d.procedure_vi}</Row>
        <Row label={t('desk.col.applicant')}>{d.applicant_name}</Row>
        <Row label={t('desk.col.channel')}>{channelText(t, d.channel)}</Row>
        <Row label={t('desk.col.status')}>
          {statusText(d.status, locale)} ({t('work.nationalCode', { n: String(d.status ?? '') })})
        </Row>
        <Row label={t('desk.col.received')}>{when(d.received_at, locale)}</Row>
        <Row label={t('desk.col.due')}>
          {when(d.due_at, locale)}
          {d.due_at && d.due_at < new Date() && d.status !== 9 && d.status !== 10 && (
            <span class="badge badge-late">{t('work.badge.overdue')}</span>
          )}
          {d.original_due_at && <> ({t('work.apology.moved', { date: when(d.original_due_at, locale) })})</>}
        </Row>
        {step && (
          <Row label={t('work.col.step')}>
            {pick(step.name, locale)} · {t(`role.${step.role}`)} · {t('work.stepDue', { date: when(d.step_due_at, locale) })}
          </Row>
        )}
        {step && <Row label={t('work.col.assignee')}>{p.assignee ?? t('work.unassigned')}</Row>}
        {proposal && (
          <Row label={t('work.proposal')}>
            {t(proposal.decision === 'approve' ? 'work.proposal.approve' : 'work.proposal.reject')}
            {proposal.reason ? `: ${proposal.reason}` : ''}
          </Row>
        )}
        {d.fee_amount !== null && <Row label={t('work.fee')}>{formatCurrency(d.fee_amount, locale)}</Row>}
      </dl>
      <ul class="actions">
        <li>
          <a href={`/work/dossiers/${d.id}/control-sheet`}>{t('work.link.controlSheet')}</a>
        </li>
        {d.apology_at && (
          <li>
            <a href={`/work/dossiers/${d.id}/forms/04.pdf`}>{t('work.link.form04')}</a>
          </li>
        )}
        {p.result?.file_sha256 && (
          <li>
            <a href={`/dossiers/${d.id}/result.pdf`}>{t(p.result.kind === 'approval' ? 'work.link.result' : 'work.link.rejection')}</a>
          </li>
        )}
        {p.result && (
          <li>
            <a href={`/verify/${p.result.verify_token}`}>{t('work.link.verify')}</a>
          </li>
        )}
      </ul>
      <h2>{t('work.documents')}</h2>
      <ul>
        {p.documents.map((x) => (
          <li key={x.id}>
            {pick(x.item === -1 ? OTHER : docs[x.item]!.name, locale)}:{' '}
            {x.paper ? t('dossier.docs.paper') : <a href={`/dossiers/${d.id}/documents/${x.id}`}>{x.file_name}</a>}
          </li>
        ))}
      </ul>
      {p.canAttach && <AttachForm {...p} />}
      <Actions {...p} />
      <h2>{t('work.timeline')}</h2>
      <ol>
        {p.events.map((e) => (
          <li key={e.id}>
            {when(e.at, locale)}: {isMessageKey(`dossier.event.${e.action}`) ? t(`dossier.event.${e.action}` as MessageKey) : e.action}
            {e.actor_name ? ` (${e.actor_name})` : ''}
            {e.note ? `: ${e.note}` : ''}
          </li>
        ))}
      </ol>
    </WorkLayout>
  );
}

function ActionForm(p: {
  ctx: PageContext;
  d: DossierRow;
  action: WorkAction;
  title: string;
  failure: WorkDossierProps['failure'];
  children?: preact.ComponentChildren;
  button: string;
}) {
  const failed = p.failure?.action === p.action;
  return (
    <section aria-labelledby={`act-${p.action}`}>
      <h3 id={`act-${p.action}`}>{p.title}</h3>
      {failed && <FormError t={p.ctx.t} message={p.failure!.message} />}
      <form method="post" action={`/work/dossiers/${p.d.id}/${p.action === 'apology' ? 'apology' : 'act'}`}>
        <CsrfField token={p.ctx.csrfToken} />
        <input type="hidden" name="action" value={p.action} />
        <input type="hidden" name="revision" value={String(p.d.revision)} />
        {p.children}
        <SubmitButton>{p.button}</SubmitButton>
      </form>
    </section>
  );
}

function Actions(p: WorkDossierProps) {
  const { t } = p.ctx;
  const v = (a: WorkAction, k: string) => (p.failure?.action === a ? (p.failure.values[k] ?? '') : '');
  const wf = p.d.workflow as FrozenWorkflow | null;
  const nextIsSign = !!wf && p.d.step_index !== null && wf.steps[p.d.step_index + 1]?.kind === 'sign';
  const docs = (p.d.content as VersionContent).documents;
  const forms: Record<Exclude<WorkAction, 'attach'>, () => preact.JSX.Element> = {
    pass: () => (
      <ActionForm
        {...p}
        action="pass"
        title={t(nextIsSign ? 'work.act.propose' : 'work.act.pass')}
        button={t(nextIsSign ? 'work.act.proposeButton' : 'work.act.passButton')}
      >
        {nextIsSign && (
          <Radios
            t={t}
            name="decision"
            legend={t('work.proposal')}
            value={v('pass', 'decision') || 'approve'}
            options={[
              { value: 'approve', label: t('work.proposal.approve') },
              { value: 'reject', label: t('work.proposal.reject') },
            ]}
          />
        )}
        <TextArea
          t={t}
          id="pass-note"
          name={nextIsSign ? 'reason' : 'note'}
          label={t(nextIsSign ? 'work.field.opinion' : 'desk.field.note')}
          value={v('pass', 'note')}
        />
      </ActionForm>
    ),
    return_step: () => (
      <ActionForm {...p} action="return_step" title={t('work.act.returnStep')} button={t('work.act.returnStepButton')}>
        <TextArea t={t} id="return-reason" name="reason" label={t('work.field.reason')} required value={v('return_step', 'reason')} />
      </ActionForm>
    ),
    request_supplement: () => (
      <ActionForm {...p} action="request_supplement" title={t('work.act.supplement')} button={t('work.act.supplementButton')}>
        <p class="hint">{t('work.act.supplementHint')}</p>
        {[
          ...docs.map((doc, i) => ({ key: String(i), name: pick(doc.name, p.ctx.locale) })),
          { key: 'other', name: pick(OTHER, p.ctx.locale) },
        ].map((x) => (
          <TextField key={x.key} t={t} name={`reason.${x.key}`} label={x.name} value={v('request_supplement', `reason.${x.key}`)} />
        ))}
      </ActionForm>
    ),
    obligation: () => (
      <ActionForm {...p} action="obligation" title={t('work.act.obligation')} button={t('work.act.obligationButton')}>
        <TextField t={t} name="amount" label={t('work.field.amount')} required value={v('obligation', 'amount')} />
        <TextArea t={t} id="obligation-note" name="note" label={t('desk.field.note')} value={v('obligation', 'note')} />
      </ActionForm>
    ),
    approve: () => (
      <ActionForm {...p} action="approve" title={t('work.act.approve')} button={t('work.act.approveButton')}>
        <TextArea t={t} id="approve-decision" name="decision" label={t('work.field.decision')} required value={v('approve', 'decision')} />
        <Medium t={t} value={v('approve', 'medium')} />
      </ActionForm>
    ),
    reject: () => (
      <ActionForm {...p} action="reject" title={t('work.act.reject')} button={t('work.act.rejectButton')}>
        <TextArea t={t} id="reject-reason" name="reason" label={t('work.field.reason')} required value={v('reject', 'reason')} />
        <TextField t={t} name="legalBasis" label={t('work.field.legalBasis')} value={v('reject', 'legalBasis')} />
        <Medium t={t} value={v('reject', 'medium')} />
      </ActionForm>
    ),
    return_result: () => (
      <ActionForm {...p} action="return_result" title={t('work.act.returnResult')} button={t('work.act.returnResultButton')}>
        <Radios
          t={t}
          name="method"
          legend={t('work.field.method')}
          value={v('return_result', 'method') || 'desk'}
          options={(['desk', 'post', 'online'] as const).map((m) => ({ value: m, label: t(`work.method.${m}`) }))}
        />
        <TextField t={t} name="tracking" label={t('work.field.tracking')} value={v('return_result', 'tracking')} />
      </ActionForm>
    ),
    withdraw_accept: () => (
      <ActionForm {...p} action="withdraw_accept" title={t('work.act.withdrawAccept')} button={t('work.act.withdrawAcceptButton')} />
    ),
    withdraw_decline: () => (
      <ActionForm {...p} action="withdraw_decline" title={t('work.act.withdrawDecline')} button={t('work.act.withdrawDeclineButton')}>
        <TextArea t={t} id="decline-reason" name="reason" label={t('work.field.reason')} required value={v('withdraw_decline', 'reason')} />
      </ActionForm>
    ),
    stop: () => (
      <ActionForm {...p} action="stop" title={t('work.act.stop')} button={t('work.act.stopButton')}>
        <TextArea t={t} id="stop-reason" name="reason" label={t('work.field.reason')} required value={v('stop', 'reason')} />
      </ActionForm>
    ),
    apology: () => (
      <ActionForm {...p} action="apology" title={t('work.act.apology')} button={t('work.act.apologyButton')}>
        <p class="hint">{t('work.act.apologyHint')}</p>
        <TextArea t={t} id="apology-reason" name="reason" label={t('work.field.reason')} required value={v('apology', 'reason')} />
        <div class="field">
          <label for="newDate">{t('work.field.newDate')}</label>
          <input id="newDate" name="newDate" type="date" required value={v('apology', 'newDate')} />
        </div>
      </ActionForm>
    ),
  };
  const list: Exclude<WorkAction, 'attach'>[] = [...p.options, ...(p.canApologize ? (['apology'] as const) : [])];
  if (list.length === 0) return <p>{t('work.noActions')}</p>;
  return (
    <>
      <h2>{t('work.actions')}</h2>
      {list.map((a) => (
        <div key={a}>{forms[a]()}</div>
      ))}
    </>
  );
}

function Medium({ t, value }: { t: Translate; value: string }) {
  return (
    <Radios
      t={t}
      name="medium"
      legend={t('work.field.medium')}
      value={value || 'electronic'}
      options={[
        { value: 'electronic', label: t('work.medium.electronic') },
        { value: 'paper', label: t('work.medium.paper') },
      ]}
    />
  );
}

function AttachForm(p: WorkDossierProps) {
  const { t } = p.ctx;
  return (
    <section aria-labelledby="act-attach">
      <h2 id="act-attach">{t('work.attach.title')}</h2>
      {p.failure?.action === 'attach' && <FormError t={t} message={p.failure.message} />}
      <form method="post" action={`/work/dossiers/${p.d.id}/attach`} enctype="multipart/form-data">
        <CsrfField token={p.ctx.csrfToken} />
        <div class="field">
          <label for="attach-file">{t('work.attach.file')}</label>
          <p class="hint" id="attach-hint">
            {t('work.attach.hint')}
          </p>
          <input
            id="attach-file"
            name="file"
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            aria-describedby="attach-hint"
            required
          />
        </div>
        <SubmitButton>{t('work.attach.submit')}</SubmitButton>
      </form>
    </section>
  );
}
