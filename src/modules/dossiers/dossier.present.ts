import { STATUS_NAME, type StatusCode } from '../../domain/dossier/status.js';
import type { DocumentRow, DossierRow } from './dossier.repo.js';
import type { Applicant, DossierView } from './dossier.schema.js';

type EventRow = {
  at: Date;
  action: string;
  from_status: number | null;
  to_status: number | null;
  note: string | null;
  actor_role: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The explicit field list a dossier is shown with (API and pages); nothing else leaves the service. */
export function presentDossier(
  d: DossierRow,
  documents: DocumentRow[],
  events: EventRow[],
  paid: number,
  expectedDue: Date | null,
): DossierView {
  const fee = d.fee_amount;
  return {
    id: d.id,
    code: d.code,
    status: d.status,
    statusName: d.status ? STATUS_NAME[d.status as StatusCode] : null,
    channel: d.channel,
    procedure: { code: d.procedure_code, name: { vi: d.procedure_vi, en: d.procedure_en }, version: d.procedure_version },
    unit: { code: d.unit_code, name: { vi: d.unit_vi, en: d.unit_en } },
    applicant: d.applicant as Applicant,
    assisted: (d.assisted as DossierView['assisted']) ?? null,
    form: (d.form_data ?? {}) as Record<string, unknown>,
    fee: { amount: fee, paid, outstanding: fee === null ? 0 : Math.max(0, fee - paid) },
    submittedAt: iso(d.submitted_at),
    receivedAt: iso(d.received_at),
    dueAt: iso(d.due_at),
    expectedDueAt: iso(expectedDue),
    revision: d.revision,
    documents: documents.map((x) => ({
      id: x.id,
      item: x.item,
      name: x.file_name,
      mediaType: x.media_type,
      size: x.size,
      paper: x.paper,
      round: x.round,
    })),
    events: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      note: e.note,
      actorRole: e.actor_role,
    })),
  };
}
