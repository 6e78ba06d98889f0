import type { DBCore, DBCoreCursor, DBCoreTable, DBCoreTableSchema, Middleware } from 'dexie';
import { openRecord, sealRecord, type PlainRecord } from './encryption/sealRecord';

/**
 * Below Dexie's own middlewares (cache, observability, hooks: levels -1 to 2), so everything
 * above this one, liveQuery's cache included, sees plain records and only IndexedDB sees sealed ones.
 */
const ENCRYPTION_LEVEL = -10;

/**
 * A Dexie DBCore middleware that seals every record on its way into IndexedDB and opens it on
 * its way out. Index fields (primary key included) stay in clear so IndexedDB can index them;
 * every other field is sealed.
 *
 * Synchronous on purpose: noble's XChaCha20-Poly1305 runs in the same tick, where an awaited
 * crypto.subtle call would let IndexedDB auto-commit the transaction halfway through.
 */
export function createEncryptionMiddleware(recordKey: Uint8Array): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'ParleyEncryption',
    level: ENCRYPTION_LEVEL,
    create: (down) => ({
      ...down,
      // Dexie's own bookkeeping tables ("$meta") hold version numbers, not history.
      table: (tableName) =>
        tableName.startsWith('$') ? down.table(tableName) : sealedTable(down.table(tableName), recordKey),
    }),
  };
}

function sealedTable(table: DBCoreTable, recordKey: Uint8Array): DBCoreTable {
  const name = table.name;
  const clearFields = clearFieldsOf(table.schema);
  const seal = (value: unknown) => sealRecord(recordKey, name, value as PlainRecord, clearFields);
  const open = (value: unknown) => (value === undefined ? undefined : openRecord(recordKey, name, value));
  return {
    ...table,
    mutate: (request) =>
      request.type === 'add' || request.type === 'put'
        ? table.mutate({ ...request, values: request.values.map(seal) })
        : table.mutate(request),
    get: (request) => table.get(request).then(open),
    getMany: (request) => table.getMany(request).then((values) => values.map(open)),
    query: (request) =>
      table
        .query(request)
        .then((response) => (request.values ? { ...response, result: response.result.map(open) } : response)),
    openCursor: (request) =>
      table.openCursor(request).then((cursor) => (cursor && request.values ? openingCursor(cursor, open) : cursor)),
  };
}

/** Wraps a cursor so that reading its value opens the record, once per position. */
function openingCursor(cursor: DBCoreCursor, open: (value: unknown) => unknown): DBCoreCursor {
  let lastStored: unknown;
  let lastOpened: unknown;
  return Object.create(cursor, {
    key: { get: () => cursor.key },
    primaryKey: { get: () => cursor.primaryKey },
    value: {
      get: () => {
        const stored: unknown = cursor.value;
        if (stored !== lastStored) {
          lastStored = stored;
          lastOpened = open(stored);
        }
        return lastOpened;
      },
    },
  }) as DBCoreCursor;
}

/**
 * The top-level fields an index reads. Keys must be inbound (a key path on the record): the
 * associated data binds a payload to its key, and an outbound key would not be in the record.
 */
function clearFieldsOf(schema: DBCoreTableSchema): ReadonlySet<string> {
  if (schema.primaryKey.outbound || schema.primaryKey.keyPath === null) {
    throw new TypeError(`Table "${schema.name}" needs an inbound primary key to be sealed`);
  }
  const fields = new Set<string>();
  for (const index of [schema.primaryKey, ...schema.indexes]) {
    const paths = index.keyPath === null ? [] : Array.isArray(index.keyPath) ? index.keyPath : [index.keyPath];
    for (const path of paths) fields.add(path.split('.')[0] ?? path);
  }
  return fields;
}
