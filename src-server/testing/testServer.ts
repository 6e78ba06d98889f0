import type { Clock } from '../../src-shared/domain/runtime';
import type { AbuseLimits } from '../abuseLimits';
import { buildServer, type ParleyServer, type ServerOptions } from '../app';
import { createJsonLinesLogger } from '../logger';
import { createTestDatabase, type TestBackend, type TestDatabase } from './backends';

/** A clock the test moves by hand. */
export type ManualClock = Clock & { set(time: number): void; advance(ms: number): void };

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  return {
    now: () => time,
    set: (value) => {
      time = value;
    },
    advance: (ms) => {
      time += ms;
    },
  };
}

export type TestServer = {
  url: string;
  server: ParleyServer;
  database: TestDatabase;
  clock: ManualClock;
  /** Every log line the server wrote, as written. */
  logs: string[];
  close(): Promise<void>;
};

/** Limits no ordinary suite reaches (the manual clock never moves, so windows never end). */
export const GENEROUS_TEST_LIMITS: Partial<AbuseLimits> = {
  registrationsPerSourcePerHour: 1_000_000,
  linkingPerSourcePerHour: 1_000_000,
  freshStartsPerSourcePerHour: 1_000_000,
  registrationsPerMinute: 1_000_000,
  passwordHashQueueMax: 100_000,
  bundleFetchesPerRequesterPerMinute: 1_000_000,
  bundleFetchesPerTargetPerMinute: 1_000_000,
  passwordAttemptsPerSourcePerMinute: 1_000_000,
  phoneCodesPerSourcePerHour: 1_000_000,
  phoneLookupsPerSourcePerHour: 1_000_000,
  contactSyncsPerSourcePerHour: 1_000_000,
};

/** A real server on a free loopback port, with a cheap password hash and captured logs. */
export async function startTestServer(backend: TestBackend, overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const database = createTestDatabase(backend);
  const clock = manualClock(Date.now());
  const logs: string[] = [];
  const server = await buildServer({
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    databaseSchema: database.databaseSchema,
    clock,
    logger: createJsonLinesLogger({ write: (line) => logs.push(line), level: 'debug' }),
    passwordHashing: { memoryCost: 256, timeCost: 1 },
    ...overrides,
    // Suites register and fetch far more than one person would; a test of a limit sets its own.
    limits: { ...GENEROUS_TEST_LIMITS, ...overrides.limits },
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    server,
    database,
    clock,
    logs,
    async close() {
      await server.close();
      await database.dispose();
    },
  };
}
