import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import type { ContestAdmin } from './contest.admin.js';
import type { ContestEntries } from './contest.entries.js';
import { maskPhone } from './contest.leaderboard.js';
import type { ContestView, RoundView } from './contest.schema.js';

/** Rows per page of the public results (600,000 entries cannot go on one page). */
export const RESULTS_PAGE = 50;
/** Default and largest page of the results API. */
export const API_RESULTS_PAGE = 1000;

/** "Nguyễn Thị Hoa" -> "N.T.H.": enough to recognise oneself in a public list, not to identify anyone. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0]!.toLocaleUpperCase('vi')}.`)
    .join('');

export interface UnitChoice {
  code: string;
  name: { vi: string; en: string };
}
/** Registration choices: each district with its wards (the district itself first), then the departments. */
export interface UnitGroups {
  districts: { district: UnitChoice; wards: UnitChoice[] }[];
  departments: UnitChoice[];
}

export interface SchoolGroup {
  district: UnitChoice;
  schools: UnitChoice[];
}

/**
 * What the participant pages need beyond the contest API: the list of current contests, the unit
 * choices, the participant's entry of a round and the public view of the frozen ranking. The rules
 * (registration, timing, scoring, ranking) stay in ContestEntries.
 */
export class ContestPlay {
  constructor(
    readonly db: Kysely<DB>,
    private readonly admin: ContestAdmin,
    private readonly entries: ContestEntries,
  ) {}

  /** Contests with at least one published round, newest first. */
  async current(now = new Date()): Promise<ContestView[]> {
    const rows = await this.db
      .selectFrom('contest_round')
      .select('contest_id')
      .distinct()
      .where('state', '=', 'published')
      .orderBy('contest_id', 'desc')
      .limit(10)
      .execute();
    return Promise.all(rows.map((r) => this.admin.contest(r.contest_id, { drafts: false }, now)));
  }

  async hasPublishedRound(): Promise<boolean> {
    return !!(await this.db.selectFrom('contest_round').select('id').where('state', '=', 'published').limit(1).executeTakeFirst());
  }

  /** A published round with its contest and its number within the contest ("Đợt 2"). */
  async round(roundId: number, now = new Date()) {
    const r = await this.db.selectFrom('contest_round').select(['id', 'contest_id', 'state']).where('id', '=', roundId).executeTakeFirst();
    if (!r || r.state !== 'published') throw new AppError('contest_round_not_found');
    const contest = await this.admin.contest(r.contest_id, { drafts: false }, now);
    const index = contest.rounds.findIndex((x) => x.id === roundId);
    return { contest, round: contest.rounds[index]! as RoundView, number: index + 1 };
  }

  async unitGroups(): Promise<UnitGroups> {
    const units = await this.db
      .selectFrom('unit')
      .select(['id', 'code', 'name_vi', 'name_en', 'level', 'parent_id'])
      .where('level', 'in', ['district', 'commune', 'department'])
      .where('valid_to', 'is', null)
      .orderBy('name_vi')
      .execute();
    const choice = (u: (typeof units)[number]): UnitChoice => ({ code: u.code, name: { vi: u.name_vi, en: u.name_en } });
    const districts = new Map(
      units.filter((u) => u.level === 'district').map((u) => [u.id, { district: choice(u), wards: [] as UnitChoice[] }]),
    );
    for (const u of units) if (u.level === 'commune' && u.parent_id !== null) districts.get(u.parent_id)?.wards.push(choice(u));
    return { districts: [...districts.values()], departments: units.filter((u) => u.level === 'department').map(choice) };
  }

  /** Schools for registration, grouped by the district they lie in (a ward's school under the ward's district). */
  async schoolGroups(): Promise<SchoolGroup[]> {
    const rows = await this.db
      .selectFrom('school as s')
      .innerJoin('unit as u', 'u.id', 's.unit_id')
      .leftJoin('unit as d', 'd.id', 'u.parent_id')
      .select(['s.code', 's.name_vi', 's.name_en', 'u.level', 'u.code as u_code', 'u.name_vi as u_vi', 'u.name_en as u_en'])
      .select(['d.code as d_code', 'd.name_vi as d_vi', 'd.name_en as d_en'])
      .orderBy('s.name_vi')
      .execute();
    const groups = new Map<string, SchoolGroup>();
    for (const r of rows) {
      const district: UnitChoice =
        r.level === 'commune' && r.d_code
          ? { code: r.d_code, name: { vi: r.d_vi!, en: r.d_en! } }
          : { code: r.u_code, name: { vi: r.u_vi, en: r.u_en } };
      const g = groups.get(district.code) ?? { district, schools: [] };
      g.schools.push({ code: r.code, name: { vi: r.name_vi, en: r.name_en } });
      groups.set(district.code, g);
    }
    return [...groups.values()].sort((a, b) => a.district.name.vi.localeCompare(b.district.name.vi, 'vi'));
  }

  /** The participant behind a token, or null when the token is missing or unknown (a page then offers registration). */
  async participantOrNull(token: string | undefined) {
    try {
      const p = await this.entries.participant(token);
      return this.db
        .selectFrom('contest_participant')
        .select(['id', 'contest_id', 'name'])
        .where('id', '=', p.id)
        .executeTakeFirstOrThrow();
    } catch (e) {
      if (e instanceof AppError && e.code === 'contest_token_invalid') return null;
      throw e;
    }
  }

  async entryIdOf(participantId: number, roundId: number): Promise<number | null> {
    const e = await this.db
      .selectFrom('contest_entry')
      .select('id')
      .where('participant_id', '=', participantId)
      .where('round_id', '=', roundId)
      .executeTakeFirst();
    return e ? Number(e.id) : null;
  }

  /** The round and contest an entry belongs to (the pages pick the participant's cookie by contest). */
  async entryRound(entryId: number) {
    const e = await this.db
      .selectFrom('contest_entry as e')
      .innerJoin('contest_round as r', 'r.id', 'e.round_id')
      .select(['e.round_id', 'r.contest_id'])
      .where('e.id', '=', entryId)
      .executeTakeFirst();
    if (!e) throw new AppError('contest_entry_not_found');
    return { roundId: e.round_id, contestId: e.contest_id };
  }

  /**
   * One page of a version of the frozen ranking (the latest unless asked), for the API: the whole
   * ranking of a large round is the published text (`text`), not one answer.
   */
  async resultsPage(roundId: number, q: { version?: number; page?: number; pageSize?: number }, now = new Date()) {
    const ranking = await this.entries.results(roundId, now, q.version);
    const pageSize = q.pageSize ?? API_RESULTS_PAGE;
    const page = q.page ?? 1;
    const pages = Math.max(1, Math.ceil(ranking.total / pageSize));
    if (page > pages) throw new AppError('contest_results_page_not_found', { pages: String(pages) });
    const entries = await this.entries.ranking.entries(roundId, ranking.version, (page - 1) * pageSize, pageSize);
    return { ...ranking, page, pageSize, pages, entries };
  }

  /** One page of the frozen ranking, people shown by initials and masked phone only. */
  async publicResults(roundId: number, page: number, now = new Date(), pageSize = RESULTS_PAGE) {
    const ranking = await this.entries.results(roundId, now);
    const pages = Math.max(1, Math.ceil(ranking.total / pageSize));
    if (page > pages) throw new AppError('not_found');
    const slice = await this.entries.ranking.entries(roundId, ranking.version, (page - 1) * pageSize, pageSize);
    const people = slice.length
      ? await this.db
          .selectFrom('contest_entry as e')
          .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
          .innerJoin('unit as u', 'u.id', 'p.unit_id')
          .select(['e.id', 'p.name', 'p.phone', 'u.name_vi', 'u.name_en'])
          .where(
            'e.id',
            'in',
            slice.map((s) => s.entryId),
          )
          .execute()
      : [];
    const byEntry = new Map(people.map((p) => [Number(p.id), p]));
    return {
      roundId,
      hash: ranking.hash,
      rankedAt: ranking.rankedAt,
      version: ranking.version,
      history: ranking.history,
      actualAllCorrect: ranking.actualAllCorrect,
      total: ranking.total,
      page,
      pages,
      rows: slice.map((s) => {
        const who = byEntry.get(s.entryId);
        return {
          ...s,
          initials: who ? initials(who.name) : '',
          phone: who ? maskPhone(who.phone) : '',
          unit: { vi: who?.name_vi ?? '', en: who?.name_en ?? '' },
        };
      }),
    };
  }
}
export type PublicResults = Awaited<ReturnType<ContestPlay['publicResults']>>;
