import type { Kysely } from 'kysely';
import { isRealDate } from '../../lib/dates.js';
import type { DB } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import {
  computeDue,
  DEFAULT_OFFICE_HOURS,
  formatVnIso,
  lunarToSolar,
  proposeYear,
  solarToLunar,
  toVnDate,
  validateOfficeHours,
  validateYear,
  WorkingCalendar,
  type DayEntry,
  type OfficeHours,
  type PauseConvention,
  type TimeUnit,
  type YearCalendar,
} from '../../domain/calendar/index.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import type { UnitService } from '../units/units.service.js';
import type { YearCalendarBody, YearCalendarView } from './calendar.schema.js';

interface Published {
  version: number;
  calendar: YearCalendar;
  publishedAt: Date;
  note: string | null;
}

const TIME_UNITS: readonly TimeUnit[] = ['working_days', 'hours', 'days', 'months'];
const MAX_RANGE_DAYS = 3660;
// Other instances may publish a year; re-reading the table this often bounds how long they differ.
const CACHE_MS = 30_000;

/** Parses an ISO 8601 instant with an explicit offset, refusing impossible dates (no rollover). */
export function parseInstant(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) throw new AppError('invalid_date');
  const [y, mo, d, h, mi, sec = '0', ms = '0'] = m.slice(1, 8).map((x) => x ?? '0');
  const nums = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(nums[0], nums[1] - 1, nums[2], nums[3], nums[4], nums[5], Number(ms!.padEnd(3, '0')));
  const check = new Date(local);
  if (check.getUTCDate() !== nums[2] || check.getUTCMonth() !== nums[1] - 1 || nums[3] > 23 || nums[4] > 59 || nums[5] > 59) {
    throw new AppError('invalid_date');
  }
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offsetMin) > 14 * 60) throw new AppError('invalid_date');
  return new Date(local - offsetMin * 60_000);
}

export class CalendarService {
  #published = new Map<number, Published>();
  #loadedAt = 0;
  #calendar: WorkingCalendar | null = null;
  #hours = new Map<string, { at: number; value: { hours: OfficeHours; custom: boolean } }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly units: UnitService,
    readonly convention: PauseConvention,
  ) {}

  private async load(): Promise<void> {
    if (this.#calendar && Date.now() - this.#loadedAt < CACHE_MS) return;
    const rows = await this.db
      .selectFrom('calendar_year as c')
      .selectAll()
      .where(({ eb, selectFrom }) =>
        eb(
          'c.version',
          '=',
          selectFrom('calendar_year as l')
            .select((e) => e.fn.max('l.version').as('v'))
            .whereRef('l.year', '=', 'c.year'),
        ),
      )
      .execute();
    const published = new Map<number, Published>();
    for (const r of rows) {
      published.set(r.year, {
        version: r.version,
        publishedAt: r.published_at,
        note: r.note,
        calendar: {
          year: r.year,
          holidays: r.holidays as DayEntry[],
          daysOff: r.days_off as DayEntry[],
          workingWeekends: r.working_weekends as string[],
        },
      });
    }
    this.#published = published;
    this.#calendar = new WorkingCalendar((y) => published.get(y)?.calendar ?? proposeYear(y));
    this.#loadedAt = Date.now();
  }

  /** The working-day calendar in force: published years, and the rule-based proposal for the others. */
  async calendar(): Promise<WorkingCalendar> {
    await this.load();
    return this.#calendar!;
  }

  async isPublished(year: number): Promise<boolean> {
    await this.load();
    return this.#published.has(year);
  }

  async year(year: number): Promise<YearCalendarView> {
    await this.load();
    const p = this.#published.get(year);
    const cal = p?.calendar ?? proposeYear(year);
    return {
      year,
      status: p ? 'published' : 'proposed',
      version: p?.version ?? null,
      publishedAt: p?.publishedAt.toISOString() ?? null,
      note: p?.note ?? null,
      holidays: cal.holidays,
      daysOff: cal.daysOff,
      workingWeekends: cal.workingWeekends,
    };
  }

  /** Publishes a new version of a year after validating it; the previous versions stay for history. */
  async publish(year: number, body: YearCalendarBody, actor: Actor, ctx: AuditContext): Promise<YearCalendarView> {
    if (body.year !== undefined && body.year !== year) throw new AppError('year_mismatch');
    const city = (await this.units.list({ level: 'city' }))[0];
    if (!city) throw new AppError('unit_not_found');
    assertUnitScope(actor, (await this.units.findRow(city.code)).path, ['city_admin']);
    const sortByDate = <T extends { date: string }>(xs: T[]) => [...xs].sort((a, b) => a.date.localeCompare(b.date));
    const cal: YearCalendar = {
      year,
      holidays: sortByDate(body.holidays.map((h) => ({ date: h.date, name: { vi: h.name.vi.trim(), en: h.name.en.trim() } }))),
      daysOff: sortByDate(body.daysOff.map((h) => ({ date: h.date, name: { vi: h.name.vi.trim(), en: h.name.en.trim() } }))),
      workingWeekends: [...body.workingWeekends].sort(),
    };
    for (const d of [...cal.holidays.map((h) => h.date), ...cal.daysOff.map((h) => h.date), ...cal.workingWeekends]) {
      if (!isRealDate(d)) throw new AppError('invalid_date');
    }
    validateYear(cal);
    const before = await this.year(year);
    await this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('calendar_year')
        .select((e) => e.fn.max('version').as('v'))
        .where('year', '=', year)
        .executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('calendar_year')
        .values({
          year,
          version,
          holidays: JSON.stringify(cal.holidays),
          days_off: JSON.stringify(cal.daysOff),
          working_weekends: JSON.stringify(cal.workingWeekends),
          note: body.note?.trim() || null,
          published_by: actor.accountId,
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: 'calendar.publish',
        entityType: 'calendar_year',
        entityId: `${year}v${version}`,
        before,
        after: cal,
      });
    });
    this.#calendar = null;
    return this.year(year);
  }

  lunar(date: string) {
    if (!isRealDate(date)) throw new AppError('invalid_date');
    return solarToLunar(date);
  }

  solar(q: { day: number; month: number; year: number; leap?: boolean | undefined }) {
    return { date: lunarToSolar({ day: q.day, month: q.month, year: q.year, leap: q.leap ?? false }) };
  }

  async workingDays(from: string, to: string) {
    if (!isRealDate(from) || !isRealDate(to) || from > to) throw new AppError('invalid_date');
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (span > MAX_RANGE_DAYS) throw new AppError('range_too_long');
    const days = (await this.calendar()).workingDaysBetween(from, to);
    return { count: days.length, days };
  }

  /**
   * A unit's office hours, cached like the calendar (every appointment needs them): a change made
   * in this process is seen at once, one made by another instance within CACHE_MS.
   */
  async officeHours(unitCode: string | undefined): Promise<{ hours: OfficeHours; custom: boolean }> {
    if (!unitCode) return { hours: DEFAULT_OFFICE_HOURS, custom: false };
    const cached = this.#hours.get(unitCode);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    const unit = await this.units.findRow(unitCode);
    const row = await this.db.selectFrom('unit_office_hours').select('hours').where('unit_id', '=', unit.id).executeTakeFirst();
    const value = row ? { hours: row.hours as OfficeHours, custom: true } : { hours: DEFAULT_OFFICE_HOURS, custom: false };
    if (this.#hours.size > 5000) this.#hours.clear();
    this.#hours.set(unitCode, { at: Date.now(), value });
    return value;
  }

  async setOfficeHours(unitCode: string, hours: OfficeHours, actor: Actor, ctx: AuditContext) {
    const unit = await this.units.findRow(unitCode);
    assertUnitScope(actor, unit.path, ['unit_admin', 'city_admin']);
    validateOfficeHours(hours);
    const before = await this.officeHours(unitCode);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('unit_office_hours')
        .values({ unit_id: unit.id, hours: JSON.stringify(hours), updated_by: actor.accountId })
        .onConflict((oc) =>
          oc.column('unit_id').doUpdateSet({ hours: JSON.stringify(hours), updated_by: actor.accountId, updated_at: new Date() }),
        )
        .execute();
      await recordAudit(trx, ctx, {
        action: 'unit.office_hours',
        entityType: 'unit',
        entityId: unitCode,
        before: before.hours,
        after: hours,
      });
    });
    this.#hours.delete(unitCode);
  }

  /** The appointment for a receipt instant and a time limit, with every skipped day explained. */
  async deadline(q: { receivedAt: string; amount: number; unit: string; unitCode?: string | undefined }) {
    const receivedAt = parseInstant(q.receivedAt);
    if (!TIME_UNITS.includes(q.unit as TimeUnit)) throw new AppError('unknown_time_unit');
    const { hours } = await this.officeHours(q.unitCode);
    const calendar = await this.calendar();
    const r = computeDue({ receivedAt, amount: q.amount, unit: q.unit as TimeUnit, calendar, hours, convention: this.convention });
    const calendarStatus: Record<string, 'published' | 'proposed'> = {};
    for (let y = Number(toVnDate(r.countFrom).slice(0, 4)); y <= Number(toVnDate(r.dueAt).slice(0, 4)); y++) {
      calendarStatus[String(y)] = this.#published.has(y) ? 'published' : 'proposed';
    }
    return {
      dueAt: formatVnIso(r.dueAt),
      countFrom: formatVnIso(r.countFrom),
      calendarStatus,
      skipped: r.skipped.map((s) => ({ date: s.date, kind: s.kind, reason: s.reason })),
    };
  }
}
