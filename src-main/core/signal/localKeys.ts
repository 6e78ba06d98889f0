import type { VaultTransaction } from '../vault/vaultTransaction';

/**
 * This device's own key state in the vault: the account identity, the registration id and the
 * prekey counters. Ids only grow, so a key id is never reused while a peer may still hold it.
 */
export type LocalKeys = {
  identityKeyPair: string;
  registrationId: number;
  signedPreKeyId: number;
  signedPreKeyCreatedAt: number;
  kyberLastResortPreKeyId: number;
  nextPreKeyId: number;
  nextKyberPreKeyId: number;
  nextSignedPreKeyId: number;
};

/** Where LocalKeys live in the vault's 'meta' collection. */
export const LOCAL_KEYS_META_KEY = 'localKeys';

type Reader = Pick<VaultTransaction, 'getJson'>;

export function readLocalKeys(transaction: Reader): LocalKeys {
  const keys = transaction.getJson<LocalKeys>('meta', LOCAL_KEYS_META_KEY);
  if (!keys) throw new Error('this profile has no keys yet: register first');
  return keys;
}

export function hasLocalKeys(transaction: Reader): boolean {
  return transaction.getJson<LocalKeys>('meta', LOCAL_KEYS_META_KEY) !== undefined;
}

export function writeLocalKeys(transaction: VaultTransaction, keys: LocalKeys) {
  transaction.putJson('meta', LOCAL_KEYS_META_KEY, keys);
}
