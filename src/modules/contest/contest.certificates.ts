import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import type { ContestEntries } from './contest.entries.js';
import { initials, type ContestPlay } from './contest.play.js';

// Crockford's base32 (no I, L, O, U): read aloud or typed from paper without confusing 0/O or 1/I.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols of 5 bits = 100 random bits, shown in groups of four: not guessable, not enumerable. */
export function certificateCode(): string {
  const s = Array.from({ length: 20 }, () => ALPHABET[randomInt(32)]).join('');
  return s.match(/.{4}/g)!.join('-');
}

/** What a person types or scans: spaces, lower case and missing dashes are accepted. */
export function normalizeCertificateCode(raw: string): string | null {
  const s = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{20}$/.test(s) ? s.match(/.{4}/g)!.join('-') : null;
}

export interface CertificateData {
  code: string;
  issuedAt: Date;
  name: string;
  unit: { vi: string; en: string };
  contest: { vi: string; en: string };
  roundNumber: number;
  opensAt: string;
  closesAt: string;
  score: number;
  questionCount: number;
  rank: number;
  ranked: number;
}

/**
 * Certificates of participation: one per entry of the frozen ranking of a closed round, issued on
 * the first request (so the code exists only for entries whose owner asked for it) and verified
 * publicly by its code.
 */
export class ContestCertificates {
  constructor(
    readonly db: Kysely<DB>,
    private readonly entries: ContestEntries,
    private readonly play: ContestPlay,
  ) {}

  async issue(token: string | undefined, entryId: number, now = new Date()): Promise<CertificateData> {
    const p = await this.entries.participant(token);
    const e = await this.entries.entryRow(this.db, entryId, p.id);
    // Refuses with contest_round_not_closed before the close; a disqualified entry has no rank, so no certificate.
    const ranking = await this.entries.results(e.round_id, now);
    if (!(await this.entries.ranking.entryOf(e.round_id, ranking.version, entryId))) throw new AppError('contest_certificate_not_found');
    await this.db
      .insertInto('contest_certificate')
      .values({ entry_id: entryId, code: certificateCode(), issued_at: now })
      .onConflict((oc) => oc.column('entry_id').doNothing())
      .execute();
    const c = await this.db.selectFrom('contest_certificate').select('code').where('entry_id', '=', entryId).executeTakeFirstOrThrow();
    return this.data(c.code, now);
  }

  /** The certificate behind a code; an unknown code is `contest_certificate_not_found` (not genuine). */
  async data(code: string, now = new Date()): Promise<CertificateData> {
    const c = await this.db
      .selectFrom('contest_certificate as c')
      .innerJoin('contest_entry as e', 'e.id', 'c.entry_id')
      .innerJoin('contest_participant as p', 'p.id', 'e.participant_id')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['c.code', 'c.issued_at', 'c.entry_id', 'e.round_id', 'p.name', 'u.name_vi', 'u.name_en'])
      .where('c.code', '=', code)
      .executeTakeFirst();
    if (!c) throw new AppError('contest_certificate_not_found');
    const [{ contest, round, number }, ranking] = await Promise.all([
      this.play.round(c.round_id, now),
      this.entries.results(c.round_id, now),
    ]);
    const ranked = await this.entries.ranking.entryOf(c.round_id, ranking.version, Number(c.entry_id));
    if (!ranked) throw new AppError('contest_certificate_not_found');
    return {
      code: c.code,
      issuedAt: c.issued_at,
      name: c.name,
      unit: { vi: c.name_vi, en: c.name_en },
      contest: contest.title,
      roundNumber: number,
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      score: ranked.score,
      questionCount: round.questionCount,
      rank: ranked.rank,
      ranked: ranking.total,
    };
  }

  /** The public view of a certificate: initials only, no phone, no unit. */
  async verify(raw: string, now = new Date()) {
    const code = normalizeCertificateCode(raw);
    if (!code) throw new AppError('contest_certificate_not_found');
    const d = await this.data(code, now);
    return { ...d, name: initials(d.name), unit: null };
  }
}
