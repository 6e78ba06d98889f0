import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the hot path uses a handful, IN lists of varying length add more. */
const DEFAULT_CAPACITY = 256;

/**
 * The database as Kysely's SQLite driver sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query it runs (even `begin` and `commit`), and preparing costs SQLite a
 * parse and a plan each time: several times the cost of running a small statement. A statement
 * that is still being iterated is busy, so a fresh one is prepared for that caller instead.
 */
export function withStatementCache(database: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        // Re-inserting keeps the map in least-recently-used order for eviction.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (!cached) {
        statements.set(sql, statement);
        if (statements.size > capacity) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
