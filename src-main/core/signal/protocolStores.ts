import type {
  Direction} from '@signalapp/libsignal-client';
import {
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  PublicKey,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
  IdentityKeyPair,
  type ProtocolAddress,
} from '@signalapp/libsignal-client';
import { bytesFromBase64, ownedBytes } from '../util/bytes';
import type { InboxItem } from '../../../src-shared/domain/messages';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { ACCOUNT_META_KEY, type AccountRecord } from '../account/accountRecord';
import { LOCAL_KEYS_META_KEY, readLocalKeys, type LocalKeys } from './localKeys';
import { ParsedReads, parseJson } from './parsedReads';

/** libsignal's stores, reading and staging through one vault transaction. */
export type ProtocolStores = {
  session: SessionStore;
  /** `changes`: other accounts' identities this transaction found changed (each noted in the inbox). */
  identity: IdentityKeyStore & { readonly changes: number };
  preKey: PreKeyStore;
  signedPreKey: SignedPreKeyStore;
  kyberPreKey: KyberPreKeyStore;
  /**
   * The first fault of this device's own (vault I/O, a record that will not open) met while
   * libsignal ran. A failed decrypt with a local fault is not the message's fault: it must not
   * be acked, but tried again.
   */
  readonly localFault: { error?: unknown };
};

/** A peer named a one-time or signed key this device does not have (used, or never made). */
export class MissingKeyError extends Error {
  constructor(what: string) {
    super(`no ${what}`);
    this.name = 'MissingKeyError';
  }
}

export const addressKey = (address: ProtocolAddress) => `${address.name()}.${address.deviceId()}`;

/** A remote identity as first seen, and the moment it last changed (safety numbers, C11, read this). */
export type KnownIdentity = { publicKey: string; firstSeenAt: number; changedAt?: number };

/**
 * Sessions through the transaction. A batch advances one session once per message: the record
 * libsignal saved is handed back as is on the next read, and serialised once, at commit.
 */
class VaultSessionStore extends SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  constructor(private readonly transaction: VaultTransaction) {
    super();
  }
  async saveSession(address: ProtocolAddress, record: SessionRecord) {
    const key = addressKey(address);
    this.records.set(key, record);
    this.transaction.putLazily('session', key, () => record.serialize());
  }
  async getSession(address: ProtocolAddress) {
    const key = addressKey(address);
    const known = this.records.get(key);
    // A session deleted meanwhile (a device removed) is read from the transaction again.
    if (known && !this.transaction.deletes('session', key)) return known;
    const bytes = this.transaction.get('session', key);
    const record = bytes ? SessionRecord.deserialize(ownedBytes(bytes)) : null;
    if (record) this.records.set(key, record);
    return record;
  }
  async getExistingSessions(addresses: ProtocolAddress[]) {
    return Promise.all(
      addresses.map(async (address) => {
        const session = await this.getSession(address);
        if (!session) throw new Error(`no session for ${addressKey(address)}`);
        return session;
      }),
    );
  }
}

/** My own identity, as libsignal wants it: parsed once per transaction (see ParsedReads). */
type OwnIdentity = { keyPair: IdentityKeyPair; publicKey: Buffer };
/** A peer's identity as stored, with its key decoded once. */
type PeerIdentity = { known: KnownIdentity; publicKey: Buffer };

/**
 * Identities are per account (every device of an account shares one identity key). First use is
 * trusted; a changed key is accepted and recorded with its time, so the UI can show it (C11).
 * libsignal asks for these on every message; what it asks is parsed once per transaction.
 */
class VaultIdentityStore extends IdentityKeyStore {
  constructor(
    private readonly transaction: VaultTransaction,
    private readonly reads: ParsedReads,
    private readonly now: () => number,
  ) {
    super();
  }
  async getIdentityKey() {
    return this.own().keyPair.privateKey;
  }
  override async getIdentityKeyPair() {
    return this.own().keyPair;
  }
  private own(): OwnIdentity {
    const own = this.reads.read('meta', LOCAL_KEYS_META_KEY, 'identity', (bytes) => {
      const keyPair = IdentityKeyPair.deserialize(bytesFromBase64(parseJson<LocalKeys>(bytes).identityKeyPair));
      return { keyPair, publicKey: Buffer.from(keyPair.publicKey.serialize()) };
    });
    if (!own) throw new Error('this profile has no keys yet: register first');
    return own;
  }
  private peer(name: string): PeerIdentity | undefined {
    return this.reads.read('identity', name, 'peer', (bytes) => {
      const known = parseJson<KnownIdentity>(bytes);
      return { known, publicKey: Buffer.from(known.publicKey, 'base64') };
    });
  }
  async getLocalRegistrationId() {
    const keys = this.reads.read('meta', LOCAL_KEYS_META_KEY, 'json', (bytes) => parseJson<LocalKeys>(bytes));
    if (!keys) throw new Error('this profile has no keys yet: register first');
    return keys.registrationId;
  }
  /** Changed identities of other accounts this transaction noted (each also an inbox item, committed with it). */
  changes = 0;

  async saveIdentity(address: ProtocolAddress, key: PublicKey) {
    const serialized = Buffer.from(key.serialize());
    const peer = this.peer(address.name());
    if (peer?.publicKey.equals(serialized)) return IdentityChange.NewOrUnchanged;
    const known = peer?.known;
    const encoded = serialized.toString('base64');
    const now = this.now();
    const next: KnownIdentity = known ? { publicKey: encoded, firstSeenAt: known.firstSeenAt, changedAt: now } : { publicKey: encoded, firstSeenAt: now };
    this.transaction.putJson('identity', address.name(), next);
    if (!known) return IdentityChange.NewOrUnchanged;
    // In the same transaction as the new key: the chat with them says so (a safety number changed).
    if (address.name() !== this.ownAccountId()) {
      const item: InboxItem = { inboxId: `identity:${address.name()}:${now}`, kind: 'identity_changed', identityChange: { accountId: address.name(), changedAt: now } };
      this.transaction.putJson('inbox', item.inboxId, item);
      this.changes += 1;
    }
    return IdentityChange.ReplacedExisting;
  }
  private ownAccountId(): string | undefined {
    return this.reads.read('meta', ACCOUNT_META_KEY, 'json', (bytes) => parseJson<AccountRecord>(bytes))?.accountId;
  }
  /**
   * Others: trust on first use, changes recorded (C11 shows them). My own account: only my own
   * identity key, so nobody can pose as another device of mine.
   */
  async isTrustedIdentity(address: ProtocolAddress, key: PublicKey, _direction: Direction) {
    if (address.name() !== this.ownAccountId()) return true;
    return Buffer.from(key.serialize()).equals(this.own().publicKey);
  }
  async getIdentity(address: ProtocolAddress) {
    const peer = this.peer(address.name());
    return peer ? PublicKey.deserialize(ownedBytes(peer.publicKey)) : null;
  }
}

class VaultPreKeyStore extends PreKeyStore {
  constructor(private readonly transaction: VaultTransaction) {
    super();
  }
  async savePreKey(id: number, record: PreKeyRecord) {
    this.transaction.put('preKey', String(id), record.serialize());
  }
  async getPreKey(id: number) {
    const bytes = this.transaction.get('preKey', String(id));
    if (!bytes) throw new MissingKeyError(`one-time prekey ${id}`);
    return PreKeyRecord.deserialize(ownedBytes(bytes));
  }
  async removePreKey(id: number) {
    this.transaction.delete('preKey', String(id));
  }
}

class VaultSignedPreKeyStore extends SignedPreKeyStore {
  constructor(private readonly transaction: VaultTransaction) {
    super();
  }
  async saveSignedPreKey(id: number, record: SignedPreKeyRecord) {
    this.transaction.put('signedPreKey', String(id), record.serialize());
  }
  async getSignedPreKey(id: number) {
    const bytes = this.transaction.get('signedPreKey', String(id));
    if (!bytes) throw new MissingKeyError(`signed prekey ${id}`);
    return SignedPreKeyRecord.deserialize(ownedBytes(bytes));
  }
}

/** One-time Kyber prekeys are deleted once used; the last-resort key stays. */
class VaultKyberPreKeyStore extends KyberPreKeyStore {
  constructor(private readonly transaction: VaultTransaction) {
    super();
  }
  async saveKyberPreKey(id: number, record: KyberPreKeyRecord) {
    this.transaction.put('kyberPreKey', String(id), record.serialize());
  }
  async getKyberPreKey(id: number) {
    const bytes = this.transaction.get('kyberPreKey', String(id));
    if (!bytes) throw new MissingKeyError(`Kyber prekey ${id}`);
    return KyberPreKeyRecord.deserialize(ownedBytes(bytes));
  }
  async markKyberPreKeyUsed(id: number, _signedPreKeyId: number, _baseKey: PublicKey) {
    if (readLocalKeys(this.transaction).kyberLastResortPreKeyId !== id) this.transaction.delete('kyberPreKey', String(id));
  }
}

export function protocolStores(transaction: VaultTransaction, now: () => number): ProtocolStores {
  const localFault: { error?: unknown } = {};
  const guarded = recordingFaults(transaction, localFault);
  return {
    session: new VaultSessionStore(guarded),
    identity: new VaultIdentityStore(guarded, new ParsedReads(guarded, localFault), now),
    preKey: new VaultPreKeyStore(guarded),
    signedPreKey: new VaultSignedPreKeyStore(guarded),
    kyberPreKey: new VaultKyberPreKeyStore(guarded),
    localFault,
  };
}

/** The same transaction, noting in `fault` any error its reads and writes throw. */
function recordingFaults(transaction: VaultTransaction, fault: { error?: unknown }): VaultTransaction {
  return new Proxy(transaction, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return (value as (...parameters: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          fault.error ??= error;
          throw error;
        }
      };
    },
  });
}

