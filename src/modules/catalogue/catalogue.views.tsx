import type { PageContext } from '../../web/context.js';
import { formatCurrency, type Translate } from '../../web/i18n/index.js';
import type { ProcedureDetail, ProcedureSummary, VersionContent } from './catalogue.schema.js';

export function timeLimitText(t: Translate, tl: { amount: number; unit: string } | null): string {
  if (!tl) return t('proc.tbc');
  const unit = t(`due.unit.${tl.unit as 'working_days' | 'hours' | 'days' | 'months'}`);
  return `${tl.amount} ${unit}`;
}

export function feeText(ctx: PageContext, fee: VersionContent['fee'] | { amount: number | null } | null): string {
  if (!fee || fee.amount === null) return ctx.t('proc.tbc');
  return fee.amount === 0 ? ctx.t('proc.free') : formatCurrency(fee.amount, ctx.locale);
}

export function onlineText(t: Translate, level: number | null, mode: string | null): string {
  const parts: string[] = [];
  if (mode === 'full' || mode === 'partial' || mode === 'none') parts.push(t(`proc.online.${mode}`));
  if (level) parts.push(t('proc.online.level', { n: level }));
  return parts.join(', ');
}

export function SearchBox({ ctx, q, headingLevel = 2 }: { ctx: PageContext; q?: string; headingLevel?: 1 | 2 }) {
  const { t } = ctx;
  return (
    <form method="get" action="/procedures" role="search" class="search-box">
      <label for="q" class={headingLevel === 1 ? 'visually-hidden' : 'search-label'}>
        {t('proc.search.label')}
      </label>
      <p class="hint" id="q-hint">
        {t('proc.search.hint')}
      </p>
      <div class="search-row">
        <input id="q" name="q" type="search" value={q} aria-describedby="q-hint" maxLength={200} autocomplete="off" />
        <button type="submit" class="button">
          {t('proc.search.submit')}
        </button>
      </div>
    </form>
  );
}

export function ProcedureList({ ctx, items }: { ctx: PageContext; items: ProcedureSummary[] }) {
  const { t, locale } = ctx;
  return (
    <ol class="procedure-list">
      {items.map((p) => (
        <li key={p.code}>
          <h3>
            <a href={`/procedures/${p.code}`}>{p.name[locale] || p.name.vi}</a>
          </h3>
          <p class="meta">
            <span>{p.field.name[locale]}</span> ·{' '}
            <span>{p.levels.map((l) => t(`proc.level.${l as 'city' | 'department' | 'district' | 'commune'}`)).join(', ')}</span> ·{' '}
            <span>
              {t('proc.howLong')}: {timeLimitText(t, p.timeLimit)}
            </span>
            {(p.onlineMode || p.onlineLevel) && <> · {onlineText(t, p.onlineLevel, p.onlineMode)}</>}
          </p>
        </li>
      ))}
    </ol>
  );
}

export function Summary({ ctx, content: c }: { ctx: PageContext; content: VersionContent }) {
  const { t, locale } = ctx;
  const rows: [string, string][] = [
    [t('proc.what'), c.result?.[locale] || c.result?.vi || t('proc.tbc')],
    [t('proc.who'), c.applicants?.[locale] || c.applicants?.vi || t('proc.tbc')],
    [t('proc.where'), c.submitTo?.[locale] || c.submitTo?.vi || t('proc.tbc')],
    [
      t('proc.howLong'),
      `${timeLimitText(t, c.timeLimit)}${c.timeLimit?.note ? ` (${c.timeLimit.note[locale] || c.timeLimit.note.vi})` : ''}`,
    ],
    [t('proc.howMuch'), `${feeText(ctx, c.fee)}${c.fee?.note ? ` (${c.fee.note[locale] || c.fee.note.vi})` : ''}`],
    [t('proc.bring'), t('proc.bringCount', { n: c.documents.length })],
  ];
  return (
    <dl class="summary-list">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DocumentTable({
  ctx,
  documents,
  tick,
}: {
  ctx: PageContext;
  documents: ProcedureDetail['content']['documents'];
  tick?: boolean;
}) {
  const { t, locale } = ctx;
  if (documents.length === 0) return <p>{t('proc.tbc')}</p>;
  return (
    <table>
      <thead>
        <tr>
          {tick && <th scope="col">✓</th>}
          <th scope="col">{t('proc.doc.name')}</th>
          <th scope="col">{t('proc.doc.originals')}</th>
          <th scope="col">{t('proc.doc.copies')}</th>
        </tr>
      </thead>
      <tbody>
        {documents.map((d, i) => (
          <tr key={i}>
            {tick && (
              <td class="tick-box" aria-hidden="true">
                ☐
              </td>
            )}
            <td>
              {d.name[locale] || d.name.vi}
              {d.template && <div class="hint">{t('proc.doc.template', { name: d.template })}</div>}
              {d.note && <div class="hint">{d.note[locale] || d.note.vi}</div>}
            </td>
            <td>{d.originals ?? '?'}</td>
            <td>{d.copies ?? '?'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
