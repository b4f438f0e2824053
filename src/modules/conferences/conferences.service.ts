import { pii } from '../../lib/pii.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Role } from '../../db/types.js';
import { normalizeEmail, normalizeName, normalizePhone } from '../../domain/identity.js';
import { registrationRefusal } from '../../domain/conferences/rules.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import type { NotifyChannels } from '../notify/notify.service.js';
import { CommitmentService } from './conferences.commitments.js';
import { notifyConference } from './conferences.notify.js';
import { QuestionService } from './conferences.questions.js';
import type {
  ConferenceInput,
  ConferencePatch,
  ConferenceSummary,
  ConferenceView,
  Leader,
  ListQuery,
  RegistrationInput,
} from './conferences.schema.js';

/** Schedule, edit, cancel, mark held: the unit's leaders and administrators (or a city admin). */
export const ORGANISERS: readonly Role[] = ['leader', 'unit_admin', 'city_admin'];
/** Moderate, prepare and record answers and commitments, update commitments: also the specialists. */
export const OFFICIALS: readonly Role[] = ['specialist', 'leader', 'unit_admin', 'city_admin'];
/** Publishing the minutes speaks for the unit: its leaders only. */
export const PUBLISHERS: readonly Role[] = ['leader'];

export type ConferenceRow = Awaited<ReturnType<ConferenceService['row']>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Contact details as typed: a valid phone and/or e-mail, at least one, and a real name. */
export function contact(input: { fullName: string; phone?: string | undefined; email?: string | undefined }) {
  const name = normalizeName(input.fullName);
  if (!name) throw new AppError('invalid_name');
  const phoneRaw = input.phone?.trim() ?? '';
  const emailRaw = input.email?.trim() ?? '';
  if (!phoneRaw && !emailRaw) throw new AppError('contact_required');
  const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
  if (phoneRaw && !phone) throw new AppError('invalid_phone');
  const email = emailRaw ? normalizeEmail(emailRaw) : null;
  if (emailRaw && !email) throw new AppError('invalid_email');
  return { name, phone, email };
}

/** Dialogue conferences of a unit: scheduling, registration, the public agenda and minutes. */
export class ConferenceService {
  readonly questions: QuestionService;
  readonly commitments: CommitmentService;

  constructor(
    readonly db: Kysely<DB>,
    private readonly baseUrl: string,
    private readonly channels: NotifyChannels,
  ) {
    this.questions = new QuestionService(db, this);
    this.commitments = new CommitmentService(db, this);
  }

  link(id: number) {
    return `${this.baseUrl}/conferences/${id}`;
  }

  async row(id: number, q: Kysely<DB> = this.db) {
    const r = await q
      .selectFrom('conference as c')
      .innerJoin('unit as u', 'u.id', 'c.unit_id')
      .selectAll('c')
      .select(['u.code as unit_code', 'u.name_vi as unit_vi', 'u.name_en as unit_en', 'u.path as unit_path'])
      .where('c.id', '=', id)
      .executeTakeFirst();
    if (!r) throw new AppError('conference_not_found');
    return r;
  }

  /** The conference, after checking the actor holds one of the roles over its unit. */
  async scoped(actor: Actor, id: number, roles: readonly Role[], q: Kysely<DB> = this.db) {
    const c = await this.row(id, q);
    assertUnitScope(actor, c.unit_path, roles);
    return c;
  }

  private async unit(code: string) {
    const u = await this.db
      .selectFrom('unit')
      .select(['id', 'path'])
      .where('code', '=', code)
      .where('valid_to', 'is', null)
      .executeTakeFirst();
    if (!u) throw new AppError('unit_not_found');
    return u;
  }

  private times(startsAt: string, closesAt: string, now: Date) {
    const starts = new Date(startsAt);
    const closes = new Date(closesAt);
    if (Number.isNaN(starts.getTime()) || Number.isNaN(closes.getTime())) throw new AppError('invalid_time');
    if (starts.getTime() <= now.getTime()) throw new AppError('conference_in_past');
    if (closes.getTime() > starts.getTime()) throw new AppError('registration_after_start');
    return { starts, closes };
  }

  async create(actor: Actor, input: ConferenceInput, ctx: AuditContext, now = new Date()): Promise<number> {
    const unit = await this.unit(input.unit);
    assertUnitScope(actor, unit.path, ORGANISERS);
    const { starts, closes } = this.times(input.startsAt, input.registrationClosesAt, now);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('conference')
        .values({
          unit_id: unit.id,
          topic: input.topic.trim(),
          description: input.description?.trim() ?? '',
          starts_at: starts,
          place: input.place.trim(),
          chair: input.chair.trim(),
          leaders: JSON.stringify(cleanLeaders(input.leaders)),
          registration_closes_at: closes,
          capacity: input.capacity ?? null,
          created_by: actor.accountId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'conference.create', entityType: 'conference', entityId: row.id, after: row });
      return row.id;
    });
  }

  /** Details can change while the conference is still only scheduled. */
  async update(actor: Actor, id: number, patch: ConferencePatch, ctx: AuditContext, now = new Date()) {
    const c = await this.scoped(actor, id, ORGANISERS);
    if (c.status !== 'scheduled') throw new AppError('conference_not_editable');
    const startsAt = patch.startsAt ?? c.starts_at.toISOString();
    const closesAt = patch.registrationClosesAt ?? c.registration_closes_at.toISOString();
    const { starts, closes } = this.times(startsAt, closesAt, now);
    await this.db.transaction().execute(async (trx) => {
      const after = await trx
        .updateTable('conference')
        .set({
          ...(patch.topic !== undefined ? { topic: patch.topic.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
          ...(patch.place !== undefined ? { place: patch.place.trim() } : {}),
          ...(patch.chair !== undefined ? { chair: patch.chair.trim() } : {}),
          ...(patch.leaders !== undefined ? { leaders: JSON.stringify(cleanLeaders(patch.leaders)) } : {}),
          ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
          starts_at: starts,
          registration_closes_at: closes,
          updated_at: now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'conference.update', entityType: 'conference', entityId: id, before: c, after });
    });
  }

  async cancel(actor: Actor, id: number, reason: string, ctx: AuditContext, now = new Date()) {
    const c = await this.scoped(actor, id, ORGANISERS);
    const text = reason.trim();
    if (!text) throw new AppError('reason_required');
    if (c.status !== 'scheduled') throw new AppError('conference_not_editable');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('conference')
        .set({ status: 'cancelled', cancel_reason: text, cancelled_at: now, updated_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'conference.cancel', entityType: 'conference', entityId: id, after: { reason: text } });
      await notifyConference(trx, this.channels, c, 'conference.cancelled', this.link(id), { reason: text, askers: false });
    });
  }

  /** After the meeting has started: answers and commitments can then be recorded. */
  async markHeld(actor: Actor, id: number, ctx: AuditContext, now = new Date()) {
    const c = await this.scoped(actor, id, ORGANISERS);
    if (c.status !== 'scheduled') throw new AppError('conference_not_editable');
    if (now.getTime() < c.starts_at.getTime()) throw new AppError('conference_not_started');
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('conference').set({ status: 'held', held_at: now, updated_at: now }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'conference.held', entityType: 'conference', entityId: id });
    });
  }

  /** The leader publishes the minutes; registrants and the askers of accepted questions are told. */
  async publishMinutes(actor: Actor, id: number, ctx: AuditContext, now = new Date()) {
    const c = await this.scoped(actor, id, PUBLISHERS);
    if (c.status !== 'held') throw new AppError('conference_not_held');
    await this.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('conference')
        .set({ status: 'minutes_published', minutes_published_at: now, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'held')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new AppError('conference_not_held');
      await recordAudit(trx, ctx, { action: 'conference.publish_minutes', entityType: 'conference', entityId: id });
      await notifyConference(trx, this.channels, c, 'conference.minutes_published', this.link(id), { reason: '', askers: true });
    });
  }

  /** Registration is open until it closes or the seats run out; one per phone (and e-mail). */
  async register(id: number, input: RegistrationInput, actor: Actor | null, now = new Date()): Promise<number> {
    const who = contact(input);
    const organisation = input.organisation?.trim() || null;
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The row lock serialises registrations, so the last seat is given once.
        const c = await trx.selectFrom('conference').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!c) throw new AppError('conference_not_found');
        const taken = await trx
          .selectFrom('conference_registration')
          .select('id')
          .where('conference_id', '=', id)
          .where((eb) =>
            eb.or([
              ...(who.phone ? [eb('phone_hash', '=', pii().hash('phone', who.phone))] : []),
              ...(who.email ? [eb(sql`lower(email)`, '=', who.email)] : []),
            ]),
          )
          .executeTakeFirst();
        if (taken) throw new AppError('already_registered');
        const count = await this.registeredCount(trx, id);
        const refusal = registrationRefusal(
          { status: c.status, registrationClosesAt: c.registration_closes_at, capacity: c.capacity },
          count,
          now,
        );
        if (refusal) throw new AppError(refusal);
        const row = await trx
          .insertInto('conference_registration')
          .values({
            conference_id: id,
            full_name: who.name,
            phone: pii().encryptNullable(who.phone),
            phone_hash: pii().hashNullable('phone', who.phone),
            email: who.email,
            organisation,
            account_id: actor && actor.kind !== 'official' ? actor.accountId : null,
            locale: actor?.locale ?? 'vi',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const full = await this.row(id, trx);
        await notifyConference(trx, this.channels, full, 'conference.registered', this.link(id), {
          reason: '',
          askers: false,
          only: row.id,
        });
        return row.id;
      });
    } catch (e) {
      // Two registrations with the same phone at the same instant: the unique index decides.
      if (isUniqueViolation(e)) throw new AppError('already_registered');
      throw e;
    }
  }

  private async registeredCount(q: Kysely<DB> | Transaction<DB>, id: number) {
    const r = await q
      .selectFrom('conference_registration')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conference_id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async registrations(actor: Actor, id: number) {
    await this.scoped(actor, id, OFFICIALS);
    const rows = await this.db
      .selectFrom('conference_registration')
      .select(['id', 'full_name', 'phone', 'email', 'organisation', 'created_at'])
      .where('conference_id', '=', id)
      .orderBy('id')
      .execute();
    const cipher = pii();
    // The organisers call registrants about changes: they see the number.
    return rows.map((r) => ({ ...r, phone: cipher.decryptNullable(r.phone) }));
  }

  /** Upcoming (soonest first) or past (latest first), optionally for one unit and those below it. */
  async list(q: ListQuery, now = new Date()): Promise<ConferenceSummary[]> {
    let query = this.db
      .selectFrom('conference as c')
      .innerJoin('unit as u', 'u.id', 'c.unit_id')
      .select([
        'c.id',
        'c.topic',
        'c.starts_at',
        'c.place',
        'c.status',
        'c.registration_closes_at',
        'c.capacity',
        'u.code',
        'u.name_vi',
        'u.name_en',
        (eb) =>
          eb
            .selectFrom('conference_registration as r')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('r.conference_id', '=', 'c.id')
            .as('registered'),
      ]);
    if (q.unit) {
      const u = await this.unit(q.unit);
      query = query.where(sql<boolean>`u.path <@ ${u.path}::ltree`);
    }
    // Upcoming: still scheduled and not yet started; everything else is past.
    const upcoming = sql<boolean>`c.status = 'scheduled' and c.starts_at > ${now}`;
    query =
      q.when === 'past'
        ? query.where(sql<boolean>`not (${upcoming})`).orderBy('c.starts_at', 'desc')
        : query.where(upcoming).orderBy('c.starts_at', 'asc');
    const rows = await query.limit(200).execute();
    return rows.map((r) => ({
      id: r.id,
      unit: { code: r.code, name: { vi: r.name_vi, en: r.name_en } },
      topic: r.topic,
      startsAt: r.starts_at.toISOString(),
      place: r.place,
      status: r.status,
      registrationClosesAt: r.registration_closes_at.toISOString(),
      capacity: r.capacity,
      registered: Number(r.registered ?? 0),
    }));
  }

  /** Conferences of the units the official works for (and those below), latest first. */
  async forOfficial(actor: Actor) {
    const paths = actor.roles.filter((g) => OFFICIALS.includes(g.role)).map((g) => g.unitPath);
    if (paths.length === 0) throw new AppError('forbidden');
    return sql<{
      id: number;
      topic: string;
      starts_at: Date;
      status: ConferenceSummary['status'];
      unit_vi: string;
      unit_en: string;
      pending: number;
    }>`
      select c.id, c.topic, c.starts_at, c.status, u.name_vi as unit_vi, u.name_en as unit_en,
        (select count(*)::int from conference_question q where q.conference_id = c.id and q.moderation = 'pending') as pending
      from conference c join unit u on u.id = c.unit_id
      where ${sql.join(
        paths.map((p) => sql`u.path <@ ${p}::ltree`),
        sql` or `,
      )}
      order by c.starts_at desc limit 200`
      .execute(this.db)
      .then((r) => r.rows);
  }

  /** The public page: the agenda with accepted questions by support; answers and commitments once published. */
  async view(id: number, now = new Date()): Promise<ConferenceView> {
    const c = await this.row(id);
    const published = c.status === 'minutes_published';
    const questions = await this.questions.publicList(id, published, now);
    return {
      id: c.id,
      unit: { code: c.unit_code, name: { vi: c.unit_vi, en: c.unit_en } },
      topic: c.topic,
      description: c.description,
      startsAt: c.starts_at.toISOString(),
      place: c.place,
      chair: c.chair,
      leaders: c.leaders as Leader[],
      status: c.status,
      registrationClosesAt: c.registration_closes_at.toISOString(),
      capacity: c.capacity,
      registered: await this.registeredCount(this.db, id),
      cancelReason: c.cancel_reason,
      heldAt: iso(c.held_at),
      minutesPublishedAt: iso(c.minutes_published_at),
      questions,
    };
  }
}

function cleanLeaders(leaders: Leader[]): Leader[] {
  return leaders.map((l) => ({ name: l.name.trim(), title: l.title.trim() })).filter((l) => l.name);
}
