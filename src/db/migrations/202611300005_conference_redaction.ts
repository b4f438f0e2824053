import { sql, type Kysely } from 'kysely';
import { redactText } from '../../domain/feedback/redact.js';

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The question as published (DESIGN §4.6): phone numbers, ID numbers, e-mail addresses and the
    -- asker's own name removed. Filled when an official accepts the question; null while not public.
    alter table conference_question add column if not exists body_public text;
  `.execute(db);
  // The redaction rules live in TypeScript, so questions accepted before this column existed are
  // redacted here, once, a row at a time (a unit holds a few hundred questions at most).
  const rows = await sql<{ id: number; body: string; asker_name: string | null }>`
    select id, body, asker_name from conference_question where moderation = 'accepted'`.execute(db);
  for (const r of rows.rows) {
    const text = redactText(r.body, r.asker_name ? [r.asker_name] : []);
    await sql`update conference_question set body_public = ${text} where id = ${r.id}`.execute(db);
  }
}
