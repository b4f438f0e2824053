import type { Kysely } from 'kysely';
import { isRealDate } from '../../lib/dates.js';
import type { DB, UnitLevel, UnitRow } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { assertUnitScope, type Actor } from '../auth/policy.js';
import * as repo from './units.repo.js';
import type { NewUnit, Reorganization, UnitDetail, UnitNode, UnitView } from './units.schema.js';

/** Which parent levels and kinds each level allows. A two-level province puts communes under the city. */
const PARENT_LEVELS: Record<UnitLevel, (UnitLevel | null)[]> = {
  city: [null],
  department: ['city'],
  district: ['city'],
  commune: ['district', 'city'],
};
const KINDS: Record<UnitLevel, string[]> = {
  city: ['city', 'province'],
  department: ['department'],
  district: ['urban_district', 'rural_district', 'town'],
  commune: ['ward', 'commune', 'township'],
};

// ltree labels allow letters, digits and underscores; agency codes map onto them one to one.
export const pathLabel = (code: string) => code.replace(/\./g, '_');
const codeOfLabel = (l: string) => l.replace(/_/g, '.');

export function todayInVietnam(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

export function present(row: UnitRow): UnitView {
  const labels = row.path.split('.');
  return {
    code: row.code,
    name: { vi: row.name_vi, en: row.name_en },
    level: row.level,
    kind: row.kind,
    parentCode: labels.length > 1 ? codeOfLabel(labels[labels.length - 2]!) : null,
    ancestors: labels.slice(0, -1).map(codeOfLabel),
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

const validOn = (u: UnitRow, at: string) => u.valid_from <= at && (u.valid_to === null || u.valid_to > at);

export class UnitService {
  constructor(private readonly db: Kysely<DB>) {}

  private checkDate(at: string | undefined): string {
    const d = at ?? todayInVietnam();
    if (!isRealDate(d)) throw new AppError('invalid_date');
    return d;
  }

  async list(q: { level?: UnitLevel | undefined; parent?: string | undefined; at?: string | undefined }): Promise<UnitView[]> {
    const at = this.checkDate(q.at);
    let parentId: number | undefined;
    if (q.parent) {
      const parent = await repo.findByCode(this.db, q.parent);
      if (!parent) throw new AppError('unit_not_found');
      parentId = parent.id;
    }
    return (await repo.listValid(this.db, at, { level: q.level, parentId })).map(present);
  }

  async tree(at?: string): Promise<UnitNode[]> {
    const units = await this.list({ at });
    const byCode = new Map<string, UnitNode>(units.map((u) => [u.code, { ...u, children: [] }]));
    const roots: UnitNode[] = [];
    for (const node of byCode.values()) {
      const parent = node.parentCode ? byCode.get(node.parentCode) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    return roots;
  }

  async findRow(code: string): Promise<UnitRow> {
    const row = await repo.findByCode(this.db, code);
    if (!row) throw new AppError('unit_not_found');
    return row;
  }

  async detail(code: string, at?: string): Promise<UnitDetail> {
    const when = this.checkDate(at);
    const row = await this.findRow(code);
    const [children, preds, succs] = await Promise.all([
      repo.childCodes(this.db, row.id, when),
      repo.succession(this.db, row.id, 'predecessors'),
      repo.succession(this.db, row.id, 'successors'),
    ]);
    const link = (s: { code: string; kind: string; effective_date: string }) => ({
      code: s.code,
      kind: s.kind,
      effectiveDate: s.effective_date,
    });
    return { ...present(row), children: children.map((c) => c.code), predecessors: preds.map(link), successors: succs.map(link) };
  }

  async countsByLevel(at?: string): Promise<Record<UnitLevel, number>> {
    const rows = await repo.countValidByLevel(this.db, this.checkDate(at));
    const out: Record<UnitLevel, number> = { city: 0, department: 0, district: 0, commune: 0 };
    for (const r of rows) out[r.level] = Number(r.n);
    return out;
  }

  /** Creates a unit; the actor needs city admin rights over the parent (or is seeding). */
  async create(input: NewUnit, actor: Actor | null, ctx: AuditContext): Promise<UnitView> {
    if (!isRealDate(input.validFrom)) throw new AppError('invalid_date');
    return this.db.transaction().execute(async (trx) => {
      const parent = input.parentCode ? await repo.findByCode(trx, input.parentCode) : undefined;
      if (input.parentCode && !parent) throw new AppError('unit_not_found');
      if (actor) assertUnitScope(actor, parent?.path ?? pathLabel(input.code), ['city_admin']);
      if (!PARENT_LEVELS[input.level].includes(parent?.level ?? null) || !KINDS[input.level].includes(input.kind)) {
        throw new AppError('invalid_unit_tree');
      }
      if (parent && !validOn(parent, input.validFrom)) throw new AppError('invalid_unit_tree');
      if (await repo.findByCode(trx, input.code)) throw new AppError('unit_code_taken');
      const row = await repo.insertUnit(trx, {
        code: input.code,
        name_vi: input.name.vi.normalize('NFC'),
        name_en: input.name.en.normalize('NFC'),
        level: input.level,
        kind: input.kind,
        parent_id: parent?.id ?? null,
        path: parent ? `${parent.path}.${pathLabel(input.code)}` : pathLabel(input.code),
        valid_from: input.validFrom,
        valid_to: null,
      });
      await recordAudit(trx, ctx, { action: 'unit.create', entityType: 'unit', entityId: row.code, after: present(row) });
      return present(row);
    });
  }

  /**
   * Merges units into one, or splits one into several, from an effective date. The old units
   * end the day before (valid_to = effective date) and stay in the database, so dossiers filed
   * with them keep pointing at the unit they had.
   */
  async reorganize(input: Reorganization, actor: Actor, ctx: AuditContext): Promise<UnitDetail[]> {
    const d = input.effectiveDate;
    if (!isRealDate(d)) throw new AppError('invalid_date');
    if (input.kind === 'split' && (input.from.length !== 1 || input.into.length < 2)) throw new AppError('invalid_unit_tree');
    if (input.kind === 'merge' && (input.into.length !== 1 || input.from.length < 2 - ('existing' in input.into[0]! ? 1 : 0))) {
      throw new AppError('invalid_unit_tree');
    }
    const codes = await this.db.transaction().execute(async (trx) => {
      const sources: UnitRow[] = [];
      for (const code of input.from) {
        const u = await repo.findByCode(trx, code);
        if (!u) throw new AppError('unit_not_found');
        assertUnitScope(actor, u.path, ['city_admin']);
        if (!validOn(u, d) || u.valid_from >= d) throw new AppError('invalid_unit_tree');
        sources.push(u);
      }
      const targets: UnitRow[] = [];
      for (const t of input.into) {
        if ('existing' in t) {
          const u = await repo.findByCode(trx, t.existing);
          if (!u) throw new AppError('unit_not_found');
          assertUnitScope(actor, u.path, ['city_admin']);
          if (!validOn(u, d)) throw new AppError('invalid_unit_tree');
          targets.push(u);
          continue;
        }
        const parent = t.parentCode ? await repo.findByCode(trx, t.parentCode) : undefined;
        if (t.parentCode && !parent) throw new AppError('unit_not_found');
        if (!parent) throw new AppError('invalid_unit_tree');
        assertUnitScope(actor, parent.path, ['city_admin']);
        if (!PARENT_LEVELS[t.level].includes(parent.level) || !KINDS[t.level].includes(t.kind) || !validOn(parent, d)) {
          throw new AppError('invalid_unit_tree');
        }
        if (await repo.findByCode(trx, t.code)) throw new AppError('unit_code_taken');
        targets.push(
          await repo.insertUnit(trx, {
            code: t.code,
            name_vi: t.name.vi.normalize('NFC'),
            name_en: t.name.en.normalize('NFC'),
            level: t.level,
            kind: t.kind,
            parent_id: parent.id,
            path: `${parent.path}.${pathLabel(t.code)}`,
            valid_from: d,
            valid_to: null,
          }),
        );
      }
      const targetIds = new Set(targets.map((t) => t.id));
      for (const s of sources) {
        if (targetIds.has(s.id)) continue;
        const openChildren = await trx
          .selectFrom('unit')
          .select('id')
          .where('parent_id', '=', s.id)
          .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', d)]))
          .executeTakeFirst();
        // Children must be moved or closed first: a closed unit cannot keep live units under it.
        if (openChildren) throw new AppError('invalid_unit_tree');
        await trx.updateTable('unit').set({ valid_to: d }).where('id', '=', s.id).execute();
        for (const t of targets) {
          await trx
            .insertInto('unit_succession')
            .values({ predecessor_id: s.id, successor_id: t.id, kind: input.kind, effective_date: d })
            .execute();
        }
      }
      await recordAudit(trx, ctx, {
        action: `unit.${input.kind}`,
        entityType: 'unit',
        entityId: input.from.join(','),
        before: sources.map(present),
        after: { effectiveDate: d, into: targets.map((t) => t.code) },
      });
      return targets.map((t) => t.code);
    });
    return Promise.all(codes.map((c) => this.detail(c, d)));
  }
}
