import { pii } from '../../lib/pii.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, FeedbackRating } from '../../db/types.js';
import { toVnDate } from '../../domain/calendar/index.js';
import { answerBy, receiptDeadlines, type FeedbackClock } from '../../domain/feedback/deadlines.js';
import { moderate } from '../../domain/feedback/moderation.js';
import { redactText } from '../../domain/feedback/redact.js';
import { normalizeEmail, normalizePhone } from '../../domain/identity.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { FileStore } from '../../lib/storage.js';
import { checkUpload } from '../../lib/storage.js';
import type { Actor } from '../auth/policy.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { UploadedFile } from '../dossiers/dossier.service.js';
import { notify, type NotifyChannels } from '../notify/notify.service.js';
import type { TemplateKey } from '../notify/templates.js';
import { feedbackFigures, type FeedbackFiguresQuery } from './feedback.figures.js';
import { openDataRows, publicItem, publicList } from './feedback.public.js';
import type { AuthorView, PublicListQuery, SubmitInput } from './feedback.schema.js';
import { allocateCode, appendEvent, loadByCode, type Q } from './feedback.repo.js';

export interface FeedbackDeps {
  db: Kysely<DB>;
  calendar: CalendarService;
  files: FileStore;
  uploadMaxBytes: number;
  baseUrl: string;
  channels: NotifyChannels;
}

// Drafts and returns between officials and their leaders are internal steps.
const AUTHOR_SEES = new Set(['submit', 'transfer', 'reject', 'request_info', 'reply', 'approve', 'rate', 'reopen', 'attach']);

const trimmed = (s: string | undefined) => (s ?? '').normalize('NFC').trim();

/** Feedback and questions from anyone: submission, the author's follow link, and what is public. */
export class FeedbackService {
  readonly db: Kysely<DB>;
  constructor(readonly deps: FeedbackDeps) {
    this.db = deps.db;
  }

  #secret: string | null = null;

  /**
   * The secret of an item's follow link: an HMAC of its code under a key kept in app_setting, so
   * every later message can carry the link again while the table stores only its hash.
   */
  async keyFor(q: Q, code: string): Promise<string> {
    if (!this.#secret) {
      await q
        .insertInto('app_setting')
        .values({ key: 'feedback_link_secret', value: randomToken(32) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await q.selectFrom('app_setting').select('value').where('key', '=', 'feedback_link_secret').executeTakeFirstOrThrow();
      this.#secret = row.value;
    }
    return createHmac('sha256', this.#secret).update(code).digest('base64url').slice(0, 24);
  }

  async clock(unitCode: string): Promise<FeedbackClock> {
    const [calendar, { hours }] = await Promise.all([this.deps.calendar.calendar(), this.deps.calendar.officeHours(unitCode)]);
    return { calendar, hours };
  }

  trackUrl(code: string, key: string): string {
    return `${this.deps.baseUrl}/feedback/track?${new URLSearchParams({ code, key }).toString()}`;
  }

  /** The unit in charge: the one named, else the dossier's, else the city's reception. */
  private async route(input: SubmitInput) {
    let dossier: { id: number; unit_id: number; procedure_id: number } | null = null;
    if (input.dossier?.trim()) {
      dossier =
        (await this.db
          .selectFrom('dossier')
          .select(['id', 'unit_id', 'procedure_id'])
          .where('code', '=', input.dossier.trim().toUpperCase())
          .executeTakeFirst()) ?? null;
      if (!dossier) throw new AppError('dossier_not_found');
    }
    let procedureId: number | null = dossier?.procedure_id ?? null;
    if (input.procedure?.trim()) {
      const p = await this.db.selectFrom('procedure').select('id').where('code', '=', input.procedure.trim()).executeTakeFirst();
      if (!p) throw new AppError('procedure_not_found');
      procedureId = p.id;
    }
    const units = this.db.selectFrom('unit').select(['id', 'code', 'name_vi', 'name_en']).where('valid_to', 'is', null);
    let about: number | null = null;
    let unit;
    if (input.unit?.trim()) {
      unit = await units.where('code', '=', input.unit.trim()).executeTakeFirst();
      if (!unit) throw new AppError('unit_not_found');
      about = unit.id;
    } else if (dossier) {
      unit = await units.where('id', '=', dossier.unit_id).executeTakeFirst();
    }
    unit ??= await units.where('level', '=', 'city').orderBy('id').executeTakeFirst();
    if (!unit) throw new AppError('unit_not_found');
    return { unit, about, dossierId: dossier?.id ?? null, procedureId };
  }

  /** Checks and records new feedback; returns the code and the follow secret (shown once). */
  async submit(input: SubmitInput, actor: Actor | null, now = new Date()) {
    const title = trimmed(input.title);
    const content = trimmed(input.content);
    const verdict = moderate({ title, content });
    if (!verdict.ok) throw new AppError(verdict.code, {}, { [verdict.field]: verdict.code });
    const name = trimmed(input.name).replace(/\s+/g, ' ');
    if (!name || name.length > 200) throw new AppError('feedback_name_required', {}, { name: 'feedback_name_required' });
    const phone = input.phone?.trim() ? normalizePhone(input.phone) : null;
    if (input.phone?.trim() && !phone) throw new AppError('invalid_phone', {}, { phone: 'invalid_phone' });
    const email = input.email?.trim() ? normalizeEmail(input.email) : null;
    if (input.email?.trim() && !email) throw new AppError('invalid_email', {}, { email: 'invalid_email' });
    if (!phone && !email) throw new AppError('feedback_contact_required', {}, { phone: 'feedback_contact_required' });
    const r = await this.route(input);
    const deadlines = receiptDeadlines(now, await this.clock(r.unit.code));
    const code = await allocateCode(this.db, now);
    const key = await this.keyFor(this.db, code);
    const locale = input.locale ?? actor?.locale ?? 'vi';
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('feedback')
        .values({
          code,
          key_hash: sha256(key),
          kind: input.kind,
          status: 'received',
          title,
          content,
          public_title: redactText(title, [name]),
          public_content: redactText(content, [name]),
          author_name: name,
          author_phone: pii().encryptNullable(phone),
          author_email: email,
          author_account_id: actor && actor.kind !== 'official' ? actor.accountId : null,
          locale,
          unit_id: r.unit.id,
          about_unit_id: r.about,
          dossier_id: r.dossierId,
          procedure_id: r.procedureId,
          received_at: now,
          reject_by: deadlines.rejectBy,
          request_info_by: deadlines.requestInfoBy,
          answer_by: deadlines.answerBy,
          answer_from: now,
          updated_at: now,
        })
        .returning(['id', 'unit_id', 'author_account_id'])
        .executeTakeFirstOrThrow();
      await appendEvent(
        trx,
        { ...row, status: 'received' },
        { action: 'submit', actorId: row.author_account_id, actorKind: 'author', at: now },
      );
      await this.tellAuthor(
        trx,
        {
          code,
          locale,
          author_account_id: row.author_account_id,
          author_email: email,
          author_phone: pii().encryptNullable(phone),
          unit_vi: r.unit.name_vi,
          unit_en: r.unit.name_en,
        },
        'feedback.received',
        {
          dueDate: toVnDate(deadlines.answerBy).split('-').reverse().join('/'),
        },
      );
    });
    return {
      code,
      key,
      trackUrl: this.trackUrl(code, key),
      status: 'received' as const,
      unit: r.unit.code,
      answerBy: deadlines.answerBy.toISOString(),
    };
  }

  /** Messages the author by every channel they gave, with their follow link (code and secret). */
  async tellAuthor(
    trx: Q,
    f: {
      code: string;
      locale: 'vi' | 'en';
      author_account_id: number | null;
      author_email: string | null;
      author_phone: string | null;
      unit_vi: string;
      unit_en: string;
    },
    template: TemplateKey,
    params: Record<string, string> = {},
  ) {
    const link = this.trackUrl(f.code, await this.keyFor(trx, f.code));
    await notify(
      trx,
      {
        template,
        locale: f.locale,
        params: { code: f.code, unit: f.locale === 'en' ? f.unit_en : f.unit_vi, link, ...params },
        accountId: f.author_account_id,
        dossierId: null,
        email: f.author_email,
        phone: f.author_phone,
      },
      this.deps.channels,
    );
  }

  /** The item behind a code and its secret; a wrong secret is refused like a wrong password. */
  async withKey(q: Q, code: string, key: string, lock = false) {
    const f = await loadByCode(q, code, lock);
    const given = Buffer.from(sha256(key.trim()));
    if (!timingSafeEqual(given, Buffer.from(f.key_hash))) throw new AppError('feedback_key_invalid');
    return f;
  }

  /** What the author sees on the follow page. */
  async authorView(code: string, key: string): Promise<AuthorView> {
    const f = await this.withKey(this.db, code, key);
    const [rating, attachments, history] = await Promise.all([
      this.db
        .selectFrom('feedback_rating')
        .select('rating')
        .where('feedback_id', '=', f.id)
        .where('round', '=', f.reopen_count)
        .executeTakeFirst(),
      this.db.selectFrom('feedback_attachment').select(['name', 'size']).where('feedback_id', '=', f.id).orderBy('id').execute(),
      this.db.selectFrom('feedback_event').select(['action', 'at', 'to_status']).where('feedback_id', '=', f.id).orderBy('id').execute(),
    ]);
    const published = f.status === 'published';
    return {
      code: f.code,
      kind: f.kind,
      status: f.status,
      title: f.title,
      content: f.content,
      unit: { code: f.unit_code, name: { vi: f.unit_vi, en: f.unit_en } },
      receivedAt: f.received_at.toISOString(),
      answerBy: f.answer_by.toISOString(),
      infoQuestion: f.status === 'info_requested' ? f.info_question : null,
      reason: f.status === 'rejected' ? f.reason : null,
      answer: published ? f.answer_text : null,
      answeredAt: published ? (f.approved_at?.toISOString() ?? null) : null,
      rating: rating?.rating ?? null,
      canRate: published && !rating,
      canReopen: published && f.reopen_count === 0,
      attachments,
      history: history
        .filter((h) => AUTHOR_SEES.has(h.action))
        .map((h) => ({ action: h.action, at: h.at.toISOString(), status: h.to_status })),
    };
  }

  /** The author answers a request for more information: the answer clock runs again. */
  async reply(code: string, key: string, text: string, now = new Date()) {
    const body = trimmed(text);
    if (!body) throw new AppError('feedback_text_required');
    if ([...body].length > 5000) throw new AppError('feedback_content_too_long');
    const f0 = await loadByCode(this.db, code);
    const clock = await this.clock(f0.unit_code);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.withKey(trx, code, key, true);
      if (f.status !== 'info_requested') throw new AppError('feedback_wrong_state');
      const waits = [...(f.waits as { from: string; to: string }[]), { from: f.info_requested_at!.toISOString(), to: now.toISOString() }];
      const due = answerBy(
        f.answer_from,
        clock,
        waits.map((w) => ({ from: new Date(w.from), to: new Date(w.to) })),
      );
      await trx
        .updateTable('feedback')
        .set({ status: 'answering', waits: JSON.stringify(waits), answer_by: due, updated_at: now })
        .where('id', '=', f.id)
        .execute();
      await appendEvent(trx, f, { action: 'reply', to: 'answering', actorId: null, actorKind: 'author', note: body, at: now });
    });
  }

  /** One rating per answer; a second one is refused, by the database too. */
  async rate(code: string, key: string, rating: FeedbackRating, now = new Date()) {
    await this.db.transaction().execute(async (trx) => {
      const f = await this.withKey(trx, code, key, true);
      if (f.status !== 'published') throw new AppError('feedback_wrong_state');
      const done = await trx
        .insertInto('feedback_rating')
        .values({ feedback_id: f.id, round: f.reopen_count, rating, rated_at: now })
        .onConflict((oc) => oc.columns(['feedback_id', 'round']).doNothing())
        .returning('feedback_id')
        .executeTakeFirst();
      if (!done) throw new AppError('feedback_already_rated');
      await appendEvent(trx, f, { action: 'rate', actorId: null, actorKind: 'author', note: rating, at: now });
    });
  }

  /** Sends the answered item back to the unit once, with a new 15-working-day deadline. */
  async reopen(code: string, key: string, reason: string, now = new Date()) {
    const why = trimmed(reason);
    if (!why) throw new AppError('reason_required');
    if ([...why].length > 2000) throw new AppError('feedback_content_too_long');
    const f0 = await loadByCode(this.db, code);
    const due = answerBy(now, await this.clock(f0.unit_code));
    await this.db.transaction().execute(async (trx) => {
      const f = await this.withKey(trx, code, key, true);
      if (f.status !== 'published') throw new AppError('feedback_wrong_state');
      if (f.reopen_count >= 1) throw new AppError('feedback_reopen_used');
      // reopen_count is checked by the table as well: a race cannot reopen twice.
      await trx
        .updateTable('feedback')
        .set((eb) => ({
          status: 'answering',
          reopen_count: eb('reopen_count', '+', 1),
          answer_from: now,
          answer_by: due,
          waits: '[]',
          updated_at: now,
        }))
        .where('id', '=', f.id)
        .execute();
      await appendEvent(trx, f, {
        action: 'reopen',
        to: 'answering',
        actorId: null,
        actorKind: 'author',
        note: why,
        at: now,
        data: { answerBy: due.toISOString() },
      });
    });
  }

  /** A file sent with the feedback or a reply, by the author (pdf, jpg, png; the upload limits). */
  async attach(code: string, key: string, file: UploadedFile, now = new Date()) {
    const { name, mediaType } = checkUpload(file.bytes, file.fileName, file.mimeType, this.deps.uploadMaxBytes);
    await this.withKey(this.db, code, key);
    const sha = await this.deps.files.put(file.bytes);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.withKey(trx, code, key, true);
      if (f.status === 'rejected' || f.status === 'published') throw new AppError('feedback_wrong_state');
      const count = await trx
        .selectFrom('feedback_attachment')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('feedback_id', '=', f.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= 5) throw new AppError('feedback_too_many_files');
      await trx
        .insertInto('stored_file')
        .values({ sha256: sha, size: file.bytes.length, media_type: mediaType })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx
        .insertInto('feedback_attachment')
        .values({ feedback_id: f.id, file_sha256: sha, name, media_type: mediaType, size: file.bytes.length, uploaded_at: now })
        .execute();
      await appendEvent(trx, f, { action: 'attach', actorId: null, actorKind: 'author', note: name, at: now });
    });
  }

  /**
   * On-time answering per unit in the subtree of `unitPath`, for the days `from`..`to` (Vietnam
   * time, both included): received (by kind), answered, on time, late, open overdue now,
   * rejected, reopened, rated not satisfied. See feedback.figures.ts for each definition.
   */
  figures(q: FeedbackFiguresQuery) {
    return feedbackFigures(this.db, q);
  }

  publicList(q: PublicListQuery) {
    return publicList(this.db, q);
  }

  publicItem(code: string) {
    return publicItem(this.db, code);
  }

  openData() {
    return openDataRows(this.db);
  }
}
