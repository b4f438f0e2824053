import { pii } from '../../lib/pii.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { formatDateTime } from '../../web/i18n/index.js';
import { notify, type NotifyChannels } from '../notify/notify.service.js';
import type { TemplateKey } from '../notify/templates.js';

interface Recipient {
  accountId: number | null;
  phone: string | null;
  email: string | null;
  locale: 'vi' | 'en';
}

interface Conf {
  id: number;
  topic: string;
  starts_at: Date;
  place: string;
  unit_vi: string;
  unit_en: string;
}

/**
 * Tells the people of a conference, in the caller's transaction: its registrants (or the one just
 * registered), and with `askers` also whoever sent an accepted question. Someone both registered
 * and asking (same phone, e-mail or account) gets one message.
 */
export async function notifyConference(
  trx: Transaction<DB>,
  channels: NotifyChannels,
  c: Conf,
  template: TemplateKey,
  link: string,
  opts: { reason: string; askers: boolean; only?: number },
) {
  let regs = trx
    .selectFrom('conference_registration')
    .select(['account_id as accountId', 'phone', 'email', 'locale'])
    .where('conference_id', '=', c.id);
  if (opts.only !== undefined) regs = regs.where('id', '=', opts.only);
  const people: Recipient[] = await regs.orderBy('id').execute();
  if (opts.askers) {
    const askers = await trx
      .selectFrom('conference_question')
      .select(['asker_account_id as accountId', 'asker_phone as phone', 'asker_email as email', 'asker_locale as locale'])
      .where('conference_id', '=', c.id)
      .where('moderation', '=', 'accepted')
      .orderBy('id')
      .execute();
    people.push(...askers);
  }
  const seen = new Set<string>();
  const cipher = pii();
  for (const sealed of people) {
    // Opened before comparing: two ciphertexts of one number differ.
    const p = { ...sealed, phone: cipher.decryptNullable(sealed.phone) };
    const keys = [p.accountId && `a${p.accountId}`, p.phone && `p${p.phone}`, p.email && `e${p.email.toLowerCase()}`].filter(
      (k): k is string => !!k,
    );
    if (keys.length === 0 || keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    await notify(
      trx,
      {
        template,
        locale: p.locale,
        params: {
          topic: c.topic,
          when: formatDateTime(c.starts_at, p.locale),
          place: c.place,
          unit: p.locale === 'en' ? c.unit_en : c.unit_vi,
          reason: opts.reason || '-',
          link,
        },
        accountId: p.accountId,
        dossierId: null,
        email: p.email,
        phone: p.phone,
      },
      channels,
    );
  }
}
