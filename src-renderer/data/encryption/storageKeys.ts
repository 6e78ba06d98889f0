import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export const STORAGE_KEY_BYTES = 32;

/** The two keys the history store uses, both derived from the one storage key main hands over. */
export type HistoryKeys = {
  /** Seals every record's payload (XChaCha20-Poly1305). */
  recordKey: Uint8Array;
  /** Keys the search-term hashes (HMAC-SHA256). */
  searchKey: Uint8Array;
};

/**
 * Derives separate keys for sealing and for search hashing, so one key never serves two
 * algorithms, and a leak of search hashes says nothing about the sealing key.
 */
export function deriveHistoryKeys(storageKey: Uint8Array): HistoryKeys {
  if (!(storageKey instanceof Uint8Array) || storageKey.length !== STORAGE_KEY_BYTES) {
    throw new TypeError(`The storage key must be ${STORAGE_KEY_BYTES} bytes`);
  }
  const derive = (purpose: string) =>
    hkdf(sha256, storageKey, undefined, utf8ToBytes(`parley/history/${purpose}/v1`), 32);
  return { recordKey: derive('records'), searchKey: derive('search') };
}
