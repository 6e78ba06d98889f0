import type { VaultCollection } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';

/**
 * Parses of vault values, made once per value and per transaction: libsignal asks its stores for
 * the same few things (my identity key pair, my account, a peer's identity) for every message of a
 * batch, and each answer would otherwise be a JSON or key parse of its own.
 *
 * A parse is remembered by the bytes it came from, the very object the transaction hands out: a
 * value written since (staged here, or committed by anyone) comes as another object and is parsed
 * afresh, so nothing stale can be answered. One instance lives as long as one set of stores, that
 * is one vault transaction.
 */
export class ParsedReads {
  private readonly parsed = new Map<string, WeakMap<Uint8Array, unknown>>();

  constructor(private readonly transaction: Pick<VaultTransaction, 'get'>) {}

  /** `parse` of the value at (collection, key), or undefined when there is none. */
  read<T>(collection: VaultCollection, key: string, kind: string, parse: (bytes: Uint8Array) => T): T | undefined {
    const bytes = this.transaction.get(collection, key);
    if (bytes === undefined) return undefined;
    const name = `${kind}\0${collection}\0${key}`;
    let byBytes = this.parsed.get(name);
    if (!byBytes) {
      byBytes = new WeakMap();
      this.parsed.set(name, byBytes);
    }
    if (byBytes.has(bytes)) return byBytes.get(bytes) as T;
    const value = parse(bytes);
    byBytes.set(bytes, value);
    return value;
  }
}

export const parseJson = <T>(bytes: Uint8Array): T => JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as T;
