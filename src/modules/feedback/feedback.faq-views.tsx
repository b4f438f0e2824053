import type { PageContext } from '../../web/context.js';
import { CsrfField } from '../../web/components/form.js';
import type { FaqOffer } from './feedback.faq.js';

/** On a published item: the link to its FAQ entry, or the prefilled form that makes one. */
export function FaqOfferSection(p: { ctx: PageContext; code: string; offer: FaqOffer; error?: string }) {
  const { t } = p.ctx;
  const { offer } = p;
  return (
    <section aria-labelledby="faq-offer-title">
      <h2 id="faq-offer-title">{t('feedback.faq.title')}</h2>
      {offer.entryId !== null ? (
        <p>
          {t('feedback.faq.exists')} <a href={`/work/faq/${offer.entryId}/edit`}>{t('feedback.faq.edit')}</a>
        </p>
      ) : (
        <form method="post" action={`/work/feedback/${p.code}/faq`} class="feedback-action">
          {p.error && (
            <div class="error-summary" role="alert" tabIndex={-1}>
              <p>{p.error}</p>
            </div>
          )}
          <CsrfField token={p.ctx.csrfToken} />
          <p class="hint">{t('feedback.faq.lead')}</p>
          <div class="field">
            <label for="faq-question">{t('feedback.faq.question')}</label>
            <textarea id="faq-question" name="question" rows={3} maxLength={500} required>
              {offer.draft.question}
            </textarea>
          </div>
          <div class="field">
            <label for="faq-answer">{t('feedback.faq.answer')}</label>
            <textarea id="faq-answer" name="answer" rows={8} maxLength={10000} required>
              {offer.draft.answer}
            </textarea>
          </div>
          <div class="field">
            <label for="faq-procedures">{t('feedback.faq.procedures')}</label>
            <p class="hint" id="faq-procedures-hint">
              {t('feedback.faq.proceduresHint')}
            </p>
            <input
              id="faq-procedures"
              name="procedures"
              value={offer.draft.procedureCodes.join(', ')}
              maxLength={400}
              aria-describedby="faq-procedures-hint"
            />
          </div>
          <button type="submit" class="button">
            {t('feedback.faq.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
