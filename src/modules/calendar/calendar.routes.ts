import { Type } from '@sinclair/typebox';
import { policies } from '../auth/policy.js';
import { auditContext, type App } from '../../web/request-context.js';
import { StaffParams } from '../staff/staff.schema.js';
import {
  DeadlineQuery,
  DeadlineView,
  LunarQuery,
  LunarView,
  OfficeHoursBody,
  OfficeHoursView,
  SolarQuery,
  WorkingDaysQuery,
  YearCalendarBody,
  YearCalendarView,
  YearParams,
} from './calendar.schema.js';

export async function calendarApiRoutes(app: App) {
  const calendar = app.services.calendar;
  const tags = ['calendar'];

  app.get('/api/v1/calendar/lunar', {
    config: { policy: policies.public },
    schema: { tags, summary: 'Vietnamese lunar date (UTC+7) of a solar date', querystring: LunarQuery, response: { 200: LunarView } },
    handler: async (req) => calendar.lunar(req.query.date),
  });

  app.get('/api/v1/calendar/solar', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Solar date of a Vietnamese lunar date',
      querystring: SolarQuery,
      response: { 200: Type.Object({ date: Type.String() }) },
    },
    handler: async (req) => calendar.solar(req.query),
  });

  app.get('/api/v1/calendar/years/:year', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: "A year's public holidays, days off and working weekends",
      params: YearParams,
      response: { 200: YearCalendarView },
    },
    handler: async (req) => calendar.year(req.params.year),
  });

  app.put('/api/v1/calendar/years/:year', {
    config: { policy: policies.official('city_admin') },
    schema: {
      tags,
      summary: 'Publish a new version of a year (city admin)',
      params: YearParams,
      body: YearCalendarBody,
      response: { 200: YearCalendarView },
    },
    handler: async (req) => calendar.publish(req.params.year, req.body, req.actor!, auditContext(req)),
  });

  app.get('/api/v1/calendar/working-days', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Working days between two dates (inclusive)',
      querystring: WorkingDaysQuery,
      response: { 200: Type.Object({ count: Type.Integer(), days: Type.Array(Type.String()) }) },
    },
    handler: async (req) => calendar.workingDays(req.query.from, req.query.to),
  });

  app.get('/api/v1/calendar/deadline', {
    config: { policy: policies.public },
    schema: {
      tags,
      summary: 'Due instant for a receipt and a time limit, with the skipped days explained',
      querystring: DeadlineQuery,
      response: { 200: DeadlineView },
    },
    handler: async (req) => calendar.deadline(req.query),
  });

  app.get('/api/v1/units/:code/office-hours', {
    config: { policy: policies.public },
    schema: { tags, summary: "A unit's office hours", params: StaffParams, response: { 200: OfficeHoursView } },
    handler: async (req) => {
      const { hours, custom } = await calendar.officeHours(req.params.code);
      return { unitCode: req.params.code, custom, sessions: hours.sessions, cutoff: hours.cutoff };
    },
  });

  app.put('/api/v1/units/:code/office-hours', {
    config: { policy: policies.official('unit_admin', 'city_admin') },
    schema: {
      tags,
      summary: "Set a unit's office hours (unit admin)",
      params: StaffParams,
      body: OfficeHoursBody,
      response: { 200: OfficeHoursView },
    },
    handler: async (req) => {
      await calendar.setOfficeHours(req.params.code, req.body, req.actor!, auditContext(req));
      const { hours, custom } = await calendar.officeHours(req.params.code);
      return { unitCode: req.params.code, custom, sessions: hours.sessions, cutoff: hours.cutoff };
    },
  });
}
