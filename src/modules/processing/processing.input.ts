import { AppError } from '../../lib/errors.js';
import type { DossierRow } from '../dossiers/dossier.repo.js';
import type { Offer } from '../dossiers/dossier.rules.js';
import type { ActBody } from './processing.service.js';

const TEXT_MAX = 2000;
export const clean = (s: string | null | undefined) => (s ?? '').trim().slice(0, TEXT_MAX) || null;

/** What an action needs besides the revision, checked before any work: the 400s of the processing API. */
export interface CheckedInput {
  note: string | null;
  reason: string | null;
  items?: { item: number; reason: string }[];
  amount?: number;
  proposal?: { decision: 'approve' | 'reject'; reason: string | null };
  legalBasis: string | null;
  tracking: string | null;
}

export function checkInput(d: DossierRow, body: ActBody): CheckedInput {
  const out: CheckedInput = { note: clean(body.note), reason: clean(body.reason), legalBasis: clean(body.legalBasis), tracking: null };
  switch (body.action) {
    case 'return_step':
    case 'reject':
    case 'stop':
    case 'withdraw_decline':
      if (!out.reason) throw new AppError('reason_required');
      break;
    case 'request_supplement': {
      const docs = (d.content as Offer['content']).documents;
      const items = (body.items ?? []).map((x) => ({ item: x.item, reason: x.reason.trim().slice(0, 500) })).filter((x) => x.reason);
      if (items.length === 0) throw new AppError('supplement_items_required');
      for (const x of items) if (x.item < -1 || x.item >= docs.length) throw new AppError('unknown_document_item');
      out.items = items;
      break;
    }
    case 'obligation':
      if (!body.amount || !Number.isInteger(body.amount) || body.amount <= 0 || body.amount > 1e12) throw new AppError('invalid_amount');
      out.amount = body.amount;
      break;
    case 'return_result':
      if (!body.method) throw new AppError('return_method_required');
      out.tracking = clean(body.tracking)?.slice(0, 64) ?? null;
      if (body.method === 'post' && !out.tracking) throw new AppError('tracking_required');
      break;
    default:
      break;
  }
  if (body.action === 'pass' && body.decision !== undefined && body.decision !== null) {
    if (body.decision !== 'approve' && body.decision !== 'reject') throw new AppError('invalid_proposal');
    out.proposal = { decision: body.decision, reason: out.reason };
  }
  return out;
}
