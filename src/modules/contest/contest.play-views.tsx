import { CsrfField, ErrorSummary, TextField, type FieldErrors } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, type MessageKey, type Translate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { SchoolGroup, UnitGroups } from './contest.play.js';
import type { ContestView, RoundView } from './contest.schema.js';

const PHASE: Record<RoundView['phase'], MessageKey> = {
  draft: 'contestPlay.phase.scheduled',
  scheduled: 'contestPlay.phase.scheduled',
  open: 'contestPlay.phase.open',
  closed: 'contestPlay.phase.closed',
};
export const minutes = (s: number) => Math.max(1, Math.round(s / 60));

export function Rules({ t }: { t: Translate }) {
  return (
    <section aria-labelledby="rules-title" class="contest-rules">
      <h2 id="rules-title">{t('contestPlay.rules.title')}</h2>
      <ol>
        <li>{t('contestPlay.rules.register')}</li>
        <li>{t('contestPlay.rules.once')}</li>
        <li>{t('contestPlay.rules.time')}</li>
        <li>{t('contestPlay.rules.score')}</li>
        <li>{t('contestPlay.rules.prediction')}</li>
        <li>{t('contestPlay.rules.tie')}</li>
        <li>{t('contestPlay.rules.results')}</li>
      </ol>
    </section>
  );
}

export function RoundSummary({ ctx, r, n, h2 }: { ctx: PageContext; r: RoundView; n: number; h2?: boolean }) {
  const { t, locale } = ctx;
  const H = h2 ? 'h2' : 'h3';
  return (
    <>
      <H>
        {t('contestPlay.round', { n })} – <span class={`phase phase-${r.phase}`}>{t(PHASE[r.phase])}</span>
      </H>
      <p>
        {t('contestPlay.round.window', {
          from: formatDateTime(new Date(r.opensAt), locale),
          to: formatDateTime(new Date(r.closesAt), locale),
        })}
        <br />
        {t('contestPlay.round.size', { count: r.questionCount, minutes: minutes(r.timeLimitSeconds) })}
      </p>
    </>
  );
}

/** /contest: the contests with published rounds, what to do in each round now, and the rules. */
export function ContestHomePage(p: { ctx: PageContext; contests: { c: ContestView; registeredAs: string | null }[] }) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('contestPlay.title')}>
      <h1>{t('contestPlay.title')}</h1>
      <p class="lead">{t('contestPlay.lead')}</p>
      {p.contests.length === 0 && <p>{t('contestPlay.none')}</p>}
      {p.contests.map(({ c, registeredAs }) => (
        <section key={c.id} class="card contest-card" aria-labelledby={`contest-${c.id}`}>
          <h2 id={`contest-${c.id}`}>{c.title[locale]}</h2>
          {registeredAs ? (
            <p>{t('contestPlay.registeredAs', { name: registeredAs })}</p>
          ) : (
            <p>
              <a class="button" href={`/contest/${c.id}/register`}>
                {t('contestPlay.register.link')}
              </a>
            </p>
          )}
          {c.rounds.map((r, i) => (
            <div key={r.id} class="contest-round">
              <RoundSummary ctx={p.ctx} r={r} n={i + 1} />
              {r.phase === 'open' && (
                <p>
                  <a class="button" href={`/contest/rounds/${r.id}`}>
                    {t('contestPlay.round.enter', { n: i + 1 })}
                  </a>
                </p>
              )}
              {r.phase === 'closed' && (
                <ul class="link-list">
                  <li>
                    <a href={`/contest/rounds/${r.id}`}>{t('contestPlay.round.mine', { n: i + 1 })}</a>
                  </li>
                  <li>
                    <a href={`/contest/rounds/${r.id}/results`}>{t('contestPlay.round.results', { n: i + 1 })}</a>
                  </li>
                  <li>
                    <a href={`/contest/rounds/${r.id}/leaderboard`}>{t('contestPlay.round.leaderboard', { n: i + 1 })}</a>
                  </li>
                </ul>
              )}
            </div>
          ))}
        </section>
      ))}
      <Rules t={t} />
    </Layout>
  );
}

export interface RegisterForm {
  name: string;
  phone: string;
  citizenId: string;
  unitCode: string;
  schoolCode: string;
  round: string;
}

export function RegisterPage(p: {
  ctx: PageContext;
  contest: ContestView;
  units: UnitGroups;
  schools: SchoolGroup[];
  form: RegisterForm;
  errors: FieldErrors;
  error?: MessageKey;
  /** Whether a registration can be continued on this device with an SMS code (contest.recovery.ts). */
  recovery: boolean;
}) {
  const { t, locale } = p.ctx;
  const bad = Object.keys(p.errors).length > 0 || !!p.error;
  const unitError = p.errors.unitCode;
  const schoolError = p.errors.schoolCode;
  // With schools to choose from, the unit is needed only when no school is chosen.
  const withSchools = p.schools.length > 0;
  const recoverHref = `/contest/${p.contest.id}/recover${p.form.round ? `?round=${p.form.round}` : ''}`;
  return (
    <Layout ctx={p.ctx} title={t('contestPlay.register.title')} hasError={bad}>
      <h1>{t('contestPlay.register.title')}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <p>{t('contestPlay.register.lead')}</p>
      {p.recovery && (
        <p>
          <a href={recoverHref}>{t('contestRecovery.link')}</a>
        </p>
      )}
      <ErrorSummary t={t} errors={p.errors} order={['name', 'phone', 'citizenId', 'unitCode', 'schoolCode']} />
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{t(p.error)}</p>
          {p.error === 'err.contest_phone_taken' &&
            (p.recovery ? (
              <p>
                <a href={recoverHref}>{t('contestRecovery.link')}</a>
              </p>
            ) : (
              <p>{t('contestPlay.register.otherDevice')}</p>
            ))}
        </div>
      )}
      <form method="post" action={`/contest/${p.contest.id}/register`} class="contest-register">
        <CsrfField token={p.ctx.csrfToken} />
        <input type="hidden" name="round" value={p.form.round} />
        <TextField
          t={t}
          name="name"
          label={t('contestPlay.register.name')}
          value={p.form.name}
          autocomplete="name"
          required
          maxLength={120}
          error={p.errors.name}
        />
        <PhoneField t={t} value={p.form.phone} error={p.errors.phone} hint={t('contestPlay.register.phoneHint')} />
        <TextField
          t={t}
          name="citizenId"
          inputMode="numeric"
          label={t('contestPlay.register.citizenId')}
          hint={t('contestPlay.register.citizenIdHint')}
          value={p.form.citizenId}
          maxLength={20}
          error={p.errors.citizenId}
        />
        <div class={`field${unitError ? ' field-error' : ''}`}>
          <label for="unitCode">
            {t('contestPlay.register.unit')}{' '}
            <span class="field-flag">{withSchools ? t('contestSchool.register.unitFlag') : t('form.required')}</span>
          </label>
          <p class="hint" id="unitCode-hint">
            {withSchools ? t('contestSchool.register.unitHint') : t('contestPlay.register.unitHint')}
          </p>
          {unitError && (
            <p class="error-message" id="unitCode-error">
              <span class="visually-hidden">{t('form.errorPrefix')} </span>
              {t(unitError)}
            </p>
          )}
          <select
            id="unitCode"
            name="unitCode"
            required={!withSchools}
            aria-invalid={unitError ? 'true' : undefined}
            aria-describedby={unitError ? 'unitCode-hint unitCode-error' : 'unitCode-hint'}
          >
            <option value="">{t('contestPlay.register.unitChoose')}</option>
            {p.units.districts.map((d) => (
              <optgroup key={d.district.code} label={d.district.name[locale]}>
                <option value={d.district.code} selected={p.form.unitCode === d.district.code}>
                  {t('contestPlay.register.wholeDistrict', { name: d.district.name[locale] })}
                </option>
                {d.wards.map((w) => (
                  <option key={w.code} value={w.code} selected={p.form.unitCode === w.code}>
                    {w.name[locale]}
                  </option>
                ))}
              </optgroup>
            ))}
            {p.units.departments.length > 0 && (
              <optgroup label={t('contestPlay.register.departments')}>
                {p.units.departments.map((u) => (
                  <option key={u.code} value={u.code} selected={p.form.unitCode === u.code}>
                    {u.name[locale]}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        {withSchools && (
          <div class={`field${schoolError ? ' field-error' : ''}`}>
            <label for="schoolCode">{t('contestSchool.register.school')}</label>
            <p class="hint" id="schoolCode-hint">
              {t('contestSchool.register.schoolHint')}
            </p>
            {schoolError && (
              <p class="error-message" id="schoolCode-error">
                <span class="visually-hidden">{t('form.errorPrefix')} </span>
                {t(schoolError)}
              </p>
            )}
            <select
              id="schoolCode"
              name="schoolCode"
              aria-invalid={schoolError ? 'true' : undefined}
              aria-describedby={schoolError ? 'schoolCode-hint schoolCode-error' : 'schoolCode-hint'}
            >
              <option value="">{t('contestSchool.register.schoolChoose')}</option>
              {p.schools.map((g) => (
                <optgroup key={g.district.code} label={g.district.name[locale]}>
                  {g.schools.map((s) => (
                    <option key={s.code} value={s.code} selected={p.form.schoolCode === s.code}>
                      {s.name[locale]}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
        )}
        <p class="hint">{t('contestPlay.register.privacy')}</p>
        <button type="submit" class="button button-large">
          {t('contestPlay.register.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** The participant's phone, as registration and recovery (contest.recovery-pages.tsx) both ask for it. */
export function PhoneField(p: { t: Translate; value: string; error: MessageKey | undefined; hint?: string }) {
  return (
    <TextField
      t={p.t}
      name="phone"
      type="tel"
      inputMode="tel"
      label={p.t('contestPlay.register.phone')}
      {...(p.hint === undefined ? {} : { hint: p.hint })}
      value={p.value}
      autocomplete="tel"
      required
      maxLength={20}
      error={p.error}
    />
  );
}
