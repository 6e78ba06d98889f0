import type { DeviceDetails } from '../../../src-shared/domain/devices';
import type { DeviceKeys } from '../../../src-shared/protocol/keys';
import type { RegisterAccountResponse } from '../../../src-shared/protocol/http';
import {
  generateOneTimePreKeys,
  identityPublicKey,
  rotateKyberLastResortPreKey,
  rotateSignedPreKey,
} from '../signal/deviceKeys';
import { readLocalKeys } from '../signal/localKeys';
import { writeArchiveUploadsState } from '../archive/archiveUploads';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { newDeviceSecret, writeAccount, type AccountRecord } from './accountRecord';

/**
 * What a new device publishes (first device of a new account, or another device of an existing
 * one): a fresh signed prekey, last-resort Kyber key, one-time prekeys and device secret. The
 * identity must already be in `transaction`. Private halves are staged, not committed.
 */
export function newDeviceKeys(transaction: VaultTransaction, deviceName: string, now: number, details?: DeviceDetails): DeviceKeys {
  const signedPreKey = rotateSignedPreKey(transaction, now);
  const kyberLastResortPreKey = rotateKyberLastResortPreKey(transaction, now);
  const { preKeys, kyberPreKeys } = generateOneTimePreKeys(transaction, now);
  const keys = readLocalKeys(transaction);
  return {
    name: deviceName,
    ...(details && { details }),
    registrationId: keys.registrationId,
    secret: newDeviceSecret(),
    identityKey: identityPublicKey(keys),
    signedPreKey,
    kyberLastResortPreKey,
    preKeys,
    kyberPreKeys,
  };
}

/** Once the server accepted the device: the account record joins the staged keys, and all commit. */
export function commitNewDevice(
  transaction: VaultTransaction,
  response: RegisterAccountResponse,
  device: DeviceKeys,
  serverUrl: string,
  now: number,
): AccountRecord {
  const account: AccountRecord = {
    serverUrl,
    accountId: response.accountId,
    deviceId: response.deviceId,
    username: response.username,
    deviceSecret: device.secret,
    registeredAt: now,
  };
  writeAccount(transaction, account);
  if (response.archive) writeArchiveUploadsState(transaction, response.archive);
  transaction.commitNow();
  return account;
}
