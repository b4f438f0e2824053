import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/engine.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { testDatabase, type TemplateKind } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  db: Database['db'];
  close(): Promise<void>;
}

/** `template: 'bare'`: no catalogue and no demo offers (scenarios build their own). */
export async function testApp(overrides: Partial<Config> = {}, opts: { template?: TemplateKind } = {}): Promise<TestApp> {
  const database = await testDatabase(opts.template);
  // Uploads of each test app go to their own directory, never into the developer's ./data.
  const filesDir = await mkdtemp(join(tmpdir(), 'motcua-files-'));
  const config = { ...loadConfig({ NODE_ENV: 'test', LOGIN_RATE_LIMIT: '100000', LOG_LEVEL: 'silent' }), filesDir, ...overrides };
  const app = await buildApp(config, database, { logger: false });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    close: async () => {
      await app.close();
      await database.close();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps cookies, and reads the CSRF token from the pages it gets. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...opts, headers: { cookie: this.cookieHeader, ...(opts.headers ?? {}) } });
    this.remember(res);
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** Posts a form the way a browser does, with the CSRF token of the last page seen. */
  async postForm(url: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}) {
    const body = new URLSearchParams({ ...(opts.csrf === null ? {} : { _csrf: opts.csrf ?? this.csrf }), ...fields }).toString();
    return this.request({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async login(identifier: string, password = DEMO_PASSWORD) {
    await this.get('/login');
    const res = await this.postForm('/login', { identifier, password });
    if (res.statusCode !== 303) throw new Error(`login as ${identifier} failed: ${res.statusCode}`);
    await this.get('/account');
    return this;
  }
}

export async function bearerFor(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username, password } });
  if (res.statusCode !== 201) throw new Error(`token for ${username}: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}

export const DEMO = {
  citizen: '0912345678',
  business: '0100109106',
  deskQuangTrung: 'desk.quangtrung@demo.motcua.vn',
  deskDichVong: 'desk.dichvong@demo.motcua.vn',
  specialistHaDong: 'specialist.hadong@demo.motcua.vn',
  leaderHaDong: 'leader.hadong@demo.motcua.vn',
  specialistQuangTrung: 'specialist.quangtrung@demo.motcua.vn',
  leaderQuangTrung: 'leader.quangtrung@demo.motcua.vn',
  adminHaDong: 'admin.hadong@demo.motcua.vn',
  cityAdmin: 'admin@demo.motcua.vn',
} as const;

export const UNITS = {
  city: '000.00.00.H26',
  haDong: '000.00.42.H26',
  cauGiay: '000.00.35.H26',
  quangTrung: '000.13.42.H26',
  vanQuan: '000.15.42.H26',
  dichVong: '000.01.35.H26',
  baDinh: '000.00.31.H26',
} as const;
