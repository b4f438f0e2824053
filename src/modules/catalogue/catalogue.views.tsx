import type { PageContext } from '../../web/context.js';
import { formatCurrency, type Translate } from '../../web/i18n/index.js';
import type { ProcedureSummary, VersionContent } from './catalogue.schema.js';

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
