// The online-submission benchmark's fixture: a database prepared with the seeds, 50 wards offering
// the procedure and the citizens who file, the application's services on it, the baseline's two
// inserts as SQL, a submitter for the load driver, and the one-worker breakdown of where the time goes.
import { performance } from 'node:perf_hooks';
import {
  AliasNode,
  InsertQueryNode,
  RawNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  sql,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/engine.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { VersionContent } from '../../src/modules/catalogue/catalogue.schema.js';
import { checkForm, type FieldDef, type FormValues } from '../../src/domain/dossier/form.js';
import type { Actor } from '../../src/modules/auth/policy.js';
import { eventHash } from '../../src/modules/dossiers/dossier.repo.js';
import { appointment, checkApplicant } from '../../src/modules/dossiers/dossier.rules.js';
import type { NewDossierBody } from '../../src/modules/dossiers/dossier.schema.js';
import { renderTemplate } from '../../src/modules/notify/templates.js';
import { pathLabel } from '../../src/modules/units/units.service.js';
import { seedCalendars, seedCatalogue, seedDemoAccounts, seedDemoOffers, seedUnits } from '../../src/seed/seed.js';
import { createServices, type Services } from '../../src/services.js';
import { postgresCpuMs, timeLoop } from './measure.js';
import { table } from './report.js';

export const PROCEDURE = '1.004873'; // marital status confirmation, 3 working days, commune level
export const UNITS = 50;
const CITIZEN_PHONE = '0912345678';
const FILE_SHA = 'b'.repeat(64);
const EVENT_HASH = 'e'.repeat(64);

export interface Fixture {
  actor: Actor;
  actors: Actor[];
  bodies: NewDossierBody[];
  content: VersionContent;
  ids: { unit: number; procedure: number; version: number };
}

/** A valid answer for every field of the form: text 'x', a real citizen ID, a ward, ... */
function fillForm(fields: readonly FieldDef[], ward: string): FormValues {
  const simple = (f: Exclude<FieldDef, { type: 'group' }>): string | { ward: string; street: string } => {
    switch (f.type) {
      case 'date':
        return '1990-01-01';
      case 'select':
        return f.options?.[0]?.value ?? 'x';
      case 'address':
        return { ward, street: 'số 1' };
      case 'citizen_id':
        return '001090012345';
      case 'phone':
        return CITIZEN_PHONE;
      case 'email':
        return 'citizen@demo.motcua.vn';
      case 'number':
        return '1';
      default:
        return 'x';
    }
  };
  const out: FormValues = {};
  for (const f of fields) {
    out[f.name] = f.type === 'group' ? [Object.fromEntries(f.fields.map((sf) => [sf.name, simple(sf)]))] : simple(f);
  }
  return out;
}

/**
 * Migrations, seeds, 50 wards offering the procedure at level 3, one stored file, the demo citizen
 * and `citizens` - 1 made-up ones.
 */
export async function prepare(database: Database, citizens: number): Promise<Fixture> {
  const db = database.db;
  await migrateToLatest(db);
  await seedUnits(db);
  await seedCalendars(db);
  await seedCatalogue(db);
  await seedDemoAccounts(db);
  await seedDemoOffers(db);
  // The seed has 25 wards; the benchmark database gets made-up ones under other districts up to 50,
  // so the per-agency daily code counter is spread the way a city's submissions are.
  let wards = await db.selectFrom('unit').select(['id', 'code']).where('level', '=', 'commune').where('valid_to', 'is', null).execute();
  const districts = await db.selectFrom('unit').select(['id', 'code', 'path']).where('level', '=', 'district').orderBy('code').execute();
  for (let i = 0; wards.length < UNITS; i++) {
    const parent = districts[i % districts.length]!;
    const code = `000.${String(90 - Math.floor(i / districts.length)).padStart(2, '0')}.${parent.code.slice(7, 9)}.H26`;
    const row = await db
      .insertInto('unit')
      .values({
        code,
        name_vi: `Phường thử ${i + 1} (đo hiệu năng)`,
        name_en: `Benchmark ward ${i + 1}`,
        level: 'commune',
        kind: 'ward',
        parent_id: parent.id,
        path: `${parent.path}.${pathLabel(code)}`,
        valid_from: '2019-01-01',
        valid_to: null,
      })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow();
    wards.push(row);
  }
  wards = wards.sort((a, b) => a.code.localeCompare(b.code)).slice(0, UNITS);
  const proc = await db.selectFrom('procedure').select('id').where('code', '=', PROCEDURE).executeTakeFirstOrThrow();
  for (const w of wards) {
    await db
      .insertInto('unit_procedure')
      .values({ unit_id: w.id, procedure_id: proc.id, online_level: 3, online_mode: 'partial' })
      .onConflict((oc) => oc.columns(['unit_id', 'procedure_id']).doUpdateSet({ online_level: 3, online_mode: 'partial' }))
      .execute();
  }
  const version = await db
    .selectFrom('procedure_version')
    .select(['id', 'content'])
    .where('procedure_id', '=', proc.id)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  const content = version.content as VersionContent;
  await db
    .insertInto('stored_file')
    .values({ sha256: FILE_SHA, size: 1000, media_type: 'application/pdf' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const account = await db
    .selectFrom('account_identifier as i')
    .innerJoin('account as a', 'a.id', 'i.account_id')
    .select(['a.id', 'a.full_name'])
    .where('i.identifier', '=', CITIZEN_PHONE)
    .executeTakeFirstOrThrow();
  const citizen = (id: number, fullName: string): Actor => ({
    accountId: id,
    kind: 'citizen',
    fullName,
    locale: 'vi',
    roles: [],
    via: 'token',
    sessionId: null,
  });
  const actor = citizen(account.id, account.full_name);
  const actors = [actor];
  for (let i = 1; i < citizens; i++) {
    const row = await db
      .insertInto('account')
      .values({
        kind: 'citizen',
        full_name: `Công Dân Thử ${i}`,
        phone: `09${String(100_000_000 + i).slice(1)}`,
        email: `citizen${i}@bench.motcua.vn`,
        username: null,
        citizen_id: `001090${String(500_000 + i).padStart(6, '0')}`,
        tax_code: null,
        password_hash: 'not-a-password-hash',
        locked_until: null,
        disabled_at: null,
      })
      .returning(['id', 'full_name'])
      .executeTakeFirstOrThrow();
    actors.push(citizen(row.id, row.full_name));
  }
  const form = fillForm(content.form as FieldDef[], wards[0]!.code);
  const documents = content.documents.flatMap((d, i) =>
    d.required !== false ? [{ item: i, sha256: FILE_SHA, name: `giay-to-${i}.pdf` }] : [],
  );
  const bodies = wards.map((w) => ({ procedure: PROCEDURE, unit: w.code, form, documents, submit: true, declaration: true }));
  await sql`
    create table if not exists bench_dossier (like dossier including all);
    create table if not exists bench_event (like dossier_event including all);
    create sequence if not exists bench_code_seq;
  `.execute(db);
  return { actor, actors, bodies, content, ids: { unit: wards[0]!.id, procedure: proc.id, version: version.id } };
}

export function makeServices(database: Database, dataDir: string, poolSize: number, plugin?: KyselyPlugin): Services {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_POOL_SIZE: String(poolSize),
    // E-mail on, so the outbox gets its three rows (inbox, e-mail job, SMS job); nothing is sent.
    SMTP_URL: 'smtp://127.0.0.1:2525',
    SMS_PROVIDER: 'sandbox',
    JOBS: 'off',
    LOG_LEVEL: 'silent',
  });
  return createServices(config, plugin ? { ...database, db: database.db.withPlugin(plugin) } : database);
}

/** The baseline's two inserts, with the values a submission writes (literals, so pgbench can run them). */
export function baselineSql(f: Fixture) {
  // JSON gets a space after each colon: pgbench would read `"address":null` as the variable `:null`.
  const lit = (v: unknown) => `'${(typeof v === 'string' ? v : JSON.stringify(v).replace(/":/g, '": ')).replace(/'/g, "''")}'`;
  const applicant = {
    name: f.actor.fullName,
    citizenId: '001090012345',
    phone: CITIZEN_PHONE,
    email: 'citizen@demo.motcua.vn',
    address: null,
  };
  const dossier =
    'insert into bench_dossier (code, status, unit_id, procedure_id, procedure_version_id, channel, owner_id, created_by, applicant, ' +
    'applicant_name, applicant_phone, applicant_citizen_id, form_data, fee_amount, fee_basis, submitted_at, locale, idempotency_key) ' +
    `select 'B' || (n / 10000) || '-261127-' || lpad((n % 10000)::text, 4, '0'), 1, ${f.ids.unit}, ${f.ids.procedure}, ${f.ids.version}, 2, ` +
    `${f.actor.accountId}, ${f.actor.accountId}, ${lit(applicant)}::jsonb, ${lit(f.actor.fullName)}, '${CITIZEN_PHONE}', '001090012345', ` +
    `${lit(f.bodies[0]!.form)}::jsonb, null, '{"kind":"unknown"}'::jsonb, now(), 'vi', 'bench-' || n ` +
    "from (select nextval('bench_code_seq') as n) s returning id";
  const event = (id: string) =>
    'insert into bench_event (dossier_id, at, actor_id, actor_role, action, from_status, to_status, note, data, prev_hash, hash) ' +
    `values (${id}, now(), ${f.actor.accountId}, 'citizen', 'submit', null, 1, null, null, null, '${EVENT_HASH}')`;
  return { dossier, event };
}

export function submitter(services: Services, f: Fixture, tag: string) {
  let seq = 0;
  return async () => {
    const i = seq++;
    const r = await services.dossiers.submitNew(f.actors[i % f.actors.length]!, f.bodies[i % f.bodies.length]!, `bench-${tag}-${i}`);
    if (!r.created || !r.code) throw new Error(`not created: ${JSON.stringify(r)}`);
  };
}

/** Times every statement between Kysely's transformQuery (before compiling) and transformResult. */
class StatementTimer implements KyselyPlugin {
  readonly stats = new Map<string, { n: number; ms: number }>();
  #open = new WeakMap<object, { label: string; at: number }>();
  enabled = false;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.enabled) this.#open.set(args.queryId, { label: statementLabel(args.node), at: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const o = this.#open.get(args.queryId);
    if (o) {
      const s = this.stats.get(o.label) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - o.at;
      this.stats.set(o.label, s);
      this.#open.delete(args.queryId);
    }
    return args.result;
  }
}

function tableName(node: OperationNode | undefined): string {
  if (!node) return '?';
  if (AliasNode.is(node)) return tableName(node.node);
  if (TableNode.is(node)) return node.table.identifier.name;
  return '(subquery)';
}

function statementLabel(node: RootOperationNode): string {
  if (SelectQueryNode.is(node)) {
    const tables = [...(node.from?.froms ?? []), ...(node.joins ?? []).map((j) => j.table)].map(tableName);
    return `select ${tables.join(' ⋈ ')}${node.endModifiers?.length ? ' for update' : ''}`;
  }
  if (InsertQueryNode.is(node)) return `insert ${tableName(node.into)}${node.onConflict ? ' on conflict' : ''}`;
  if (UpdateQueryNode.is(node)) return `update ${tableName(node.table)}`;
  if (RawNode.is(node)) return `${node.sqlFragments.join('$').replace(/\s+/g, ' ').trim().split(' (')[0]} (raw SQL)`;
  return node.kind;
}

/** One worker, every statement timed, plus the pure-JS steps and the deadline on their own. */
export async function breakdown(database: Database, dataDir: string, f: Fixture, tag: string) {
  const timer = new StatementTimer();
  const services = makeServices(database, dataDir, 4, timer);
  const op = submitter(services, f, `${tag}-phases`);
  for (let i = 0; i < 200; i++) await op();
  timer.enabled = true;
  const n = database.engine === 'postgres' ? 2000 : 1000;
  const pgOn = database.engine === 'postgres';
  const cpu0 = { node: process.cpuUsage(), server: pgOn ? postgresCpuMs() : NaN };
  const t = performance.now();
  for (let i = 0; i < n; i++) await op();
  const total = (performance.now() - t) / n;
  const nodeCpu = process.cpuUsage(cpu0.node);
  const serverCpu = ((pgOn ? postgresCpuMs() : NaN) - cpu0.server) / n;
  timer.enabled = false;
  const rows = [...timer.stats.entries()].map(([label, s]) => ({ label, perOp: s.n / n, ms: s.ms / n }));
  const inStatements = rows.reduce((a, r) => a + r.ms, 0);
  const statements = rows.reduce((a, r) => a + r.perOp, 0);

  const isWard = await services.dossiers.wardCheck();
  const body = f.bodies[0]!;
  const validate = await timeLoop(20_000, () => {
    checkApplicant(
      { name: f.actor.fullName, citizenId: '001090012345', phone: CITIZEN_PHONE, email: 'citizen@demo.motcua.vn', address: null },
      false,
      isWard,
    );
    checkForm(f.content.form as FieldDef[], body.form, { draft: false, isWard });
  });
  const now = new Date();
  const hash = await timeLoop(20_000, () =>
    eventHash({ dossierId: 1, at: now, actorId: 1, action: 'submit', from: null, to: 1, note: null, data: null, prevHash: null }),
  );
  const render = await timeLoop(20_000, () =>
    renderTemplate('dossier.submitted', 'vi', {
      code: '000.13.42.H26-261127-0001',
      procedure: 'Xác nhận tình trạng hôn nhân',
      unit: 'UBND phường Quang Trung',
      link: 'http://localhost:3000/dossiers/1',
    }),
  );
  const due = await timeLoop(1000, () => appointment(services.calendar, body.unit, { amount: 3, unit: 'working_days' }, new Date()));
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  console.log(`\n  Where the time goes: one worker, ${n} submissions, ${ms(total)} each, ${statements.toFixed(1)} statements`);
  console.log(
    `  CPU per submission: this process ${ms((nodeCpu.user + nodeCpu.system) / 1000 / n)}` +
      (pgOn ? `, PostgreSQL server ${ms(serverCpu)}` : ' (the embedded database included)'),
  );
  console.log(
    table(
      ['statement (time includes Kysely compile)', 'per submission', 'mean time'],
      rows.map((r) => [r.label, r.perOp.toFixed(2), ms(r.ms)]),
    ),
  );
  console.log(`  statements ${ms(inStatements)}; the rest (BEGIN/COMMIT, JavaScript, pool) ${ms(total - inStatements)}`);
  console.log(`  JavaScript: form + applicant validation ${ms(validate)}, event hash ${ms(hash)}, message rendering ${ms(render)}`);
  console.log(`  due date (appointment(): calendar and office hours cached): ${ms(due)}`);
}
