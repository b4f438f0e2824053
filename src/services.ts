import type { Config } from './config.js';
import type { Database } from './db/engine.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { CatalogueService } from './modules/catalogue/catalogue.service.js';
import { CatalogueAdmin } from './modules/catalogue/catalogue.admin.js';
import { StaffService } from './modules/staff/staff.service.js';
import { UnitService } from './modules/units/units.service.js';

export interface Services {
  database: Database;
  auth: AuthService;
  units: UnitService;
  staff: StaffService;
  calendar: CalendarService;
  catalogue: CatalogueService;
  catalogueAdmin: CatalogueAdmin;
}

export function createServices(config: Config, database: Database): Services {
  const db = database.db;
  const auth = new AuthService(db, config);
  const units = new UnitService(db);
  const catalogue = new CatalogueService(db);
  return {
    database,
    auth,
    units,
    staff: new StaffService(db, units),
    calendar: new CalendarService(db, units, config.pauseConvention),
    catalogue,
    catalogueAdmin: new CatalogueAdmin(db, catalogue, units),
  };
}
