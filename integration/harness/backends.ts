/**
 * Where the server under test keeps its data: SQLite always; PostgreSQL too when
 * PARLEY_TEST_DATABASE_URL is set (CI sets it). Each test server gets its own PostgreSQL schema.
 */
export type Backend = { name: 'sqlite' } | { name: 'postgres'; databaseUrl: string };

export function availableBackends(): Backend[] {
  const databaseUrl = process.env.PARLEY_TEST_DATABASE_URL;
  return databaseUrl ? [{ name: 'sqlite' }, { name: 'postgres', databaseUrl }] : [{ name: 'sqlite' }];
}
