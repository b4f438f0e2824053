import type { VersionContent } from '../../modules/catalogue/catalogue.schema.js';
import { AWAITING_DESK, canApply } from '../../domain/dossier/status.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, SubmitButton, TextField } from '../../web/components/form.js';
import { formatCurrency } from '../../web/i18n/index.js';
import { type ComponentChildren } from 'preact';
import type { DossierRow } from './dossier.repo.js';
import { pick, TextArea } from './desk.views.js';
import { OTHER, type CheckPageProps, type DeskAction } from './desk.check.js';

// The desk's decisions on a dossier: each a small form carrying the revision the officer saw.

function ActionForm(p: {
  ctx: PageContext;
  d: DossierRow;
  action: DeskAction;
  title: string;
  children: ComponentChildren;
  multipart?: boolean;
}) {
  return (
    <section aria-labelledby={`action-${p.action}`}>
      <h3 id={`action-${p.action}`}>{p.title}</h3>
      <form method="post" action={`/desk/dossiers/${p.d.id}/${p.action}`} enctype={p.multipart ? 'multipart/form-data' : undefined}>
        <CsrfField token={p.ctx.csrfToken} />
        <input type="hidden" name="revision" value={String(p.d.revision)} />
        {p.children}
      </form>
    </section>
  );
}

export function Actions(p: CheckPageProps) {
  const { ctx, d } = p;
  const { t, locale } = ctx;
  const content = d.content as VersionContent;
  const v = p.failure?.values ?? {};
  const deciding = AWAITING_DESK.includes(d.status as 1 | 5);
  const outstanding = d.fee_amount === null ? 0 : Math.max(0, d.fee_amount - p.paid);
  const canPay = outstanding > 0 && canApply('pay', d.status);
  if (!deciding && !canPay) return null;
  const have = new Set(p.documents.map((x) => x.item));
  const notProvided = content.documents.flatMap((doc, i) => (have.has(i) ? [] : [{ i, name: pick(doc.name, locale) }]));
  const items = content.documents.map((doc, i) => ({ i, key: String(i), name: pick(doc.name, locale) }));
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('desk.check.actions')}</h2>
      {deciding && notProvided.length > 0 && (
        <ActionForm ctx={ctx} d={d} action="paper" title={t('desk.paper.title')}>
          <fieldset class="field">
            <legend>{t('desk.paper.legend')}</legend>
            {notProvided.map((x) => (
              <div class="radio" key={x.i}>
                <input type="checkbox" id={`paper.${x.i}`} name={`paper.${x.i}`} value="1" checked={v[`paper.${x.i}`] === '1'} />
                <label for={`paper.${x.i}`}>{x.name}</label>
              </div>
            ))}
          </fieldset>
          <SubmitButton>{t('desk.paper.submit')}</SubmitButton>
        </ActionForm>
      )}
      {deciding && (
        <ActionForm ctx={ctx} d={d} action="scan" title={t('desk.scan.title')} multipart>
          <div class="field">
            <label for="scan-item">{t('desk.scan.item')}</label>
            <select id="scan-item" name="item">
              {items.map((x) => (
                <option key={x.key} value={x.key}>
                  {x.name}
                </option>
              ))}
              <option value="-1">{pick(OTHER, locale)}</option>
            </select>
          </div>
          <div class="field">
            <label for="scan-file">{t('desk.scan.file')}</label>
            <input type="file" id="scan-file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
          </div>
          <SubmitButton>{t('desk.scan.submit')}</SubmitButton>
        </ActionForm>
      )}
      {deciding && (
        <ActionForm ctx={ctx} d={d} action="receive" title={t('desk.receive.title')}>
          <p class="hint">{t('desk.receive.hint')}</p>
          <TextArea
            t={t}
            id="receive-note"
            name="note"
            label={t('desk.field.note')}
            value={p.failure?.action === 'receive' ? v.note : ''}
          />
          <SubmitButton>{t('desk.receive.submit')}</SubmitButton>
        </ActionForm>
      )}
      {deciding && (
        <ActionForm ctx={ctx} d={d} action="supplement" title={t('desk.sup.title')}>
          <p class="hint">{t('desk.sup.hint')}</p>
          <fieldset class="field">
            <legend>{t('desk.sup.legend')}</legend>
            {[...items, { i: -1, key: 'other', name: pick(OTHER, locale) }].map((x) => (
              <fieldset class="field" key={x.key}>
                <legend>{x.name}</legend>
                <div class="radio">
                  <input type="checkbox" id={`sup.${x.key}`} name={`sup.${x.key}`} value="1" checked={v[`sup.${x.key}`] === '1'} />
                  <label for={`sup.${x.key}`}>{t('desk.sup.ask')}</label>
                </div>
                <TextField t={t} name={`reason.${x.key}`} label={t('desk.sup.reason')} value={v[`reason.${x.key}`] ?? ''} maxLength={500} />
              </fieldset>
            ))}
          </fieldset>
          <TextArea
            t={t}
            id="supplement-note"
            name="note"
            label={t('desk.field.note')}
            value={p.failure?.action === 'supplement' ? v.note : ''}
          />
          <SubmitButton>{t('desk.sup.submit')}</SubmitButton>
        </ActionForm>
      )}
      {deciding && (
        <ActionForm ctx={ctx} d={d} action="refuse" title={t('desk.refuse.title')}>
          <TextArea t={t} name="reason" label={t('desk.refuse.reason')} value={v.reason} required />
          <TextField t={t} name="legalBasis" label={t('desk.refuse.legalBasis')} value={v.legalBasis ?? ''} maxLength={500} />
          <SubmitButton>{t('desk.refuse.submit')}</SubmitButton>
        </ActionForm>
      )}
      {canPay && (
        <ActionForm ctx={ctx} d={d} action="cash" title={t('desk.cash.title')}>
          <input type="hidden" name="amount" value={String(outstanding)} />
          <p>{t('desk.cash.lead', { amount: formatCurrency(outstanding, locale) })}</p>
          <SubmitButton>{t('desk.cash.submit')}</SubmitButton>
        </ActionForm>
      )}
    </section>
  );
}
