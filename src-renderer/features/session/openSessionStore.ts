import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { IpcErrorCode } from '../../../src-shared/ipc/result';
import { openHistoryStore, WrongStorageKeyError, type HistoryStore } from '../../data';

export type OpenedStore = { ok: true; store: HistoryStore } | { ok: false; reason: 'wrong_key' | 'storage' | IpcErrorCode };

const STORAGE_KEY_BYTES = 32;

/** Asks main for the history's key and opens this account's history with it. */
export async function openSessionStore(
  bridge: ParleyBridge,
  accountId: string,
  open: typeof openHistoryStore = openHistoryStore,
): Promise<OpenedStore> {
  const answer = await bridge.account.historyKey({});
  performance.mark('parley.history.key');
  if (!answer.ok) return { ok: false, reason: answer.error.code };
  const storageKey = decodeStorageKey(answer.value.storageKey);
  if (storageKey === null) return { ok: false, reason: 'internal' };
  try {
    return { ok: true, store: await open({ accountId, storageKey }) };
  } catch (error) {
    return { ok: false, reason: error instanceof WrongStorageKeyError ? 'wrong_key' : 'storage' };
  } finally {
    storageKey.fill(0);
  }
}

/** base64 of exactly 32 bytes, or null. */
export function decodeStorageKey(base64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(base64)) return null;
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  return bytes.length === STORAGE_KEY_BYTES ? bytes : null;
}
