import type { Clock } from '../../src-shared/domain/runtime';
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
