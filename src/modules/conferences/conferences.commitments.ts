import { sql, type Kysely } from 'kysely';
import type { CommitmentStatus, DB } from '../../db/types.js';
import { canMoveCommitment, isLate, isWebLink } from '../../domain/conferences/rules.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { hasUnitScope, type Actor } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import type { ConferenceService } from './conferences.service.js';
import { OFFICIALS } from './conferences.service.js';
import type { CommitmentInput, CommitmentQuery, CommitmentStatusInput, CommitmentView } from './conferences.schema.js';

const isRealDay = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
};

/** What a conference committed to, tracked in public until done (with evidence). */
export class CommitmentService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly conferences: ConferenceService,
  ) {}

  private base() {
    return this.db
      .selectFrom('conference_commitment as m')
      .innerJoin('conference as c', 'c.id', 'm.conference_id')
      .innerJoin('unit as u', 'u.id', 'c.unit_id')
      .leftJoin('unit as ru', 'ru.id', 'm.responsible_unit_id')
      .selectAll('m')
      .select([
        'c.topic',
        'c.starts_at',
        'c.status as conference_status',
        'u.code as unit_code',
        'u.name_vi as unit_vi',
        'u.name_en as unit_en',
        'u.path as unit_path',
        'ru.code as r_code',
        'ru.name_vi as r_vi',
        'ru.name_en as r_en',
        'ru.path as r_path',
      ]);
  }

  private async withEvents(rows: Awaited<ReturnType<ReturnType<CommitmentService['base']>['execute']>>, today: string) {
    const ids = rows.map((r) => r.id);
    const events = ids.length
      ? await this.db
          .selectFrom('conference_commitment_event as e')
          .innerJoin('account as a', 'a.id', 'e.actor_id')
          .select(['e.commitment_id', 'e.at', 'e.status', 'e.note', 'e.evidence_url', 'a.full_name'])
          .where('e.commitment_id', 'in', ids)
          .orderBy('e.id')
          .execute()
      : [];
    return rows.map((r): CommitmentView & { topic: string; unitCode: string; unitName: { vi: string; en: string } } => ({
      id: r.id,
      conferenceId: r.conference_id,
      questionId: r.question_id,
      what: r.what,
      responsible: r.responsible,
      responsibleUnit: r.r_code ? { code: r.r_code, name: { vi: r.r_vi!, en: r.r_en! } } : null,
      dueDate: r.due_date,
      status: r.status,
      late: isLate({ status: r.status, dueDate: r.due_date }, today),
      evidence: r.evidence,
      evidenceUrl: r.evidence_url,
      doneAt: r.done_at ? r.done_at.toISOString() : null,
      events: events
        .filter((e) => e.commitment_id === r.id)
        .map((e) => ({ at: e.at.toISOString(), status: e.status, by: e.full_name, note: e.note, evidenceUrl: e.evidence_url })),
      topic: r.topic,
      unitCode: r.unit_code,
      unitName: { vi: r.unit_vi, en: r.unit_en },
    }));
  }

  /** Commitments of a conference grouped by question (for the minutes). */
  async byQuestion(conferenceId: number, now = new Date()) {
    const rows = await this.base().where('m.conference_id', '=', conferenceId).orderBy('m.id').execute();
    const out = new Map<number, CommitmentView[]>();
    for (const v of await this.withEvents(rows, todayInVietnam(now))) {
      const { topic: _t, unitCode: _c, unitName: _n, ...view } = v;
      out.set(v.questionId, [...(out.get(v.questionId) ?? []), view]);
    }
    return out;
  }

  /** Recorded after the meeting, before the minutes are published. */
  async add(actor: Actor, id: number, qid: number, input: CommitmentInput, ctx: AuditContext): Promise<number> {
    const c = await this.conferences.scoped(actor, id, OFFICIALS);
    if (c.status !== 'held') throw new AppError('conference_not_held');
    const q = await this.db
      .selectFrom('conference_question')
      .select('moderation')
      .where('id', '=', qid)
      .where('conference_id', '=', id)
      .executeTakeFirst();
    if (!q || q.moderation !== 'accepted') throw new AppError('question_not_found');
    if (!isRealDay(input.dueDate)) throw new AppError('invalid_date');
    let unitId: number | null = null;
    if (input.responsibleUnit?.trim()) {
      const u = await this.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', input.responsibleUnit.trim())
        .where('valid_to', 'is', null)
        .executeTakeFirst();
      if (!u) throw new AppError('unit_not_found');
      unitId = u.id;
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('conference_commitment')
        .values({
          conference_id: id,
          question_id: qid,
          what: input.what.trim(),
          responsible: input.responsible.trim(),
          responsible_unit_id: unitId,
          due_date: input.dueDate,
          created_by: actor.accountId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('conference_commitment_event')
        .values({ commitment_id: row.id, actor_id: actor.accountId, status: 'open' })
        .execute();
      await recordAudit(trx, ctx, {
        action: 'conference.commitment.create',
        entityType: 'conference_commitment',
        entityId: row.id,
        after: row,
      });
      return row.id;
    });
  }

  /**
   * Moves a commitment forward, once the minutes are published: by the conference's unit or by the
   * responsible unit. Done needs evidence (a text, optionally a link); every change is an event.
   */
  async setStatus(actor: Actor, cid: number, input: CommitmentStatusInput, ctx: AuditContext, now = new Date()) {
    const m = await this.base().where('m.id', '=', cid).executeTakeFirst();
    if (!m) throw new AppError('commitment_not_found');
    if (!hasUnitScope(actor, m.unit_path, OFFICIALS) && !(m.r_path && hasUnitScope(actor, m.r_path, OFFICIALS))) {
      throw new AppError('forbidden');
    }
    if (m.conference_status !== 'minutes_published') throw new AppError('minutes_not_published');
    const to: CommitmentStatus = input.status;
    if (!canMoveCommitment(m.status, to)) throw new AppError('invalid_transition');
    const evidence = input.evidence?.trim() || null;
    const url = input.evidenceUrl?.trim() || null;
    if (to === 'done' && !evidence) throw new AppError('evidence_required');
    if (url && !isWebLink(url)) throw new AppError('evidence_url_invalid');
    const note = input.note?.trim() || null;
    await this.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('conference_commitment')
        .set({
          status: to,
          updated_at: now,
          ...(to === 'done' ? { evidence, evidence_url: url, done_at: now } : {}),
        })
        .where('id', '=', cid)
        .where('status', '=', m.status)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new AppError('invalid_transition');
      await trx
        .insertInto('conference_commitment_event')
        .values({ commitment_id: cid, actor_id: actor.accountId, status: to, note: to === 'done' ? evidence : note, evidence_url: url })
        .execute();
      await recordAudit(trx, ctx, {
        action: 'conference.commitment.status',
        entityType: 'conference_commitment',
        entityId: cid,
        before: { status: m.status },
        after: { status: to, note, evidence, evidenceUrl: url },
      });
    });
  }

  /** Public: commitments of published minutes, filtered by unit (with those below), status, lateness. */
  async list(q: CommitmentQuery, now = new Date()) {
    const today = todayInVietnam(now);
    let query = this.base().where('c.status', '=', 'minutes_published');
    if (q.unit) {
      const u = await this.db.selectFrom('unit').select('path').where('code', '=', q.unit).executeTakeFirst();
      if (!u) throw new AppError('unit_not_found');
      query = query.where(sql<boolean>`(u.path <@ ${u.path}::ltree or ru.path <@ ${u.path}::ltree)`);
    }
    if (q.status) query = query.where('m.status', '=', q.status);
    if (q.conference) query = query.where('m.conference_id', '=', q.conference);
    if (q.late) query = query.where('m.status', '<>', 'done').where('m.due_date', '<', today);
    const rows = await query.orderBy('m.due_date').orderBy('m.id').limit(500).execute();
    return this.withEvents(rows, today);
  }

  /** Commitments still to finish that the official's units organised or are responsible for. */
  async forOfficial(actor: Actor, now = new Date()) {
    const paths = actor.roles.filter((g) => OFFICIALS.includes(g.role)).map((g) => g.unitPath);
    if (paths.length === 0) return [];
    const rows = await this.base()
      .where('c.status', '=', 'minutes_published')
      .where('m.status', '<>', 'done')
      .where(
        sql<boolean>`(${sql.join(
          paths.map((p) => sql`u.path <@ ${p}::ltree or ru.path <@ ${p}::ltree`),
          sql` or `,
        )})`,
      )
      .orderBy('m.due_date')
      .orderBy('m.id')
      .limit(200)
      .execute();
    return this.withEvents(rows, todayInVietnam(now));
  }

  /** Whether the official works for the conference's unit (else only for the responsible one). */
  async organisedBy(actor: Actor, cid: number) {
    const m = await this.base().where('m.id', '=', cid).executeTakeFirst();
    if (!m) throw new AppError('commitment_not_found');
    const organiser = hasUnitScope(actor, m.unit_path, OFFICIALS);
    // Neither the conference's unit nor the responsible one: refused before the form is read.
    if (!organiser && !(m.r_path && hasUnitScope(actor, m.r_path, OFFICIALS))) throw new AppError('forbidden');
    return { conferenceId: m.conference_id, organiser };
  }

  async get(cid: number, now = new Date()) {
    const rows = await this.base().where('m.id', '=', cid).where('c.status', '=', 'minutes_published').execute();
    const [v] = await this.withEvents(rows, todayInVietnam(now));
    if (!v) throw new AppError('commitment_not_found');
    return v;
  }
}
