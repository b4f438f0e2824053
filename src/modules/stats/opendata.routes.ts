import { Type } from '@sinclair/typebox';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { periodOf } from '../../domain/stats/periods.js';
import { todayInVietnam } from '../units/units.service.js';
import { openDataCsv } from './stats.export.js';
import type { Coverage } from './stats.coverage.js';
import { CoverageQuerySchema, type Figures, type Report } from './stats.schema.js';

const tags = ['open data'];
/** Bumped only when a column changes meaning or disappears; new columns may be added at the end. */
const SCHEMA_VERSION = 1;

export const REPORT_COLUMNS = [
  'unitCode',
  'unitNameVi',
  'unitNameEn',
  'level',
  'periodFrom',
  'periodTo',
  'convention',
  'receivedTotal',
  'receivedInPerson',
  'receivedOnline',
  'receivedPost',
  'carriedOver',
  'finishedTotal',
  'finishedEarly',
  'finishedOnTime',
  'finishedLate',
  'inProgressTotal',
  'inProgressWithinDeadline',
  'inProgressOverdue',
  'withdrawn',
  'stopped',
  'refusedAtReception',
  'onTimeRate',
  'onlineShare',
] as const;

export const COVERAGE_COLUMNS = [
  'scope',
  'unitCode',
  'level',
  'units',
  'unitsUsing',
  'procedures',
  'level1',
  'level2',
  'level3',
  'level4',
  'online',
  'full',
  'partial',
  'shareOnline',
  'shareLevel3',
  'shareLevel4',
] as const;

function reportRow(r: Report, u: { code: string; name: { vi: string; en: string }; level: string } & Figures) {
  return {
    unitCode: u.code,
    unitNameVi: u.name.vi,
    unitNameEn: u.name.en,
    level: u.level,
    periodFrom: r.period.from,
    periodTo: r.period.to,
    convention: r.convention,
    receivedTotal: u.received.total,
    receivedInPerson: u.received.inPerson,
    receivedOnline: u.received.online,
    receivedPost: u.received.post,
    carriedOver: u.received.carriedOver,
    finishedTotal: u.finished.total,
    finishedEarly: u.finished.early,
    finishedOnTime: u.finished.onTime,
    finishedLate: u.finished.late,
    inProgressTotal: u.inProgress.total,
    inProgressWithinDeadline: u.inProgress.withinDeadline,
    inProgressOverdue: u.inProgress.overdue,
    withdrawn: u.stoppedBy.withdrawn,
    stopped: u.stoppedBy.stopped,
    refusedAtReception: u.refusedAtReception,
    onTimeRate: u.onTimeRate,
    onlineShare: u.onlineShare,
  };
}

function coverageRows(c: Coverage) {
  const row = (scope: string, level: string, units: number | null, using: number | null, p: Coverage['procedures']) => ({
    scope,
    unitCode: c.unit.code,
    level,
    units,
    unitsUsing: using,
    procedures: p.total,
    level1: p.level1,
    level2: p.level2,
    level3: p.level3,
    level4: p.level4,
    online: p.online,
    full: p.full,
    partial: p.partial,
    shareOnline: p.shareOnline,
    shareLevel3: p.shareLevel3,
    shareLevel4: p.shareLevel4,
  });
  return [
    row('all', c.unit.level, null, c.unitsUsing.total, c.procedures),
    ...c.byUnitLevel.map((l) => row('unit_level', l.level, l.units, l.unitsUsing, l.procedures)),
  ];
}

const ReportOpenQuery = Type.Object(
  {
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    period: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
    convention: Type.Optional(Type.Union([Type.Literal('pause'), Type.Literal('restart')])),
    subtree: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  { additionalProperties: false },
);

/** Open data (docs/metrics.md, "Open data"): the public figures as JSON or CSV with a stable schema. */
export async function openDataRoutes(app: App) {
  const { stats } = app.services;
  const reportRows = async (q: typeof ReportOpenQuery.static) => {
    const r = await stats.report({
      unit: q.unit ?? '000.00.00.H26',
      ...q,
      ...(q.period || q.from || q.to ? {} : { period: periodOf('year', todayInVietnam()).name }),
    });
    return { r, rows: [reportRow(r, { ...r.unit, ...r }), ...r.units.map((u) => reportRow(r, u))] };
  };
  for (const fmt of ['json', 'csv'] as const) {
    app.get(`/api/v1/open-data/reports.${fmt}`, {
      config: { policy: policies.public },
      schema: {
        tags,
        summary: `The periodic report of a unit and of each unit below it, as ${fmt.toUpperCase()} (schemaVersion ${SCHEMA_VERSION})`,
        querystring: ReportOpenQuery,
      },
      handler: async (req, reply) => {
        const { r, rows } = await reportRows(req.query);
        if (fmt === 'csv') return reply.type('text/csv; charset=utf-8').send(openDataCsv(rows, [...REPORT_COLUMNS]));
        return {
          schemaVersion: SCHEMA_VERSION,
          generatedAt: new Date().toISOString(),
          measuredAt: r.measuredAt,
          columns: REPORT_COLUMNS,
          rows,
        };
      },
    });
    app.get(`/api/v1/open-data/coverage.${fmt}`, {
      config: { policy: policies.public },
      schema: {
        tags,
        summary: `Online-service coverage of a unit, in total and per unit level, as ${fmt.toUpperCase()}`,
        querystring: Type.Partial(CoverageQuerySchema),
      },
      handler: async (req, reply) => {
        const c = await stats.coverage({ unit: req.query.unit ?? '000.00.00.H26', ...req.query });
        const rows = coverageRows(c);
        if (fmt === 'csv') return reply.type('text/csv; charset=utf-8').send(openDataCsv(rows, [...COVERAGE_COLUMNS]));
        return {
          schemaVersion: SCHEMA_VERSION,
          generatedAt: new Date().toISOString(),
          columns: COVERAGE_COLUMNS,
          rows,
          onlineShareByField: c.onlineShareByField,
        };
      },
    });
  }
}
