import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { rollUp } from './stats.rollup.js';
import { dossierReport, resolveQuery } from './stats.report.js';
import type { Report, ReportQuery } from './stats.schema.js';

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
    return dossierReport(this.deps, await resolveQuery(this.db, q), now);
  }

  /** Rolls final facts into the roll-up tables; returns the number of dossiers rolled. */
  rollUp(opts: { batch?: number; max?: number } = {}): Promise<number> {
    return rollUp(this.deps, opts);
  }
}
