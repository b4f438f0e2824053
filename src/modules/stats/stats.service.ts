import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { rollUp } from './stats.rollup.js';
import { procedureBreakdown } from './stats.procedures.js';
import { dossierReport, resolveQuery } from './stats.report.js';
import type { CoverageQuery, DossierListQuery, Report, ReportQuery } from './stats.schema.js';
import { listDossiers } from './stats.dossiers.js';
import type { Actor } from '../auth/policy.js';
import { coverage, type Coverage } from './stats.coverage.js';
import { periodOf } from '../../domain/stats/periods.js';
import { todayInVietnam } from '../units/units.service.js';

/** Reports, coverage and the service index, all computed from dossiers and their roll-ups. */
export class StatsService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly calendarService: CalendarService,
  ) {}

  get deps() {
    return { db: this.db, calendar: () => this.calendarService.calendar(), convention: this.calendarService.convention };
  }

  async report(q: ReportQuery, now = new Date()): Promise<Report> {
    const r = await resolveQuery(this.db, q);
    const report = await dossierReport(this.deps, r, now);
    if (q.detail === 'procedures') report.procedures = await procedureBreakdown(this.deps, r);
    return report;
  }

  /** Online-service coverage; the period (for the online share per field) defaults to the official year so far. */
  async coverage(q: CoverageQuery, now = new Date()): Promise<Coverage> {
    const when = q.period || q.from || q.to ? {} : { period: periodOf('year', todayInVietnam(now)).name };
    const r = await resolveQuery(this.db, { ...q, ...when });
    return coverage(this.db, r.unit, r.subtree, { from: r.period.from, to: r.period.to });
  }

  /** The dossiers behind a figure, for officials of the unit (or above it). */
  dossiers(actor: Actor, q: DossierListQuery, now = new Date()) {
    return listDossiers(this.deps, actor, q, now);
  }

  /** Rolls final facts into the roll-up tables; returns the number of dossiers rolled. */
  rollUp(opts: { batch?: number; max?: number } = {}): Promise<number> {
    return rollUp(this.deps, opts);
  }
}
