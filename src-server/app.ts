import type { AddressInfo } from 'node:net';
import { LIMITS } from '../src-shared/domain/limits';
import type { Clock, Logger } from '../src-shared/domain/runtime';
import { abuseLimitsWith, type AbuseLimits } from './abuseLimits';
import type { Bus } from './bus/bus';
import { createInProcessBus } from './bus/inProcessBus';
import { createAuthenticator } from './gateway/auth';
import { createGateway, type TlsFiles } from './gateway/httpServer';
import { DEFAULT_SESSION_TIMINGS, type SessionTimings } from './gateway/websocketSession';
import { createStderrLogger } from './logger';
import { createServerMetrics } from './metrics';
import { isLoopbackHost } from './loopback';
import { createAccountsService, type PasswordHashing } from './services/accounts';
import { createDeliveryService } from './services/delivery';
import { createDeviceAuth } from './services/deviceAuth';
import { createDevicesService } from './services/devices';
import { createArchiveService } from './services/archive';
import { createPhoneNumbersService } from './services/phoneNumbers';
import { createProfilesService } from './services/profiles';
import { developmentSmsProvider, type SmsProvider } from './services/smsProvider';
import { identifierSeal } from './secrets/identifierSeal';
import { randomServerSecrets, SecretsError, type ServerSecrets } from './secrets/serverSecrets';
import { createFreshStartService } from './services/freshStart';
import { createLinkingService } from './services/linking';
import { createRetentionJob } from './services/jobs/retention';
import { createPreKeysService } from './services/preKeys';
import { describeError } from './services/serviceError';
import { openDatabase } from './storage/database';
import { migrateToLatest } from './storage/migrator';
import { createStorage } from './storage/storage';

export type ServerOptions = {
  /** The SQLite database file lives here (created if missing) unless databaseUrl is set. */
  dataDir: string;
  /** postgres://… selects PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use, created if missing; default 'public'. */
  databaseSchema?: string;
  /** How long an unacked envelope is kept; default LIMITS.defaultRetentionMs (4 weeks). */
  retentionMs?: number;
  /** How long archive items are kept (C7, by day); 0 keeps them until deleted; default `retentionMs`. */
  archiveRetentionMs?: number;
  /** How long a send's idempotency key answers repeats (and its record is kept); default 24 hours. */
  sendsRetentionMs?: number;
  /** How often the retention job runs; default 1 hour. */
  retentionIntervalMs?: number;
  clock?: Clock;
  /** Default: JSON lines to stderr. */
  logger?: Logger;
  /** Argon2id cost; tests lower it. */
  passwordHashing?: PasswordHashing;
  /** A bus shared with other gateway nodes; default in-process. */
  bus?: Bus;
  /** Hello timeout and heartbeat of device sockets; tests shorten them. */
  sessionTimings?: Partial<SessionTimings>;
  /** Abuse limits over the defaults in ./abuseLimits.ts. */
  limits?: Partial<AbuseLimits>;
  /** H3: keys kept apart from the database (loadServerSecrets); default throwaway ones, for a server whose data does not outlive it. */
  secrets?: ServerSecrets;
  /** H3: where verification codes go; default the development provider (the code to the log). */
  sms?: SmsProvider;
  /** PEM certificate and key: serve HTTPS and WSS directly. */
  tls?: TlsFiles;
  /**
   * `GET /metrics`: 'loopback' (the default) serves it only when listening on a loopback address;
   * true or false force it.
   */
  exposeMetrics?: boolean | 'loopback';
  /** Reverse-proxy addresses whose X-Forwarded-For names the client (Fastify's trustProxy). */
  trustProxy?: string;
};

export type ParleyServer = {
  /** Default port 0 (a free one) and host '127.0.0.1'; resolves to the base URL, e.g. 'http://127.0.0.1:PORT'. */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful: stops accepting, closes sockets, stops jobs, closes the database. Idempotent. */
  close(): Promise<void>;
  /** Runs the retention job now; resolves to the envelopes removed. */
  runRetention(): Promise<number>;
};

const HOUR_MS = 60 * 60 * 1000;

/** The composition root: opens and migrates storage and wires every part. Does not listen. */
export async function buildServer(options: ServerOptions): Promise<ParleyServer> {
  const clock = options.clock ?? { now: () => Date.now() };
  const logger = options.logger ?? createStderrLogger();
  const handle = await openDatabase({
    ...options,
    onConnectionError: (error) => logger.warn('database_connection_lost', { error: describeError(error) }),
  });
  try {
    const ran = await migrateToLatest(handle);
    if (ran.length > 0) logger.info('database_migrated', { dialect: handle.dialect, migrations: ran.join(',') });
  } catch (error) {
    await handle.close();
    throw error;
  }
  const storage = createStorage(handle);
  if (options.secrets?.madeNow && (await storage.phoneNumbers.countAll()) > 0) {
    await handle.close();
    throw new SecretsError(
      'the secrets directory is new, but the database holds phone numbers sealed with the keys that were in it before: restore that directory (or move these new keys away to give up the numbers and start again)',
    );
  }
  const limits = abuseLimitsWith(options.limits);
  const bus = options.bus ?? createInProcessBus(logger);

  const accounts = createAccountsService({ storage, clock, logger, passwordHashing: options.passwordHashing, limits });
  const devices = createDevicesService({ storage, bus, logger });
  const linking = createLinkingService({ storage, bus, accounts, clock, logger });
  const freshStart = createFreshStartService({ storage, bus, clock, logger });
  const archive = createArchiveService({ storage, clock });
  const profiles = createProfilesService({ storage, clock });
  const phoneNumbers = createPhoneNumbersService({
    storage,
    seal: identifierSeal(options.secrets ?? randomServerSecrets()),
    sms: options.sms ?? developmentSmsProvider(logger),
    clock,
    logger,
  });
  const preKeys = createPreKeysService({ storage, bus, logger, clock, limits });
  const delivery = createDeliveryService({ storage, bus, clock, logger, limits, sendsRetentionMs: options.sendsRetentionMs });
  const authenticator = createAuthenticator(createDeviceAuth(storage), accounts);
  const retention = createRetentionJob({
    storage,
    clock,
    logger,
    retentionMs: options.retentionMs ?? LIMITS.defaultRetentionMs,
    sendsRetentionMs: options.sendsRetentionMs,
    ...(options.archiveRetentionMs === undefined ? {} : { archiveRetentionMs: options.archiveRetentionMs }),
    intervalMs: options.retentionIntervalMs ?? HOUR_MS,
  });

  const metrics = createServerMetrics({ queueDepth: () => storage.envelopes.countAll() });
  const exposeMetrics = options.exposeMetrics ?? 'loopback';
  // Decided at listen, when the address is known.
  let metricsExposed: boolean | 'loopback-peers' = false;
  const app = await createGateway({
    accounts,
    devices,
    linking,
    freshStart,
    archive,
    profiles,
    phoneNumbers,
    preKeys,
    authenticator,
    logger,
    clock,
    limits,
    metrics,
    metricsExposed: () => metricsExposed,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    session: {
      accounts,
      delivery,
      preKeys,
      bus,
      clock,
      logger,
      limits,
      metrics,
      timings: { ...DEFAULT_SESSION_TIMINGS, ...options.sessionTimings },
    },
  });

  let closing: Promise<void> | undefined;

  return {
    async listen(port = 0, host = '127.0.0.1') {
      // On loopback behind a reverse proxy, only local peers (Prometheus on this machine) may read it.
      metricsExposed = exposeMetrics === 'loopback' ? isLoopbackHost(host) && 'loopback-peers' : exposeMetrics;
      await app.listen({ port, host });
      retention.start();
      const address = app.server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      logger.info('server_listening', { port: address.port, tls: options.tls !== undefined });
      return `${options.tls ? 'https' : 'http'}://${shown}:${address.port}`;
    },

    close() {
      closing ??= (async () => {
        // Sockets get 1001 and their work is awaited (websocketRoute's preClose); requests still
        // running get a moment to finish, then their connections are cut.
        const cutOff = setTimeout(() => app.server.closeAllConnections(), 2_000);
        linking.stopWaiting(); // link-code long polls answer at once instead of holding the close
        await app.close();
        clearTimeout(cutOff);
        await retention.stop();
        await bus.close();
        await storage.close();
        logger.info('server_closed');
      })().catch((error: unknown) => {
        logger.error('server_close_failed', { error: describeError(error) });
        throw error;
      });
      return closing;
    },

    runRetention: () => retention.run(),
  };
}
