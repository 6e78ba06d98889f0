import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { ServerUnderTest } from './serverUnderTest';

/** Every file below a folder, as raw bytes (SQLite pages, WAL, anything else the server wrote). */
function rawFiles(directory: string): Buffer[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? rawFiles(path) : [readFileSync(path)];
  });
}

/**
 * Everything the server holds, as text to search: raw files, each table's rows as JSON, and each
 * base64 field decoded (so a plaintext that was merely base64-encoded would still be found).
 */
export async function dumpServerStorage(server: ServerUnderTest): Promise<string> {
  const rows: unknown[] = [];
  if (server.backend.name === 'postgres') {
    const client = new pg.Client({ connectionString: server.backend.databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [server.schema],
      );
      for (const { table_name: table } of tables.rows) {
        const result = await client.query(`SELECT row_to_json(t)::text AS row FROM "${server.schema}"."${table}" t`);
        rows.push(...result.rows.map((row: { row: string }) => row.row));
      }
    } finally {
      await client.end();
    }
  } else {
    for (const name of readdirSync(server.dataDir).filter((file) => /\.(sqlite|db)$/.test(file))) {
      const database = new Database(join(server.dataDir, name), { readonly: true, fileMustExist: true });
      const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      for (const { name: table } of tables) rows.push(...database.prepare(`SELECT * FROM "${table}"`).all());
      database.close();
    }
  }
  const json = JSON.stringify(rows, (_key, value: unknown) =>
    Buffer.isBuffer(value) ? value.toString('latin1') : value,
  );
  const decoded = [...json.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)].map((match) => Buffer.from(match[1]!, 'base64').toString('latin1'));
  const files = server.backend.name === 'sqlite' ? rawFiles(server.dataDir).map((bytes) => bytes.toString('latin1')) : [];
  return [json, ...decoded, ...files].join('\n');
}

/** Every row of one table, every column (the names the database itself reports). */
export async function tableRows(server: ServerUnderTest, table: string): Promise<Array<Record<string, unknown>>> {
  if (server.backend.name === 'postgres') {
    const client = new pg.Client({ connectionString: server.backend.databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ row: Record<string, unknown> }>(`SELECT row_to_json(t) AS row FROM "${server.schema}"."${table}" t`);
      return result.rows.map((row) => row.row);
    } finally {
      await client.end();
    }
  }
  const rows: Array<Record<string, unknown>> = [];
  for (const name of readdirSync(server.dataDir).filter((file) => /\.(sqlite|db)$/.test(file))) {
    const database = new Database(join(server.dataDir, name), { readonly: true, fileMustExist: true });
    try {
      const exists = database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      if (exists) rows.push(...(database.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>));
    } finally {
      database.close();
    }
  }
  return rows;
}
