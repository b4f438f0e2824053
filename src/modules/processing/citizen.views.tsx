import type { PageContext } from '../../web/context.js';
import { CsrfField, FormError, SubmitButton } from '../../web/components/form.js';
import type { MessageKey } from '../../web/i18n/index.js';
import { TextArea, when } from '../dossiers/desk.views.js';

export interface CitizenProcessing {
  id: number;
  status: number | null;
  revision: number;
  dueAt: Date | null;
  originalDueAt: Date | null;
  apologyAt: Date | null;
  returnedAt: Date | null;
  result: { kind: string; medium: string; verify_token: string; file_sha256: string | null } | null;
  canWithdraw: boolean;
}

/** On the applicant's dossier page: the result, an apology for lateness, and asking to withdraw. */
export function CitizenProcessingSection({ ctx, p, error }: { ctx: PageContext; p: CitizenProcessing; error: MessageKey | null }) {
  const { t, locale } = ctx;
  return (
    <>
      {p.apologyAt && p.originalDueAt && (
        <div class="notice">
          <h2>{t('citizen.apology.title')}</h2>
          <p>{t('citizen.apology.text', { from: when(p.originalDueAt, locale), to: when(p.dueAt, locale) })}</p>
          <p>
            <a href={`/work/dossiers/${p.id}/forms/04.pdf`}>{t('citizen.apology.letter')}</a>
          </p>
        </div>
      )}
      {p.result && (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{t(p.result.kind === 'approval' ? 'citizen.result.title' : 'citizen.result.rejected')}</h2>
          {p.result.file_sha256 ? (
            <>
              <p>{t(p.status === 10 ? 'citizen.result.downloaded' : 'citizen.result.ready')}</p>
              <p>
                <a class="button" href={`/dossiers/${p.id}/result.pdf`}>
                  {t('citizen.result.download')}
                </a>
              </p>
              <p>
                <a href={`/verify/${p.result.verify_token}`}>{t('citizen.result.verify')}</a>
              </p>
            </>
          ) : (
            <p>{t('citizen.result.paper')}</p>
          )}
        </section>
      )}
      {p.canWithdraw && (
        <details open={!!error}>
          <summary>{t('citizen.withdraw.title')}</summary>
          <FormError t={t} message={error ?? undefined} />
          <form method="post" action={`/dossiers/${p.id}/withdraw`}>
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="revision" value={String(p.revision)} />
            <p class="hint">{t('citizen.withdraw.hint')}</p>
            <TextArea t={t} id="withdraw-reason" name="reason" label={t('citizen.withdraw.reason')} required />
            <SubmitButton>{t('citizen.withdraw.submit')}</SubmitButton>
          </form>
        </details>
      )}
    </>
  );
}
