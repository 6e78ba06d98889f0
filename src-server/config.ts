import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from './abuseLimits';
import { isLogLevel, type LogLevel } from './logger';

/** What `npm run server` is started with, after validation. */
export type ServerConfig = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  retentionMs?: number;
  /** How long the encrypted archive keeps items (C7); 0 keeps them until deleted. */
  archiveRetentionMs?: number;
  logLevel: LogLevel;
  /** PEM files: serve HTTPS and WSS directly. */
  tls?: { certFile: string; keyFile: string };
  /** `/metrics`: on, off, or only when listening on loopback (the default). */
  metrics?: 'on' | 'off' | 'loopback';
  /** Proxy addresses whose X-Forwarded-For names the client (for per-source limits behind a reverse proxy). */
  trustProxy?: string;
  /** Overrides of the abuse limits, from PARLEY_LIMIT_* variables. */
  limits?: Partial<AbuseLimits>;
  /** H3: the directory of the keys kept apart from the database (default: the data directory's name + `-secrets`, beside it). */
  secretsDir: string;
  /** H3: POST verification codes to this gateway. */
  smsWebhookUrl?: string;
  /** H3: `development` writes the codes to the log instead (never the numbers). */
  smsProvider?: 'development';
};

/** `passwordFailuresBeforeBackoff` → `PARLEY_LIMIT_PASSWORD_FAILURES_BEFORE_BACKOFF`. */
export function limitVariable(name: keyof AbuseLimits): string {
  return `PARLEY_LIMIT_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

export const USAGE = `usage: npm run server -- [--port N] [--host ADDRESS] [--data-dir DIR] [--secrets-dir DIR] [--tls-cert FILE --tls-key FILE] [--metrics on|off|loopback]

  --port N          port to listen on, 0 picks a free one (default 8787)
  --host ADDRESS    address to listen on (default 127.0.0.1)
  --data-dir DIR    where the SQLite database lives (default ./.data/server)
  --secrets-dir DIR keys kept apart from the database: the phone look-up hash and seal (default: DIR-secrets beside --data-dir)
  --tls-cert FILE   PEM certificate (chain): serve HTTPS and WSS; needs --tls-key
  --tls-key FILE    PEM private key of that certificate
  --metrics MODE    GET /metrics: on, off, or loopback (default: only when --host is a loopback address)

environment:
  PARLEY_DATABASE_URL     postgres://… to use PostgreSQL instead of SQLite
  PARLEY_DATABASE_SCHEMA  PostgreSQL schema (default public)
  PARLEY_RETENTION_DAYS   days an unacked envelope is kept (default 28)
  PARLEY_ARCHIVE_RETENTION_DAYS  days the encrypted history archive keeps an item (default: as PARLEY_RETENTION_DAYS; 0 keeps until deleted)
  PARLEY_LOG_LEVEL        debug, info, warn or error (default info)
  PARLEY_SECRETS_DIR      as --secrets-dir
  PARLEY_SMS_WEBHOOK_URL  POST phone verification codes as JSON { to, text } to this gateway
  PARLEY_SMS_PROVIDER     development: write the codes (never the numbers) to the log instead; with neither, no phone numbers
  PARLEY_TRUST_PROXY      addresses of a reverse proxy whose X-Forwarded-For names the client
  PARLEY_LIMIT_*          abuse limits, e.g. PARLEY_LIMIT_PASSWORD_FAILURES_BEFORE_BACKOFF=5 (README lists them all)`;

/** A configuration mistake, worded for the person who started the server. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_PORT = 8787;
const DEFAULT_DATA_DIR = './.data/server';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses argv (without node and script) and the environment. Throws ConfigError; `--help` returns 'help'. */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): ServerConfig | 'help' {
  const config: ServerConfig = { port: DEFAULT_PORT, host: '127.0.0.1', dataDir: DEFAULT_DATA_DIR, logLevel: 'info', secretsDir: '' };
  let tlsCert: string | undefined;
  let secretsDir: string | undefined = env.PARLEY_SECRETS_DIR?.trim() || undefined;
  let tlsKey: string | undefined;

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--help' || argument === '-h') return 'help';
    const equals = argument.indexOf('=');
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    const takeValue = (): string => {
      if (equals >= 0) return argument.slice(equals + 1);
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`${name} needs a value`);
      return value;
    };
    switch (name) {
      case '--port':
        config.port = parsePort(takeValue());
        break;
      case '--host':
        config.host = nonEmpty('--host', takeValue());
        break;
      case '--data-dir':
        config.dataDir = nonEmpty('--data-dir', takeValue());
        break;
      case '--secrets-dir':
        secretsDir = nonEmpty('--secrets-dir', takeValue());
        break;
      case '--tls-cert':
        tlsCert = nonEmpty('--tls-cert', takeValue());
        break;
      case '--tls-key':
        tlsKey = nonEmpty('--tls-key', takeValue());
        break;
      case '--metrics': {
        const mode = takeValue();
        if (mode !== 'on' && mode !== 'off' && mode !== 'loopback') throw new ConfigError('--metrics must be on, off or loopback');
        config.metrics = mode;
        break;
      }
      default:
        throw new ConfigError(`unknown argument: ${argument}`);
    }
  }

  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  if (tlsCert !== undefined && tlsKey !== undefined) config.tls = { certFile: tlsCert, keyFile: tlsKey };

  config.secretsDir = secretsDir ?? `${config.dataDir.replace(/[\\/]+$/, '')}-secrets`;
  const smsProvider = env.PARLEY_SMS_PROVIDER?.trim();
  if (smsProvider) {
    if (smsProvider !== 'development') throw new ConfigError('PARLEY_SMS_PROVIDER must be development (or set PARLEY_SMS_WEBHOOK_URL for a gateway)');
    config.smsProvider = 'development';
  }
  const smsWebhookUrl = env.PARLEY_SMS_WEBHOOK_URL?.trim();
  if (smsWebhookUrl) {
    const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(smsWebhookUrl);
    if (!/^https:\/\//.test(smsWebhookUrl) && !loopback) throw new ConfigError('PARLEY_SMS_WEBHOOK_URL must start with https:// (http:// only to this machine)');
    config.smsWebhookUrl = smsWebhookUrl;
  }
  const databaseUrl = env.PARLEY_DATABASE_URL?.trim();
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new ConfigError('PARLEY_DATABASE_URL must start with postgres:// or postgresql://');
    }
    config.databaseUrl = databaseUrl;
  }
  const schema = env.PARLEY_DATABASE_SCHEMA?.trim();
  if (schema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError('PARLEY_DATABASE_SCHEMA must be lower-case letters, digits and underscores');
    }
    config.databaseSchema = schema;
  }
  const retentionDays = env.PARLEY_RETENTION_DAYS?.trim();
  if (retentionDays) {
    const days = Number(retentionDays);
    if (!Number.isFinite(days) || days <= 0 || days > 3650) {
      throw new ConfigError('PARLEY_RETENTION_DAYS must be a number of days between 0 and 3650');
    }
    config.retentionMs = Math.round(days * DAY_MS);
  }
  const archiveDays = env.PARLEY_ARCHIVE_RETENTION_DAYS?.trim();
  if (archiveDays) {
    const days = Number(archiveDays);
    if (!Number.isInteger(days) || days < 0 || days > 3650) {
      throw new ConfigError('PARLEY_ARCHIVE_RETENTION_DAYS must be a whole number of days from 0 (keep until deleted) to 3650');
    }
    config.archiveRetentionMs = days * DAY_MS;
  }
  const logLevel = env.PARLEY_LOG_LEVEL?.trim();
  if (logLevel) {
    if (!isLogLevel(logLevel)) throw new ConfigError('PARLEY_LOG_LEVEL must be debug, info, warn or error');
    config.logLevel = logLevel;
  }
  const trustProxy = env.PARLEY_TRUST_PROXY?.trim();
  if (trustProxy) {
    if (!/^[0-9a-fA-F.:/, ]{1,1000}$/.test(trustProxy)) throw new ConfigError('PARLEY_TRUST_PROXY must be addresses or CIDR ranges, comma-separated');
    if (/(^|[ ,])(0\.0\.0\.0\/0|::\/0)([ ,]|$)/.test(trustProxy)) {
      throw new ConfigError('PARLEY_TRUST_PROXY must name the proxy, not every address (anyone could then forge X-Forwarded-For)');
    }
    config.trustProxy = trustProxy;
  }
  const limits: Partial<AbuseLimits> = {};
  for (const name of Object.keys(DEFAULT_ABUSE_LIMITS) as Array<keyof AbuseLimits>) {
    const variable = limitVariable(name);
    const text = env[variable]?.trim();
    if (!text) continue;
    if (!/^\d{1,12}$/.test(text) || Number(text) < 1) throw new ConfigError(`${variable} must be a whole number of at least 1`);
    limits[name] = Number(text);
  }
  if (Object.keys(limits).length > 0) config.limits = limits;
  return config;
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new ConfigError(`--port must be a whole number from 0 to 65535, not "${value}"`);
  }
  return Number(value);
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new ConfigError(`${name} must not be empty`);
  return value;
}
