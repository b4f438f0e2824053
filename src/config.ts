import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { resolve } from 'node:path';
import { parsePiiKeys, PiiKeyError } from './lib/pii.js';
import { parseRetention, type Retention } from './modules/privacy/retention.js';
import { ESMS_SEND_URL, type EsmsConfig } from './modules/notify/sms-esms.js';

// Every setting comes from the environment; .env.example and docs/operations.md document them
// (test/ops/operations-doc.test.ts holds the guide to this schema, so it is exported).
export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/.*)?$' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^(postgres|postgresql)://.+' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DEMO_DATA: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  COOKIE_SECRET: Type.Optional(Type.String()),
  PII_KEYS: Type.Optional(Type.String()),
  PII_HASH_KEY: Type.Optional(Type.String()),
  RETENTION_DAYS: Type.Optional(Type.String({ maxLength: 500 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  TRUST_PROXY: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 90, default: 24 * 7 }),
  TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 15 }),
  LOGIN_RATE_LIMIT: Type.Integer({ minimum: 1, maximum: 100000, default: 10 }),
  DEADLINE_PAUSE_CONVENTION: Type.Union([Type.Literal('subtract'), Type.Literal('restart')], { default: 'subtract' }),
  FILES_DIR: Type.Optional(Type.String({ minLength: 1 })),
  UPLOAD_MAX_MB: Type.Number({ minimum: 0.1, maximum: 100, default: 10 }),
  SIGNING_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://.+' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'motcua <no-reply@localhost>' }),
  SMS_PROVIDER: Type.Union([Type.Literal('sandbox'), Type.Literal('esms'), Type.Literal('none')], { default: 'sandbox' }),
  ESMS_URL: Type.String({ pattern: '^https?://[^\\s/]+(/.*)?$', default: ESMS_SEND_URL }),
  ESMS_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  ESMS_SECRET_KEY: Type.Optional(Type.String({ minLength: 1 })),
  ESMS_BRANDNAME: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  ESMS_SANDBOX: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  PAYMENT_PROVIDER: Type.Union([Type.Literal('sandbox')], { default: 'sandbox' }),
  PAYMENT_MERCHANT_CODE: Type.String({ minLength: 1, maxLength: 32, default: 'MOTCUA01' }),
  PAYMENT_HASH_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  JOBS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  JOB_LEASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 300 }),
  SHUTDOWN_DRAIN_SECONDS: Type.Number({ minimum: 0, maximum: 300, default: 0 }),
  SHUTDOWN_TIMEOUT_SECONDS: Type.Number({ minimum: 1, maximum: 3600, default: 30 }),
  WEBHOOK_ALLOW_HTTP: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  CONTEST_RATE_LIMIT: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  CONTEST_RATE_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  CONTEST_RATE_IP: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 600 }),
  CONTEST_RATE_IP_ANSWERS: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 6000 }),
  CONTEST_RATE_PHONE: Type.Integer({ minimum: 1, maximum: 100_000, default: 10 }),
  CONTEST_RATE_PHONE_ANSWERS: Type.Integer({ minimum: 1, maximum: 100_000, default: 120 }),
  CONTEST_RECOVERY_SMS_PER_DAY: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 2000 }),
  CONTEST_FLAG_IP_ENTRIES: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 50 }),
  CONTEST_FLAG_DEVICE_ENTRIES: Type.Integer({ minimum: 1, maximum: 100_000, default: 3 }),
  CONTEST_FLAG_MIN_ANSWER_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 2000 }),
  CONTEST_FLAG_MIN_SECONDS_PER_QUESTION: Type.Number({ minimum: 0, maximum: 600, default: 3 }),
  CONTEST_FLAG_REGULAR_MAX_STDDEV_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 150 }),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  poolSize: number;
  demoData: boolean;
  cookieSecret: string | null;
  logLevel: string;
  trustProxy: boolean;
  sessionTtlHours: number;
  tokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Login, registration and public dossier lookup attempts per client IP per minute. */
  loginRateLimit: number;
  /** How a supplement pause counts: subtracted from the clock (national index) or restarting it. */
  pauseConvention: 'subtract' | 'restart';
  /** Content-addressed store for uploads and generated documents (default DATA_DIR/files). */
  filesDir: string;
  uploadMaxBytes: number;
  /** Ed25519 private key (PKCS#8 PEM) that signs results; null: one generated under FILES_DIR/keys. */
  signingKeyFile: string | null;
  /** Null: e-mail is not sent (the inbox and SMS still are). */
  smtpUrl: string | null;
  mailFrom: string;
  smsProvider: 'sandbox' | 'esms' | 'none';
  /** The eSMS.vn account when SMS_PROVIDER=esms, else null. */
  esms: EsmsConfig | null;
  payment: { provider: 'sandbox'; merchantCode: string; hashSecret: string };
  /** Whether this process runs the background job worker. */
  jobs: boolean;
  /** How long a claimed job is reserved for its worker; a worker that died is replaced after it (jobs/runner.ts). */
  jobLeaseSeconds: number;
  /** On SIGTERM: how long /readyz answers 503 while requests are still served, so a load balancer stops sending new ones. */
  shutdownDrainMs: number;
  /** On SIGTERM: how long in-flight requests and jobs may take before the process exits anyway (exit code 1). */
  shutdownTimeoutMs: number;
  /** Whether webhook endpoints may use plain http (default: yes, except in production). */
  webhookAllowHttp: boolean;
  /** Contest rate limits and review flags (docs/contest.md, "Fairness and abuse"). */
  contestFairness: ContestFairnessConfig;
  /** Days each kind of record keeps its personal data before the purge (docs/privacy.md). */
  retention: Retention;
}

export type ContestAction = 'register' | 'start' | 'answer' | 'submit' | 'recover';

export interface ContestFairnessConfig {
  /** Off for load tests from one address (bench/): no counting at all. */
  rateLimit: boolean;
  windowSeconds: number;
  /** Requests allowed per window, per client IP and per phone (participant), for each action. */
  perIp: Record<ContestAction, number>;
  perPhone: Record<ContestAction, number>;
  /** Recovery codes sent by SMS in 24 hours, site-wide: the budget an attack cannot push past. */
  recoverySmsPerDay: number;
  flags: {
    /** Entries of one round from one IP above which the IP is flagged (a school room shares one). */
    ipEntries: number;
    /** Entries of one round from one device cookie above which the device is flagged. */
    deviceEntries: number;
    /** An answer given sooner than this after the previous one (or the start) counts as too fast. */
    minAnswerMs: number;
    /** A submitted entry shorter than this many seconds per question is flagged. */
    minSecondsPerQuestion: number;
    /** Gaps between answers with a standard deviation below this are "perfectly regular". */
    regularMaxStddevMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const v = source[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw));
  const errors = [...Value.Errors(EnvSchema, converted)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.path.slice(1)}=${JSON.stringify(source[e.path.slice(1)] ?? '')}: ${e.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${[...new Set(lines)].join('\n')}`);
  }
  const env = converted as Env;
  const production = env.NODE_ENV === 'production';
  const demoData = env.DEMO_DATA === undefined ? !production : env.DEMO_DATA === 'true';
  if (production && demoData) {
    throw new ConfigError('DEMO_DATA=true is refused when NODE_ENV=production: demo accounts have public passwords.');
  }
  if (production && !env.COOKIE_SECRET) {
    throw new ConfigError('COOKIE_SECRET is required when NODE_ENV=production (at least 32 random characters).');
  }
  if (production && !env.PAYMENT_HASH_SECRET) {
    throw new ConfigError('PAYMENT_HASH_SECRET is required when NODE_ENV=production (the secret shared with the payment gateway).');
  }
  if (production && !env.PII_KEYS) {
    throw new ConfigError(
      'PII_KEYS and PII_HASH_KEY are required when NODE_ENV=production: phone and citizen ID numbers are encrypted with them (docs/privacy.md).',
    );
  }
  try {
    parsePiiKeys(env.PII_KEYS, env.PII_HASH_KEY);
  } catch (e) {
    if (e instanceof PiiKeyError) throw new ConfigError(e.message);
    throw e;
  }
  let retention: Retention;
  try {
    retention = parseRetention(env.RETENTION_DAYS);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (env.COOKIE_SECRET && env.COOKIE_SECRET.length < 32) {
    throw new ConfigError('COOKIE_SECRET must be at least 32 characters long.');
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    baseUrl: (env.BASE_URL || `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL || null,
    poolSize: env.DATABASE_POOL_SIZE,
    demoData,
    cookieSecret: env.COOKIE_SECRET || null,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY === 'true',
    sessionTtlHours: env.SESSION_TTL_HOURS,
    tokenTtlDays: env.TOKEN_TTL_DAYS,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginLockMinutes: env.LOGIN_LOCK_MINUTES,
    loginRateLimit: env.LOGIN_RATE_LIMIT,
    pauseConvention: env.DEADLINE_PAUSE_CONVENTION,
    filesDir: resolve(env.FILES_DIR ?? `${env.DATA_DIR}/files`),
    uploadMaxBytes: Math.round(env.UPLOAD_MAX_MB * 1024 * 1024),
    signingKeyFile: env.SIGNING_KEY_FILE ? resolve(env.SIGNING_KEY_FILE) : null,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.MAIL_FROM,
    smsProvider: env.SMS_PROVIDER,
    esms: esmsConfig(env),
    payment: {
      provider: env.PAYMENT_PROVIDER,
      merchantCode: env.PAYMENT_MERCHANT_CODE,
      // The sandbox gateway is part of this process, so a development secret is harmless; a real
      // gateway's secret must come from the environment.
      hashSecret: env.PAYMENT_HASH_SECRET ?? 'motcua-sandbox-hash-secret',
    },
    jobs: env.JOBS === 'on',
    jobLeaseSeconds: env.JOB_LEASE_SECONDS,
    shutdownDrainMs: Math.round(env.SHUTDOWN_DRAIN_SECONDS * 1000),
    shutdownTimeoutMs: Math.round(env.SHUTDOWN_TIMEOUT_SECONDS * 1000),
    retention,
    webhookAllowHttp: env.WEBHOOK_ALLOW_HTTP === undefined ? !production : env.WEBHOOK_ALLOW_HTTP === 'true',
    contestFairness: {
      rateLimit: env.CONTEST_RATE_LIMIT === 'on',
      windowSeconds: env.CONTEST_RATE_WINDOW_SECONDS,
      perIp: {
        register: env.CONTEST_RATE_IP,
        start: env.CONTEST_RATE_IP,
        answer: env.CONTEST_RATE_IP_ANSWERS,
        submit: env.CONTEST_RATE_IP,
        recover: env.CONTEST_RATE_IP,
      },
      perPhone: {
        register: env.CONTEST_RATE_PHONE,
        start: env.CONTEST_RATE_PHONE,
        answer: env.CONTEST_RATE_PHONE_ANSWERS,
        submit: env.CONTEST_RATE_PHONE,
        recover: env.CONTEST_RATE_PHONE,
      },
      recoverySmsPerDay: env.CONTEST_RECOVERY_SMS_PER_DAY,
      flags: {
        ipEntries: env.CONTEST_FLAG_IP_ENTRIES,
        deviceEntries: env.CONTEST_FLAG_DEVICE_ENTRIES,
        minAnswerMs: env.CONTEST_FLAG_MIN_ANSWER_MS,
        minSecondsPerQuestion: env.CONTEST_FLAG_MIN_SECONDS_PER_QUESTION,
        regularMaxStddevMs: env.CONTEST_FLAG_REGULAR_MAX_STDDEV_MS,
      },
    },
  };
}

function esmsConfig(env: Env): EsmsConfig | null {
  if (env.SMS_PROVIDER !== 'esms') return null;
  const missing = (['ESMS_API_KEY', 'ESMS_SECRET_KEY', 'ESMS_BRANDNAME'] as const).filter((k) => !env[k]);
  if (missing.length > 0) throw new ConfigError(`SMS_PROVIDER=esms needs ${missing.join(', ')} (the account at eSMS.vn).`);
  // The keys travel in every request's body.
  if (env.NODE_ENV === 'production' && !env.ESMS_URL.startsWith('https://')) {
    throw new ConfigError('ESMS_URL must be https:// when NODE_ENV=production: the account keys are sent with every message.');
  }
  return {
    url: env.ESMS_URL,
    apiKey: env.ESMS_API_KEY!,
    secretKey: env.ESMS_SECRET_KEY!,
    brandname: env.ESMS_BRANDNAME!,
    sandbox: env.ESMS_SANDBOX === 'true',
  };
}
