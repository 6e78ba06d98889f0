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

  /**
   * `fault`: where a failed parse is noted. These are this device's own records, so a parse that
   * fails is the device's fault, not a message's: the batch must fail and come again, not have
   * the message acked as undecryptable (see ProtocolStores.localFault).
   */
  constructor(
    private readonly transaction: Pick<VaultTransaction, 'get'>,
    private readonly fault: { error?: unknown } = {},
  ) {}

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
    let value: T;
    try {
      value = parse(bytes);
    } catch (error) {
      this.fault.error ??= error;
      throw error;
    }
    byBytes.set(bytes, value);
    return value;
  }
}

export const parseJson = <T>(bytes: Uint8Array): T => JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as T;
