import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** SQLite always; PostgreSQL too when PARLEY_TEST_DATABASE_URL is set. */
export type TestBackend = { name: 'sqlite' } | { name: 'postgres'; databaseUrl: string };

export function testBackends(): TestBackend[] {
  const databaseUrl = process.env.PARLEY_TEST_DATABASE_URL;
  return databaseUrl ? [{ name: 'sqlite' }, { name: 'postgres', databaseUrl }] : [{ name: 'sqlite' }];
}

/** Where one test's data lives: a fresh temporary directory, and on PostgreSQL a fresh schema. */
export type TestDatabase = {
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  /** Removes the directory and drops the schema. */
  dispose(): Promise<void>;
};

export function createTestDatabase(backend: TestBackend): TestDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-server-test-'));
  const schema = backend.name === 'postgres' ? `parley_test_${randomBytes(6).toString('hex')}` : undefined;
  return {
    dataDir,
    ...(backend.name === 'postgres' ? { databaseUrl: backend.databaseUrl, databaseSchema: schema } : {}),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      if (backend.name === 'postgres' && schema) await dropSchema(backend.databaseUrl, schema);
    },
  };
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
