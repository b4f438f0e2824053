import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { translator } from '../../web/i18n/index.js';
import type { ContestEntries } from './contest.entries.js';
import type { LeaderboardLevel, UnitsLeaderboard } from './contest.schema.js';
import { maskPhonePublic, pii } from '../../lib/pii.js';

/** Only the last digits: enough for a winner to recognise themselves, not enough to call them. */
/** Masks a participant's stored (encrypted) phone for public rankings and exports (docs/privacy.md). */
export const maskPhone = (stored: string) => maskPhonePublic(pii().decrypt(stored));

const round2 = (n: number) => Math.round(n * 100) / 100;
const FIGURES_TTL_MS = 5 * 60_000;
const MAX_FIGURES = 200;

type Row = Omit<UnitsLeaderboard['units'][number], 'rank'>;
const tally = (code: string, name: Row['name'], level: string, entries: number, total: number): Row => ({
  unitCode: code,
  name,
  level,
  entries,
  averageScore: entries ? round2(total / entries) : null,
});

/** Most entries first, then the higher average; equal figures share a rank. */
function rank(rows: Row[]): UnitsLeaderboard['units'] {
  rows.sort((a, b) => b.entries - a.entries || (b.averageScore ?? -1) - (a.averageScore ?? -1) || a.unitCode.localeCompare(b.unitCode));
  let r = 0;
  return rows.map((row, i) => {
    const prev = rows[i - 1];
    if (!prev || prev.entries !== row.entries || prev.averageScore !== row.averageScore) r = i + 1;
    return { rank: r, ...row };
  });
}

/**
 * Per-unit figures and the winners list, both read from the frozen ranking (never rescored), so
 * they agree with the published hash even if answers were touched after the close. The per-unit
 * figures are one aggregate in the database over the ranking's rows: a round of 600,000 entries
 * never comes to Node.
 */
export class ContestLeaderboard {
  constructor(
    readonly db: Kysely<DB>,
    private readonly entries: ContestEntries,
  ) {}

  /**
   * A version's figures per level, kept a few minutes: a version never changes, and a round of
   * 600,000 entries costs about a second of the database per computation (bench/README.md) on a
   * public page. Only unit names and retirements can be that much behind.
   */
  readonly #figures = new Map<string, { at: number; rows: Promise<Row[]> }>();

  /** Entries and average score per district-level unit and department, per ward (`commune`) or per school (`school`). */
  async units(roundId: number, level: LeaderboardLevel, now = Date.now()): Promise<UnitsLeaderboard> {
    const ranking = await this.entries.results(roundId);
    const key = `${roundId}:${ranking.version}:${level}`;
    let hit = this.#figures.get(key);
    if (!hit || now - hit.at > FIGURES_TTL_MS) {
      if (this.#figures.size >= MAX_FIGURES) this.#figures.delete(this.#figures.keys().next().value!);
      const rows = level === 'school' ? this.schools(roundId, ranking.version) : this.areas(roundId, ranking.version, level);
      hit = { at: now, rows };
      this.#figures.set(key, hit);
      // A failure is not kept: the next request tries again.
      rows.catch(() => this.#figures.get(key) === hit && this.#figures.delete(key));
    }
    return { roundId, level, hash: ranking.hash, units: rank([...(await hit.rows)]) };
  }

  /**
   * Every current unit of the reported level with the entries of participants registered with it
   * or below it: a ward counts for its district (the nearest ancestor at the level).
   */
  private async areas(roundId: number, version: number, level: 'district' | 'commune'): Promise<Row[]> {
    const levels = level === 'commune' ? ['commune'] : ['district', 'department'];
    const { rows } = await sql<{ code: string; name_vi: string; name_en: string; level: string; entries: number; total: number }>`
      with per_unit as (
        select p.unit_id, count(*)::int as entries, sum(r.score)::bigint as total
        from contest_ranking_entry r
        join contest_entry e on e.id = r.entry_id
        join contest_participant p on p.id = e.participant_id
        where r.round_id = ${roundId} and r.version = ${version}
        group by p.unit_id
      ), target as (
        select id, code, name_vi, name_en, level, path from unit where level = any(${levels}::text[]) and valid_to is null
      ), mapped as (
        select (select t.id from target t where t.path @> u.path order by nlevel(t.path) desc limit 1) as target_id, pu.entries, pu.total
        from per_unit pu join unit u on u.id = pu.unit_id
      )
      select t.code, t.name_vi, t.name_en, t.level, coalesce(sum(m.entries), 0)::int as entries, coalesce(sum(m.total), 0)::float8 as total
      from target t left join mapped m on m.target_id = t.id
      group by t.id, t.code, t.name_vi, t.name_en, t.level`.execute(this.db);
    return rows.map((u) => tally(u.code, { vi: u.name_vi, en: u.name_en }, u.level, u.entries, Number(u.total)));
  }

  /** Every school with the entries of the participants registered with it. */
  private async schools(roundId: number, version: number): Promise<Row[]> {
    const { rows } = await sql<{ code: string; name_vi: string; name_en: string; entries: number; total: number }>`
      with per_school as (
        select p.school_id, count(*)::int as entries, sum(r.score)::bigint as total
        from contest_ranking_entry r
        join contest_entry e on e.id = r.entry_id
        join contest_participant p on p.id = e.participant_id
        where r.round_id = ${roundId} and r.version = ${version} and p.school_id is not null
        group by p.school_id
      )
      select s.code, s.name_vi, s.name_en, coalesce(x.entries, 0)::int as entries, coalesce(x.total, 0)::float8 as total
      from school s left join per_school x on x.school_id = s.id`.execute(this.db);
    return rows.map((s) => tally(s.code, { vi: s.name_vi, en: s.name_en }, 'school', s.entries, Number(s.total)));
  }

  /** The people behind a few entries (the winners list is at most 1,000 rows). */
  private async owners(entryIds: number[]) {
    if (entryIds.length === 0) return new Map<number, { name: string; phone: string; unitVi: string }>();
    const rows = await this.db
      .selectFrom('contest_entry as e')
      .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['e.id', 'p.name', 'p.phone', 'u.name_vi'])
      .where('e.id', 'in', entryIds)
      .execute();
    return new Map(rows.map((r) => [r.id, { name: r.name, phone: r.phone, unitVi: r.name_vi }]));
  }

  /** The first `top` rows of the frozen ranking as a spreadsheet, phone numbers masked. */
  async winnersXlsx(roundId: number, top: number): Promise<Buffer> {
    const ranking = await this.entries.results(roundId);
    const rows = await this.entries.ranking.entries(roundId, ranking.version, 0, top);
    const owners = await this.owners(rows.map((e) => e.entryId));
    // The list goes to the city's prize committee: Vietnamese headers whatever the admin's language.
    const t = translator('vi');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(t('contest.winners.sheet'));
    ws.columns = [
      { header: t('contest.winners.col.rank'), key: 'rank', width: 8 },
      { header: t('contest.winners.col.name'), key: 'name', width: 28 },
      { header: t('contest.winners.col.phone'), key: 'phone', width: 16 },
      { header: t('contest.winners.col.unit'), key: 'unit', width: 36 },
      { header: t('contest.winners.col.score'), key: 'score', width: 12 },
      { header: t('contest.winners.col.prediction'), key: 'prediction', width: 12 },
      { header: t('contest.winners.col.seconds'), key: 'seconds', width: 14 },
      { header: t('contest.winners.col.submittedAt'), key: 'submittedAt', width: 22 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const e of rows) {
      const o = owners.get(e.entryId);
      ws.addRow({
        rank: e.rank,
        name: o?.name ?? '',
        phone: o ? maskPhone(o.phone) : '',
        unit: o?.unitVi ?? '',
        score: e.score,
        prediction: e.prediction,
        seconds: e.timeTakenMs / 1000,
        submittedAt: new Date(e.submittedAt),
      });
    }
    ws.getColumn('submittedAt').numFmt = 'dd/mm/yyyy hh:mm:ss';
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}
