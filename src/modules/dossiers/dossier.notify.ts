import type { TemplateKey } from '../notify/templates.js';
import { notify, type NotifyChannels } from '../notify/notify.service.js';
import type { DossierNotifier } from './dossier.service.js';

/**
 * Dossier events to messages: the common parameters (names, a link the recipient can open) are
 * filled here, the event-specific ones come from the caller. Runs in the caller's transaction.
 */
export function dossierNotifier(baseUrl: string, channels: NotifyChannels): DossierNotifier {
  return async (trx, d, template, params) => {
    // Callers that already know the names pass them; otherwise they are read here.
    const names =
      params.procedure && params.unit
        ? { name_vi: params.procedure, name_en: params.procedure, unit_vi: params.unit, unit_en: params.unit }
        : await trx
            .selectFrom('dossier as x')
            .innerJoin('procedure as p', 'p.id', 'x.procedure_id')
            .innerJoin('unit as u', 'u.id', 'x.unit_id')
            .select(['p.name_vi', 'p.name_en', 'u.name_vi as unit_vi', 'u.name_en as unit_en'])
            .where('x.id', '=', d.id)
            .executeTakeFirstOrThrow();
    const en = d.locale === 'en';
    // Someone without an account follows the dossier on the public lookup page.
    const link = d.ownerId ? `${baseUrl}/dossiers/${d.id}` : `${baseUrl}/lookup?code=${encodeURIComponent(d.code ?? '')}`;
    await notify(
      trx,
      {
        template: template as TemplateKey,
        locale: d.locale,
        params: {
          code: d.code ?? '',
          procedure: en ? names.name_en : names.name_vi,
          unit: en ? names.unit_en : names.unit_vi,
          link,
          // The public lookup, which needs no login (the rating of a returned result starts there).
          lookup: `${baseUrl}/lookup?code=${encodeURIComponent(d.code ?? '')}`,
          ...params,
        },
        accountId: d.ownerId,
        dossierId: d.id,
        email: d.applicant.email,
        phone: d.applicant.phone,
      },
      channels,
    );
  };
}
