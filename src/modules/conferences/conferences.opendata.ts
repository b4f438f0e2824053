import { sql, type Kysely } from 'kysely';
import type { ConferenceStatus, DB } from '../../db/types.js';
import { todayInVietnam } from '../units/units.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Open data: one row per conference, counts only (no registrant, no asker). */
export async function conferencesOpenData(db: Kysely<DB>, now = new Date()) {
  const today = todayInVietnam(now);
  const rows = await sql<{
    id: number;
    code: string;
    name_vi: string;
    name_en: string;
    topic: string;
    starts_at: Date;
    place: string;
    chair: string;
    status: ConferenceStatus;
    minutes_published_at: Date | null;
    registrations: number;
    accepted: number;
    commitments: number;
    done: number;
    late: number;
  }>`
    select c.id, u.code, u.name_vi, u.name_en, c.topic, c.starts_at, c.place, c.chair, c.status, c.minutes_published_at,
      (select count(*)::int from conference_registration r where r.conference_id = c.id) as registrations,
      (select count(*)::int from conference_question q where q.conference_id = c.id and q.moderation = 'accepted') as accepted,
      (select count(*)::int from conference_commitment m where m.conference_id = c.id) as commitments,
      (select count(*)::int from conference_commitment m where m.conference_id = c.id and m.status = 'done') as done,
      (select count(*)::int from conference_commitment m where m.conference_id = c.id and m.status <> 'done' and m.due_date < ${today}::date) as late
    from conference c join unit u on u.id = c.unit_id
    order by c.starts_at desc, c.id`.execute(db);
  return rows.rows.map((r) => {
    // Commitments are public with the minutes, not before.
    const published = r.status === 'minutes_published';
    return {
      id: r.id,
      unitCode: r.code,
      unitNameVi: r.name_vi,
      unitNameEn: r.name_en,
      topic: r.topic,
      startsAt: r.starts_at.toISOString(),
      place: r.place,
      chair: r.chair,
      status: r.status,
      registrations: r.registrations,
      questionsAccepted: r.accepted,
      commitments: published ? r.commitments : null,
      commitmentsDone: published ? r.done : null,
      commitmentsLate: published ? r.late : null,
      minutesPublishedAt: iso(r.minutes_published_at),
    };
  });
}
