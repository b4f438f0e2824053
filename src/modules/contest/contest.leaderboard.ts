import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { translator } from '../../web/i18n/index.js';
import type { ContestEntries } from './contest.entries.js';
import type { LeaderboardLevel, UnitsLeaderboard } from './contest.schema.js';
import { maskPhonePublic, pii } from '../../lib/pii.js';

/** Only the last digits: enough for a winner to recognise themselves, not enough to call them. */
/** Masks a participant's stored (encrypted) phone for public rankings and exports (docs/privacy.md). */
export const maskPhone = (stored: string) => maskPhonePublic(pii().decrypt(stored));

const round2 = (n: number) => Math.round(n * 100) / 100;

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
 * they agree with the published hash even if answers were touched after the close.
 */
export class ContestLeaderboard {
  constructor(
    readonly db: Kysely<DB>,
    private readonly entries: ContestEntries,
  ) {}

  /** Entries and average score per district-level unit and department, per ward (`commune`) or per school (`school`). */
  async units(roundId: number, level: LeaderboardLevel): Promise<UnitsLeaderboard> {
    const ranking = await this.entries.results(roundId);
    if (level === 'school') return { roundId, level, hash: ranking.hash, units: rank(await this.schools(ranking.entries)) };
    const levels = level === 'commune' ? (['commune'] as const) : (['district', 'department'] as const);
    const units = await this.db
      .selectFrom('unit')
      .select(['id', 'code', 'name_vi', 'name_en', 'level', 'path'])
      .where('level', 'in', levels)
      .where('valid_to', 'is', null)
      .execute();
    const byPath = new Map(units.map((u) => [u.path, { u, entries: 0, total: 0 }]));
    const owners = await this.owners(ranking.entries.map((e) => e.entryId));
    for (const e of ranking.entries) {
      const path = owners.get(e.entryId)?.path;
      if (!path) continue;
      // The participant's unit or its nearest ancestor at the reported level (a ward counts for its district).
      const labels = path.split('.');
      for (let n = labels.length; n > 0; n--) {
        const hit = byPath.get(labels.slice(0, n).join('.'));
        if (hit) {
          hit.entries++;
          hit.total += e.score;
          break;
        }
      }
    }
    const rows = [...byPath.values()].map(({ u, entries, total }) =>
      tally(u.code, { vi: u.name_vi, en: u.name_en }, u.level, entries, total),
    );
    return { roundId, level, hash: ranking.hash, units: rank(rows) };
  }

  /** Every school with the entries of the participants registered with it. */
  private async schools(entries: { entryId: number; score: number }[]) {
    const schools = await this.db.selectFrom('school').select(['id', 'code', 'name_vi', 'name_en']).execute();
    const byId = new Map(schools.map((s) => [s.id, { s, entries: 0, total: 0 }]));
    const ofEntry = new Map<number, number>();
    // Chunks keep the parameter count under PostgreSQL's limit on large rounds.
    for (let i = 0; i < entries.length; i += 5000) {
      const rows = await this.db
        .selectFrom('contest_entry as e')
        .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
        .select(['e.id', 'p.school_id'])
        .where(
          'e.id',
          'in',
          entries.slice(i, i + 5000).map((e) => e.entryId),
        )
        .where('p.school_id', 'is not', null)
        .execute();
      for (const r of rows) ofEntry.set(Number(r.id), r.school_id!);
    }
    for (const e of entries) {
      const hit = byId.get(ofEntry.get(e.entryId) ?? -1);
      if (!hit) continue;
      hit.entries++;
      hit.total += e.score;
    }
    return [...byId.values()].map(({ s, entries, total }) => tally(s.code, { vi: s.name_vi, en: s.name_en }, 'school', entries, total));
  }

  private async owners(entryIds: number[]) {
    const out = new Map<number, { name: string; phone: string; path: string; unitVi: string }>();
    // Chunks keep the parameter count under PostgreSQL's limit on large rounds.
    for (let i = 0; i < entryIds.length; i += 5000) {
      const rows = await this.db
        .selectFrom('contest_entry as e')
        .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
        .innerJoin('unit as u', 'u.id', 'p.unit_id')
        .select(['e.id', 'p.name', 'p.phone', 'u.path', 'u.name_vi'])
        .where('e.id', 'in', entryIds.slice(i, i + 5000))
        .execute();
      for (const r of rows) out.set(r.id, { name: r.name, phone: r.phone, path: r.path, unitVi: r.name_vi });
    }
    return out;
  }

  /** The first `top` rows of the frozen ranking as a spreadsheet, phone numbers masked. */
  async winnersXlsx(roundId: number, top: number): Promise<Buffer> {
    const ranking = await this.entries.results(roundId);
    const rows = ranking.entries.slice(0, top);
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
