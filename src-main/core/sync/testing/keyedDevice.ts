import { randomBytes, randomUUID } from 'node:crypto';
import type { PreKeyBundle } from '../../../../src-shared/protocol/keys';
import { writeAccount } from '../../account/accountRecord';
import { newDeviceKeys } from '../../account/newDevice';
import { generateIdentity } from '../../signal/deviceKeys';
import { readLocalKeys, writeLocalKeys } from '../../signal/localKeys';
import { Vault } from '../../vault/vault';

const clock = { now: () => Date.now() };

/**
 * A device with real keys in an in-memory vault; returns its public bundle too. `linkedTo` makes
 * it another device of that device's account (same identity, next device id).
 */
export function keyedDevice(linkedTo?: { vault: Vault; accountId: string; bundle: PreKeyBundle }) {
  const vault = Vault.open(':memory:', randomBytes(32));
  const accountId = linkedTo?.accountId ?? randomUUID();
  const deviceId = (linkedTo?.bundle.devices.length ?? 0) + 1;
  const transaction = vault.transaction();
  const identity = generateIdentity(clock.now());
  const linkedIdentity = linkedTo && readLocalKeys(linkedTo.vault.transaction()).identityKeyPair;
  writeLocalKeys(transaction, { ...identity, identityKeyPair: linkedIdentity ?? identity.identityKeyPair });
  const keys = newDeviceKeys(transaction, 'test', clock.now());
  writeAccount(transaction, { serverUrl: 'http://unused', accountId, deviceId, username: 'u', deviceSecret: keys.secret, registeredAt: 0 });
  transaction.commit();
  const bundle: PreKeyBundle = {
    accountId,
    identityKey: keys.identityKey,
    devices: [
      ...(linkedTo?.bundle.devices ?? []),
      { deviceId, registrationId: keys.registrationId, signedPreKey: keys.signedPreKey, preKey: keys.preKeys[0], kyberPreKey: keys.kyberPreKeys[0]! },
    ],
  };
  return { vault, accountId, bundle };
}

