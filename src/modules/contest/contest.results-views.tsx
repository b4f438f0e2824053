import type { PageContext } from '../../web/context.js';
import { formatDate, formatDateTime, formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { CertificateData } from './contest.certificates.js';
import type { PublicResults } from './contest.play.js';
import type { ContestView, EntryResult, EntryView, UnitsLeaderboard } from './contest.schema.js';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The participant's own result after the close: score, rank, every answer with the key and its explanation. */
export function EntryResultPage(p: {
  ctx: PageContext;
  contest: ContestView;
  number: number;
  view: EntryView;
  result: EntryResult;
  actualAllCorrect: number;
  ranked: number;
}) {
  const { t, locale } = p.ctx;
  const n = (x: number) => formatNumber(x, locale);
  const { view, result } = p;
  const title = t('contestPlay.result.title', { n: p.number });
  const byId = new Map(result.questions.map((q) => [q.id, q]));
  return (
    <Layout ctx={p.ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <dl class="result-figures">
        <div>
          <dt>{t('contestPlay.result.score')}</dt>
          <dd>{t('contestPlay.result.scoreValue', { score: n(result.score), count: n(view.questions.length) })}</dd>
        </div>
        <div>
          <dt>{t('contestPlay.result.rank')}</dt>
          <dd>{result.rank === null ? '–' : t('contestPlay.result.rankValue', { rank: n(result.rank), total: n(p.ranked) })}</dd>
        </div>
        <div>
          <dt>{t('contestPlay.result.prediction')}</dt>
          <dd>{view.submittedAt && view.prediction !== null ? n(view.prediction) : t('contestPlay.result.noPrediction')}</dd>
        </div>
        <div>
          <dt>{t('contestPlay.result.actual')}</dt>
          <dd>{n(p.actualAllCorrect)}</dd>
        </div>
      </dl>
      {result.rank === null && <p class="lead">{t('contestPlay.result.disqualified')}</p>}
      {result.rank !== null && (
        <p>
          <a class="button" href={`/contest/entries/${view.entryId}/certificate.pdf?lang=${locale}`}>
            {t('contestPlay.result.certificate')}
          </a>
        </p>
      )}
      <h2>{t('contestPlay.result.answers')}</h2>
      <ol class="result-questions">
        {view.questions.map((q) => {
          const r = byId.get(q.id)!;
          return (
            <li key={q.id} class={r.right ? 'right' : 'wrong'}>
              <p class="question-text">
                <strong>{r.right ? t('contestPlay.result.right') : t('contestPlay.result.wrong')}</strong> {q.text[locale]}
              </p>
              <ul>
                {q.options.map((o) => {
                  const correct = r.correct.includes(o.id);
                  const chosen = r.chosen.includes(o.id);
                  return (
                    <li key={o.id} class={correct ? 'key' : undefined}>
                      {o.text[locale]}
                      {chosen && <span class="tag">{t('contestPlay.result.yourChoice')}</span>}
                      {correct && <span class="tag tag-key">{t('contestPlay.result.correctAnswer')}</span>}
                    </li>
                  );
                })}
              </ul>
              <p class="explanation">
                <strong>{t('contestPlay.result.explanation')}</strong> {r.explanation[locale]}
                {r.procedureCode && (
                  <>
                    {' '}
                    <a href={`/procedures/${r.procedureCode}`}>{t('contestPlay.result.procedure', { code: r.procedureCode })}</a>
                  </>
                )}
              </p>
            </li>
          );
        })}
      </ol>
      <p>
        <a href={`/contest/rounds/${view.roundId}/results`}>{t('contestPlay.round.results', { n: p.number })}</a>
      </p>
    </Layout>
  );
}

export function PublicResultsPage(p: { ctx: PageContext; contest: ContestView; number: number; r: PublicResults }) {
  const { t, locale } = p.ctx;
  const n = (x: number) => formatNumber(x, locale);
  const { r } = p;
  const title = t('contestPlay.results.title', { n: p.number });
  return (
    <Layout ctx={p.ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <p>{t('contestPlay.results.summary', { total: n(r.total), actual: n(r.actualAllCorrect) })}</p>
      <p>
        <a href={`/contest/rounds/${r.roundId}/leaderboard`}>{t('contestPlay.round.leaderboard', { n: p.number })}</a>
      </p>
      {/* On a phone the table scrolls sideways (focusable, so it scrolls from the keyboard too). */}
      <div
        class="table-scroll"
        tabIndex={0}
        role="region"
        aria-label={t('contestPlay.results.caption', { page: n(r.page), pages: n(r.pages) })}
      >
        <table>
          <caption>{t('contestPlay.results.caption', { page: n(r.page), pages: n(r.pages) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('contestPlay.results.col.rank')}</th>
              <th scope="col">{t('contestPlay.results.col.name')}</th>
              <th scope="col">{t('contestPlay.results.col.phone')}</th>
              <th scope="col">{t('contestPlay.results.col.unit')}</th>
              <th scope="col">{t('contestPlay.results.col.score')}</th>
              <th scope="col">{t('contestPlay.results.col.prediction')}</th>
              <th scope="col">{t('contestPlay.results.col.seconds')}</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((row) => (
              <tr key={row.entryId}>
                <td>{n(row.rank)}</td>
                <td>{row.initials}</td>
                <td>{row.phone}</td>
                <td>{row.unit[locale]}</td>
                <td>{n(row.score)}</td>
                <td>{row.prediction === null ? '–' : n(row.prediction)}</td>
                <td>{n(seconds(row.timeTakenMs))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.pages > 1 && (
        <nav aria-label={t('contestPlay.results.pages')} class="pager">
          {r.page > 1 && <a href={`/contest/rounds/${r.roundId}/results?page=${r.page - 1}`}>{t('contestPlay.results.prev')}</a>}{' '}
          {r.page < r.pages && <a href={`/contest/rounds/${r.roundId}/results?page=${r.page + 1}`}>{t('contestPlay.results.next')}</a>}
        </nav>
      )}
      <section aria-labelledby="verify-title">
        <h2 id="verify-title">{t('contestPlay.results.verify.title')}</h2>
        <p>{t('contestPlay.results.verify.frozen', { date: formatDateTime(new Date(r.rankedAt), locale) })}</p>
        {r.version > 1 && (
          <>
            <p>{t('contestPlay.results.versions', { version: n(r.version) })}</p>
            <ul>
              {r.history.map((h) => (
                <li key={h.version}>
                  <a href={`/api/v1/contest/rounds/${r.roundId}/results/ranking.json?version=${h.version}`}>
                    {t('contestPlay.results.versionItem', { version: n(h.version), date: formatDateTime(new Date(h.rankedAt), locale) })}
                  </a>{' '}
                  <code class="hash">{h.hash}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        <p>
          {t('contestPlay.results.verify.hash')} <code class="hash">{r.hash}</code>
        </p>
        <ol>
          <li>
            {t('contestPlay.results.verify.step1')}{' '}
            <a href={`/api/v1/contest/rounds/${r.roundId}/results/ranking.json?version=${r.version}`} download>
              {`contest-round-${r.roundId}-ranking-v${r.version}.json`}
            </a>
          </li>
          <li>{t('contestPlay.results.verify.step2')}</li>
          <li>{t('contestPlay.results.verify.step3')}</li>
        </ol>
      </section>
    </Layout>
  );
}

const BOARD_LEAD: Record<UnitsLeaderboard['level'], MessageKey> = {
  district: 'contestPlay.board.districtLead',
  commune: 'contestPlay.board.communeLead',
  school: 'contestSchool.board.schoolLead',
};
/** The leaderboard's levels as links; the page shows the ones other than its own. */
const BOARD_LINKS = [
  ['district', '', 'contestPlay.board.showDistricts'],
  ['commune', '?level=commune', 'contestPlay.board.showCommunes'],
  ['school', '?level=school', 'contestSchool.board.showSchools'],
] as const;

export function LeaderboardPage(p: { ctx: PageContext; contest: ContestView; number: number; b: UnitsLeaderboard }) {
  const { t, locale } = p.ctx;
  const n = (x: number) => formatNumber(x, locale);
  const { b } = p;
  const title = t('contestPlay.board.title', { n: p.number });
  const others = BOARD_LINKS.filter(([level]) => level !== b.level);
  return (
    <Layout ctx={p.ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <p>{t(BOARD_LEAD[b.level])}</p>
      <ul class="link-list">
        {others.map(([level, query, label]) => (
          <li key={level}>
            <a href={`/contest/rounds/${b.roundId}/leaderboard${query}`}>{t(label)}</a>
          </li>
        ))}
      </ul>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('contestPlay.results.col.rank')}</th>
            <th scope="col">{t(b.level === 'school' ? 'contestSchool.board.col.school' : 'contestPlay.board.col.unit')}</th>
            <th scope="col">{t('contestPlay.board.col.entries')}</th>
            <th scope="col">{t('contestPlay.board.col.average')}</th>
          </tr>
        </thead>
        <tbody>
          {b.units.map((u) => (
            <tr key={u.unitCode}>
              <td>{n(u.rank)}</td>
              <td>{u.name[locale]}</td>
              <td>{n(u.entries)}</td>
              <td>{u.averageScore === null ? '–' : n(u.averageScore)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        {t('contestPlay.board.hash')} <code class="hash">{b.hash}</code>
      </p>
      <p>
        <a href={`/contest/rounds/${b.roundId}/results`}>{t('contestPlay.round.results', { n: p.number })}</a>
      </p>
    </Layout>
  );
}

export function CertificatePage(p: { ctx: PageContext; c: (Omit<CertificateData, 'unit'> & { unit: null }) | null; code: string }) {
  const { t, locale } = p.ctx;
  const n = (x: number) => formatNumber(x, locale);
  const { c } = p;
  return (
    <Layout ctx={p.ctx} title={t('contestPlay.verify.title')} hasError={!c}>
      <h1>{t('contestPlay.verify.title')}</h1>
      {c ? (
        <div class="success" role="status">
          <h2>{t('contestPlay.verify.genuine')}</h2>
          <dl>
            <dt>{t('contestPlay.verify.code')}</dt>
            <dd>{c.code}</dd>
            <dt>{t('contestPlay.verify.name')}</dt>
            <dd>{c.name}</dd>
            <dt>{t('contestPlay.verify.round')}</dt>
            <dd>
              {c.contest[locale]} – {t('contestPlay.round', { n: c.roundNumber })}
            </dd>
            <dt>{t('contestPlay.result.score')}</dt>
            <dd>{t('contestPlay.result.scoreValue', { score: n(c.score), count: n(c.questionCount) })}</dd>
            <dt>{t('contestPlay.result.rank')}</dt>
            <dd>{t('contestPlay.result.rankValue', { rank: n(c.rank), total: n(c.ranked) })}</dd>
            <dt>{t('contestPlay.verify.issued')}</dt>
            <dd>{formatDate(c.issuedAt, locale)}</dd>
          </dl>
        </div>
      ) : (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('contestPlay.verify.notGenuine')}</h2>
          <p>{t('err.contest_certificate_not_found')}</p>
          <p>{t('contestPlay.verify.codeTyped', { code: p.code })}</p>
        </div>
      )}
    </Layout>
  );
}
