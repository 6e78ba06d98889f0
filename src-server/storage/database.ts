import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect';
import type { Database } from './schema';
import { withStatementCache } from './statementCache';

export type DatabaseOptions = {
  /** The SQLite file lives here unless `databaseUrl` is set. */
  dataDir: string;
  /** postgres://… selects PostgreSQL. */
  databaseUrl?: string;
  /** PostgreSQL schema, created if missing; default 'public'. */
  databaseSchema?: string;
  /** Errors of idle pooled connections (PostgreSQL restarted, network cut); the pool replaces them. */
  onConnectionError?: (error: Error) => void;
};

export type DatabaseHandle = {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the Kysely migration bookkeeping lives (PostgreSQL only). */
  schema?: string;
  close(): Promise<void>;
};

export const SQLITE_FILE_NAME = 'parley.sqlite';
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.databaseSchema ?? 'public', options.onConnectionError)
    : openSqlite(options.dataDir);
}

function openSqlite(dataDir: string): DatabaseHandle {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(join(dataDir, SQLITE_FILE_NAME));
  database.pragma('journal_mode = WAL');
  // A send is acknowledged as durably stored, so every commit waits for the disk.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Deleted rows (acked envelopes, above all) are overwritten with zeros, not left in free pages.
  database.pragma('secure_delete = ON');
  // The WAL keeps old page images until overwritten; truncate it whenever a checkpoint lets it
  // restart, so deleted content does not linger past the next checkpoint.
  database.pragma('journal_size_limit = 0');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function openPostgres(
  connectionString: string,
  schema: string,
  onConnectionError: (error: Error) => void = () => undefined,
): Promise<DatabaseHandle> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('database schema must be a plain lower-case identifier');
  const pool = new pg.Pool({
    connectionString,
    // Every connection resolves unqualified table names in the chosen schema.
    options: `-c search_path=${schema}`,
    // bigint and count() arrive as strings by default; every such value here fits a double.
    types: {
      getTypeParser: ((id: number, format?: 'text' | 'binary') =>
        id === PG_INT8 || id === PG_NUMERIC
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(id, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Without a listener, an idle connection's error would crash the process.
  pool.on('error', onConnectionError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a unique violation.
    if (!isUniqueViolation(error)) {
      await db.destroy();
      throw error;
    }
  }
  return { db, dialect: 'postgres', schema, close: () => db.destroy() };
}

/** A unique or primary-key constraint refused the write, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
