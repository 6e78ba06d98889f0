import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { buildServer, type ParleyServer } from '../../src-server/app';
import { streamLogger } from '../../src-main/core/util/streamLogger';
import { dropSchema, type TestBackend as Backend } from '../../src-server/testing/backends';
import type { TemporaryDirectories } from './temporaryDirectory';

export type ServerUnderTest = {
  url: string;
  server: ParleyServer;
  dataDir: string;
  backend: Backend;
  /** PostgreSQL schema, when the backend is PostgreSQL. */
  schema?: string;
  /** Every log line the server wrote. */
  logs: string[];
  close(): Promise<void>;
};

export const randomSchema = () => `parley_test_${randomBytes(6).toString('hex')}`;

/** A real server in this process, listening on a free loopback port, with logs captured. */
export async function startServer(backend: Backend, directories: TemporaryDirectories): Promise<ServerUnderTest> {
  const dataDir = directories.make('server');
  const logs: string[] = [];
  const schema = backend.name === 'postgres' ? randomSchema() : undefined;
  const server = await buildServer({
    dataDir,
    ...(backend.name === 'postgres' ? { databaseUrl: backend.databaseUrl, databaseSchema: schema } : {}),
    logger: streamLogger('debug', (line) => logs.push(line)),
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    server,
    dataDir,
    backend,
    schema,
    logs,
    close: async () => {
      await server.close();
      if (schema && backend.name === 'postgres') await dropSchema(backend.databaseUrl, schema);
    },
  };
}

/** A loopback port nobody listens on right now (for a server that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
