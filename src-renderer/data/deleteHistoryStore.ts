import { historyDatabaseName } from './historyDatabaseName';

/**
 * Deletes an account's whole history store (its session was ended from another device, A9).
 * IndexedDB's own call, not Dexie's: the welcome screen uses this, and must not pull the history
 * store's code into the first chunk. It completes once every open connection has closed;
 * deleting a database that does not exist succeeds.
 */
export function deleteHistoryStore(accountId: string, factory: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(historyDatabaseName(accountId));
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('the history store could not be deleted'));
  });
}
