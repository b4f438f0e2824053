import { sql } from 'kysely';
import type { RegisteredRoute } from '../../src/app.js';
import type { Database } from '../../src/db/engine.js';
import { checkPolicy, type Actor, type Policy } from '../../src/modules/auth/policy.js';

/** One tag's attributes, lower-cased names; values unescaped enough for our checks. */
export function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const body = tag.replace(/^<[a-zA-Z0-9-]+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=/>"']+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out.set(m[1]!.toLowerCase(), m[3] ?? m[4] ?? m[5] ?? '');
  }
  return out;
}

export interface PageFindings {
  inlineScripts: number;
  problems: string[];
}

/**
 * What the CSP and CSRF rules require of one HTML page: every inline <script> carries this
 * response's nonce, no inline event handler or javascript: URL (script-src-attr 'none' would block
 * them anyway, silently), no inline style (style-src 'self'), and every POST form carries the token.
 */
export function inspectPage(html: string, nonce: string | null): PageFindings {
  const problems: string[] = [];
  let inlineScripts = 0;
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    if (a.has('src')) {
      if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(a.get('src')!)) problems.push(`script from another origin: ${m[0]}`);
    } else {
      inlineScripts++;
      if (!nonce || a.get('nonce') !== nonce) problems.push(`inline script without this response's nonce: ${m[0]}`);
    }
  }
  for (const m of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const a = attributes(m[0]);
    for (const [name, value] of a) {
      if (/^on[a-z]+$/.test(name)) problems.push(`inline event handler ${name}: ${m[0].slice(0, 120)}`);
      if (name === 'style') problems.push(`inline style: ${m[0].slice(0, 120)}`);
      if ((name === 'href' || name === 'src' || name === 'action' || name === 'formaction') && /^\s*javascript:/i.test(value)) {
        problems.push(`javascript: URL: ${m[0].slice(0, 120)}`);
      }
    }
  }
  if (/<style\b/i.test(html)) problems.push('inline <style> element');
  for (const m of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    const form = attributes(/^<form\b[^>]*>/i.exec(m[0])![0]);
    if ((form.get('method') ?? 'get').toLowerCase() !== 'post') continue;
    const token = [...m[1]!.matchAll(/<input\b[^>]*>/gi)].map((i) => attributes(i[0])).find((i) => i.get('name') === '_csrf');
    if (!token || token.get('type') !== 'hidden' || !token.get('value')) {
      problems.push(`POST form without a CSRF token: <form action="${form.get('action') ?? ''}">`);
    }
  }
  return { inlineScripts, problems };
}

/** The nonce a response's CSP allows, if any. */
export function cspNonce(csp: string | undefined): string | null {
  return /'nonce-([A-Za-z0-9+/_=-]+)'/.exec(csp ?? '')?.[1] ?? null;
}

/** The first actor (by the order given) whose roles pass the route's policy; null for public routes. */
export function actorFor<K extends string>(policy: Policy, actors: [K, Actor][]): K | null | undefined {
  if (policy.access === 'public') return null;
  for (const [key, actor] of actors) {
    try {
      checkPolicy(actor, policy);
      return key;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** A concrete address for a route pattern; the values only need to reach the route's hooks. */
export function fillParams(route: RegisteredRoute): string {
  // Multipart routes check the token in the handler, after the parameters' schema: give them valid ones.
  const code = route.url.includes('feedback') ? 'PAKN-261127-00001' : 'x1';
  return route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'year' ? '2026' : name === 'code' ? code : '1'));
}

/**
 * A fingerprint of the database's content: every table's rows, hashed in SQL. Sessions and API
 * tokens are counted only (reading with one touches its last-seen time, which is not a change
 * anyone made).
 */
export async function databaseFingerprint(database: Database): Promise<Record<string, string>> {
  const db = database.db;
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const t = sql.table(name);
    const r =
      name === 'session' || name === 'api_token'
        ? await sql<{ v: string }>`select count(*)::text as v from ${t}`.execute(db)
        : await sql<{
            v: string;
          }>`select count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as v from ${t} x`.execute(db);
    out[name] = r.rows[0]!.v;
  }
  return out;
}
