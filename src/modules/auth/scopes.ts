import type { Policy } from './policy.js';

/**
 * What a route's resource is scoped to, next to its `policy`: how the service finds the unit (or
 * the owner) that decides whether a caller who passed the policy may go on. The authorization
 * matrix test derives every expected decision from `policy` + `scope`, so a route whose resource
 * lives in a unit must say so (registration fails otherwise, see `routeScope`).
 *
 * - `none`: the policy alone decides (no resource, or a list the service filters to the caller).
 * - `city`: a city-wide resource (catalogue, calendar, contests, surveys, webhooks): officials need
 *   a grant that covers the city root.
 * - `account`: the caller's own records addressed by id (tokens, notifications): only their owner.
 * - `unit`: the unit named by `param` (path, query or body): a grant covering it (its subtree).
 * - `dossier`: the dossier `param`: its applicant, or officials whose grant covers the receiving
 *   unit (`officials: 'subtree'`) or who hold the role at exactly that unit (`'exact'`: acting on
 *   a dossier is never inherited by parent units).
 * - `feedback` / `conference` / `faq` / `commitment` / `followUp`: the unit in charge of that record,
 *   a grant covering it.
 */
export type Scope =
  | { target: 'none' | 'city' | 'account' }
  | { target: 'unit'; param: string; in?: 'path' | 'query' | 'body' }
  | { target: 'dossier'; param: string; officials: 'subtree' | 'exact' }
  | { target: 'feedback' | 'conference' | 'faq' | 'commitment' | 'followUp'; param: string };

export const scopes = {
  none: { target: 'none' },
  city: { target: 'city' },
  account: { target: 'account' },
  unit: (param = 'code', where: 'path' | 'query' | 'body' = 'path'): Scope => ({ target: 'unit', param, in: where }),
  dossier: (officials: 'subtree' | 'exact' = 'subtree', param = 'id'): Scope => ({ target: 'dossier', param, officials }),
  of: (target: 'feedback' | 'conference' | 'faq' | 'commitment' | 'followUp', param: string): Scope => ({ target, param }),
} as const satisfies Record<string, Scope | ((...a: never[]) => Scope)>;

/**
 * Families of routes that share how their resource is scoped, by URL, so each route of a family
 * need not repeat it; a route's own `config.scope` wins. First match wins.
 */
const FAMILIES: { url: RegExp; scope: Scope }[] = [
  // Units and what hangs off them.
  { url: /^\/(api\/v1|admin)\/units\/:code\//, scope: scopes.unit('code') },
  // The caller's own tokens and notifications.
  { url: /^\/(api\/v1\/auth|account)\/tokens\/:id/, scope: scopes.account },
  { url: /^\/(api\/v1\/me\/notifications|inbox)\/:id/, scope: scopes.account },
  // Acting on a dossier in the workflow: only at the unit itself (processing.access isOfficialAt).
  { url: /^\/(api\/v1\/dossiers|work\/dossiers)\/:id\/(actions|act|apology|work-documents|attach)$/, scope: scopes.dossier('exact') },
  // Everything else addressed by a dossier id: its applicant, or officials covering its unit.
  { url: /^\/(api\/v1\/)?(desk\/|work\/)?dossiers\/:id(\/|$)/, scope: scopes.dossier('subtree') },
  // Supporting a question of a published conference is open to every citizen.
  { url: /^\/(api\/v1\/)?conferences\/:id\/questions\/:qid\/support$/, scope: scopes.none },
  { url: /^\/(api\/v1\/)?(work\/)?feedback\/:code/, scope: scopes.of('feedback', 'code') },
  { url: /^\/(api\/v1\/)?work\/faq\/:id/, scope: scopes.of('faq', 'id') },
  { url: /^\/(api\/v1\/|work\/)conferences\/:id/, scope: scopes.of('conference', 'id') },
  { url: /^\/(api\/v1|work)\/commitments\/:id/, scope: scopes.of('commitment', 'id') },
  { url: /^\/(api\/v1|work)\/follow-ups\/:id/, scope: scopes.of('followUp', 'id') },
  // City-wide resources: only a grant at the city root reaches them.
  { url: /^\/(api\/v1\/|admin\/)(contest|surveys|webhooks|calendar|procedures)\//, scope: scopes.city },
  { url: /^\/api\/v1\/calendar\/years\//, scope: scopes.city },
];

/**
 * The scope a route is registered with. Public routes and routes without path parameters default
 * to `none`; any other route must declare its scope or belong to a family above.
 */
export function routeScope(url: string, policy: Policy, declared: Scope | undefined): Scope | undefined {
  if (declared) return declared;
  if (policy.access === 'public') return scopes.none;
  const family = FAMILIES.find((f) => f.url.test(url));
  if (family) return family.scope;
  return url.includes('/:') ? undefined : scopes.none;
}
