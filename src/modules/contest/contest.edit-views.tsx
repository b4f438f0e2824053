import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { Layout } from '../../web/layout.js';
import { Input, Problem, type PageError, type RoundForm } from './contest.admin-views.js';

/** A bilingual name: the contest's title or a pool's name. */
export function RenamePage(p: {
  ctx: PageContext;
  contestId: number;
  what: 'contest' | 'pool';
  action: string;
  form: { vi: string; en: string };
  error: PageError;
}) {
  const { t } = p.ctx;
  const title = p.what === 'contest' ? t('contestEdit.contest.title') : t('contestEdit.pool.title');
  const label =
    p.what === 'contest'
      ? ['contestEdit.contest.titleVi', 'contestEdit.contest.titleEn']
      : ['contestBank.pool.nameVi', 'contestBank.pool.nameEn'];
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!p.error}>
      <p>
        <a href={`/admin/contest/${p.contestId}`}>{t('contestBank.back')}</a>
      </p>
      <h1>{title}</h1>
      <Problem ctx={p.ctx} error={p.error} />
      <form method="post" action={p.action} class="rename">
        <CsrfField token={p.ctx.csrfToken} />
        <Input id="nameVi" label={t(label[0] as 'contestEdit.contest.titleVi')} value={p.form.vi} required max={200} />
        <Input id="nameEn" label={t(label[1] as 'contestEdit.contest.titleEn')} value={p.form.en} required max={200} />
        <button type="submit" class="button">
          {t('contestEdit.save')}
        </button>
      </form>
    </Layout>
  );
}

/** A draft round's window, size and time limit, and its deletion. */
export function RoundEditPage(p: { ctx: PageContext; contestId: number; roundId: number; form: RoundForm; error: PageError }) {
  const { t } = p.ctx;
  const base = `/admin/contest/${p.contestId}/rounds/${p.roundId}`;
  return (
    <Layout ctx={p.ctx} title={t('contestEdit.round.title')} hasError={!!p.error}>
      <p>
        <a href={`/admin/contest/${p.contestId}`}>{t('contestBank.back')}</a>
      </p>
      <h1>{t('contestEdit.round.title')}</h1>
      <Problem ctx={p.ctx} error={p.error} />
      <form method="post" action={`${base}/edit`} class="round-edit">
        <CsrfField token={p.ctx.csrfToken} />
        <p class="hint">{t('contestEdit.round.hint')}</p>
        <Input id="opensAt" type="datetime-local" label={t('contestBank.round.opens')} value={p.form.opensAt} required />
        <Input id="closesAt" type="datetime-local" label={t('contestBank.round.closes')} value={p.form.closesAt} required />
        <Input id="questionCount" numeric max={3} label={t('contestBank.round.count')} value={p.form.questionCount} required />
        <Input id="minutes" numeric max={3} label={t('contestBank.round.minutes')} value={p.form.minutes} required />
        <button type="submit" class="button">
          {t('contestEdit.save')}
        </button>
      </form>
      <h2>{t('contestEdit.round.delete')}</h2>
      <form method="post" action={`${base}/delete`} class="round-delete">
        <CsrfField token={p.ctx.csrfToken} />
        <p class="hint">{t('contestEdit.round.deleteHint')}</p>
        <button type="submit" class="button button-secondary">
          {t('contestEdit.round.delete')}
        </button>
      </form>
    </Layout>
  );
}
